// Attributes every byte the firmware loads into flash and every byte it takes in RAM to an owner
// (a kernel component, the generated entry, a runtime, the stub, a C library, padding). Each byte
// gets exactly one owner, so the rows add up to the ELF's loaded segments by construction.
//
// Precedence, most precise first: the DWARF line table (code, even inlined across files), the
// linker map (library members, string sections named after their function, the kernel's static
// data), the symbol table (variables, tables), then the linker's fill and gaps as padding.
import type { StaticReference } from "./static-refs.js";
import type { Board } from "../boards.js";
import { PT_LOAD, STT_FUNC, STT_OBJECT, type Elf, type ElfSymbol } from "../elf.js";
import type { WasmDataSegment } from "../wasm.js";
import type { CSources } from "./csource.js";
import type { KernelCLines } from "./kernel-c.js";
import type { LineRange } from "./lines.js";
import type { MapInputSection } from "./linkmap.js";
import { PADDING, STACK, UNATTRIBUTED, WASM_RUNTIME, ownerOfCFile, type Owner } from "./owners.js";

export interface AttributionInputs {
  elf: Elf;
  board: Board;
  /** Memories are this many times the board's (an oversize link, for an image that does not fit). */
  memoryScale: number;
  lines: LineRange[];
  map: MapInputSection[];
  kernelC: KernelCLines;
  cSources: CSources;
  segments: WasmDataSegment[];
  segmentOwners: Owner[];
  /** Where the kernel's static data ends in linear memory (its heap base). */
  staticEnd: number;
  /** wasm2c's function type IDs, from kernel.c (FUNC_TYPE_T). */
  funcTypeIds: Buffer[];
  /** Addresses of uninitialised static data the code names, with their owners (static-refs.ts). */
  staticRefs: StaticReference[];
  /** The heap cap, split by the components whose budgets make it up. */
  heapBudgets: Array<{ owner: Owner; bytes: number }>;
}

export interface Tally {
  owner: Owner;
  bytes: number;
}

export interface Attribution {
  rom: Tally[];
  ram: Tally[];
  /** The ELF's own figures: file bytes of the segments loaded into flash, memory bytes of those in RAM. */
  elfFlashBytes: number;
  elfRamBytes: number;
}

/** The owners of one loaded segment's bytes, filled in by precedence (first owner wins). */
class SegmentBytes {
  readonly owners: Array<Owner | undefined>;
  constructor(readonly start: number, length: number) {
    this.owners = new Array(length).fill(undefined);
  }
  get end(): number {
    return this.start + this.owners.length;
  }
  claim(from: number, to: number, owner: Owner | ((address: number) => Owner | undefined)): void {
    for (let a = Math.max(from, this.start); a < Math.min(to, this.end); a++) {
      if (this.owners[a - this.start]) continue;
      const o = typeof owner === "function" ? owner(a) : owner;
      if (o) this.owners[a - this.start] = o;
    }
  }
  ownerAt(address: number): Owner | undefined {
    return address >= this.start && address < this.end ? this.owners[address - this.start] : undefined;
  }
}

function tally(segments: SegmentBytes[]): Tally[] {
  const byName = new Map<string, Tally>();
  for (const s of segments) {
    for (const o of s.owners) {
      const owner = o ?? UNATTRIBUTED;
      const t = byName.get(owner.name) ?? byName.set(owner.name, { owner, bytes: 0 }).get(owner.name)!;
      t.bytes++;
    }
  }
  return [...byName.values()];
}

const isDebug = (s: MapInputSection) => /^\.(debug|comment|ARM\.attributes|stab)/.test(s.name);

