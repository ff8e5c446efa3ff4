// anyk bench's measurements: the CPU workloads and MMIO on the AOT engine and in native C (guest
// instructions under QEMU's -icount), the toolchain's times, and hello's size per board.
import type { NetBench } from "./net.js";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolveApp } from "../apps.js";
import { boardNames, loadBoard, type Board } from "../boards.js";
import { UserError } from "../errors.js";
import { buildImage } from "../image.js";
import type { Optimize } from "../components.js";
import { ANYK_BIN } from "../paths.js";
import { runQemu } from "../qemu.js";
import { measureImage } from "../size/measure.js";
import { buildCEcho, buildNativeBench } from "./native.js";
import { readElf } from "../elf.js";

export const WORKLOADS = ["crc32", "sort", "matmul", "parse", "filter", "crc16", "sha256"] as const;

/** FIPS 180-4's example digests (appendix B): the first word of SHA-256("abc") and the last of the 448-bit message's. */
const SHA256_VECTORS: Record<string, number> = { "sha256-abc": 0xba7816bf, "sha256-448": 0x19db06c1 };
export const BENCH_APP = "test/bench/aot";

export interface Workload {
  name: string;
  /** Guest instructions (ns under -icount shift=0) of one run. */
  native: number;
  aot: number;
  ratio: number;
  /** The same .wasm run by the interpreter (--engine interp); only on the main board. */
  interp?: number;
}

/** The interpreter's own cost on the bench board, from hello built both ways (bytes). */
export interface EngineSize {
  /** The interpreter's code and constants: the interp firmware's flash less kernel.wasm, less what the AOT firmware has beyond its kernel code. */
  flash: number;
  /** Its static RAM beyond the AOT firmware's, the arena excluded. */
  ram: number;
  /** The arena (the board file's interp_arena): tables and stacks. */
  arena: number;
  /** hello, whole: AOT and interpreted, flash and RAM. */
  hello_aot: { flash: number; ram: number };
  hello_interp: { flash: number; ram: number };
}

export interface MmioCost {
  /** Instructions per access, with its share of the loop around it. */
  native: number;
  hypercall: number;
  ratio: number;
}

export interface BenchResult {
  board: string;
  /** What the bench app's kernel.c was compiled for (its component.json's "optimize"). */
  optimize: Optimize;
  workloads: Workload[];
  geomean: number;
  worst: number;
  mmio: MmioCost;
  mmio_read: MmioCost;
  toolchain?: { cold_build_ms: number; warm_build_ms: number; boot_to_first_byte_ms: number; userspace_run_ms: number };
  size?: Array<{ board: string; flash: number; ram: number }>;
  net?: NetBench;
  /** Elements sort moves (the same on both sides, checked): its instructions per move are the loops' cost. */
  sort_moves: number;
  engine?: EngineSize;
  echo?: EchoSize;
  /** The same CPU and MMIO figures on other boards (other cores), without the interpreter. */
  others?: CpuTable[];
}

/** One board's workloads and MMIO, AOT against C. */
export type CpuTable = Pick<BenchResult, "board" | "optimize" | "workloads" | "geomean" | "worst" | "mmio" | "mmio_read" | "sort_moves"> & { cpu: string };

/** The kernel's echo against a hand-written C echo of the same behaviour and ring sizes (bytes). */
export interface EchoSize {
  board: string;
  anykernel: { flash: number; ram: number; rows: Array<{ name: string; rom: number; ram: number }> };
  c: { flash: number; ram: number };
}

