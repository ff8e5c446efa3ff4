// A small reader for the WebAssembly binary format: just what the toolchain needs to check an
// image's imports, read its function names and strip custom sections for the release image.

export interface WasmSection {
  id: number;
  /** The custom section's name (id 0 only). */
  name?: string;
  /** Offset of the section's payload and the offset just past it. */
  start: number;
  end: number;
  /** Offset of the section's id byte: header and payload are bytes[headerStart, end). */
  headerStart: number;
}

export interface WasmImport {
  module: string;
  name: string;
  kind: "func" | "table" | "memory" | "global" | "tag";
  /** For functions: the signature, "(i32 i64) -> (i32)". */
  signature?: string;
}

export interface WasmModuleInfo {
  sections: WasmSection[];
  imports: WasmImport[];
  exports: Array<{ name: string; kind: string; index: number }>;
  /** Number of imported functions: function indices below it are imports. */
  importedFunctions: number;
  /** Function index → name, from the "name" custom section when there is one. */
  functionNames: Map<number, string>;
  /** The type section's signatures, "(i32 i32) -> (i64)". */
  types: string[];
}

const SECTION = { custom: 0, type: 1, import: 2, export: 7 } as const;
const VALUE_TYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };
const EXTERNAL_KINDS = ["func", "table", "memory", "global", "tag"] as const;

export class WasmFormatError extends Error {}

export class Reader {
  offset: number;
  constructor(readonly bytes: Uint8Array, offset = 0, readonly end = bytes.length) {
    this.offset = offset;
  }

  byte(): number {
    if (this.offset >= this.end) throw new WasmFormatError(`unexpected end of data at offset ${this.offset}`);
    return this.bytes[this.offset++];
  }

  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new WasmFormatError(`LEB128 number too long at offset ${this.offset}`);
  }

  name(): string {
    const length = this.u32();
    const start = this.offset;
    this.offset += length;
    if (this.offset > this.end) throw new WasmFormatError(`name runs past its section at offset ${start}`);
    return new TextDecoder().decode(this.bytes.subarray(start, this.offset));
  }

  valueType(): string {
    const t = this.byte();
    return VALUE_TYPES[t] ?? `0x${t.toString(16)}`;
  }

  /** Reads limits; returns the minimum. */
  limits(): number {
    const flags = this.byte();
    const min = this.u32();
    if (flags & 1) this.u32();
    return min;
  }
}

/** The elements of the module's own tables at instantiation (their minimum sizes): what call_indirect needs room for. */
export function tableElements(bytes: Uint8Array): number {
  const section = readSections(bytes).find((s) => s.id === 4);
  if (!section) return 0;
  const r = new Reader(bytes, section.start, section.end);
  let total = 0;
  for (let count = r.u32(); count > 0; count--) {
    r.byte(); // reference type
    total += r.limits();
  }
  return total;
}

export function readSections(bytes: Uint8Array): WasmSection[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("not a WebAssembly binary (missing \\0asm magic)");
  }
  const r = new Reader(bytes, 8);
  const sections: WasmSection[] = [];
  while (r.offset < bytes.length) {
    const headerStart = r.offset;
    const id = r.byte();
    const size = r.u32();
    const start = r.offset;
    const end = start + size;
    if (end > bytes.length) throw new WasmFormatError(`section ${id} at offset ${headerStart} runs past the end of the file`);
    const section: WasmSection = { id, start, end, headerStart };
    if (id === SECTION.custom) section.name = new Reader(bytes, start, end).name();
    sections.push(section);
    r.offset = end;
  }
  return sections;
}

function readTypes(bytes: Uint8Array, s: WasmSection): string[] {
  const r = new Reader(bytes, s.start, s.end);
  const count = r.u32();
  const types: string[] = [];
  for (let i = 0; i < count; i++) {
    if (r.byte() !== 0x60) throw new WasmFormatError(`type ${i} is not a function type`);
    const params = Array.from({ length: r.u32() }, () => r.valueType());
    const results = Array.from({ length: r.u32() }, () => r.valueType());
    types.push(`(${params.join(" ")}) -> (${results.join(" ")})`);
  }
  return types;
}

function readImports(bytes: Uint8Array, s: WasmSection, types: string[]): WasmImport[] {
  const r = new Reader(bytes, s.start, s.end);
  const count = r.u32();
  const imports: WasmImport[] = [];
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const name = r.name();
    const kind = EXTERNAL_KINDS[r.byte()];
    const entry: WasmImport = { module, name, kind };
    if (kind === "func") entry.signature = types[r.u32()];
    else if (kind === "table") {
      r.valueType();
      r.limits();
    } else if (kind === "memory") r.limits();
    else if (kind === "global") {
      r.valueType();
      r.byte();
    } else if (kind === "tag") {
      r.byte();
      r.u32();
    } else throw new WasmFormatError(`import ${module}.${name} has an unknown kind`);
    imports.push(entry);
  }
  return imports;
}

