// The host side of the loader protocol: finds the bootloader, sends an image chunk by chunk with
// every chunk acknowledged (resent on a NAK or a timeout, a bounded number of times), resumes a
// cut transfer from the offset the bootloader holds, has it verify the whole image, then boots it.
import { UserError } from "../errors.js";
import { HEADER_BYTES, IMAGE_FORMAT_WASM, readHeader } from "./image-format.js";
import { IMAGE_SIGNED, REFUSAL_CODES } from "../../../abi/gen/loader.js";
import { encodeFrame, FRAME, FrameReader, parseInfo, type BootloaderInfo, type Frame } from "./frames.js";

/** A byte stream to the board: a serial port, or anything that behaves like one. */
export interface Link {
  write(bytes: Buffer): void;
  /** Adds a listener for received bytes; returns what removes it. */
  onData(listener: (bytes: Buffer) => void): () => void;
  /** Told when the port goes away or fails (a pty whose QEMU exited, a board unplugged); returns what removes it. */
  onClose?(listener: () => void): () => void;
}

export interface FlashProgress {
  sent: number;
  total: number;
  bytesPerSecond: number;
}

export interface FlashOptions {
  /** Send the image even when the bootloader's board or ABI differs (to see the bootloader refuse it). */
  force?: boolean;
  /** How long to keep saying hello before giving up (ms). */
  helloTimeoutMs?: number;
  /** How long to wait for each reply (ms). */
  replyTimeoutMs?: number;
  retries?: number;
  onProgress?(p: FlashProgress): void;
  /** Stop after this many data chunks, without "end" (tests: a transfer cut midway). */
  stopAfterChunks?: number;
  /** Don't boot the image after it verified. */
  noGo?: boolean;
}

export interface FlashResult {
  info: BootloaderInfo;
  bytes: number;
  resumedFrom: number;
  milliseconds: number;
  retries: number;
  /** The bootloader's own text (its announcement, its reasons), as it came. */
  text: string;
  /** The port closed after "go", before its answer came: the image started and ended the session (QEMU exits with it). */
  closedAfterGo?: boolean;
}


export class BootloaderRefused extends UserError {}
class PortClosed extends UserError {}

