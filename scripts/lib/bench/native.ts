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