function readExports(bytes: Uint8Array, s: WasmSection): WasmModuleInfo["exports"] {
  const r = new Reader(bytes, s.start, s.end);
  const count = r.u32();
  return Array.from({ length: count }, () => {
    const name = r.name();
    const kind = EXTERNAL_KINDS[r.byte()] ?? "unknown";
    return { name, kind, index: r.u32() };
  });
}

/** The function names of a "name" custom section (subsection 1). */
function readFunctionNames(bytes: Uint8Array, s: WasmSection): Map<number, string> {
  const r = new Reader(bytes, s.start, s.end);
  r.name();
  const names = new Map<number, string>();
  while (r.offset < s.end) {
    const id = r.byte();
    const size = r.u32();
    const next = r.offset + size;
    if (id === 1) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const index = r.u32();
        names.set(index, r.name());
      }
    }
    r.offset = next;
  }
  return names;
}

export function readModule(bytes: Uint8Array): WasmModuleInfo {
  const sections = readSections(bytes);
  const typeSection = sections.find((s) => s.id === SECTION.type);
  const types = typeSection ? readTypes(bytes, typeSection) : [];
  const importSection = sections.find((s) => s.id === SECTION.import);
  const imports = importSection ? readImports(bytes, importSection, types) : [];
  const exportSection = sections.find((s) => s.id === SECTION.export);
  const nameSection = sections.find((s) => s.id === SECTION.custom && s.name === "name");
  return {
    sections,
    imports,
    exports: exportSection ? readExports(bytes, exportSection) : [],
    importedFunctions: imports.filter((i) => i.kind === "func").length,
    functionNames: nameSection ? readFunctionNames(bytes, nameSection) : new Map(),
    types,
  };
}

/** The image without any custom section (names, source maps, producers): what the release build ships. */
export function stripCustomSections(bytes: Uint8Array): Uint8Array {
  const kept = readSections(bytes).filter((s) => s.id !== SECTION.custom);
  const parts = [bytes.subarray(0, 8), ...kept.map((s) => bytes.subarray(s.headerStart, s.end))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface WasmCodeBody {
  /** The function index (imports first, as in the name section and kernel.names.json). */
  index: number;
  /** Bytes of the body, with its size prefix. */
  bytes: number;
  /** Where the body (with its size prefix) starts and ends in the module. */
  start: number;
  end: number;
}

/** Each function body of the code section (id 10) and its size in the file. */
export function readCodeBodies(bytes: Uint8Array, importedFunctions: number): WasmCodeBody[] {
  const s = readSections(bytes).find((x) => x.id === 10);
  if (!s) return [];
  const r = new Reader(bytes, s.start, s.end);
  const count = r.u32();
  return Array.from({ length: count }, (_, i) => {
    const start = r.offset;
    const size = r.u32();
    r.offset += size;
    return { index: importedFunctions + i, bytes: r.offset - start, start, end: r.offset };
  });
}

export interface WasmDataSegment {
  /** Where the segment goes in linear memory (active segments with a constant offset). */
  memoryOffset: number;
  data: Uint8Array;
  /** Bytes of the segment's entry in the data section, header included. */
  fileBytes: number;
}

/** The active data segments of the data section (id 11), as AssemblyScript emits them. */
export function readDataSegments(bytes: Uint8Array): WasmDataSegment[] {
  const s = readSections(bytes).find((x) => x.id === 11);
  if (!s) return [];
  const r = new Reader(bytes, s.start, s.end);
  const count = r.u32();
  const segments: WasmDataSegment[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.offset;
    const flags = r.u32();
    if (flags === 1) throw new WasmFormatError(`data segment ${i} is passive; the toolchain places only active segments`);
    if (flags === 2) r.u32(); // memory index
    const opcode = r.byte();
    if (opcode !== 0x41) throw new WasmFormatError(`data segment ${i} has no constant i32 offset`);
    // A signed LEB128 i32; static data offsets are small and positive.
    const memoryOffset = r.u32();
    if (r.byte() !== 0x0b) throw new WasmFormatError(`data segment ${i}: offset expression does not end`);
    const size = r.u32();
    const data = bytes.subarray(r.offset, r.offset + size);
    r.offset += size;
    segments.push({ memoryOffset, data, fileBytes: r.offset - start });
  }
  return segments;
}
