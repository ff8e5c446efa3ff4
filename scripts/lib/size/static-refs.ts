// Static memory nobody initialised: AssemblyScript's memory.data buffers (frame buffers, TCP's send
// buffers) are zeros, so binaryen leaves them out of the data segments and nothing in the segments
// says whose they are. The code says: a buffer's address is a constant in the functions that use
// it. Each such address in a gap between segments goes to the component whose source spelled the
// constant (the source map, which follows code binaryen inlined elsewhere; else the function's
// name), by majority; attribute.ts gives a gap to the owner of an address at its start.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import type { Component } from "../components.js";
import type { WasmDataSegment } from "../wasm.js";
import { ownerOfKernelFunction, type Owner } from "./owners.js";
import { ownerOfSourceFile, type MappedSpan } from "./sourcemap.js";

export interface StaticReference {
  /** Offset in linear memory. */
  address: number;
  owner: Owner;
}

/** The module's code disassembled, each instruction with its byte offset (wabt's wasm-objdump, from the npm package the build already uses). */
async function disassembly(wasmFile: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const script = path.join(path.dirname(require.resolve("wabt/package.json")), "bin", "wasm-objdump");
  const { stdout } = await promisify(execFile)(process.execPath, [script, "-d", wasmFile], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** The addresses below staticEnd that fall in no data segment, each with the owner that names it most. */
export function staticReferences(listing: string, names: string[], components: Component[], segments: WasmDataSegment[], staticEnd: number, spans: MappedSpan[] = []): StaticReference[] {
  const inSegment = (a: number) => segments.some((s) => a >= s.memoryOffset && a < s.memoryOffset + s.data.length);
  const votes = new Map<number, Map<string, { owner: Owner; count: number }>>();
  let functionOwner: Owner | undefined;
  for (const line of listing.split("\n")) {
    const func = /^[0-9a-f]+ func\[(\d+)\]/.exec(line);
    if (func) {
      functionOwner = ownerOfKernelFunction(names[Number(func[1])] ?? "", components);
      continue;
    }
    const constant = functionOwner && /^\s*([0-9a-f]+):[^|]*\|\s*i32\.const (\d+)\s*$/.exec(line);
    if (!constant) continue;
    const address = Number(constant[2]);
    const at = parseInt(constant[1], 16);
    const span = spans.find((s) => at >= s.start && at < s.end);
    const owner = span ? ownerOfSourceFile(span.source, components) : functionOwner!;
    if (address >= staticEnd || address < 8 || inSegment(address)) continue;
    const byOwner = votes.get(address) ?? new Map();
    const entry = byOwner.get(owner.name) ?? { owner, count: 0 };
    entry.count++;
    byOwner.set(owner.name, entry);
    votes.set(address, byOwner);
  }
  return [...votes.entries()]
    .map(([address, byOwner]) => ({ address, owner: [...byOwner.values()].sort((a, b) => b.count - a.count)[0].owner }))
    .sort((a, b) => a.address - b.address);
}

export async function readStaticReferences(wasmFile: string, names: string[], components: Component[], segments: WasmDataSegment[], staticEnd: number, spans: MappedSpan[]): Promise<StaticReference[]> {
  return staticReferences(await disassembly(wasmFile), names, components, segments, staticEnd, spans);
}
