// The loader protocol's frame codec, on hand-made byte streams: text and noise between frames,
// frames split across reads, a corrupted frame skipped, and the image header's sealing.
import { describe, expect, it } from "vitest";
import { encodeFrame, FRAME, FrameReader } from "../scripts/lib/loader/frames.js";
import { crc32, HEADER_BYTES, imageProblems, sealImage } from "../scripts/lib/loader/image-format.js";

describe("frames", () => {
  it("encode as 0xA5, type, length, payload, CRC-32 of type..payload", () => {
    const f = encodeFrame(FRAME.ack, Buffer.from([1, 2, 3, 4]));
    expect([...f.subarray(0, 8)]).toEqual([0xa5, 0x41, 4, 0, 1, 2, 3, 4]);
    expect(f.readUInt32LE(8)).toBe(crc32(Buffer.from([0x41, 4, 0, 1, 2, 3, 4])));
  });

  it("are found among text and noise, across reads, and a corrupted one is skipped", () => {
    const good = encodeFrame(FRAME.info, Buffer.from("payload"));
    const bad = Buffer.from(encodeFrame(FRAME.ack, Buffer.from([9, 9, 9, 9])));
    bad[5] ^= 1;
    const stream = Buffer.concat([Buffer.from("anyk-boot 1 demo\r\n"), bad, Buffer.from([0xa5, 0xff, 0xff]), good, Buffer.from("tail")]);
    const reader = new FrameReader();
    const frames = [];
    for (let i = 0; i < stream.length; i += 5) frames.push(...reader.push(stream.subarray(i, i + 5)));
    expect(frames).toEqual([{ type: FRAME.info, payload: Buffer.from("payload") }]);
    expect(reader.text.startsWith("anyk-boot 1 demo\r\n")).toBe(true);
    expect(reader.text.endsWith("tail")).toBe(true);
  });

  it("CRC-32 is the IEEE one (zlib's check value for '123456789')", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });
});

describe("sealing an image", () => {
  it("fills in the length and both CRCs, and any later change shows", () => {
    const raw = new Uint8Array(HEADER_BYTES + 40);
    new DataView(raw.buffer).setUint32(0, 0x4b594e41, true);
    new DataView(raw.buffer).setUint32(4, 1, true);
    raw.fill(7, HEADER_BYTES);
    const sealed = sealImage(raw, 128);
    expect(imageProblems(sealed)).toEqual([]);
    const damaged = Uint8Array.from(sealed);
    damaged[HEADER_BYTES + 3] ^= 1;
    expect(imageProblems(damaged)).toEqual(["its payload CRC does not match"]);
    expect(imageProblems(sealed.subarray(0, HEADER_BYTES + 10))).toEqual(["its header says 40 payload bytes, the file has 10"]);
  });
});
