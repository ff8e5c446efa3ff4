// The build's check that an image imports nothing but hypercalls of the ABI, with their signatures.
import { type Abi, wasmSignature } from "./abi.js";
import type { WasmImport } from "./wasm.js";

/** One message per import the ABI does not allow; empty when the image is fine. */
export function checkImports(abi: Abi, imports: WasmImport[]): string[] {
  const known = abi.calls.map((c) => c.name);
  const problems: string[] = [];
  for (const imp of imports) {
    const what = `${imp.module}.${imp.name}`;
    if (imp.kind !== "func") {
      problems.push(`imports ${imp.kind} ${what}; a kernel image may import only hypercall functions`);
      continue;
    }
    const call = imp.module === abi.module ? abi.calls.find((c) => c.name === imp.name) : undefined;
    if (!call) {
      problems.push(`imports ${what}, which is not a hypercall of ABI v${abi.version} (module "${abi.module}": ${known.join(", ")})`);
      continue;
    }
    const expected = wasmSignature(abi, call);
    if (imp.signature !== expected) problems.push(`imports ${what} as ${imp.signature}, but ABI v${abi.version} defines it as ${expected}`);
  }
  return problems;
}
