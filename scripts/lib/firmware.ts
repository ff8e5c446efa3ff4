// The AOT firmware of a board: kernel.wasm → C (wasm2c) → with the Cortex-M stub and the runtime,
// compiled by arm-none-eabi-gcc into firmware.elf/.bin/.hex. Board parts come from the board file.
import { bringupDefines, bringupSteps } from "./bringup.js";
import crypto from "node:crypto";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import type { Board, Device } from "./boards.js";
import { hex } from "./boards.js";
import { UserError } from "./errors.js";
import { ABI_GEN_DIR, CORTEX_M_DIR, CRYPTO_DIR, INTERP_DIR, ROOT } from "./paths.js";
import { usesFloats } from "./wasm-floats.js";
import { runTool, wasm2c } from "./toolchain.js";
import { toUf2 } from "./uf2.js";
import { specialiseMemoryAccess } from "./memory-access.js";
import type { ImagePlan } from "./plan.js";
import { RUNTIME_FACTS } from "./runtimes.js";
import { readModule, tableElements } from "./wasm.js";

/** Changes with this module (its flags and generators) and the kernel.c specialisation: part of every firmware's build stamp. */
const THIS_MODULE = fileURLToPath(import.meta.url);
export const FIRMWARE_BUILDER_ID = crypto
  .createHash("sha256")
  .update(fs.readFileSync(THIS_MODULE))
  // Beside this module, compiled (.js) or as source (.ts, when tests import it).
  .update(fs.readFileSync(THIS_MODULE.replace(/firmware\.(js|ts)$/, "memory-access.$1")))
  .digest("hex")
  .slice(0, 16);

/** Kernel C stack reserved by the linker script; the measured high-water is reported separately. */
const STACK_BYTES = 1024;
/** Stack kept free below the guard line for the panic report after a stack-exhaustion trap. */
const STACK_GUARD_BYTES = 256;

const CPU_FLAGS: Record<Board["cpu"], string[]> = {
  "cortex-m0": ["-mcpu=cortex-m0", "-mthumb"],
  "cortex-m3": ["-mcpu=cortex-m3", "-mthumb"],
  "cortex-m4": ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"],
};

export interface FirmwareOutputs {
  elf: string;
  bin: string;
  hex: string;
  /** The linker's map: which input section (and library member) went where. */
  map: string;
  /** UF2 blocks, for boards whose file names a UF2 family. */
  uf2?: string;
}

/** How much larger than the board's memories an oversize link makes them, to measure an image that does not fit. */
export const OVERSIZE_FACTOR = 16;

/** The image's static memory end, from the entry's anyk_static_end export. */
export async function staticEnd(wasm: Buffer): Promise<number> {
  const module = await WebAssembly.compile(new Uint8Array(wasm));
  const stubs: Record<string, WebAssembly.ModuleImports> = {};
  for (const imp of WebAssembly.Module.imports(module)) (stubs[imp.module] ??= {})[imp.name] = () => 0;
  const instance = await WebAssembly.instantiate(module, stubs);
  const fn = instance.exports.anyk_static_end;
  if (typeof fn !== "function") throw new UserError("the image exports no anyk_static_end; rebuild it with this version of anyk");
  return (fn() as number) >>> 0;
}

function consoleDevice(board: Board): Device {
  return board.devices.find((d) => d.name === board.console)!;
}

/** The stub's C file for a device it drives itself (folder console/ or clock/, one file per compatible). */
function stubDeviceSource(board: Board, folder: "console" | "clock", field: string, device: Device): string {
  const file = path.join(CORTEX_M_DIR, folder, `${device.compatible}.c`);
  if (!fs.existsSync(file)) {
    const known = fs.readdirSync(path.join(CORTEX_M_DIR, folder)).map((f) => f.replace(/\.c$/, "")).filter((f) => f !== "systick");
    throw new UserError(`${path.relative(ROOT, board.file)}: ${field} device '${device.name}' is '${device.compatible}', which the stub has no ${folder} driver for (it has: ${known.join(", ")})`);
  }
  return file;
}

