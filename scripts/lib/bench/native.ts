// The native baseline of anyk bench: test/bench/native/*.c compiled with -O2 for the board's core
// and linked with the stub (reset, clock, console) in place of a kernel.
import fs from "node:fs";
import path from "node:path";
import type { Board, Device } from "../boards.js";
import { hex } from "../boards.js";
import { boardHeader, gccArgs, linkerScript, modeDefines, modeSources } from "../firmware.js";
import { BUILD_DIR, ROOT } from "../paths.js";
import { runTool } from "../toolchain.js";

export const NATIVE_DIR = path.join(ROOT, "test", "bench", "native");

interface NativeBuild {
  /** Folder under build/<board>/, and the ELF's name in it. */
  folder: string;
  name: string;
  /** Devices granted in the header (their interrupt lines may be unmasked). */
  grants: Device[];
  /** C files beside the stub's, and -D/-I flags. */
  sources: string[];
  flags: string[];
  /** Compiler flags rewritten (the baseline's -O2 in place of the stub's -Oz). */
  rewrite?: (flag: string) => string;
}

/** A program of plain C linked with the stub in place of a kernel (build mode "native"): its ELF. */
async function buildNative(board: Board, b: NativeBuild): Promise<string> {
  const dir = path.join(BUILD_DIR, board.buildName, b.folder);
  const sources = path.join(dir, "c");
  fs.mkdirSync(sources, { recursive: true });
  fs.writeFileSync(path.join(sources, "anyk_board.h"), boardHeader(board, { staticEnd: 0, heapBytes: 0, linearBytes: 8 }, b.grants));
  fs.writeFileSync(path.join(sources, "firmware.ld"), linkerScript(board));
  const elf = path.join(dir, `${b.name}.elf`);
  const flags = gccArgs(board, sources, dir, path.join(dir, `${b.name}.map`), path.join(sources, "firmware.ld")).map(b.rewrite ?? ((f) => f));
  await runTool("arm-none-eabi-gcc", [...flags, ...modeDefines("native"), ...b.flags, ...modeSources("native", board), ...b.sources, "-o", elf], `arm-none-eabi-gcc (${b.name} for ${board.name})`);
  return elf;
}

/** Builds build/<board>/bench-native/native.elf; `mmio` is the register the MMIO loops use. */
export async function buildNativeBench(board: Board, mmio: number): Promise<string> {
  return buildNative(board, {
    folder: "bench-native",
    name: "native",
    grants: [],
    sources: fs.readdirSync(NATIVE_DIR).filter((f) => f.endsWith(".c")).map((f) => path.join(NATIVE_DIR, f)),
    flags: [`-DANYK_BENCH_MMIO=${hex(mmio)}u`, "-I", NATIVE_DIR],
    // The baseline is C as its authors would build it for speed: -O2 in place of the stub's -Oz.
    rewrite: (f) => (f === "-Oz" ? "-O2" : f),
  });
}

export const ECHO_C_DIR = path.join(ROOT, "test", "bench", "echo");

/**
 * The hand-written C echo (test/bench/echo/echo.c) for a board whose console is a PL011, with the
 * stub, -Oz like every image: build/<board>/bench-echo/echo.elf.
 */
export async function buildCEcho(board: Board): Promise<string> {
  const uart = board.devices.find((d) => d.name === board.console);
  if (!uart || uart.compatible !== "arm,pl011") throw new Error(`the C echo drives a PL011; ${board.name}'s console is ${uart?.compatible}`);
  // The UART is granted, as the kernel's echo has it bound: its interrupt line may be unmasked.
  return buildNative(board, {
    folder: "bench-echo",
    name: "echo",
    grants: [uart],
    sources: [path.join(ECHO_C_DIR, "echo.c")],
    flags: [`-DANYK_ECHO_UART=${hex(uart.base)}u`, `-DANYK_ECHO_IRQ=${Object.values(uart.irqs)[0]}u`],
  });
}