export async function flashImage(link: Link, image: Uint8Array, port: string, options: FlashOptions = {}): Promise<FlashResult> {
  const header = readHeader(image);
  const reader = new FrameReader();
  const queue: Frame[] = [];
  let wake: (() => void) | undefined;
  const stopData = link.onData((bytes) => {
    queue.push(...reader.push(bytes));
    wake?.();
  });
  let closed = false;
  const stopClose = link.onClose?.(() => {
    closed = true;
    wake?.();
  });
  // One port serves many transfers (and then the image): each leaves no listener behind.
  try {
    return await transfer();
  } finally {
    stopData();
    stopClose?.();
  }

  async function transfer(): Promise<FlashResult> {
    const replyTimeout = options.replyTimeoutMs ?? 1500;
    const retries = options.retries ?? 5;
    let retried = 0;

    /** The next frame of one of `types` (others are stale replies: skipped), or undefined on timeout. */
    const next = async (types: number[], timeoutMs: number, accept: (f: Frame) => boolean = () => true): Promise<Frame | undefined> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        while (queue.length) {
          const f = queue.shift()!;
          if (f.type === FRAME.refused) {
            const reason = f.payload.subarray(1).toString("latin1");
            throw new BootloaderRefused(`the bootloader on ${port} refused the image: ${reason} (${REFUSAL_CODES[f.payload[0]] ?? `code ${f.payload[0]}`})`);
          }
          if (types.includes(f.type) && accept(f)) return f;
        }
        const left = until - Date.now();
        if (left <= 0 || closed) return undefined;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          wake = () => (clearTimeout(t), resolve());
        });
        wake = undefined;
      }
    };

    /** Sends a frame until a wanted reply comes, at most `retries` more times. */
    const exchange = async (frame: Buffer, types: number[], what: string, accept?: (f: Frame) => boolean): Promise<Frame> => {
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (closed) throw new PortClosed(`the port ${port} closed while waiting for the bootloader (${what})`);
        if (attempt > 0) retried++;
        link.write(frame);
        const reply = await next(types, replyTimeout, accept);
        if (reply) return reply;
      }
      throw new UserError(`the bootloader on ${port} stopped answering (${what}: no reply after ${retries + 1} tries)`);
    };

    // Hello until the bootloader answers: it may be busy announcing itself, or the port just opened.
    const helloUntil = Date.now() + (options.helloTimeoutMs ?? 5000);
    let infoFrame: Frame | undefined;
    while (!infoFrame && Date.now() < helloUntil && !closed) {
      // Often: a bootloader waits only a short window after reset.
      link.write(encodeFrame(FRAME.hello));
      infoFrame = await next([FRAME.info], 100);
    }
    if (!infoFrame) {
      const heard = reader.text.replace(/[^\x20-\x7e]+/g, " ").trim().slice(0, 80);
      throw new UserError(`no anyk bootloader answered on ${port} within ${Math.round((options.helloTimeoutMs ?? 5000) / 1000)} s (${heard ? `it sent: "${heard}"` : "it sent nothing"}); is the board in its bootloader (reset it) and the port right?`);
    }
    const info = parseInfo(infoFrame.payload);
    if (!options.force) {
      if (info.board !== header.board) throw new UserError(`the image is for ${header.board}, but the bootloader on ${port} is ${info.board}'s; build it with --board ${info.board}`);
      if (info.abiVersion !== header.abiVersion) throw new UserError(`the image uses hypercall ABI version ${header.abiVersion}, the bootloader on ${port} version ${info.abiVersion}; rebuild the image or the bootloader with this anyk`);
      if (image.length > info.slotSize) throw new UserError(`the image is ${image.length} bytes, the bootloader's slot ${info.slotSize}`);
      if ((header.format & ~IMAGE_SIGNED) === IMAGE_FORMAT_WASM && info.format < IMAGE_FORMAT_WASM) {
        throw new UserError(`the image is kernel.wasm (a wasm image), but the bootloader on ${port} runs native images only; boot a bootloader built with --engine interp, or flash without --engine interp`);
      }
    }

    const started = performance.now();
    const resume = info.staged > HEADER_BYTES && info.stagedCrc === header.payloadCrc && info.staged < image.length ? 1 : 0;
    const begin = Buffer.alloc(HEADER_BYTES + 4);
    begin.set(image.subarray(0, HEADER_BYTES));
    begin.writeUInt32LE(resume, HEADER_BYTES);
    let offset = (await exchange(encodeFrame(FRAME.begin, begin), [FRAME.ack], "begin")).payload.readUInt32LE(0);
    const resumedFrom = offset > HEADER_BYTES ? offset : 0;
    const chunk = Math.min(info.maxChunk, 512);
    let chunks = 0;
    while (offset < image.length) {
      if (options.stopAfterChunks !== undefined && chunks >= options.stopAfterChunks) break;
      const bytes = image.subarray(offset, Math.min(image.length, offset + chunk));
      const data = Buffer.alloc(4 + bytes.length);
      data.writeUInt32LE(offset, 0);
      data.set(bytes, 4);
      const sentAt = offset;
      // A stale ack (for an earlier chunk) is skipped; a NAK names the offset to go back to.
      const reply = await exchange(encodeFrame(FRAME.data, data), [FRAME.ack, FRAME.nak], `chunk at ${sentAt}`, (f) => f.type === FRAME.nak || f.payload.readUInt32LE(0) > sentAt);
      if (reply.type === FRAME.nak) retried++;
      offset = reply.payload.readUInt32LE(0);
      chunks++;
      const seconds = (performance.now() - started) / 1000;
      options.onProgress?.({ sent: offset, total: image.length, bytesPerSecond: seconds > 0 ? (offset - resumedFrom) / seconds : 0 });
    }
    const result = { info, bytes: image.length, resumedFrom, milliseconds: performance.now() - started, retries: retried, text: "" };
    // A transfer stopped on purpose (stopAfterChunks) ends here, before "end", even when all chunks went.
    if (offset < image.length || options.stopAfterChunks !== undefined) return { ...result, text: reader.text };
    await exchange(encodeFrame(FRAME.end), [FRAME.verified], "verify");
    let closedAfterGo = false;
    if (!options.noGo) {
      try {
        await exchange(encodeFrame(FRAME.go), [FRAME.verified], "boot");
      } catch (err) {
        // The image runs once "go" arrived; under QEMU an image that exits takes the port with it,
        // often before the answer has been read.
        if (!(err instanceof PortClosed)) throw err;
        closedAfterGo = true;
      }
    }
    return { ...result, milliseconds: performance.now() - started, retries: retried, text: reader.text, closedAfterGo };
  }
}
