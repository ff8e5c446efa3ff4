// Firmware for other flashing tools: Intel HEX for every board, UF2 for boards whose file names a
// UF2 family (microbit). Both are decoded here and must give back firmware.bin at the flash address.
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";

let env: Record<string, string>;
beforeAll(() => {
  env = { ANYK_BUILD_DIR: tempBuildDir("formats") };
});

async function outputs(board: string): Promise<Record<string, string>> {
  const r = await anyk(["build", "hello", "--board", board, "--json"], { env, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).outputs;
}

/** Intel HEX records (data, extended linear address, end of file) into address → byte. */
function readIntelHex(text: string): Map<number, number> {
  const bytes = new Map<number, number>();
  let upper = 0;
  for (const line of text.split(/\r?\n/).filter(Boolean)) {
    expect(line[0]).toBe(":");
    const record = Buffer.from(line.slice(1), "hex");
    const sum = record.reduce((a, b) => (a + b) & 0xff, 0);
    expect(sum).toBe(0);
    const [count, hi, lo, type] = record;
    const data = record.subarray(4, 4 + count);
    if (type === 0) data.forEach((b, i) => bytes.set(upper + ((hi << 8) | lo) + i, b));
    else if (type === 4) upper = data.readUInt16BE(0) << 16;
  }
  return bytes;
}

describe("Intel HEX", () => {
  it.each(["lm3s6965evb", "netduinoplus2"])("holds firmware.bin at the flash start on %s", async (board) => {
    const o = await outputs(board);
    const bin = fs.readFileSync(o.bin);
    const flashStart = board === "netduinoplus2" ? 0x08000000 : 0;
    const hex = readIntelHex(fs.readFileSync(o.hex, "utf8"));
    expect(hex.size).toBe(bin.length);
    bin.forEach((b, i) => expect(hex.get(flashStart + i)).toBe(b));
  }, 120_000);
});

describe("UF2", () => {
  it("splits the micro:bit's firmware into 512-byte blocks with the nRF51 family ID", async () => {
    const o = await outputs("microbit");
    const bin = fs.readFileSync(o.bin);
    const uf2 = fs.readFileSync(o.uf2);
    expect(uf2.length % 512).toBe(0);
    const blocks = uf2.length / 512;
    expect(blocks).toBe(Math.ceil(bin.length / 256));
    const rebuilt = Buffer.alloc(blocks * 256);
    for (let i = 0; i < blocks; i++) {
      const b = uf2.subarray(i * 512, (i + 1) * 512);
      // UF2's magic numbers, as its specification gives them.
      expect([b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(508)]).toEqual([0x0a324655, 0x9e5d5157, 0x0ab16f30]);
      expect(b.readUInt32LE(8) & 0x2000).toBe(0x2000);
      expect(b.readUInt32LE(28)).toBe(0x1b57745f);
      expect(b.readUInt32LE(20)).toBe(i);
      expect(b.readUInt32LE(24)).toBe(blocks);
      const address = b.readUInt32LE(12), size = b.readUInt32LE(16);
      b.subarray(32, 32 + size).copy(rebuilt, address);
    }
    expect(rebuilt.subarray(0, bin.length).equals(bin)).toBe(true);
  }, 120_000);

  it("is not written for a board without a UF2 family", async () => {
    const o = await outputs("lm3s6965evb");
    expect(o.uf2).toBeUndefined();
  }, 120_000);
});
