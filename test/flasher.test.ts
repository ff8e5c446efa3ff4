// The host side of the loader protocol against a scripted bootloader (pure logic: the QEMU
// bootloader is tested end to end in flash.test.ts). Here: a port that goes away.
import { describe, expect, it } from "vitest";
import { encodeFrame, FRAME, FrameReader } from "../scripts/lib/loader/frames.js";
import { HEADER_BYTES, sealImage } from "../scripts/lib/loader/image-format.js";
import { flashImage, type Link } from "../scripts/lib/loader/flasher.js";

const BOARD = "demo";

/** A 1 KiB image for BOARD, ABI 1, sealed as a build seals it. */
function image(): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + 1024).map((_, i) => i & 0xff);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0x4b594e41, true);
  v.setUint32(4, 1, true);
  v.setUint32(8, 1, true);
  bytes.fill(0, 12, 36);
  bytes.set(Buffer.from(BOARD, "latin1"), 12);
  return sealImage(bytes, 0);
}

function info(): Buffer {
  const p = Buffer.alloc(48);
  p.writeUInt32LE(1, 0);
  p.writeUInt32LE(1, 4);
  p.write(BOARD, 8, "latin1");
  p.writeUInt32LE(32 * 1024, 32);
  p.writeUInt32LE(512, 44);
  return p;
}

/** A bootloader that answers every frame, except that it closes the port when `closeOn` comes. */
function scriptedBootloader(closeOn: number): Link {
  const reader = new FrameReader();
  let onData: (b: Buffer) => void = () => {};
  let onClose: () => void = () => {};
  let next = 0;
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const reply = (type: number, payload?: Buffer) => setImmediate(() => onData(encodeFrame(type, payload)));
  return {
    write(bytes) {
      for (const f of reader.push(bytes)) {
        if (f.type === closeOn) return void setImmediate(onClose);
        if (f.type === FRAME.hello) reply(FRAME.info, info());
        else if (f.type === FRAME.begin) reply(FRAME.ack, u32((next = HEADER_BYTES)));
        else if (f.type === FRAME.data) reply(FRAME.ack, u32((next += f.payload.length - 4)));
        else reply(FRAME.verified, u32(next));
      }
    },
    onData: (l) => ((onData = l), () => void (onData = () => {})),
    onClose: (l) => ((onClose = l), () => void (onClose = () => {})),
  };
}

describe("the flasher when the port goes away", () => {
  it("counts the image as booted when the port closes after 'go' (QEMU exiting with its image)", async () => {
    const r = await flashImage(scriptedBootloader(FRAME.go), image(), "/dev/demo", { replyTimeoutMs: 200 });
    expect(r.closedAfterGo).toBe(true);
    expect(r.bytes).toBe(HEADER_BYTES + 1024);
  });

  it("fails at once, naming the step, when the port closes before the image verified", async () => {
    const started = Date.now();
    await expect(flashImage(scriptedBootloader(FRAME.end), image(), "/dev/demo", { replyTimeoutMs: 1000 })).rejects.toThrow("the port /dev/demo closed while waiting for the bootloader (verify)");
    // Not after the retries' timeouts: a closed port is not a slow one.
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("reports the answer to 'go' when it comes", async () => {
    const r = await flashImage(scriptedBootloader(-1), image(), "/dev/demo", { replyTimeoutMs: 200 });
    expect(r.closedAfterGo).toBe(false);
  });
});
