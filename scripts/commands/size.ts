// anyk size: the RAM/ROM footprint of an image per component, measured and budgeted.
import type { Command } from "../lib/command.js";
import { boardOption, RUNTIME_OPTION, WITH_OPTION } from "../lib/options.js";
import { runtimeOption } from "../lib/runtimes.js";
import { optionalSeconds, appArgument, boardArgument } from "../lib/command.js";
import { resolveApp } from "../lib/apps.js";
import { loadBoard } from "../lib/boards.js";
import { writeFileAtomic } from "../lib/atomic.js";
import { UsageError } from "../lib/errors.js";
import { withList } from "./build.js";
import { measureImage, type MeasurePlatform } from "../lib/size/measure.js";
import { formatReport, loadSavedReport } from "../lib/size/format.js";
import { htmlReport } from "../lib/size/html.js";
import { runMatrix } from "../lib/size/matrix.js";
import type { SizeReport } from "../lib/size/report.js";

const PLATFORMS: MeasurePlatform[] = ["qemu", "userspace", "none"];

/** --max-size name=bytes (repeatable) as budgets. */
function parseBudgets(pairs: string[] = []): Map<string, number> {
  const budgets = new Map<string, number>();
  for (const pair of pairs) {
    const at = pair.lastIndexOf("=");
    const bytes = Number(pair.slice(at + 1));
    if (at <= 0 || !Number.isInteger(bytes) || bytes < 0) throw new UsageError(`anyk size: --max-size '${pair}' is not valid; use <component>=<bytes>, e.g. uart/arm,pl011=2048`);
    budgets.set(pair.slice(0, at), bytes);
  }
  return budgets;
}

/** --input text with \n, \r, \t and \\ escapes, so a shell argument can end a line. */
function unescape(text: string): string {
  return text.replace(/\\(n|r|t|\\)/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", "\\": "\\" })[c]!);
}

/** Why an image fails the size check, or nothing when it passes. */
export function sizeProblems(report: SizeReport): string[] {
  const problems = report.regions.filter((r) => r.used > r.size).map((r) => `${r.name} ${r.used} B used of ${r.size} B (${r.percent}%, over by ${r.used - r.size} B)`);
  const budgets = report.over_budget.map((b) => `component ${b.name} is ${b.rom} B of ROM, over its max-size of ${b.budget} B`);
  return [...problems.map((p) => `${report.app} does not fit ${report.board}: ${p}`), ...budgets];
}

export const sizeCommand: Command = {
  name: "size",
  summary: "the RAM/ROM footprint of an image per component, measured and budgeted",
  args: "[<app>]",
  options: {
    board: boardOption("the board to build for"),
    with: WITH_OPTION,
    runtime: RUNTIME_OPTION,
    why: { type: "boolean", help: "add a column saying which requirement pulled each component in" },
    json: { type: "boolean", help: "print the report as one JSON object (see docs/size.md for its fields)" },
    html: { type: "string", value: "file", help: "also write a self-contained HTML page with ROM and RAM by component" },
    save: { type: "string", value: "file", help: "also write the report as JSON, for a later --compare" },
    compare: { type: "string", value: "file", help: "show the difference per component against a saved report" },
    platform: { type: "string", value: "qemu|userspace|none", help: "where to run the image for the measured high-water marks (default qemu)" },
    input: { type: "string", value: "text", help: "console input for that run, with \\n escapes (e.g. 'quit\\n' for echo)" },
    timeout: { type: "string", value: "seconds", help: "how long that run may take (default 10)" },
    "max-size": { type: "string", multiple: true, value: "name=bytes", help: "a ROM budget for a component (repeatable); over it, anyk size fails" },
    matrix: { type: "boolean", help: "the marginal ROM/RAM cost of each driver on each board, as one table" },
    sets: { type: "string", value: "file", help: "with --matrix: the driver sets to build, from a JSON file (default: each app alone, each driver added to hello)" },
    boards: { type: "string", value: "b1,b2", help: "with --matrix: the boards (default: all)" },
  },
  details: [
    "Rows: kernel components (code, read-only data and their share of static data and heap cap), the generated",
    "entry, AssemblyScript's runtime, the stub, the wasm runtime, libgcc and newlib, the reserved C stack and padding.",
    "They add up exactly to the ELF's loaded segments. An image that does not fit is linked once more against",
    "enlarged memories, so the table is still printed; then, or when a component is over its max-size, exit code 1.",
    "Examples: anyk size hello --board lm3s6965evb",
    "          anyk size echo --board microbit --input 'quit\\n' --why",
    "          anyk size --matrix --boards lm3s6965evb,microbit",
  ],
  async run(positionals, values) {
    if (values.matrix) {
      if (positionals.length > 0) throw new UsageError("anyk size: --matrix builds its own driver sets; give no <app>");
      return runMatrix({ setsFile: values.sets as string | undefined, boards: withList(values.boards), json: values.json === true });
    }
    const appSpec = appArgument(this, positionals);
    const board = loadBoard(boardArgument(this, values));
    const app = resolveApp(appSpec);
    const platform = (values.platform ?? "qemu") as MeasurePlatform;
    if (!PLATFORMS.includes(platform)) throw new UsageError(`anyk size: --platform must be one of ${PLATFORMS.join(", ")}, got '${platform}'`);
    const budgets = parseBudgets(values["max-size"] as unknown as string[] | undefined);
    const against = typeof values.compare === "string" ? loadSavedReport(values.compare) : undefined;
    const report = await measureImage(app, board, {
      with: withList(values.with),
      runtime: runtimeOption(values.runtime),
      platform,
      input: unescape(typeof values.input === "string" ? values.input : ""),
      timeoutSeconds: optionalSeconds(this, values, "timeout") ?? 10,
      budgets,
    });
    for (const name of budgets.keys()) {
      if (!report.components.some((c) => c.name === name)) throw new UsageError(`anyk size: --max-size names '${name}', which is not in this image (its components: ${report.components.filter((c) => c.kind === "component").map((c) => c.name).join(", ")})`);
    }
    if (typeof values.save === "string") writeFileAtomic(values.save, JSON.stringify(report, null, 1) + "\n");
    if (typeof values.html === "string") writeFileAtomic(values.html, htmlReport(report));
    process.stdout.write(values.json ? JSON.stringify(report) + "\n" : formatReport(report, { why: values.why === true, against }));
    const problems = sizeProblems(report);
    for (const p of problems) process.stderr.write(`anyk: error: ${p}\n`);
    return problems.length ? 1 : 0;
  },
};
