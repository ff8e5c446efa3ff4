// The native baseline of anyk bench: test/bench/native/*.c compiled with -O2 for the board's core
// and linked with the stub (reset, clock, console) in place of a kernel.
import fs from "node:fs";
import path from "node:path";
import type { Board } from "../boards.js";
import { hex } from "../boards.js";
import { boardHeader, gccArgs, linkerScript, modeDefines, modeSources } from "../firmware.js";
import { BUILD_DIR, ROOT } from "../paths.js";
import { runTool } from "../toolchain.js";

export const NATIVE_DIR = path.join(ROOT, "test", "bench", "native");

/** Builds build/<board>/bench-native/native.elf; `mmio` is the register the MMIO loops use. */
export async function buildNativeBench(board: Board, mmio: number): Promise<string> {
  const dir = path.join(BUILD_DIR, board.buildName, "bench-native");
  const sources = path.join(dir, "c");
  fs.mkdirSync(sources, { recursive: true });
  fs.writeFileSync(path.join(sources, "anyk_board.h"), boardHeader(board, { staticEnd: 0, heapBytes: 0, linearBytes: 8 }, []));
  fs.writeFileSync(path.join(sources, "firmware.ld"), linkerScript(board));
  const elf = path.join(dir, "native.elf");
  // The baseline is C as its authors would build it for speed: -O2 in place of the stub's -Oz.
  const flags = gccArgs(board, sources, dir, path.join(dir, "native.map"), path.join(sources, "firmware.ld")).map((f) => (f === "-Oz" ? "-O2" : f));
  const files = [...modeSources("native", board), ...fs.readdirSync(NATIVE_DIR).filter((f) => f.endsWith(".c")).map((f) => path.join(NATIVE_DIR, f))];
  await runTool("arm-none-eabi-gcc", [...flags, ...modeDefines("native"), `-DANYK_BENCH_MMIO=${hex(mmio)}u`, "-I", NATIVE_DIR, ...files, "-o", elf], `arm-none-eabi-gcc (native bench for ${board.name})`);
  return elf;
}

export const ECHO_C_DIR = path.join(ROOT, "test", "bench", "echo");

/**
 * The hand-written C echo (test/bench/echo/echo.c) for a board whose console is a PL011, with the
 * stub, -Oz like every image: build/<board>/bench-echo/echo.elf.
 */
export async function buildCEcho(board: Board): Promise<string> {
  const uart = board.devices.find((d) => d.name === board.console);
  if (!uart || uart.compatible !== "arm,pl011") throw new Error(`the C echo drives a PL011; ${board.name}'s console is ${uart?.compatible}`);
  const dir = path.join(BUILD_DIR, board.buildName, "bench-echo");
  const sources = path.join(dir, "c");
  fs.mkdirSync(sources, { recursive: true });
  // The UART is granted, as the kernel's echo has it bound: its interrupt line may be unmasked.
  fs.writeFileSync(path.join(sources, "anyk_board.h"), boardHeader(board, { staticEnd: 0, heapBytes: 0, linearBytes: 8 }, [uart]));
  fs.writeFileSync(path.join(sources, "firmware.ld"), linkerScript(board));
  const elf = path.join(dir, "echo.elf");
  const flags = gccArgs(board, sources, dir, path.join(dir, "echo.map"), path.join(sources, "firmware.ld"));
  const irq = Object.values(uart.irqs)[0];
  await runTool("arm-none-eabi-gcc", [...flags, ...modeDefines("native"), `-DANYK_ECHO_UART=${hex(uart.base)}u`, `-DANYK_ECHO_IRQ=${irq}u`, ...modeSources("native", board), path.join(ECHO_C_DIR, "echo.c"), "-o", elf], `arm-none-eabi-gcc (C echo for ${board.name})`);
  return elf;
}