export function attribute(inputs: AttributionInputs): Attribution {
  const { elf, board, lines, kernelC, cSources } = inputs;
  const flash = board.memory.find((m) => m.kind === "flash")!;
  const ram = board.memory.find((m) => m.kind === "ram")!;
  const inFlash = (a: number) => a >= flash.start && a < flash.start + flash.size * inputs.memoryScale;
  const inRam = (a: number) => a >= ram.start && a < ram.start + ram.size * inputs.memoryScale;
  const loads = elf.segments.filter((s) => s.type === PT_LOAD);
  // Flash holds the file bytes of every loaded segment placed there (code, and .data's initial values).
  const romSegments = loads.filter((s) => s.filesz > 0 && inFlash(s.paddr)).map((s) => new SegmentBytes(s.vaddr, s.filesz));
  const ramSegments = loads.filter((s) => s.memsz > 0 && inRam(s.vaddr)).map((s) => new SegmentBytes(s.vaddr, s.memsz));
  const all = [...romSegments, ...ramSegments];
  const claim = (from: number, to: number, owner: Owner | ((a: number) => Owner | undefined)) => all.forEach((s) => s.claim(from, to, owner));
  const ownerAt = (a: number) => all.map((s) => s.ownerAt(a)).find(Boolean);
  const symbols = elf.symbols.filter((s) => (s.type === STT_FUNC || s.type === STT_OBJECT) && s.size > 0);
  const symbolStart = (s: ElfSymbol) => (s.type === STT_FUNC ? s.value & ~1 : s.value);

  // 1. Code, by the line each instruction was compiled from. kernel.c lines outside a kernel
  //    function are wasm2c's helpers (bounds-checked loads and stores), inlined into the function
  //    that uses them: they take the owner of the kernel code around them, below.
  const helper = new Set<number>();
  const fromKernel = new Set<number>();
  for (const r of lines) {
    if (r.file.endsWith("kernel.c")) {
      const owner = kernelC.ownerOfLine(r.line);
      if (owner) {
        claim(r.start, r.end, owner);
        for (let a = r.start; a < r.end; a++) fromKernel.add(a);
      } else for (let a = r.start; a < r.end; a++) helper.add(a);
    } else claim(r.start, r.end, ownerOfCFile(r.file));
  }
  for (const sym of symbols.filter((s) => s.type === STT_FUNC)) {
    const start = symbolStart(sym), end = start + sym.size;
    const kernelOwners: Array<Owner | undefined> = [];
    for (let a = start; a < end; a++) kernelOwners.push(fromKernel.has(a) ? ownerAt(a) : undefined);
    const first = kernelOwners.find(Boolean);
    let last = first ?? kernelC.ownerOfSymbol(sym.name) ?? WASM_RUNTIME;
    for (let a = start; a < end; a++) {
      last = kernelOwners[a - start] ?? last;
      if (helper.has(a)) {
        claim(a, a + 1, last);
        helper.delete(a);
      }
    }
  }
  for (const a of helper) claim(a, a + 1, WASM_RUNTIME);

  // 2. The linker map: library members, strings named after their function, the kernel's data.
  const functionOwner = (name: string): Owner => {
    const sym = symbols.find((s) => s.type === STT_FUNC && s.name.split(".")[0] === name);
    return (sym && ownerAt(symbolStart(sym))) ?? cSources.ownerOfName(name);
  };
  const sections = inputs.map.filter((s) => !isDebug(s));
  for (const s of sections) {
    const end = s.address + s.size;
    if (s.name === "*fill*") continue;
    const library = ownerOfCFile(s.origin);
    if (library.kind === "library") {
      claim(s.address, end, library);
      continue;
    }
    const named = /^\.rodata\.(.+)\.str\d+\.\d+$/.exec(s.name);
    if (named) {
      claim(s.address, end, functionOwner(named[1]));
      continue;
    }
    if (/^\.rodata\.str\d+\.\d+$/.test(s.name)) {
      claimStrings(elf, s, cSources, claim);
      continue;
    }
    if (s.name === ".rodata") {
      claimDataSegments(elf, s, inputs.segments, inputs.segmentOwners, claim);
      claimFuncTypeIds(elf, s, inputs.funcTypeIds, claim);
      claimStrings(elf, s, cSources, claim);
      continue;
    }
    const variable = /^\.(?:rodata|data|bss)\.(.+)$/.exec(s.name);
    if (variable && variable[1] !== "linear_memory") claim(s.address, end, kernelC.ownerOfSymbol(variable[1]) ?? cSources.ownerOfName(variable[1]));
  }

  // 3. RAM: the reserved C stack, and the kernel's linear memory by region: static data by
  //    segment owner, the heap cap by the components whose budgets make it up.
  const stack = elf.sections.find((s) => s.name === ".stack");
  if (stack) claim(stack.addr, stack.addr + stack.size, STACK);
  const linear = symbols.find((s) => s.name === "linear_memory");
  if (linear) claimLinearMemory(linear.value, linear.size, inputs, claim);

  // 4. Symbols the steps above left: tables, variables, functions without line information.
  for (const sym of symbols) {
    const start = symbolStart(sym);
    claim(start, start + sym.size, kernelC.ownerOfSymbol(sym.name) ?? cSources.ownerOfName(sym.name));
  }

  // 5. The linker's fill, and whatever lies between input sections, is padding.
  for (const s of sections) if (s.name === "*fill*") claim(s.address, s.address + s.size, PADDING);
  const placed = (a: number) => sections.some((s) => s.name !== "*fill*" && a >= s.address && a < s.address + s.size);
  claim(0, 2 ** 32, (a) => (placed(a) ? undefined : PADDING));

  return {
    rom: tally(romSegments),
    ram: tally(ramSegments),
    elfFlashBytes: loads.filter((s) => s.filesz > 0 && inFlash(s.paddr)).reduce((n, s) => n + s.filesz, 0),
    elfRamBytes: loads.filter((s) => s.memsz > 0 && inRam(s.vaddr)).reduce((n, s) => n + s.memsz, 0),
  };
}