/** The C file of the console UART the board's console device needs. */
export function consoleSource(board: Board): string {
  return stubDeviceSource(board, "console", "console", consoleDevice(board));
}

/** The C file of the stub's clock: the board's timebase device, else the core's SysTick. */
export function clockSource(board: Board): string {
  return board.timebase ? stubDeviceSource(board, "clock", "timebase", board.timebase) : path.join(CORTEX_M_DIR, "clock", "systick.c");
}

export interface ImageMemory {
  staticEnd: number;
  heapBytes: number;
  /** Whether the heap only grows by appending (the bump runtime): then its high-water can be measured. */
  heapBumps?: boolean;
  linearBytes: number;
}

/** Linear memory for an image: its static data (up to the heap base), rounded to 8 bytes, then the heap cap. */
export async function imageMemory(plan: ImagePlan, wasm: Buffer): Promise<ImageMemory> {
  const end = await staticEnd(wasm);
  return { staticEnd: end, heapBytes: plan.heapCap, heapBumps: RUNTIME_FACTS[plan.runtime].bumps, linearBytes: Math.max(8, Math.ceil(end / 8) * 8 + plan.heapCap) };
}

export interface BoardHeaderOptions {
  /** Vector table lines, when not the image's own (a bootloader serves every line of the board). */
  irqCount?: number;
  /** More #define lines (a bootloader's layout). */
  defines?: string[];
  /** Whether the stub runs its clock; an image that never reads time or waits goes without. */
  clock?: boolean;
  /** Function-table elements the image needs (function references: callbacks). */
  tableElements?: number;
}

/** The hypercalls that need the stub's clock: an image importing neither does without it. */
const CLOCK_HYPERCALLS = new Set(["clock_monotonic", "wait"]);

export function needsClock(wasm: Buffer): boolean {
  return readModule(wasm).imports.some((i) => i.module === "anyk" && CLOCK_HYPERCALLS.has(i.name));
}

export function boardHeader(board: Board, memory: ImageMemory, grants: Device[], options: BoardHeaderOptions = {}): string {
  const owned = grants.flatMap((d) => Object.values(d.irqs));
  // Only lines of granted devices can ever be unmasked, so the vector table stops after the highest.
  const clockOn = options.clock !== false;
  // The timebase's line is the stub's; the table must reach it too when the clock runs.
  const clockIrq = board.timebase ? Object.values(board.timebase.irqs)[0] : undefined;
  const irqCount = Math.max(options.irqCount ?? (owned.length ? Math.max(...owned) + 1 : 0), clockOn && clockIrq !== undefined ? clockIrq + 1 : 0);
  const windows = grants.map((d) => `{${hex(d.base)}u, ${hex(d.size)}u}`);
  return [
    `/* Generated by anyk build from ${path.relative(ROOT, board.file)}; do not edit. */`,
    "#ifndef ANYK_BOARD_H",
    "#define ANYK_BOARD_H",
    `#define ANYK_BOARD_NAME "${board.name}"`,
    `#define ANYK_CPU_HZ ${board.clockHz}u`,
    `#define ANYK_CONSOLE_BASE ${hex(consoleDevice(board).base)}u`,
    `/* External interrupt lines in the vector table: the highest line the image owns + 1. */`,
    `#define ANYK_IRQ_COUNT ${irqCount}`,
    `/* 1 when the stub runs its clock (the image reads time or waits). */`,
    `#define ANYK_CLOCK ${clockOn ? 1 : 0}`,
    ...(board.timebase ? [`/* The stub's clock: ${board.timebase.name} (${board.timebase.compatible}), not SysTick. */`, `#define ANYK_CLOCK_BASE ${hex(board.timebase.base)}u`, `#define ANYK_CLOCK_IRQ ${clockIrq}`] : []),
    `/* Linear memory: static data up to ${memory.staticEnd}, then a heap cap of ${memory.heapBytes} bytes. */`,
    `#define ANYK_LINEAR_MEMORY_BYTES ${memory.linearBytes}u`,
    `#define ANYK_HEAP_BASE ${memory.staticEnd}u`,
    `#define ANYK_HEAP_CAP ${memory.heapBytes}u`,
    `/* 1 when the heap's runtime only appends blocks (bump): the stub then measures its high-water. */`,
    `#define ANYK_HEAP_BUMPS ${memory.heapBumps === false ? 0 : 1}`,
    `#define ANYK_TABLE_ELEMENTS ${options.tableElements ?? 0}u`,
    `/* The register windows granted to the image, and the interrupt lines of those devices. */`,
    `#define ANYK_GRANTS {${windows.join(", ") || "{0u, 0u}"}}`,
    `#define ANYK_IRQ_LINES {${owned.join(", ") || "255"}}`,
    ...bringupDefines(bringupSteps(board, grants)),
    ...(options.defines ?? []),
    "#endif",
    "",
  ].join("\n");
}

