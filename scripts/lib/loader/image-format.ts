// The image format of loader mode (abi/loader.json): a header, then the payload. The build fills
// in the length, the RAM size and both CRC-32s after linking; the bootloader and `anyk flash`
// check them.
import { HEADER_AT as AT, HEADER_BYTES, IMAGE_BOARD_CHARS as BOARD_CHARS, IMAGE_FORMAT, IMAGE_FORMAT_WASM, IMAGE_MAGIC, IMAGE_MAX_GRANTS, IMAGE_MAX_LINES, IMAGE_SIGNED } from "../../../abi/gen/loader.js";
import { ABI_VERSION } from "../../../abi/gen/hypercall.js";

export { HEADER_BYTES, IMAGE_FORMAT, IMAGE_FORMAT_WASM, IMAGE_MAGIC };

export interface ImageHeader {
  magic: number;
  format: number;
  abiVersion: number;
  board: string;
  loadAddress: number;
  length: number;
  entry: number;
  ramStart: number;
  ramSize: number;
  grants: Array<{ base: number; size: number }>;
  lines: number[];
  payloadCrc: number;
  headerCrc: number;
}

let table: Uint32Array | undefined;

/** CRC-32 as zlib and the bootloader compute it (IEEE 802.3, reflected). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  crc = ~crc >>> 0;
  for (const b of bytes) crc = (table[(crc ^ b) & 0xff] ^ (crc >>> 8)) >>> 0;
  return ~crc >>> 0;
}

export function readHeader(image: Uint8Array): ImageHeader {
  if (image.length < HEADER_BYTES) throw new Error(`${image.length} bytes is shorter than an image header (${HEADER_BYTES})`);
  const v = new DataView(image.buffer, image.byteOffset, HEADER_BYTES);
  const u32 = (at: number) => v.getUint32(at, true);
  const boardBytes = image.subarray(AT.board, AT.board + BOARD_CHARS);
  const end = boardBytes.indexOf(0);
  return {
    magic: u32(AT.magic),
    format: u32(AT.format),
    abiVersion: u32(AT.abiVersion),
    board: Buffer.from(boardBytes.subarray(0, end < 0 ? BOARD_CHARS : end)).toString("latin1"),
    loadAddress: u32(AT.loadAddress),
    length: u32(AT.length),
    entry: u32(AT.entry),
    ramStart: u32(AT.ramStart),
    ramSize: u32(AT.ramSize),
    grants: Array.from({ length: Math.min(u32(AT.grantCount), IMAGE_MAX_GRANTS) }, (_, i) => ({ base: u32(AT.grants + 8 * i), size: u32(AT.grants + 8 * i + 4) })),
    lines: Array.from(image.subarray(AT.lines, AT.lines + Math.min(u32(AT.lineCount), IMAGE_MAX_LINES))),
    payloadCrc: u32(AT.payloadCrc),
    headerCrc: u32(AT.headerCrc),
  };
}

/** Fills in what only the linked image knows: its length, RAM size and the two CRCs. */
export function sealImage(image: Uint8Array, ramSize: number): Uint8Array {
  const out = Uint8Array.from(image);
  const v = new DataView(out.buffer, 0, HEADER_BYTES);
  v.setUint32(AT.length, out.length - HEADER_BYTES, true);
  v.setUint32(AT.ramSize, ramSize, true);
  v.setUint32(AT.payloadCrc, crc32(out.subarray(HEADER_BYTES)), true);
  v.setUint32(AT.headerCrc, crc32(out.subarray(0, AT.headerCrc)), true);
  return out;
}

export interface WasmImageFields {
  board: string;
  /** The board's slot and image RAM (the bootloader checks them as for a native image). */
  slotStart: number;
  ramStart: number;
  /** The module's linear memory: static data and heap cap, as the firmware sizes it. */
  linearBytes: number;
  /** The register windows the build bound; the bootloader accepts only its board's own devices. */
  grants: Array<{ base: number; size: number }>;
  lines: number[];
}

/** A wasm image (format IMAGE_FORMAT_WASM): the header over kernel.wasm as it is, sealed. */
export function wasmImage(wasm: Uint8Array, f: WasmImageFields): Uint8Array {
  if (f.grants.length > IMAGE_MAX_GRANTS || f.lines.length > IMAGE_MAX_LINES) throw new Error(`an image names at most ${IMAGE_MAX_GRANTS} windows and ${IMAGE_MAX_LINES} lines`);
  const out = new Uint8Array(HEADER_BYTES + wasm.length);
  const v = new DataView(out.buffer);
  v.setUint32(AT.magic, IMAGE_MAGIC, true);
  v.setUint32(AT.format, IMAGE_FORMAT_WASM, true);
  v.setUint32(AT.abiVersion, ABI_VERSION, true);
  out.set(Buffer.from(f.board, "latin1").subarray(0, BOARD_CHARS - 1), AT.board);
  v.setUint32(AT.loadAddress, f.slotStart, true);
  v.setUint32(AT.entry, 0, true);
  v.setUint32(AT.ramStart, f.ramStart, true);
  v.setUint32(AT.grantCount, f.grants.length, true);
  f.grants.forEach((g, i) => {
    v.setUint32(AT.grants + 8 * i, g.base, true);
    v.setUint32(AT.grants + 8 * i + 4, g.size, true);
  });
  v.setUint32(AT.lineCount, f.lines.length, true);
  out.set(f.lines, AT.lines);
  out.set(wasm, HEADER_BYTES);
  return sealImage(out, f.linearBytes);
}

/** Everything wrong with an image on its own (not yet against a board): empty when it is sound. */
export function imageProblems(image: Uint8Array): string[] {
  if (image.length < HEADER_BYTES) return [`it is ${image.length} bytes, shorter than an image header (${HEADER_BYTES} bytes)`];
  const h = readHeader(image);
  const problems: string[] = [];
  if (h.magic !== IMAGE_MAGIC) return ["it does not start with an anyk image header (magic \"ANYK\")"];
  if (crc32(image.subarray(0, AT.headerCrc)) !== h.headerCrc) problems.push("its header CRC does not match");
  const format = h.format & ~IMAGE_SIGNED;
  if (format !== IMAGE_FORMAT && format !== IMAGE_FORMAT_WASM) problems.push(`its format version is ${h.format}, this anyk writes ${IMAGE_FORMAT} (native) and ${IMAGE_FORMAT_WASM} (wasm)`);
  if (image.length !== HEADER_BYTES + h.length) problems.push(`its header says ${h.length} payload bytes, the file has ${image.length - HEADER_BYTES}`);
  else if (crc32(image.subarray(HEADER_BYTES)) !== h.payloadCrc) problems.push("its payload CRC does not match");
  return problems;
}
