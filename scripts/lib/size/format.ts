// The size report as an aligned text table, optionally beside a saved report (--compare).
import fs from "node:fs";
import { UserError } from "../errors.js";
import { formatTable } from "../table.js";
import { REPORT_FORMAT, type SizeReport } from "./report.js";

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : "0");
const orDash = (n: number | null | undefined) => (n === null || n === undefined ? "-" : String(n));

export function loadSavedReport(file: string): SizeReport {
  let data: SizeReport;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: not a saved size report (${(err as Error).message.split("\n")[0]}); make one with 'anyk size <app> --board B --save ${file}'`);
  }
  if (data.format !== REPORT_FORMAT || !Array.isArray(data.components)) {
    throw new UserError(`${file}: field 'format' is ${JSON.stringify(data.format)}, expected ${REPORT_FORMAT}: not a size report of this version of anyk`);
  }
  return data;
}

export function formatReport(report: SizeReport, options: { why?: boolean; against?: SizeReport } = {}): string {
  const { why, against } = options;
  const before = new Map(against?.components.map((c) => [c.name, c]) ?? []);
  const header = ["component", "kind", "ROM", "RAM", "wasm"];
  if (against) header.push("ROM Δ", "RAM Δ");
  if (report.components.some((c) => c.budget !== undefined)) header.push("budget");
  if (why) header.push("why");
  const hasBudgets = header.includes("budget");
  const rows = [header];
  const names = [...report.components.map((c) => c.name), ...[...before.keys()].filter((n) => !report.components.some((c) => c.name === n))];
  for (const name of names) {
    const c = report.components.find((x) => x.name === name);
    const b = before.get(name);
    const row = [name, c?.kind ?? "(gone)", String(c?.rom ?? 0), String(c?.ram ?? 0), String(c?.wasm ?? 0)];
    if (against) row.push(signed((c?.rom ?? 0) - (b?.rom ?? 0)), signed((c?.ram ?? 0) - (b?.ram ?? 0)));
    if (hasBudgets) row.push(c?.budget === undefined ? "" : `${c.budget}${c.rom > c.budget ? " OVER" : ""}`);
    if (why) row.push(c?.why ?? "");
    rows.push(row);
  }
  const total = ["total", "", String(report.totals.rom), String(report.totals.ram), String(report.totals.wasm)];
  if (against) total.push(signed(report.totals.rom - against.totals.rom), signed(report.totals.ram - against.totals.ram));
  rows.push(total);

  const lines = [`${report.app} on ${report.board}${report.with.length ? ` with ${report.with.join(", ")}` : ""}: bytes by component${report.oversize_link ? " (linked against enlarged memories to measure it: it does not fit)" : ""}`, "", formatTable(rows).trimEnd(), ""];
  const agree = report.totals.rom === report.elf.flash && report.totals.ram === report.elf.ram;
  lines.push(`ELF loaded segments: flash ${report.elf.flash} B, RAM ${report.elf.ram} B${agree ? " (the rows add up to them)" : " (THE ROWS DO NOT ADD UP: a bug in anyk size)"}; kernel.wasm ${report.wasm_bytes} B`);
  const lm = report.linear_memory;
  lines.push(`linear memory: ${lm.bytes} B = static data ${lm.static_data} B + heap cap ${lm.heap_cap} B (+ alignment)`);
  const m = report.measured;
  const ran = m && (m.stackHighWater !== null || m.heapHighWater !== null);
  const where = ran ? (m.platform === "qemu" ? "measured in QEMU" : "measured in userspace") : "not measured";
  lines.push(`C stack:     reserved ${report.stack.reserved} B, high-water ${orDash(report.stack.high_water)} B (${where})`);
  const runtime = report.heap.runtime === "bump" ? "" : `; runtime ${report.heap.runtime}, ${report.heap.runtime_bytes} B of the cap its own, high-water not measurable`;
  lines.push(`kernel heap: cap ${report.heap.cap} B, high-water ${orDash(report.heap.high_water)} B (${where}${runtime})`);
  if (m?.note) lines.push(`  note: ${m.note}`);
  lines.push("");
  const fit = [["memory", "used", "size", "use"]];
  for (const r of report.regions) fit.push([r.name, `${r.used} B`, `${r.size} B`, `${r.percent.toFixed(1)}% ${bar(r.percent)}`]);
  lines.push(formatTable(fit).trimEnd());
  return lines.join("\n") + "\n";
}

function bar(percent: number): string {
  const width = 20;
  const filled = Math.min(width, Math.round((percent / 100) * width));
  return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]" + (percent > 100 ? " OVERFLOW" : "");
}