/** The linker script; `oversize` multiplies the memories' lengths, only to measure an image that does not fit. */
export function linkerScript(board: Board, oversize = false, ramOverride?: { start: number; size: number }): string {
  const flash = board.memory.find((m) => m.kind === "flash")!;
  const ram = ramOverride ?? board.memory.find((m) => m.kind === "ram")!;
  const scale = oversize ? OVERSIZE_FACTOR : 1;
  return `/* Generated by anyk build from ${path.relative(ROOT, board.file)}; do not edit.${oversize ? ` Oversize (x${OVERSIZE_FACTOR}): for measuring only.` : ""} */
MEMORY
{
  FLASH (rx) : ORIGIN = ${hex(flash.start)}, LENGTH = ${flash.size * scale}
  RAM (rwx) : ORIGIN = ${hex(ram.start)}, LENGTH = ${ram.size * scale}
}
ENTRY(stub_reset)
SECTIONS
{
  .text :
  {
    KEEP(*(.vectors))
    *(.text .text.*)
    *(.rodata .rodata.*)
    . = ALIGN(4);
  } > FLASH
  .ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) } > FLASH
  .data : ALIGN(4)
  {
    anyk_data_start = .;
    *(.data .data.*)
    . = ALIGN(4);
    anyk_data_end = .;
  } > RAM AT > FLASH
  anyk_data_load = LOADADDR(.data);
  .bss (NOLOAD) : ALIGN(4)
  {
    anyk_bss_start = .;
    /* Largest alignment first: no padding between 8-byte-aligned and 4-byte objects. */
    *(SORT_BY_ALIGNMENT(.bss.*) SORT_BY_ALIGNMENT(.bss) COMMON)
    . = ALIGN(4);
    anyk_bss_end = .;
  } > RAM
  .stack (NOLOAD) : ALIGN(8)
  {
    anyk_stack_bottom = .;
    . += ${STACK_BYTES};
    anyk_stack_top = .;
  } > RAM
  anyk_stack_guard = anyk_stack_bottom + ${STACK_GUARD_BYTES};
  /DISCARD/ : { *(.ARM.attributes.*) }
}
`;
}

/**
 * Builds the firmware into staging (a folder of its own) and returns the files it wrote there.
 * Paths inside the outputs are made relative, so the same inputs give the same bytes.
 */
/** The compiler and linker flags every Cortex-M build of the project shares; `optimisation` replaces -Oz (before ANYK_CFLAGS, which still win). */
export function gccArgs(board: Board, sources: string, staging: string, map: string, linkerScriptFile: string, optimisation: string[] = ["-Oz"]): string[] {
  return [
    ...CPU_FLAGS[board.cpu],
    ...optimisation, "-g", "-flto", "-std=gnu11", "-DNDEBUG",
    "-ffunction-sections", "-fdata-sections", "-fno-common",
    "-Wall", "-Wno-unused-function", "-Wno-unused-variable", "-Wno-unused-but-set-variable",
    // GCC applies the last matching map: the staging folder (inside ROOT) must come after ROOT.
    `-ffile-prefix-map=${ROOT}=.`, `-ffile-prefix-map=${staging}=build/${board.name}`,
    "-I", sources, "-I", CORTEX_M_DIR, "-I", INTERP_DIR, "-I", CRYPTO_DIR, "-I", ABI_GEN_DIR,
    "-nostartfiles", "--specs=nano.specs",
    "-Wl,--gc-sections", "-Wl,--build-id=none", `-Wl,-Map=${map}`, "-T", linkerScriptFile,
    ...extraCFlags(),
  ];
}

