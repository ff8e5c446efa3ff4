// Signed images: the Ed25519 verification in platform/crypto against Node's own signer (its host
// build), then end to end in QEMU: a bootloader built with a public key (anyk build --bootloader
// --key) runs only images signed with its private half. An unsigned image, one signed with another
// key, and a signed image whose header was changed afterwards to claim more (a grant it was not
// bound to) are all refused, and the previous image keeps booting.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { anyk, ROOT, tempBuildDir } from "./helpers/cli.js";
import { openConsole, startOnPty, type BootloaderSession } from "./helpers/bootloader.js";
import { HEADER_AT } from "../abi/gen/loader.js";
import { readHeader, sealImage } from "../scripts/lib/loader/image-format.js";
import { signImage } from "../scripts/lib/loader/signing.js";
import { LOADER_BOARDS, boardData } from "./helpers/boards.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-signed-"));
const env = { ANYK_BUILD_DIR: tempBuildDir("signed") };
const sessions: BootloaderSession[] = [];

afterEach(() => {
  sessions.splice(0).forEach((s) => s.kill());
});

describe("the signature check's host build", () => {
  const verifier = path.join(scratch, "verify");
  beforeAll(() => {
    const crypto = path.join(ROOT, "platform", "crypto");
    execFileSync("cc", ["-std=gnu11", "-O2", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-I", crypto, ...["sha512.c", "ed25519.c", "verify-main.c"].map((f) => path.join(crypto, f)), "-o", verifier]);
  });
  const run = (args: string[]) => execFileSync(verifier, args, { encoding: "utf8", env: { ...process.env, ASAN_OPTIONS: "detect_leaks=0" } }).trim();

  it("hashes as Node's SHA-512 does, across block boundaries", () => {
    for (const length of [0, 1, 111, 112, 127, 128, 129, 1000]) {
      const data = crypto.randomBytes(length);
      const file = path.join(scratch, `hash-${length}.bin`);
      fs.writeFileSync(file, data);
      expect(run(["sha512", file]), `${length} bytes`).toBe(crypto.createHash("sha512").update(data).digest("hex"));
    }
  });

  it("accepts Node's Ed25519 signatures and refuses any flipped bit of signature, message or key", () => {
    for (let i = 0; i < 8; i++) {
      const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
      const key = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
      const message = crypto.randomBytes(50 + 97 * i);
      const file = path.join(scratch, `message-${i}.bin`);
      fs.writeFileSync(file, message);
      const signature = crypto.sign(null, message, privateKey);
      expect(run(["verify", key.toString("hex"), signature.toString("hex"), file])).toBe("valid");
      const badSignature = Buffer.from(signature);
      badSignature[(i * 9) % 64] ^= 1 << i % 8;
      expect(run(["verify", key.toString("hex"), badSignature.toString("hex"), file])).toBe("invalid");
      const badKey = Buffer.from(key);
      badKey[i] ^= 0x10;
      expect(run(["verify", badKey.toString("hex"), signature.toString("hex"), file])).toBe("invalid");
      const badMessage = Buffer.from(message);
      badMessage[i * 5] ^= 0x80;
      fs.writeFileSync(file, badMessage);
      expect(run(["verify", key.toString("hex"), signature.toString("hex"), file])).toBe("invalid");
    }
  });
});

describe.each(LOADER_BOARDS)("a bootloader that takes only signed images on %s", (board) => {
  const key = path.join(scratch, `${board}.key`);
  const otherKey = path.join(scratch, `${board}-other.key`);
  const images: Record<string, string> = {};

  beforeAll(async () => {
    for (const file of [key, otherKey]) {
      const r = await anyk(["keygen", "--out", file], { env });
      expect(r.code, r.stderr).toBe(0);
    }
    const build = async (args: string[]) => {
      const r = await anyk(["build", "echo", "--board", board, "--image", "--json", ...args], { env, timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      const file = path.join(scratch, `${board}-${args.join("_").replace(/[^\w]/g, "")}.img`);
      fs.copyFileSync(JSON.parse(r.stdout).outputs.image, file);
      return file;
    };
    images.signed = await build(["--sign", key]);
    images.unsigned = await build([]);
    // Signed as the build signs, with the other key (no second build of the same image).
    images.otherKey = path.join(scratch, `${board}-other-key.img`);
    fs.writeFileSync(images.otherKey, signImage(fs.readFileSync(images.unsigned), otherKey));
    const r = await anyk(["build", "--bootloader", "--board", board, "--key", `${key}.pub`], { env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  it("runs echo signed with its key; refuses it unsigned, signed with another key, or with a grant added after signing; the signed echo still boots", async () => {
    const s = await startOnPty(["--bootloader", "--board", board, "--key", `${key}.pub`], env);
    sessions.push(s);
    const good = await anyk(["flash", images.signed, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
    expect(good.code, good.stderr).toBe(0);
    // A board device echo was not bound to, added to a signed header with the CRCs made right: only the signature can tell.
    const echoWindows = readHeader(fs.readFileSync(images.signed)).grants.map((g) => g.base);
    const other = boardData(board).devices.find((d: { reg?: { base: string }; compatible: string }) => d.reg && d.compatible !== "nordic,nrf51-nvmc" && !echoWindows.includes(Number(d.reg.base)));
    const forged = path.join(scratch, `${board}-forged.img`);
    const bytes = Uint8Array.from(fs.readFileSync(images.signed));
    const view = new DataView(bytes.buffer);
    const count = view.getUint32(HEADER_AT.grantCount, true);
    view.setUint32(HEADER_AT.grants + 8 * count, Number(other.reg.base), true);
    view.setUint32(HEADER_AT.grants + 8 * count + 4, Number(other.reg.size), true);
    view.setUint32(HEADER_AT.grantCount, count + 1, true);
    fs.writeFileSync(forged, sealImage(bytes, readHeader(bytes).ramSize));
    const refusals: Array<[string, RegExp]> = [
      [images.unsigned, /image is not signed, and this bootloader takes only images signed with its key/],
      [images.otherKey, /image signature does not verify with this bootloader's key/],
      [forged, /image signature does not verify with this bootloader's key/],
    ];
    for (const [file, reason] of refusals) {
      const r = await anyk(["flash", file, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toMatch(reason);
    }
    const c = await openConsole(s.pty);
    await s.monitor("system_reset");
    await c.poke("signed\n", "SIGNED\n");
    c.write("quit\n");
    expect(await s.closed).toBe(0);
    await c.close();
  }, 180_000);
});

describe("a bootloader with the interpreter and a key (lm3s6965evb)", () => {
  it("runs a signed kernel.wasm and refuses the unsigned one", async () => {
    const key = path.join(scratch, "interp.key");
    expect((await anyk(["keygen", "--out", key], { env })).code).toBe(0);
    const image = async (sign: boolean) => {
      const r = await anyk(["build", "echo", "--board", "lm3s6965evb", "--image", "--engine", "interp", "--json", ...(sign ? ["--sign", key] : [])], { env, timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).outputs.image as string;
    };
    const [signed, unsigned] = [await image(true), await image(false)];
    const s = await startOnPty(["--bootloader", "--board", "lm3s6965evb", "--engine", "interp", "--key", `${key}.pub`], env);
    sessions.push(s);
    const refused = await anyk(["flash", unsigned, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
    expect(refused.stderr).toMatch(/image is not signed/);
    const r = await anyk(["flash", signed, "--port", s.pty], { env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const c = await openConsole(s.pty);
    await c.poke("wasm signed\n", "WASM SIGNED\n");
    c.write("quit\n");
    expect(await s.closed).toBe(0);
    await c.close();
  }, 180_000);
});
