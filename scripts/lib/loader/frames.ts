// The frames of the loader protocol (docs/flash.md): 0xA5, type, length (u16 LE), payload,
// CRC-32 (u32 LE) of type, length and payload. The reader skips whatever is not a whole frame
// with a good CRC: the bootloader's text lines, line noise, a frame cut short.
import { crc32 } from "./image-format.js";
import { FRAME, FRAME_MAX_PAYLOAD, FRAME_START, IMAGE_BOARD_CHARS, INFO_AT } from "../../../abi/gen/loader.js";

export { FRAME, FRAME_START };
export const MAX_PAYLOAD = FRAME_MAX_PAYLOAD;

export interface Frame {
  type: number;
  payload: Buffer;
}

export function encodeFrame(type: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  if (payload.length > MAX_PAYLOAD) throw new Error(`frame payload of ${payload.length} bytes is over ${MAX_PAYLOAD}`);
  const head = Buffer.from([FRAME_START, type, payload.length & 0xff, payload.length >> 8]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(Buffer.concat([head.subarray(1), payload])));
  return Buffer.concat([head, payload, crc]);
}

/** Collects bytes and hands out the whole, CRC-checked frames among them; the rest is text it keeps. */
export class FrameReader {
  private buffer = Buffer.alloc(0);
  /** Bytes that were not part of a frame (the bootloader's messages), as they came. */
  text = "";

  push(bytes: Uint8Array): Frame[] {
    this.buffer = Buffer.concat([this.buffer, bytes]);
    const frames: Frame[] = [];
    for (;;) {
      const start = this.buffer.indexOf(FRAME_START);
      if (start < 0) {
        this.text += this.buffer.toString("latin1");
        this.buffer = Buffer.alloc(0);
        return frames;
      }
      this.text += this.buffer.subarray(0, start).toString("latin1");
      this.buffer = this.buffer.subarray(start);
      if (this.buffer.length < 4) return frames;
      const length = this.buffer.readUInt16LE(2);
      if (length > MAX_PAYLOAD) {
        this.skipOne();
        continue;
      }
      if (this.buffer.length < 8 + length) return frames;
      const crc = this.buffer.readUInt32LE(4 + length);
      if (crc32(this.buffer.subarray(1, 4 + length)) === crc) {
        frames.push({ type: this.buffer[1], payload: Buffer.from(this.buffer.subarray(4, 4 + length)) });
        this.buffer = this.buffer.subarray(8 + length);
      } else this.skipOne();
    }
  }

  /** Not a frame after all: the start byte was text or noise. */
  private skipOne(): void {
    this.text += this.buffer.subarray(0, 1).toString("latin1");
    this.buffer = this.buffer.subarray(1);
  }
}

export interface BootloaderInfo {
  format: number;
  abiVersion: number;
  board: string;
  slotSize: number;
  /** Bytes of an earlier transfer the bootloader holds, and that image's payload CRC. */
  staged: number;
  stagedCrc: number;
  maxChunk: number;
}

export function parseInfo(payload: Buffer): BootloaderInfo {
  const board = payload.subarray(INFO_AT.board, INFO_AT.board + IMAGE_BOARD_CHARS);
  const end = board.indexOf(0);
  return {
    format: payload.readUInt32LE(INFO_AT.format),
    abiVersion: payload.readUInt32LE(INFO_AT.abiVersion),
    board: board.subarray(0, end < 0 ? IMAGE_BOARD_CHARS : end).toString("latin1"),
    slotSize: payload.readUInt32LE(INFO_AT.slotSize),
    staged: payload.readUInt32LE(INFO_AT.staged),
    stagedCrc: payload.readUInt32LE(INFO_AT.stagedCrc),
    maxChunk: payload.readUInt32LE(INFO_AT.maxChunk),
  };
}