/**
 * Libraries after a kernel's objects: wasm2c turns float instructions into libm calls (f64.nearest
 * into nearbyint, f64.floor into floor, ...), which newlib's libm supplies; only what the kernel
 * calls is linked.
 */
export const KERNEL_LIBS = ["-lm"];

/** ANYK_CFLAGS: more flags for the C compiler, split at spaces (e.g. -DANYK_TIMEBASE_BITS=16). */
export function extraCFlags(): string[] {
  return (process.env.ANYK_CFLAGS ?? "").split(/\s+/).filter((f) => f !== "");
}

export type BuildMode = "firmware" | "bootloader" | "bootloader-interp" | "image" | "native" | "interp";

/** How a board runs the kernel: translated to C ahead of time, or interpreted from the .wasm. */
export type Engine = "aot" | "interp";
export const ENGINES: readonly Engine[] = ["aot", "interp"];

/** The interpreter's C files (platform/interp), the host runner excepted. */
export const INTERP_SOURCES = ["decode.c", "load.c", "validate.c", "exec.c"].map((f) => path.join(INTERP_DIR, f));
/** The headers those include: with the sources, what a build of the engine depends on. */
export const INTERP_HEADERS = [...["interp.h", "decode.h", "module.h"].map((f) => path.join(INTERP_DIR, f)), path.join(ABI_GEN_DIR, "anyk_interp_abi.h")];

interface ModeSpec {
  define: string | string[] | null;
  sources: string[];
}

/** platform/cortex-m/sources.json: the C sources of each build mode, declared once. */
export const MODES_FILE = path.join(CORTEX_M_DIR, "sources.json");
let modes: Record<string, ModeSpec> | undefined;

function modeSpec(mode: BuildMode): ModeSpec {
  modes ??= (JSON.parse(fs.readFileSync(MODES_FILE, "utf8")) as { modes: Record<string, ModeSpec> }).modes;
  const spec = modes[mode];
  if (!spec) throw new Error(`${MODES_FILE}: no build mode '${mode}'`);
  return spec;
}

/** The C files a build mode compiles for a board; kernelC is the image's kernel.c (or kernel-wasm.c), where the mode has one (null: leave it out). */
export function modeSources(mode: BuildMode, board: Board, kernelC?: string | null): string[] {
  return modeSpec(mode).sources.filter((entry) => !((entry === "$kernel" || entry === "$kernelWasm") && kernelC === null)).flatMap((entry) => {
    switch (entry) {
      case "$console": return [consoleSource(board)];
      case "$clock": return [clockSource(board)];
      case "$wasm2c": return [path.join(ABI_GEN_DIR, "anyk_wasm2c.c")];
      case "$interpGlue": return [path.join(ABI_GEN_DIR, "anyk_interp.c")];
      case "$interp": return INTERP_SOURCES;
      case "$kernel":
      case "$kernelWasm":
        if (!kernelC) throw new Error(`build mode ${mode} compiles the kernel, and none was given`);
        return [kernelC];
      default: return [path.join(CORTEX_M_DIR, entry)];
    }
  });
}

/** The compiler's -D flag of a build mode, if it has one. */
export function modeDefines(mode: BuildMode): string[] {
  const { define } = modeSpec(mode);
  return define === null ? [] : (Array.isArray(define) ? define : [define]).map((d) => `-D${d}`);
}