type Claim = (from: number, to: number, owner: Owner | ((a: number) => Owner | undefined)) => void;

function sectionBytes(elf: Elf, address: number, size: number): Buffer | undefined {
  const section = elf.sections.find((x) => x.type !== 8 && address >= x.addr && address + size <= x.addr + x.size && x.size > 0 && (x.flags & 2) !== 0);
  return section && elf.bytes.subarray(section.offset + (address - section.addr), section.offset + (address - section.addr) + size);
}

/** NUL-terminated C strings, each to the source file that spells it. */
function claimStrings(elf: Elf, s: MapInputSection, cSources: CSources, claim: Claim): void {
  const bytes = sectionBytes(elf, s.address, s.size);
  if (!bytes) return;
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i > from) {
      const owner = cSources.ownerOfString(bytes.toString("latin1", from, i));
      if (owner !== UNATTRIBUTED) claim(s.address + from, s.address + i + 1, owner);
    }
    from = i + 1;
  }
}

/**
 * wasm2c's function type IDs: 32-byte hashes as string constants, which call_indirect compares. They
 * may hold NUL bytes, so the string rule cannot find them; they are found by their bytes.
 */
function claimFuncTypeIds(elf: Elf, s: MapInputSection, ids: Buffer[], claim: Claim): void {
  const bytes = sectionBytes(elf, s.address, s.size);
  if (!bytes) return;
  for (const id of ids) {
    const at = bytes.indexOf(Buffer.concat([id, Buffer.from([0])]));
    if (at >= 0) claim(s.address + at, s.address + at + id.length + 1, WASM_RUNTIME);
  }
}

/** The kernel's data segments, which wasm2c emits as constant arrays: found by their bytes, in order. */
function claimDataSegments(elf: Elf, s: MapInputSection, segments: WasmDataSegment[], owners: Owner[], claim: Claim): void {
  const bytes = sectionBytes(elf, s.address, s.size);
  if (!bytes) return;
  let cursor = 0;
  segments.forEach((segment, i) => {
    let at = bytes.indexOf(segment.data, cursor);
    if (at < 0) at = bytes.indexOf(segment.data);
    if (at < 0) return;
    claim(s.address + at, s.address + at + segment.data.length, owners[i]);
    cursor = at + segment.data.length;
  });
}

/** Linear memory: static data up to the heap base by segment, then the heap cap by budget. */
function claimLinearMemory(base: number, size: number, inputs: AttributionInputs, claim: Claim): void {
  const { segments, segmentOwners, staticEnd, heapBudgets, staticRefs } = inputs;
  // Bytes between segments (zeros binaryen trimmed) are a memory.data buffer when the code names
  // the gap's start (its first 16 bytes: the buffer's alignment): then the namer's; else they go
  // with the segment after them. gapOwners[i] is the gap before segment i (the last, after all).
  const gapOwners = [...segments, undefined].map((_, i) => {
    const before = segments[i - 1];
    const gapStart = before ? before.memoryOffset + before.data.length : 0;
    return staticRefs.find((r) => r.address >= gapStart && r.address < gapStart + 16)?.owner;
  });
  const ownerOfStatic = (offset: number): Owner => {
    const i = segments.findIndex((s) => offset < s.memoryOffset + s.data.length);
    if (i < 0) return gapOwners[segments.length] ?? segmentOwners[segmentOwners.length - 1] ?? UNATTRIBUTED;
    return (offset < segments[i].memoryOffset ? gapOwners[i] : undefined) ?? segmentOwners[i];
  };
  claim(base, base + Math.min(staticEnd, size), (a) => ownerOfStatic(a - base));
  let at = base + Math.ceil(staticEnd / 8) * 8;
  claim(base + staticEnd, at, PADDING);
  for (const budget of heapBudgets) {
    claim(at, at + budget.bytes, budget.owner);
    at += budget.bytes;
  }
  claim(at, base + size, PADDING);
}
