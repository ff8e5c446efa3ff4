// The kernel's static data, segment by segment, and the component each belongs to. Most of it
// is AssemblyScript strings: a string literal belongs to the component whose sources spell it
// (the lowest in dependency order when several do), or to AssemblyScript's runtime when only its
// standard library does. A segment that is not a string (an object header binaryen split off)
// belongs with the segment after it.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { Component } from "../components.js";
import type { WasmDataSegment } from "../wasm.js";
import { AS_RUNTIME, ENTRY, UNATTRIBUTED, componentOwner, type Owner } from "./owners.js";

const STRING_ID = 2; // AssemblyScript's runtime id of String
const HEADER = 8; // rtId, rtSize: the part of the object header a segment starts with

/** The text of a segment that is an AssemblyScript string object, or undefined. */
export function segmentString(data: Uint8Array): string | undefined {
  if (data.length < HEADER) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rtSize = view.getUint32(4, true);
  // Binaryen drops trailing zero bytes, so the segment may end before the object does.
  if (view.getUint32(0, true) !== STRING_ID || rtSize % 2 !== 0 || HEADER + rtSize < data.length) return undefined;
  const chars = new Uint8Array(rtSize);
  chars.set(data.subarray(HEADER));
  return Buffer.from(chars).toString("utf16le");
}

function tsFiles(dir: string, recursive: boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return recursive ? tsFiles(p, true) : [];
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

let stdlibText: string | undefined;
function assemblyscriptStdlib(): string {
  if (stdlibText === undefined) {
    const require = createRequire(import.meta.url);
    const std = path.join(path.dirname(require.resolve("assemblyscript/package.json")), "std", "assembly");
    stdlibText = tsFiles(std, true).map((f) => fs.readFileSync(f, "utf8")).join("\n");
  }
  return stdlibText;
}

/**
 * The owner of each data segment. `components` in dependency order; `generated` is the source
 * the build generated for the image (the entry), whose strings are the entry's.
 */
export function dataSegmentOwners(segments: WasmDataSegment[], components: Component[], generated: string): Owner[] {
  const sources = components.map((c) => ({ owner: componentOwner(c), text: tsFiles(c.dir, false).map((f) => fs.readFileSync(f, "utf8")).join("\n") }));
  const spelled = (text: string, source: string) => source.includes(JSON.stringify(text)) || source.includes(`'${text.replace(/'/g, "\\'")}'`) || source.includes(JSON.stringify(text).slice(1, -1));
  const owners: Array<Owner | undefined> = segments.map((s) => {
    const text = segmentString(s.data);
    if (text === undefined || text.length === 0) return undefined;
    const found = sources.find((c) => spelled(text, c.text));
    if (found) return found.owner;
    if (spelled(text, generated)) return ENTRY;
    // "~lib/rt/stub.ts": the file name the compiler passes to abort() from the standard library.
    if (text.startsWith("~lib/") || spelled(text, assemblyscriptStdlib())) return AS_RUNTIME;
    return UNATTRIBUTED;
  });
  // Non-string segments go with the next string segment (the object whose header they are).
  for (let i = owners.length - 1; i >= 0; i--) if (!owners[i]) owners[i] = owners[i + 1];
  return owners.map((o) => o ?? UNATTRIBUTED);
}