/**
 * kernel.c's flags for an app optimised for speed ("optimize": "speed"); the stub stays -Oz.
 * -fpeel-loops unrolls loops with a small constant count whole (filter's 16 taps, the 8 bits of a
 * CRC byte). builtin-expect-probability=100: wasm2c marks every bounds, stack and divide trap
 * UNLIKELY, which GCC takes as 90% by default, so each trap test in a loop cost the loop a tenth of
 * its estimated count; a few loops on, GCC estimated that the rest of the function never runs and
 * compiled it as cold code. A trap is never the expected path.
 */
const SPEED_KERNEL_FLAGS = ["-O2", "-fpeel-loops", "--param=builtin-expect-probability=100"];

/**
 * -fno-gcse on Thumb-2 cores: with GCSE, the bench's sort reloaded its array's address from the
 * literal pool on every pass of its inner loop (9 instructions per element moved); without, the
 * address stays in a register (7 on the M3, 8 on the M4). On the M0, whose Thumb-1 code has 8 low
 * registers, the same flag took sort from 9.1 to 11.2 instructions per element, so it keeps GCSE.
 */
const SPEED_CPU_FLAGS: Record<Board["cpu"], string[]> = {
  "cortex-m0": [],
  "cortex-m3": ["-fno-gcse"],
  "cortex-m4": ["-fno-gcse"],
};

/** kernel.c's optimisation flags on `board` for an app optimised for speed. */
export function speedKernelFlags(board: Board): string[] {
  return [...SPEED_KERNEL_FLAGS, ...SPEED_CPU_FLAGS[board.cpu]];
}

/**
 * The file that stands for the kernel's C in a firmware or image link: kernel.c itself when the
 * kernel is optimised for size like the rest; for speed, kernel.c compiled alone first (an LTO
 * object: its functions keep their own optimisation level when linked with the -Oz stub).
 */
export async function kernelObject(plan: ImagePlan, kernelC: string, args: string[], mode: BuildMode): Promise<string> {
  if (plan.optimize === "size") return kernelC;
  const object = kernelC.replace(/\.c$/, ".o");
  await runTool("arm-none-eabi-gcc", [...args, ...modeDefines(mode), "-c", kernelC, "-o", object], `arm-none-eabi-gcc (kernel.c for speed, ${plan.board.name})`);
  return object;
}

/** The platform's C files compiled with kernel.c into a board's firmware. */
export function stubSources(board: Board): string[] {
  return modeSources("firmware", board, null);
}

/**
 * The kernel's C, as a whole firmware and a loader-mode image both compile it, into `sources`:
 * kernel.c from wasm2c (specialised for the fixed linear memory) and anyk_board.h.
 */
export async function writeKernelSources(plan: ImagePlan, wasmFile: string, sources: string): Promise<void> {
  fs.mkdirSync(sources, { recursive: true });
  const wasm = fs.readFileSync(wasmFile);
  const memory = await imageMemory(plan, wasm);
  const kernelC = path.join(sources, "kernel.c");
  await wasm2c(wasmFile, kernelC, "kernel");
  fs.writeFileSync(kernelC, specialiseMemoryAccess(fs.readFileSync(kernelC, "utf8")));
  fs.writeFileSync(path.join(sources, "anyk_board.h"), boardHeader(plan.board, memory, plan.grants, { clock: needsClock(wasm), tableElements: tableElements(wasm) }));
}

/**
 * The kernel for the interpreter, into `sources`: kernel.wasm as a C array in flash (kernel-wasm.c),
 * and anyk_board.h with the arena; returns the engine's flags (floats only for a kernel that has them).
 */