/** Runs an ELF in QEMU and returns its "bench <name> <instructions> <checksum>" lines. */
async function benchLines(board: Board, elf: string, what: string): Promise<Map<string, { instructions: number; check: number }>> {
  let text = "";
  const result = await runQemu({ elf, board, serial: "stdio", timeoutMs: 120_000, onConsole: (chunk) => (text += chunk.toString()), input: "" });
  if (result.timedOut || result.exitCode !== 0) throw new UserError(`${what} did not finish in QEMU (exit ${result.exitCode}${result.timedOut ? ", timed out" : ""}): ${text.slice(-200)}`);
  const lines = new Map<string, { instructions: number; check: number }>();
  for (const m of text.matchAll(/^bench (\S+) (\d+) (\d+)$/gm)) lines.set(m[1], { instructions: Number(m[2]), check: Number(m[3]) });
  return lines;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function mmioCost(native: Map<string, { instructions: number }>, aot: Map<string, { instructions: number }>, kind: "write" | "read"): MmioCost {
  const perAccess = (m: Map<string, { instructions: number }>) => (m.get(`mmio-${kind}-2000`)!.instructions - m.get(`mmio-${kind}-1000`)!.instructions) / 1000;
  const n = perAccess(native), h = perAccess(aot);
  return { native: round(n, 1), hypercall: round(h, 1), ratio: round(h / n) };
}

/** The workloads and MMIO on one board, AOT against C; with `interp`, under the interpreter too, and the engine's size. */
export async function runCpuBench(board: Board, progress: (line: string) => void, options: { interp: boolean } = { interp: true }): Promise<Omit<BenchResult, "toolchain" | "size">> {
  progress(`building the AOT workloads (${BENCH_APP}) and the native C baselines for ${board.name}`);
  const image = await buildImage(resolveApp(BENCH_APP), board, { firmware: true });
  const gpio = image.plan.resolution.bindings.find((b) => b.deviceClass === "gpio");
  if (!gpio) throw new UserError(`board ${board.name} has no GPIO device for the MMIO bench`);
  const nativeElf = await buildNativeBench(board, gpio.device.base);
  const interpImage = options.interp ? await buildImage(resolveApp(BENCH_APP), board, { firmware: true, engine: "interp" }) : undefined;
  progress(`running the ${interpImage ? "three" : "two"} in QEMU (-icount shift=0: one nanosecond is one guest instruction)`);
  const aot = await benchLines(board, image.outputs.elf, "the AOT bench app");
  const native = await benchLines(board, nativeElf, "the native bench");
  const interp = interpImage ? await benchLines(board, interpImage.outputs.elf, "the interpreted bench app") : undefined;
  if (interp) {
    for (const [name, { check }] of aot) {
      if (name.startsWith("mmio")) continue;
      if (interp.get(name)?.check !== check) throw new UserError(`${name}: the interpreter's result differs from the AOT engine's (${interp.get(name)?.check} against ${check})`);
    }
  }
  for (const [name, expected] of Object.entries(SHA256_VECTORS)) {
    for (const [side, lines] of [["native", native], ["AOT", aot]] as const) {
      const got = lines.get(name)?.check;
      if (got !== expected) throw new UserError(`the ${side} SHA-256 fails FIPS 180-4's ${name} vector: ${got === undefined ? "no result" : `0x${got.toString(16)}`}, not 0x${expected.toString(16)}`);
    }
  }
  // sort's honesty: the same element moves on both sides and the same sorted array, not only the same three words.
  for (const name of ["sort-moves", "sort-result"]) {
    const a = aot.get(name)?.check, n = native.get(name)?.check;
    if (a === undefined || a !== n) throw new UserError(`${name}: the AOT and C sorts differ (native ${n}, AOT ${a}): not the same algorithm on the same data`);
  }
  const sortMoves = native.get("sort-moves")!.check;
  const workloads = WORKLOADS.map((name) => {
    const a = aot.get(name), n = native.get(name);
    if (!a || !n) throw new UserError(`workload ${name} printed no result (native: ${n ? "yes" : "no"}, AOT: ${a ? "yes" : "no"})`);
    if (a.check !== n.check) throw new UserError(`workload ${name}: the checksums differ (native ${n.check}, AOT ${a.check}): the two are not the same algorithm on the same data`);
    return { name, native: n.instructions, aot: a.instructions, ratio: round(a.instructions / n.instructions), ...(interp ? { interp: interp.get(name)!.instructions } : {}) };
  });
  const geomean = round(Math.exp(workloads.reduce((s, w) => s + Math.log(w.aot / w.native), 0) / workloads.length));
  const table = { board: board.name, optimize: image.plan.optimize, workloads, geomean, worst: Math.max(...workloads.map((w) => w.ratio)), mmio: mmioCost(native, aot, "write"), mmio_read: mmioCost(native, aot, "read"), sort_moves: sortMoves };
  return interp ? { ...table, engine: await engineSize(board) } : table;
}

/** Flash (file bytes loaded there) and RAM (memory bytes) of an ELF's loaded segments, and the summed size of its symbols matching a pattern. */
function elfFigures(elf: string, board: Board, symbols: RegExp): { flash: number; ram: number; matched: number } {
  const info = readElf(elf);
  const region = (kind: "flash" | "ram") => board.memory.find((m) => m.kind === kind)!;
  const inside = (a: number, r: { start: number; size: number }) => a >= r.start && a < r.start + r.size;
  const loads = info.segments.filter((seg) => seg.type === 1);
  const flash = loads.filter((seg) => inside(seg.paddr, region("flash"))).reduce((sum, seg) => sum + seg.filesz, 0);
  const ram = loads.filter((seg) => inside(seg.vaddr, region("ram"))).reduce((sum, seg) => sum + seg.memsz, 0);
  const matched = info.symbols.filter((sym) => symbols.test(sym.name)).reduce((sum, sym) => sum + sym.size, 0);
  return { flash, ram, matched };
}

async function engineSize(board: Board): Promise<EngineSize> {
  const hello = resolveApp("hello");
  const aot = await buildImage(hello, board, { firmware: true });
  const interp = await buildImage(hello, board, { firmware: true, engine: "interp" });
  // The AOT kernel's code (wasm2c's functions); the same linear memory on both sides.
  const a = elfFigures(aot.outputs.elf, board, /^(w2c_|wasm2c_)/);
  const wasm = elfFigures(interp.outputs.elf, board, /^anyk_kernel_wasm$/).matched;
  const i = elfFigures(interp.outputs.elf, board, /^$/);
  return {
    flash: i.flash - wasm - (a.flash - a.matched),
    ram: i.ram - board.interpArena - a.ram,
    arena: board.interpArena,
    hello_aot: { flash: a.flash, ram: a.ram },
    hello_interp: { flash: i.flash, ram: i.ram },
  };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time of an anyk command (ms), and of its first stdout byte. */
function timeAnyk(args: string[], env: Record<string, string>): Promise<{ ms: number; firstByteMs: number | undefined }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs: number | undefined;
    const child = spawn(process.execPath, [ANYK_BIN, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.on("data", () => (firstByteMs ??= performance.now() - started));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => (code === 0 ? resolve({ ms: performance.now() - started, firstByteMs }) : reject(new UserError(`anyk ${args.join(" ")} failed (exit ${code}): ${stderr.trim().split("\n")[0]}`))));
  });
}

