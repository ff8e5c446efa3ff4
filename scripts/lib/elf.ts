// A reader for 32-bit little-endian ELF files (what arm-none-eabi-gcc links): program headers,
// section headers and the symbol table, enough to measure an image and attribute its bytes.
import fs from "node:fs";
import { UserError } from "./errors.js";

export interface ElfSegment {
  type: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  flags: number;
}

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_*: 0 none, 1 object, 2 function, 3 section, 4 file. */
  type: number;
  /** The index of the section it is defined in; 0 for undefined, 0xfff1 for absolute. */
  section: number;
}

export interface Elf {
  file: string;
  bytes: Buffer;
  segments: ElfSegment[];
  sections: ElfSection[];
  symbols: ElfSymbol[];
}

export const PT_LOAD = 1;
export const SHT_NOBITS = 8;
export const SHF_ALLOC = 2;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;

export function readElf(file: string): Elf {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 52 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new UserError(`${file}: not an ELF file`);
  if (bytes[4] !== 1 || bytes[5] !== 1) throw new UserError(`${file}: not a 32-bit little-endian ELF file (what arm-none-eabi-gcc makes)`);
  const phoff = bytes.readUInt32LE(28);
  const shoff = bytes.readUInt32LE(32);
  const phentsize = bytes.readUInt16LE(42);
  const phnum = bytes.readUInt16LE(44);
  const shentsize = bytes.readUInt16LE(46);
  const shnum = bytes.readUInt16LE(48);
  const shstrndx = bytes.readUInt16LE(50);

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    segments.push({
      type: bytes.readUInt32LE(at),
      offset: bytes.readUInt32LE(at + 4),
      vaddr: bytes.readUInt32LE(at + 8),
      paddr: bytes.readUInt32LE(at + 12),
      filesz: bytes.readUInt32LE(at + 16),
      memsz: bytes.readUInt32LE(at + 20),
      flags: bytes.readUInt32LE(at + 24),
    });
  }

  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return {
      nameOffset: bytes.readUInt32LE(at),
      type: bytes.readUInt32LE(at + 4),
      flags: bytes.readUInt32LE(at + 8),
      addr: bytes.readUInt32LE(at + 12),
      offset: bytes.readUInt32LE(at + 16),
      size: bytes.readUInt32LE(at + 20),
      link: bytes.readUInt32LE(at + 24),
      entsize: bytes.readUInt32LE(at + 36),
    };
  });
  const cString = (table: { offset: number }, at: number) => {
    const start = table.offset + at;
    return bytes.toString("latin1", start, bytes.indexOf(0, start));
  };
  const sections: ElfSection[] = raw.map((s) => ({ name: cString(raw[shstrndx], s.nameOffset), type: s.type, flags: s.flags, addr: s.addr, offset: s.offset, size: s.size }));

  const symbols: ElfSymbol[] = [];
  const symtab = raw.find((s) => s.type === 2); // SHT_SYMTAB
  if (symtab) {
    const strtab = raw[symtab.link];
    for (let at = symtab.offset + symtab.entsize; at < symtab.offset + symtab.size; at += symtab.entsize) {
      symbols.push({
        name: cString(strtab, bytes.readUInt32LE(at)),
        value: bytes.readUInt32LE(at + 4),
        size: bytes.readUInt32LE(at + 8),
        type: bytes[at + 12] & 0xf,
        section: bytes.readUInt16LE(at + 14),
      });
    }
  }
  return { file, bytes, segments, sections, symbols };
}
