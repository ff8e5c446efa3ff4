// Running a built image in Node: the userspace platform, the board's device models on the bus,
// and the panic report when the kernel traps or aborts.
import fs from "node:fs";
import { KernelExit, KernelPanic, UserspacePlatform, type ConsoleIo } from "../../hypercall/userspace.js";
import { ABI_MODULE, EXIT_PANIC } from "../../hypercall/platform.js";
import { MmioBus } from "../../boards/devices/bus.js";
import type { Board } from "./boards.js";
import type { NamesFile } from "./image.js";
import { kernelFrame, panicLine, trapWords } from "./panic.js";

export interface RunOptions {
  console: ConsoleIo;
  realtime?: boolean;
  timeoutNs?: bigint;
  /** Where the panic report goes (stderr by default). */
  report?: (line: string) => void;
}

export interface RunResult {
  exitCode: number;
  /** The panic report, when the kernel panicked. */
  panic?: string;
  /** The monotonic clock when the kernel ended (ns). */
  endedAtNs: bigint;
}

/** The MMIO bus of a board in userspace; device models join it as they are written. */
export function boardBus(_board: Board): MmioBus {
  return new MmioBus();
}

export async function runImage(wasmFile: string, namesFile: string, board: Board, options: RunOptions): Promise<RunResult> {
  const names = fs.existsSync(namesFile) ? (JSON.parse(fs.readFileSync(namesFile, "utf8")) as NamesFile) : undefined;
  const bus = boardBus(board);
  const irqLines = new Set(bus.windows.flatMap((w) => Object.values(board.devices.find((d) => d.name === w.name)?.irqs ?? {})));
  const platform = new UserspacePlatform({ bus, console: options.console, irqLines, realtime: options.realtime, timeoutNs: options.timeoutNs });
  const report = options.report ?? ((line: string) => process.stderr.write(line + "\n"));

  const finish = (exitCode: number, panic?: string): RunResult => {
    if (panic) report(panic);
    return { exitCode, panic, endedAtNs: platform.now };
  };
  try {
    const module = await WebAssembly.compile(fs.readFileSync(wasmFile));
    const instance = await WebAssembly.instantiate(module, platform.imports(ABI_MODULE));
    const memory = instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) platform.memory = memory;
    const entry = instance.exports.anyk_main;
    if (typeof entry !== "function") return finish(EXIT_PANIC, "panic: image: the image exports no anyk_main function");
    entry();
    return finish(EXIT_PANIC, "panic: return: anyk_main returned without calling exit");
  } catch (err) {
    if (err instanceof KernelExit) return finish(err.code);
    if (err instanceof KernelPanic) return finish(err.exitCode, panicLine(`${err.kind}: ${err.detail}`, names, kernelFrame(err.stack)));
    if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
      return finish(EXIT_PANIC, panicLine(`trap: ${trapWords(err.message)}`, names, kernelFrame(err.stack)));
    }
    throw err;
  }
}