export async function runToolchainBench(board: Board, progress: (line: string) => void): Promise<NonNullable<BenchResult["toolchain"]>> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-bench-"));
  try {
    const env = { ANYK_BUILD_DIR: scratch };
    progress("timing a cold and 5 warm builds of hello, 5 boots to the first console byte, 3 userspace runs of the workloads");
    const cold = await timeAnyk(["build", "hello", "--board", board.name], env);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await timeAnyk(["build", "hello", "--board", board.name], env)).ms);
    const boots: number[] = [];
    for (let i = 0; i < 5; i++) boots.push((await timeAnyk(["boot", "hello", "--board", board.name], env)).firstByteMs ?? NaN);
    await timeAnyk(["build", BENCH_APP, "--board", board.name, "--wasm"], env);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push((await timeAnyk(["run", BENCH_APP, "--board", board.name], env)).ms);
    return { cold_build_ms: Math.round(cold.ms), warm_build_ms: Math.round(median(warm)), boot_to_first_byte_ms: Math.round(median(boots)), userspace_run_ms: Math.round(median(runs)) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function runSizeBench(progress: (line: string) => void): Promise<NonNullable<BenchResult["size"]>> {
  progress("measuring hello's flash and RAM on every board (anyk size)");
  const sizes = [];
  for (const name of boardNames()) {
    const report = await measureImage(resolveApp("hello"), loadBoard(name), { with: [], platform: "none", input: "", timeoutSeconds: 10 });
    sizes.push({ board: name, flash: report.elf.flash, ram: report.elf.ram });
  }
  return sizes;
}

/** echo's flash and RAM by component, and the C echo's (built, run in QEMU and checked first), on a board whose console is a PL011. */
export async function runEchoBench(board: Board, progress: (line: string) => void): Promise<EchoSize> {
  progress(`weighing echo against the hand-written C echo (test/bench/echo/echo.c) on ${board.name}`);
  const elf = await buildCEcho(board);
  let text = "";
  const result = await runQemu({ elf, board, serial: "stdio", timeoutMs: 60_000, onConsole: (chunk) => (text += chunk.toString()), input: "through the bench\nquit\n" });
  if (result.exitCode !== 0 || !text.includes("THROUGH THE BENCH\n") || !text.includes("echo: bye")) throw new UserError(`the C echo did not echo in QEMU (exit ${result.exitCode}): ${text.slice(-200)}`);
  const c = elfFigures(elf, board, /^$/);
  const report = await measureImage(resolveApp("echo"), board, { with: [], platform: "none", input: "quit\n", timeoutSeconds: 10 });
  const rows = report.components.filter((r) => r.rom > 0 || r.ram > 0).map((r) => ({ name: r.name, rom: r.rom, ram: r.ram }));
  return { board: board.name, anykernel: { flash: report.elf.flash, ram: report.elf.ram, rows }, c: { flash: c.flash, ram: c.ram } };
}
