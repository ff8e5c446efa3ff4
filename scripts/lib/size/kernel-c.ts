// Lines of wasm2c's kernel.c and the kernel functions they belong to: each `w2c_kernel_f<N>` is
// the wasm function N, whose name (kernel.names.json) says which component it came from. Lines
// outside those functions are wasm2c's helpers (bounds-checked loads and stores, instantiation).
import { ENTRY, WASM_RUNTIME, kernelFunction, type Owner } from "./owners.js";

export interface KernelCLines {
  /** The owner of the code on a line of kernel.c, or undefined for a helper line. */
  ownerOfLine(line: number): Owner | undefined;
  /** The owner of a C function of kernel.c by its symbol name ("w2c_kernel_f12.constprop.0"). */
  ownerOfSymbol(symbol: string): Owner | undefined;
}

const DEFINITION = /^(?:static )?[\w ]+?\b(w2c_kernel_\w+?)\(w2c_kernel\* instance[^;]*\{$/;

/** Kernel functions come back as stand-ins (kernelFunction(N)), split between components by the source map later. */
export function kernelCLines(source: string, exports: Map<string, number>): KernelCLines {
  const ownerOfC = (cName: string): Owner => {
    const m = /^w2c_kernel_f(\d+)$/.exec(cName);
    if (m) return kernelFunction(Number(m[1]));
    // An exported function is w2c_kernel_<export>_0, with a wrapper w2c_kernel_<export> around it.
    const exported = exports.get(cName.replace(/^w2c_kernel_/, "").replace(/_0$/, ""));
    if (exported !== undefined) return kernelFunction(exported);
    return cName.startsWith("w2c_kernel_anyk_") ? ENTRY : WASM_RUNTIME;
  };
  const spans: Array<{ first: number; last: number; owner: Owner }> = [];
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = DEFINITION.exec(lines[i]);
    if (!m) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== "}") end++;
    spans.push({ first: i + 1, last: end + 1, owner: ownerOfC(m[1]) });
    i = end;
  }
  return {
    ownerOfLine(line) {
      let lo = 0, hi = spans.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (line < spans[mid].first) hi = mid - 1;
        else if (line > spans[mid].last) lo = mid + 1;
        else return spans[mid].owner;
      }
      return undefined;
    },
    ownerOfSymbol(symbol) {
      const base = symbol.split(".")[0];
      return base.startsWith("w2c_kernel_") ? ownerOfC(base) : undefined;
    },
  };
}
