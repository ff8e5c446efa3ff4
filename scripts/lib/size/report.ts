// The size report of one image: ROM, RAM and kernel.wasm bytes per owner (each row says why it
// is in the image), the ELF's own loaded-segment figures they add up to, linear memory by region,
// the board's memories with how full they are, budgets, and the measured high-water marks.
import { RUNTIME_FACTS } from "../runtimes.js";
import fs from "node:fs";
import path from "node:path";
import type { ImagePlan } from "../plan.js";
import { readElf } from "../elf.js";
import { readCodeBodies, readDataSegments, readModule } from "../wasm.js";
import { boardFactsSource, entrySource } from "../entry.js";
import { imageMemory, stubSources } from "../firmware.js";
import { ABI_GEN_DIR, CORTEX_M_DIR } from "../paths.js";
import type { NamesFile } from "../image.js";
import { attribute, type Tally } from "./attribute.js";
import { functionShares, parseWasmSourceMap, split } from "./sourcemap.js";
import { cSources } from "./csource.js";
import { dataSegmentOwners } from "./data-segments.js";
import { readStaticReferences } from "./static-refs.js";
import { kernelCLines } from "./kernel-c.js";
import { readLineRanges } from "./lines.js";
import { parseLinkMap } from "./linkmap.js";
import { componentOwner, ownerOfKernelFunction, UNATTRIBUTED, WASM_STRUCTURE, type Owner, type OwnerKind } from "./owners.js";

export const REPORT_FORMAT = 1;

export interface SizeRow {
  name: string;
  kind: OwnerKind;
  /** Flash bytes: code, read-only data and initial values of data. */
  rom: number;
  /** RAM bytes: data, bss (with the kernel's linear memory), the reserved C stack. */
  ram: number;
  /** Bytes of the trimmed kernel.wasm. */
  wasm: number;
  /** Why the component is in the image. */
  why?: string;
  /** The component's layer (base, hil, faction, driver, app). */
  layer?: string;
  /** The component's ROM budget (max-size), when it has one. */
  budget?: number;
}

export interface RegionFit {
  name: string;
  used: number;
  size: number;
  percent: number;
}

export interface Measured {
  platform: "qemu" | "userspace";
  exitCode: number | null;
  stackHighWater: number | null;
  heapHighWater: number | null;
  /** Why figures are missing, when they are. */
  note?: string;
}

export interface SizeReport {
  format: number;
  app: string;
  board: string;
  with: string[];
  components: SizeRow[];
  totals: { rom: number; ram: number; wasm: number };
  elf: { flash: number; ram: number };
  wasm_bytes: number;
  linear_memory: { static_data: number; heap_cap: number; bytes: number };
  stack: { reserved: number; high_water: number | null };
  /** runtime: the kernel heap's; runtime_bytes: the part of the cap the runtime takes for itself (TLSF's root). */
  heap: { cap: number; high_water: number | null; runtime: string; runtime_bytes: number };
  measured: Measured | null;
  regions: RegionFit[];
  fits: boolean;
  over_budget: Array<{ name: string; rom: number; budget: number }>;
  /** Set when the image did not fit and was linked once more against enlarged memories to be measured. */
  oversize_link?: boolean;
}

const ROW_ORDER: OwnerKind[] = ["component", "generated", "runtime", "stub", "library", "stack", "padding", "unattributed"];

export interface ImageFiles {
  wasm: string;
  names: string;
  elf: string;
  map: string;
  /** The C wasm2c made of the image, beside the firmware. */
  kernelC: string;
  /** The kernel's source map, when the build kept one. */
  sourceMap?: string;
}

/** The bytes of wasm2c's function type IDs: FUNC_TYPE_T(w2c_kernel_tN) = "\x89\x3a...". */
function funcTypeIds(kernelC: string): Buffer[] {
  return [...kernelC.matchAll(/FUNC_TYPE_T\(\w+\) = "((?:\\x[0-9a-f]{2})+)"/g)].map((m) => Buffer.from(m[1].replace(/\\x/g, ""), "hex"));
}

