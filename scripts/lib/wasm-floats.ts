// Whether a kernel uses floats: the interpreter on a board is built with float support only then
// (it costs flash: soft-float routines on Cortex-M). A walk over every instruction of the code.
import { Reader, readCodeBodies, readModule, readSections } from "./wasm.js";

const FLOAT_TYPES = new Set([0x7d, 0x7c]);

/** Opcodes that read, write or make an f32 or f64 (outside the 0xfc prefix). */
function isFloatOpcode(op: number): boolean {
  return op === 0x2a || op === 0x2b || op === 0x38 || op === 0x39 || op === 0x43 || op === 0x44 || (op >= 0x5b && op <= 0x66) || (op >= 0x8b && op <= 0xa6) || (op >= 0xa8 && op <= 0xab) || (op >= 0xae && op <= 0xbf);
}

function skipLeb(r: Reader): void {
  while (r.byte() & 0x80) {
    // continuation bytes
  }
}

/** Skips one instruction's immediates; returns true when the instruction involves a float. */
function floatInstruction(r: Reader): boolean {
  const op = r.byte();
  switch (op) {
    case 0x02: case 0x03: case 0x04: {
      const t = r.bytes[r.offset];
      if (t === 0x40 || (t >= 0x7c && t <= 0x7f)) r.offset++;
      else skipLeb(r);
      return FLOAT_TYPES.has(t);
    }
    case 0x0c: case 0x0d: case 0x10: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x41: case 0x42:
      skipLeb(r);
      return false;
    case 0x0e: {
      const n = r.u32();
      for (let i = 0; i <= n; i++) skipLeb(r);
      return false;
    }
    case 0x11: skipLeb(r); r.byte(); return false;
    case 0x1c: { skipLeb(r); return FLOAT_TYPES.has(r.byte()); }
    case 0x3f: case 0x40: r.byte(); return false;
    case 0x43: r.offset += 4; return true;
    case 0x44: r.offset += 8; return true;
    case 0xfc: {
      const sub = r.u32();
      if (sub === 10) r.offset += 2;
      else if (sub === 11) r.offset += 1;
      else if (sub === 8) { skipLeb(r); r.offset += 1; }
      else if (sub === 9) skipLeb(r);
      return sub <= 7;
    }
    default:
      if (op >= 0x28 && op <= 0x3e) {
        skipLeb(r);
        skipLeb(r);
      }
      return isFloatOpcode(op);
  }
}

/** True when the module has a float anywhere: a type, a global, a local or an instruction. */
export function usesFloats(bytes: Uint8Array): boolean {
  const info = readModule(bytes);
  if (info.types.some((t) => /f32|f64/.test(t))) return true;
  const globals = readSections(bytes).find((s) => s.id === 6);
  if (globals) {
    const r = new Reader(bytes, globals.start, globals.end);
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      if (FLOAT_TYPES.has(r.byte())) return true;
      r.byte();
      // An integer global's initializer: i32.const or i64.const, its LEB, then end.
      r.byte();
      skipLeb(r);
      r.byte();
    }
  }
  for (const body of readCodeBodies(bytes, info.importedFunctions)) {
    const r = new Reader(bytes, body.start, body.end);
    r.u32();
    const runs = r.u32();
    for (let i = 0; i < runs; i++) {
      r.u32();
      if (FLOAT_TYPES.has(r.byte())) return true;
    }
    while (r.offset < body.end) if (floatInstruction(r)) return true;
  }
  return false;
}
