// The rows of a size report: who owns a byte. Kernel components own the wasm functions compiled
// from their folders; the generated entry, AssemblyScript's runtime, the stub, the wasm runtime
// and the C libraries are rows of their own.
import path from "node:path";
import type { Component } from "../components.js";
import { ROOT } from "../paths.js";

export type OwnerKind = "component" | "generated" | "runtime" | "stub" | "library" | "stack" | "padding" | "unattributed";

export interface Owner {
  name: string;
  kind: OwnerKind;
  /** Set on a stand-in for kernel function N, whose bytes are split by its source map shares. */
  wasmFunction?: number;
}

/** A stand-in owner for the bytes of kernel function N, resolved into components later. */
export function kernelFunction(index: number): Owner {
  return { name: `kernel function ${index}`, kind: "component", wasmFunction: index };
}

export const ENTRY: Owner = { name: "entry (generated)", kind: "generated" };
export const AS_RUNTIME: Owner = { name: "assemblyscript runtime", kind: "runtime" };
export const STUB: Owner = { name: "stub", kind: "stub" };
export const WASM_RUNTIME: Owner = { name: "wasm runtime", kind: "runtime" };
export const LIBGCC: Owner = { name: "libgcc", kind: "library" };
export const NEWLIB: Owner = { name: "newlib", kind: "library" };
export const STACK: Owner = { name: "C stack (reserved)", kind: "stack" };
export const PADDING: Owner = { name: "padding", kind: "padding" };
export const UNATTRIBUTED: Owner = { name: "unattributed", kind: "unattributed" };
/** Wasm sections that are the module's structure (types, imports, exports, headers), not code or data. */
export const WASM_STRUCTURE: Owner = { name: "wasm module structure", kind: "runtime" };

export function componentOwner(c: Component): Owner {
  return { name: c.name, kind: "component" };
}

/** The owner of a kernel function, from its AssemblyScript name ("kernel/base/console/print"). */
export function ownerOfKernelFunction(name: string, components: Component[]): Owner {
  if (name.startsWith("~lib/")) return AS_RUNTIME;
  if (name === "~start" || name.startsWith("kernel/__entry__")) return ENTRY;
  let best: Component | undefined;
  for (const c of components) {
    const dir = path.relative(ROOT, c.dir).split(path.sep).join("/") + "/";
    if (name.startsWith(dir) && (!best || dir.length > path.relative(ROOT, best.dir).length + 1)) best = c;
  }
  return best ? componentOwner(best) : UNATTRIBUTED;
}

/** The owner of C code or data by its source file, as the ELF's line table or the stub sources name it. */
export function ownerOfCFile(file: string): Owner {
  const f = file.split(path.sep).join("/");
  if (/\/libgcc\//.test(f) || /^\.\.\/.*libgcc/.test(f) || /libgcc\.a/.test(f)) return LIBGCC;
  if (/newlib|libc_nano\.a|libc\.a|libg(_nano)?\.a|libm\.a|libnosys\.a/.test(f)) return NEWLIB;
  if (/(^|\/)(runtime\.c|wasm-rt\.h|anyk_wasm2c\.c|kernel\.c|kernel\.h)$/.test(f)) return WASM_RUNTIME;
  if (/platform\/cortex-m\//.test(f)) return STUB;
  return UNATTRIBUTED;
}
