// Turning a firmware program counter into the kernel function it belongs to: the ELF's debug
// information gives the C function (wasm2c names them w2c_kernel_f<index> or after an export),
// and kernel.names.json gives the wasm function's name. Names cost no flash this way.
import fs from "node:fs";
import type { NamesFile } from "./image.js";
import { runTool } from "./toolchain.js";
import { readModule } from "./wasm.js";

export class Symbolizer {
  private readonly names: NamesFile | undefined;
  private readonly exports = new Map<string, number>();

  constructor(private readonly elf: string, namesFile: string, wasmFile: string) {
    this.names = fs.existsSync(namesFile) ? JSON.parse(fs.readFileSync(namesFile, "utf8")) : undefined;
    if (fs.existsSync(wasmFile)) {
      for (const e of readModule(fs.readFileSync(wasmFile)).exports) if (e.kind === "func") this.exports.set(e.name, e.index);
    }
  }

  /** The wasm function index of a wasm2c C function name, if it is one. */
  wasmIndex(cName: string): number | undefined {
    const indexed = /^w2c_kernel_f(\d+)/.exec(cName);
    if (indexed) return Number(indexed[1]);
    const exported = /^w2c_kernel_(.+?)(?:_\d+)?$/.exec(cName);
    return exported ? this.exports.get(exported[1]) : undefined;
  }

  /** The wasm function's name from kernel.names.json. */
  functionName(index: number): string {
    return this.names?.functions[index] ?? `wasm-function[${index}]`;
  }

  /** "test/apps/trap/main/divide (wasm function 5)", or the C function for stub code. */
  async describe(pc: number): Promise<string | undefined> {
    let out: string;
    try {
      out = await runTool("arm-none-eabi-addr2line", ["-f", "-i", "-e", this.elf, `0x${pc.toString(16)}`], "arm-none-eabi-addr2line");
    } catch {
      return undefined;
    }
    // With -i, inlined frames come first: the innermost function is the first line.
    const functions = out.split("\n").filter((_, i) => i % 2 === 0).map((l) => l.trim()).filter((l) => l && l !== "??");
    for (const fn of functions) {
      const index = this.wasmIndex(fn);
      if (index !== undefined) return `${this.functionName(index)} (wasm function ${index})`;
    }
    return functions[0] ? `stub ${functions[0]}` : undefined;
  }
}

const PANIC_PC = /^(panic: .*?) \(pc 0x([0-9A-Fa-f]{8})\)$/;
/** The interpreter's panic lines say where in the module, as Node's do. */
const PANIC_WASM = /^(panic: .*?) (\(wasm function (\d+) at 0x[0-9a-f]+\))$/;

/** Adds the function name to a board's panic line: "panic: trap: x in <function> (pc 0x...)". */
export async function symbolizePanicLine(line: string, symbolizer: Symbolizer): Promise<string> {
  const interpreted = PANIC_WASM.exec(line);
  if (interpreted) return `${interpreted[1]} in ${symbolizer.functionName(Number(interpreted[3]))} ${interpreted[2]}`;
  const m = PANIC_PC.exec(line);
  if (!m) return line;
  const where = await symbolizer.describe(parseInt(m[2], 16));
  return where ? `${m[1]} in ${where} (pc 0x${m[2]})` : line;
}
