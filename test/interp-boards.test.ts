// The interpreter on every board in QEMU: the same apps booted with --engine interp and with the
// AOT engine give the same console output and exit codes; the interpreter's panic lines say where
// in the module, and the names come from kernel.names.json as for Node's reports.
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { BOARDS, boardData } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("interp-boards") };

interface Case {
  name: string;
  app: string;
  input?: string;
  inputAfter?: string;
}

const CASES: Case[] = [
  { name: "hello", app: "hello" },
  { name: "blinky", app: "blinky" },
  { name: "echo", app: "echo", input: "through the interpreter\nquit\n", inputAfter: "ready" },
  { name: "the hypercalls app", app: "test/apps/hypercalls", input: "board input\n", inputAfter: "past deadline" },
  // The trap app's failures, each a panic report (the boots share one build).
  ...[
    ["u", "unreachable"],
    ["o", "an out-of-bounds load"],
    ["s", "stack exhaustion"],
    ["m", "an MMIO write outside the grants"],
    ["i", "an interrupt line no device owns"],
    ["b", "the byte just past linear memory"],
  ].map(([input, name]) => ({ name: `trap: ${name}`, app: "test/apps/trap", input, inputAfter: "trap: ready" })),
];

/** What may differ between the engines: where a panic happened is a C pc on one, a module offset on the other. */
function comparable(stdout: string): string {
  return stdout
    .replace(/ \(wasm function \d+\) \(pc 0x[0-9A-F]{8}\)$/gm, " <where>")
    .replace(/ \(wasm function \d+ at 0x[0-9a-f]+\)$/gm, " <where>")
    // The hypercalls app prints how long a wait took: each engine's own instruction count.
    .replace(/^wait returned -1 after \d+ ns$/m, "wait returned -1 after <ns> ns");
}

describe.each(BOARDS)("%s", (board) => {
  // blinky needs an LED: netduinoplus2's board file names none (QEMU models no LED on it).
  const cases = CASES.filter((c) => (c.app !== "blinky" || boardData(board).leds !== undefined));

  beforeAll(async () => {
    for (const app of new Set(cases.map((c) => c.app))) {
      for (const engine of ["aot", "interp"]) {
        const r = await anyk(["build", app, "--board", board, "--engine", engine], { env });
        expect(r.code, r.stderr).toBe(0);
      }
    }
  });

  it.concurrent.each(cases)("$name: the same output and exit code as the AOT engine", async ({ app, input, inputAfter }) => {
    const boot = (engine: string) => anyk(["boot", app, "--board", board, "--engine", engine, "--timeout", "60"], { env, input, inputAfter });
    const [aot, interp] = await Promise.all([boot("aot"), boot("interp")]);
    expect(interp.stderr).toBe(aot.stderr);
    expect(interp.code, interp.stdout).toBe(aot.code);
    expect(comparable(interp.stdout)).toBe(comparable(aot.stdout));
    expect(interp.stdout.length).toBeGreaterThan(0);
  });

  it("names the function and the module offset of a trap, as Node's engine does", async () => {
    const [board_, node] = await Promise.all([
      anyk(["boot", "test/apps/trap", "--board", board, "--engine", "interp", "--timeout", "60"], { env, input: "d", inputAfter: "trap: ready" }),
      anyk(["run", "test/apps/trap", "--board", board], { env, input: "d" }),
    ]);
    const line = /^panic: trap: integer divide by zero in test\/apps\/trap\/main\/main \(wasm function \d+ at 0x[0-9a-f]+\)$/m.exec(board_.stdout);
    expect(line, board_.stdout).not.toBeNull();
    expect(node.stderr).toContain(line![0]);
    expect(board_.code).toBe(101);
  });
});
