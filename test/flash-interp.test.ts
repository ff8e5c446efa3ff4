// Flashing kernel.wasm itself: a bootloader built with the interpreter (anyk build --bootloader
// --engine interp) runs in QEMU with its console on a pseudo-terminal; anyk flash --engine interp
// sends echo's module under the loader header; the bootloader validates it before it installs it
// and runs it. Modules that do not validate, and headers claiming register windows that are not the
// board's devices, are refused with the reason while the previous image keeps booting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { imageOf, openConsole, PTY_SETTLE_MS, sleep, startOnPty, type BootloaderSession } from "./helpers/bootloader.js";
import { HEADER_BYTES, readHeader, sealImage } from "../scripts/lib/loader/image-format.js";
import { HEADER_AT } from "../abi/gen/loader.js";
import { LOADER_BOARDS, boardData } from "./helpers/boards.js";

let env: Record<string, string>;
let scratch: string;
const images: Record<string, { wasm: string; native: string }> = {};
const sessions: BootloaderSession[] = [];

beforeAll(async () => {
  env = { ANYK_BUILD_DIR: tempBuildDir("flash-interp") };
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-flash-interp-"));
  for (const board of LOADER_BOARDS) {
    images[board] = { wasm: await imageOf("echo", board, env, ["--engine", "interp"]), native: await imageOf("echo", board, env) };
    const r = await anyk(["build", "--bootloader", "--board", board, "--engine", "interp"], { env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
  }
}, 300_000);

afterEach(() => {
  sessions.splice(0).forEach((s) => s.kill());
});

async function bootloader(board: string): Promise<BootloaderSession> {
  const s = await startOnPty(["--bootloader", "--board", board, "--engine", "interp"], env);
  sessions.push(s);
  return s;
}

/** A copy of an image with its bytes edited and both CRCs made right again: only the bootloader's own checks can catch it. */
function resealed(image: string, name: string, edit: (bytes: Uint8Array, view: DataView) => Uint8Array | void): string {
  const original = Uint8Array.from(fs.readFileSync(image));
  const bytes = edit(original, new DataView(original.buffer)) ?? original;
  const file = path.join(scratch, `${name}.img`);
  fs.writeFileSync(file, sealImage(bytes, readHeader(bytes).ramSize));
  return file;
}

describe.each(LOADER_BOARDS)("a bootloader with the interpreter on %s", (board) => {
  it("takes echo's kernel.wasm, in fewer bytes than the native echo, validates and runs it; echo answers on the same port", async () => {
    const image = images[board].wasm;
    expect(readHeader(fs.readFileSync(image)).format).toBe(2);
    const s = await bootloader(board);
    const native = await anyk(["flash", images[board].native, "--port", s.pty, "--no-boot", "--json"], { env, timeoutMs: 60_000 });
    expect(native.code, native.stderr).toBe(0);
    const r = await anyk(["flash", image, "--port", s.pty, "--json"], { env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).bytes).toBe(fs.statSync(image).size);
    expect(JSON.parse(r.stdout).bytes).toBeLessThan(JSON.parse(native.stdout).bytes);
    const c = await openConsole(s.pty);
    await sleep(PTY_SETTLE_MS);
    c.write("interpreted over the wire\n");
    await c.waitFor("INTERPRETED OVER THE WIRE\n");
    c.write("quit\n");
    expect(await s.closed).toBe(0);
    await c.close();
  }, 120_000);

  /** Flashes echo's module, lets `refusals` run, then resets: echo, the previous image, must boot. */
  async function previousStillBoots(refusals: (s: BootloaderSession) => Promise<void>): Promise<void> {
    const s = await bootloader(board);
    const good = await anyk(["flash", images[board].wasm, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
    expect(good.code, good.stderr).toBe(0);
    await refusals(s);
    const c = await openConsole(s.pty);
    await s.monitor("system_reset");
    await c.poke("still here\n", "STILL HERE\n");
    c.write("quit\n");
    expect(await s.closed).toBe(0);
    await c.close();
  }

  it("refuses modules that do not validate, and headers claiming a register window that is not one of the board's devices (the grant escape), wasm or native; the previous image still boots", async () => {
    const wasm = fs.readFileSync(images[board].wasm).subarray(HEADER_BYTES);
    // The first function body's first instruction (past its size and local declarations): made an unknown opcode.
    const codeAt = (() => {
      let at = 8;
      while (at < wasm.length) {
        const id = wasm[at];
        let size = 0, shift = 0, p = at + 1, b: number;
        do { b = wasm[p++]; size |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
        if (id === 10) return p;
        at = p + size;
      }
      throw new Error("no code section");
    })();
    const cases = [
      { name: "not-wasm", edit: (b: Uint8Array) => b.set([0x00, 0x61, 0x73, 0x6e], HEADER_BYTES), reason: /module does not validate: not a WebAssembly module \(version 1\)/ },
      // count (1 byte), size (1 or 2 bytes), local runs: the scan below finds the first opcode byte.
      { name: "bad-opcode", edit: (b: Uint8Array) => { const body = HEADER_BYTES + codeAt + 1; const size = b[body] & 0x80 ? 2 : 1; const locals = body + size; b[locals + 1 + 2 * b[locals]] = 0xd6; }, reason: /module does not validate: an instruction the engine does not know/ },
      { name: "cut-short", edit: (b: Uint8Array) => b.subarray(0, b.length - 8), reason: /module does not validate: (unexpected end of the module|a count is larger than its section|a section's contents are shorter than its size)/ },
    ];
    // The System Control Block (Cortex-M's own, never a board device): with it an image could reset or rewire the core.
    const forged = (image: string, name: string) =>
      resealed(image, `${board}-${name}`, (_, v) => {
        v.setUint32(HEADER_AT.grants, 0xe000ed00, true);
        v.setUint32(HEADER_AT.grants + 4, 0x100, true);
      });
    const devices: Array<{ reg: { base: string } }> = boardData(board).devices;
    expect(devices.some((d) => Number(d.reg.base) === 0xe000ed00)).toBe(false);
    const grantRefusal = /image claims a register window that is not one of the board's devices/;
    await previousStillBoots(async (s) => {
      const refusals: Array<[string, string, RegExp]> = [
        ...cases.map((c): [string, string, RegExp] => [resealed(images[board].wasm, `${board}-${c.name}`, c.edit), c.name, c.reason]),
        [forged(images[board].wasm, "wasm"), "a wasm header's grant", grantRefusal],
        [forged(images[board].native, "native"), "a native header's grant", grantRefusal],
      ];
      for (const [file, what, reason] of refusals) {
        const r = await anyk(["flash", file, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
        expect(r.code, what).toBe(1);
        expect(r.stderr, what).toMatch(new RegExp(`the bootloader on ${s.pty} refused the image: ${reason.source}`));
      }
    });
  }, 240_000);
});