export async function writeInterpSources(plan: ImagePlan, wasmFile: string, sources: string): Promise<string[]> {
  fs.mkdirSync(sources, { recursive: true });
  const wasm = fs.readFileSync(wasmFile);
  const memory = await imageMemory(plan, wasm);
  const rows: string[] = [];
  for (let i = 0; i < wasm.length; i += 16) rows.push("  " + [...wasm.subarray(i, i + 16)].map((b) => `0x${b.toString(16).padStart(2, "0")},`).join(" "));
  fs.writeFileSync(path.join(sources, "kernel-wasm.c"), [
    `/* Generated by anyk build: ${path.basename(wasmFile)} (${wasm.length} bytes), which the interpreter validates and runs in place. */`,
    "#include <stdint.h>",
    "",
    "const uint8_t anyk_kernel_wasm[] = {",
    ...rows,
    "};",
    "const uint32_t anyk_kernel_wasm_length = sizeof anyk_kernel_wasm;",
    "",
  ].join("\n"));
  const defines = [`/* The interpreter's tables and stacks (the board file's interp_arena). */`, `#define ANYK_INTERP_ARENA_BYTES ${plan.board.interpArena}u`];
  fs.writeFileSync(path.join(sources, "anyk_board.h"), boardHeader(plan.board, memory, plan.grants, { clock: needsClock(wasm), tableElements: 0, defines }));
  return [`-DANYK_INTERP_FLOAT=${usesFloats(wasm) ? 1 : 0}`];
}

export async function buildFirmware(plan: ImagePlan, wasmFile: string, staging: string, oversize = false, engine: Engine = "aot"): Promise<FirmwareOutputs & { sources: string }> {
  const { board } = plan;
  const sources = path.join(staging, "c");
  const mode: BuildMode = engine === "interp" ? "interp" : "firmware";
  const engineFlags = engine === "interp" ? await writeInterpSources(plan, wasmFile, sources) : (await writeKernelSources(plan, wasmFile, sources), []);
  fs.writeFileSync(path.join(sources, "firmware.ld"), linkerScript(board, oversize));

  const elf = path.join(staging, "firmware.elf");
  const map = path.join(staging, "firmware.map");
  const kernelSource = path.join(sources, engine === "interp" ? "kernel-wasm.c" : "kernel.c");
  const args = (optimisation?: string[]) => gccArgs(board, sources, staging, map, path.join(sources, "firmware.ld"), optimisation);
  const compile = async () => {
    const kernel = engine === "interp" ? kernelSource : await kernelObject(plan, kernelSource, args(speedKernelFlags(board)), mode);
    await runTool("arm-none-eabi-gcc", [...args(), ...modeDefines(mode), ...engineFlags, ...modeSources(mode, board, kernel), ...KERNEL_LIBS, "-o", elf], `arm-none-eabi-gcc (${board.name})`);
  };
  try {
    await compile();
  } catch (err) {
    // The linker's words for an image too large for the board, said once, with where to look.
    const overflows = [...String((err as Error).message).matchAll(/region `(\w+)' overflowed by (\d+) bytes/g)];
    if (oversize || overflows.length === 0) throw err;
    const what = overflows.map((m) => `${m[1]} by ${m[2]} bytes`).join(" and ");
    const appDir = path.relative(ROOT, path.dirname(plan.app.mainFile));
    const spec = appDir === path.join("kernel", "apps", plan.app.name) ? plan.app.name : appDir;
    throw new UserError(`${plan.app.name} does not fit ${board.name}: it overflows ${what}; see where the bytes go with: anyk size ${spec} --board ${board.name}`);
  }
  const bin = path.join(staging, "firmware.bin");
  const ihex = path.join(staging, "firmware.hex");
  await runTool("arm-none-eabi-objcopy", ["-O", "binary", elf, bin], "arm-none-eabi-objcopy");
  await runTool("arm-none-eabi-objcopy", ["-O", "ihex", elf, ihex], "arm-none-eabi-objcopy");
  const outputs: FirmwareOutputs & { sources: string } = { elf, bin, hex: ihex, map, sources };
  if (board.uf2Family !== undefined) {
    outputs.uf2 = path.join(staging, "firmware.uf2");
    fs.writeFileSync(outputs.uf2, toUf2(fs.readFileSync(bin), board.memory.find((m) => m.kind === "flash")!.start, board.uf2Family));
  }
  return outputs;
}