export async function sizeReport(plan: ImagePlan, files: ImageFiles, opts: { oversize?: boolean; memoryScale?: number; budgets?: Map<string, number> } = {}): Promise<SizeReport> {
  const components = plan.resolution.components;
  const wasm = fs.readFileSync(files.wasm);
  const names = (JSON.parse(fs.readFileSync(files.names, "utf8")) as NamesFile).functions;
  const segments = readDataSegments(wasm);
  const generated = entrySource(plan) + "\n" + boardFactsSource(plan);
  const segmentOwners = dataSegmentOwners(segments, components, generated);
  const memory = await imageMemory(plan, wasm);
  const info = readModule(wasm);
  const elf = readElf(files.elf);
  const headers = [...fs.readdirSync(CORTEX_M_DIR).filter((f) => f.endsWith(".h")).map((f) => path.join(CORTEX_M_DIR, f)), path.join(ABI_GEN_DIR, "anyk_hypercall.h")];
  const spans = files.sourceMap && fs.existsSync(files.sourceMap) ? parseWasmSourceMap(fs.readFileSync(files.sourceMap, "utf8"), wasm.length) : [];
  const attribution = attribute({
    elf,
    board: plan.board,
    memoryScale: opts.memoryScale ?? 1,
    lines: await readLineRanges(files.elf),
    map: parseLinkMap(fs.readFileSync(files.map, "utf8")),
    funcTypeIds: funcTypeIds(fs.readFileSync(files.kernelC, "utf8")),
    kernelC: kernelCLines(fs.readFileSync(files.kernelC, "utf8"), new Map(info.exports.filter((e) => e.kind === "func").map((e) => [e.name, e.index]))),
    cSources: cSources([...stubSources(plan.board), ...headers, files.kernelC]),
    segments,
    segmentOwners,
    staticEnd: memory.staticEnd,
    staticRefs: await readStaticReferences(files.wasm, names, components, segments, memory.staticEnd, spans),
    heapBudgets: components.filter((c) => c.heap > 0).map((c) => ({ owner: componentOwner(c), bytes: c.heap })),
  });

  // Each kernel function's bytes, split between the components its code came from (the source
  // map), in kernel.wasm and in the firmware alike.
  const bodies = readCodeBodies(wasm, info.importedFunctions);
  const shares = functionShares(spans, bodies, names, components);
  const resolve = (tallies: Tally[]): Tally[] =>
    tallies.flatMap((t) => {
      if (t.owner.wasmFunction === undefined) return [t];
      const fn = t.owner.wasmFunction;
      return split(t.bytes, shares.get(fn) ?? [{ owner: ownerOfKernelFunction(names[fn] ?? "", components), bytes: 1 }]);
    });
  const wasmBytes = new Map<string, number>();
  const addWasm = (owner: Owner, n: number) => wasmBytes.set(owner.name, (wasmBytes.get(owner.name) ?? 0) + n);
  let counted = 0;
  for (const body of bodies) {
    for (const share of shares.get(body.index) ?? []) addWasm(share.owner, share.bytes);
    counted += body.bytes;
  }
  segments.forEach((s, i) => {
    addWasm(segmentOwners[i], s.fileBytes);
    counted += s.fileBytes;
  });
  addWasm(WASM_STRUCTURE, wasm.length - counted);

  const rows = new Map<string, SizeRow>();
  const row = (owner: Owner) => rows.get(owner.name) ?? rows.set(owner.name, { name: owner.name, kind: owner.kind, rom: 0, ram: 0, wasm: 0 }).get(owner.name)!;
  for (const c of components) {
    const r = row(componentOwner(c));
    r.layer = c.layer;
    r.why = c === plan.appComponent ? "the app" : `required by ${plan.resolution.why.get(c.name)}`;
    const budget = opts.budgets?.get(c.name) ?? c.maxSize;
    if (budget !== undefined) r.budget = budget;
  }
  for (const t of resolve(attribution.rom)) row(t.owner).rom += t.bytes;
  for (const t of resolve(attribution.ram)) row(t.owner).ram += t.bytes;
  for (const [name, bytes] of wasmBytes) {
    const existing = rows.get(name);
    if (existing) existing.wasm += bytes;
    else row(name === WASM_STRUCTURE.name ? WASM_STRUCTURE : name === UNATTRIBUTED.name ? UNATTRIBUTED : { name, kind: "runtime" }).wasm += bytes;
  }
  const ordered = [...rows.values()].sort((a, b) => ROW_ORDER.indexOf(a.kind) - ROW_ORDER.indexOf(b.kind));
  const sum = (k: "rom" | "ram" | "wasm") => ordered.reduce((n, r) => n + r[k], 0);

  const flash = plan.board.memory.find((m) => m.kind === "flash")!;
  const ram = plan.board.memory.find((m) => m.kind === "ram")!;
  const regions: RegionFit[] = [
    { name: "flash", used: attribution.elfFlashBytes, size: flash.size, percent: 0 },
    { name: "ram", used: attribution.elfRamBytes, size: ram.size, percent: 0 },
  ].map((r) => ({ ...r, percent: Math.round((r.used / r.size) * 1000) / 10 }));
  const stackSection = elf.sections.find((s) => s.name === ".stack");
  const overBudget = ordered.filter((r) => r.budget !== undefined && r.rom > r.budget).map((r) => ({ name: r.name, rom: r.rom, budget: r.budget! }));
  const report: SizeReport = {
    format: REPORT_FORMAT,
    app: plan.app.name,
    board: plan.board.name,
    with: plan.extra,
    components: ordered,
    totals: { rom: sum("rom"), ram: sum("ram"), wasm: sum("wasm") },
    elf: { flash: attribution.elfFlashBytes, ram: attribution.elfRamBytes },
    wasm_bytes: wasm.length,
    linear_memory: { static_data: memory.staticEnd, heap_cap: memory.heapBytes, bytes: memory.linearBytes },
    stack: { reserved: stackSection?.size ?? 0, high_water: null },
    heap: { cap: plan.heapCap, high_water: null, runtime: plan.runtime, runtime_bytes: plan.heapCap > 0 ? RUNTIME_FACTS[plan.runtime].heapOverhead : 0 },
    measured: null,
    regions,
    fits: regions.every((r) => r.used <= r.size),
    over_budget: overBudget,
  };
  if (opts.oversize) report.oversize_link = true;
  return report;
}

/** Puts a run's measurements into the report. */
export function withMeasured(report: SizeReport, measured: Measured): SizeReport {
  return { ...report, measured, stack: { ...report.stack, high_water: measured.stackHighWater }, heap: { ...report.heap, high_water: measured.heapHighWater } };
}
