// Flashing over a serial port, end to end: QEMU runs the board's bootloader with its console on a
// pseudo-terminal; anyk flash (serialport) sends images to it; the tests then talk to the image
// through the same port, and damage, cut and misdirect transfers to see them refused while the
// previous image keeps booting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { ANYK, anyk, ROOT, tempBuildDir } from "./helpers/cli.js";
import { imageOf, openConsole, PTY_SETTLE_MS, sleep, startBootloader, startOnPty, type BootloaderSession } from "./helpers/bootloader.js";
import { crc32, HEADER_BYTES, readHeader, sealImage } from "../scripts/lib/loader/image-format.js";
import { encodeFrame, FRAME, FrameReader } from "../scripts/lib/loader/frames.js";
import { flashImage } from "../scripts/lib/loader/flasher.js";
import { linkOf } from "../scripts/lib/loader/serial.js";
import { LOADER_BOARDS } from "./helpers/boards.js";

const BOARD = "lm3s6965evb";
/** A board whose slot is RAM (QEMU has no Stellaris flash controller) and one whose slot is flash. */
const BOARDS = LOADER_BOARDS;
let env: Record<string, string>;
let scratch: string;
const images: Record<string, { echo: string; hello: string }> = {};
let echoImage: string;
const sessions: BootloaderSession[] = [];

beforeAll(async () => {
  env = { ANYK_BUILD_DIR: tempBuildDir("flash") };
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-flash-test-"));
  for (const board of BOARDS) {
    images[board] = { echo: await imageOf("echo", board, env), hello: await imageOf("hello", board, env) };
    const r = await anyk(["build", "--bootloader", "--board", board], { env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
  }
  echoImage = images[BOARD].echo;
}, 300_000);

afterEach(() => {
  sessions.splice(0).forEach((s) => s.kill());
});

async function bootloader(board = BOARD): Promise<BootloaderSession> {
  const s = await startBootloader(board, env);
  sessions.push(s);
  return s;
}

/** A copy of an image with one thing changed, written to a file. */
function variant(image: string, name: string, change: (bytes: Uint8Array) => Uint8Array): string {
  const file = path.join(scratch, `${path.basename(path.dirname(path.dirname(image)))}-${name}.img`);
  fs.writeFileSync(file, change(Uint8Array.from(fs.readFileSync(image))));
  return file;
}

/** Rewrites header fields and seals the image again, as a build for another board or ABI would. */
function resealed(bytes: Uint8Array, edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  edit(new DataView(copy.buffer), copy);
  return sealImage(copy, readHeader(copy).ramSize);
}

describe.each(BOARDS)("flashing %s over a pseudo-terminal", (board) => {
  it("sends echo to the bootloader, which verifies and boots it; echo then answers on the same port", async () => {
    const echoImage = images[board].echo;
    const s = await bootloader(board);
    const r = await anyk(["flash", echoImage, "--port", s.pty], { env, timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const size = fs.statSync(echoImage).size;
    expect(r.stdout).toMatch(new RegExp(`^flashed .*kernel\\.img to ${board} on ${s.pty}: ${size} bytes in \\d+ ms \\(\\d+ B/s\\); verified, booting\\n$`));
    const c = await openConsole(s.pty);
    await sleep(PTY_SETTLE_MS);
    c.write("over the wire\n");
    await c.waitFor("OVER THE WIRE\n");
    c.write("quit\n");
    expect(await s.closed).toBe(0);
    await c.close();
  }, 120_000);

  /** Flashes echo, lets `refusals` run against the bootloader, then resets: echo, the previous image, must boot. */
  async function previousStillBoots(refusals: (s: BootloaderSession, echoImage: string) => Promise<void>): Promise<void> {
    const echoImage = images[board].echo;
    const s = await bootloader(board);
    const good = await anyk(["flash", echoImage, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
    expect(good.code, good.stderr).toBe(0);
    await refusals(s, echoImage);
    // After a reset the bootloader waits its window, then boots the image that verified: echo.
    const c = await openConsole(s.pty);
    await s.monitor("system_reset");
    await c.poke("still here\n", "STILL HERE\n");
    c.write("quit\n");
    expect(await s.closed).toBe(0);
    await c.close();
  }

  /** anyk flash refuses the file itself; with --force the bootloader refuses it, and says why. */
  async function refusedOnBothSides(s: BootloaderSession, file: string, host: RegExp, boot: RegExp, label: string): Promise<void> {
    const byHost = await anyk(["flash", file, "--port", s.pty], { env, timeoutMs: 60_000 });
    expect(byHost.code, label).toBe(1);
    expect(byHost.stderr, label).toMatch(host);
    const byBootloader = await anyk(["flash", file, "--port", s.pty, "--force", "--no-boot"], { env, timeoutMs: 60_000 });
    expect(byBootloader.code, label).toBe(1);
    expect(byBootloader.stderr, label).toMatch(new RegExp(`the bootloader on ${s.pty} refused the image: ${boot.source}`));
  }

  it("refuses an image with a flipped byte (header, payload start, middle, end) on both sides; the previous image still boots", async () => {
    await previousStillBoots(async (s, echoImage) => {
      const size = fs.statSync(echoImage).size;
      const cases = [
        { name: "flip-board-name", at: 12, host: /its header CRC does not match/, boot: /image header CRC mismatch/ },
        { name: "flip-payload-start", at: HEADER_BYTES, host: /its payload CRC does not match/, boot: /image payload CRC mismatch/ },
        { name: "flip-payload-middle", at: Math.floor(size / 2), host: /its payload CRC does not match/, boot: /image payload CRC mismatch/ },
        { name: "flip-last-byte", at: size - 1, host: /its payload CRC does not match/, boot: /image payload CRC mismatch/ },
      ];
      for (const c of cases) await refusedOnBothSides(s, variant(echoImage, c.name, (b) => ((b[c.at] ^= 0x5a), b)), c.host, c.boot, c.name);
    });
  }, 180_000);

  it("refuses an image for another board on both sides; the previous image still boots", async () => {
    const other = board === "microbit" ? "lm3s6965evb" : "microbit";
    await previousStillBoots(async (s, echoImage) => {
      const file = variant(echoImage, "other-board", (b) => resealed(b, (_, bytes) => bytes.set(Buffer.from(other.padEnd(24, "\0"), "latin1"), 12)));
      await refusedOnBothSides(s, file, new RegExp(`the image is for ${other}, but the bootloader on .* is ${board}'s`), new RegExp(`image is for another board than ${board} \\(other board\\)`), "other board");
    });
  }, 180_000);

  it("refuses an image for another hypercall ABI version, and a wasm image (this bootloader has no interpreter), on both sides; the previous image still boots", async () => {
    const wasmImage = await imageOf("echo", board, env, ["--engine", "interp"]);
    await previousStillBoots(async (s, echoImage) => {
      const file = variant(echoImage, "other-abi", (b) => resealed(b, (v) => v.setUint32(8, 99, true)));
      await refusedOnBothSides(s, file, /the image uses hypercall ABI version 99, the bootloader on .* version 1/, /image is for another hypercall ABI version \(other ABI version\)/, "other ABI");
      await refusedOnBothSides(s, wasmImage, /the image is kernel.wasm \(a wasm image\), but the bootloader on .* runs native images only/, /image format version differs from this bootloader's \(other format\)/, "wasm image");
    });
  }, 180_000);

  it("refuses a truncated transfer (end before all bytes came) on both sides; the previous image still boots", async () => {
    await previousStillBoots(async (s) => {
      const c = await openConsole(s.pty);
      const hello = fs.readFileSync(images[board].hello);
      await flashImage(linkOf(c.port), hello, s.pty, { stopAfterChunks: 1, noGo: true });
      const reader = new FrameReader();
      const refused = new Promise<string>((resolve) => c.port.on("data", (d: Buffer) => reader.push(d).filter((f) => f.type === FRAME.refused).forEach((f) => resolve(f.payload.subarray(1).toString("latin1")))));
      c.write(encodeFrame(FRAME.end));
      expect(await refused).toBe("image is truncated: end before all its bytes arrived");
      await sleep(100);
      expect(reader.text).toContain("anyk-boot: refused: image is truncated");
      await c.close();
    });
  }, 180_000);

  it("flashes and boots an image that exits at once: the port closing after 'go' is no error", async () => {
    const s = await bootloader(board);
    const r = await anyk(["flash", images[board].hello, "--port", s.pty], { env, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/; verified, boot(ing|ed \(the port closed as the image started\))\n$/);
    expect(await s.closed).toBe(0);
  }, 180_000);

  it("after a transfer cut midway and a reset the previous image boots, and a new flash resumes where the cut one stopped", async () => {
    const s = await bootloader(board);
    const first = await anyk(["flash", images[board].echo, "--port", s.pty, "--no-boot"], { env, timeoutMs: 60_000 });
    expect(first.code, first.stderr).toBe(0);
    const c = await openConsole(s.pty);
    const hello = fs.readFileSync(images[board].hello);
    const cut = await flashImage(linkOf(c.port), hello, s.pty, { stopAfterChunks: 1, noGo: true });
    expect(cut.resumedFrom).toBe(0);

    // Cut: the host goes away; a reset boots the previous image (echo), whole.
    await s.monitor("system_reset");
    await c.poke("previous\n", "PREVIOUS\n");

    // Reset again and say hello at once: the bootloader stays, reports the staged bytes, and the
    // new transfer resumes there, verifies and boots hello.
    const reset = s.monitor("system_reset");
    const done = await flashImage(linkOf(c.port), hello, s.pty, { helloTimeoutMs: 5000, noGo: true });
    await reset;
    expect(done.resumedFrom).toBeGreaterThan(HEADER_BYTES);
    expect(done.info.staged).toBe(done.resumedFrom);
    // hello prints and exits at once, and QEMU can take the bootloader's last bytes (its answer to
    // "go" among them) with it when it closes the pty; so "go" is sent without awaiting that answer
    // and hello's exit is the check. echo, the previous image, would wait for input instead.
    c.write(encodeFrame(FRAME.go));
    expect(await s.closed).toBe(0);
    await c.close();
  }, 180_000);
});

/** Sends a FAULT frame (fault-injection bootloaders): allow `cut` more operations; returns those done since the last. */
async function fault(c: Awaited<ReturnType<typeof openConsole>>, cut: number): Promise<number> {
  const reader = new FrameReader();
  const payload = Buffer.alloc(4);
  payload.writeUInt32LE(cut);
  const reply = new Promise<number>((resolve) => {
    const listener = (d: Buffer) => {
      const ack = reader.push(d).find((f) => f.type === FRAME.ack);
      if (ack) {
        c.port.off("data", listener);
        resolve(ack.payload.readUInt32LE(0));
      }
    };
    c.port.on("data", listener);
  });
  c.write(encodeFrame(0x54, payload));
  return reply;
}

describe("power cut after every flash operation of a transfer (microbit, slot in flash)", () => {
  it("after each cut and a reset the previous image boots, and a fresh flash succeeds", async () => {
    const board = "microbit";
    const built = await anyk(["build", "--bootloader", "--board", board, "--fault-injection"], { env, timeoutMs: 120_000 });
    expect(built.code, built.stderr).toBe(0);
    const s = await startOnPty(["--bootloader", "--fault-injection", "--board", board], env);
    sessions.push(s);
    const c = await openConsole(s.pty);
    await sleep(PTY_SETTLE_MS);
    const echo = fs.readFileSync(images[board].echo);
    const hello = fs.readFileSync(images[board].hello);
    await flashImage(linkOf(c.port), echo, s.pty, { noGo: true });

    // Count the erase and write operations of one whole transfer of hello (without its "end").
    await fault(c, 0);
    await flashImage(linkOf(c.port), hello, s.pty, { stopAfterChunks: 1000 });
    const operations = await fault(c, 0);
    expect(operations).toBeGreaterThan(6);
    console.log(`power-cut test: ${operations} erase and write operations in a transfer of hello (${hello.length} bytes)`);

    for (let cut = 1; cut <= operations; cut++) {
      await fault(c, cut);
      // The bootloader goes silent at the cut: the flasher gives up on it.
      await expect(flashImage(linkOf(c.port), hello, s.pty, { noGo: true, replyTimeoutMs: 300, retries: 1, helloTimeoutMs: 1000 })).rejects.toThrow(/stopped answering/);
      await s.monitor("system_reset");
      // After the window the slot's image boots; until then the line is noise to the bootloader.
      await c.poke(`cut ${cut}\n`, `CUT ${cut}\n`);
      // Back into the bootloader: a fresh flash succeeds (resuming when the record allows), then echo again.
      const reset = s.monitor("system_reset");
      await flashImage(linkOf(c.port), hello, s.pty, { noGo: true, helloTimeoutMs: 3000 });
      await reset;
      await flashImage(linkOf(c.port), echo, s.pty, { noGo: true });
    }
    s.kill();
  }, 300_000);
});

describe("anyk flash errors", () => {
  it("says when the port answers with something that is not the bootloader", async () => {
    const app = await startOnPty(["echo", "--board", BOARD], env);
    sessions.push(app);
    const pty = app.pty;
    const r = await anyk(["flash", echoImage, "--port", pty], { env, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`no anyk bootloader answered on ${pty} within 5 s`));
  }, 60_000);

  it("says when the port does not exist, and when it is busy", async () => {
    const missing = await anyk(["flash", echoImage, "--port", "/dev/pts/9999"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/serial port \/dev\/pts\/9999 does not exist/);
    const s = await bootloader();
    const holder = await openConsole(s.pty);
    const busy = await anyk(["flash", echoImage, "--port", s.pty], { env });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(new RegExp(`serial port ${s.pty} is busy`));
    await holder.close();
  }, 60_000);

  it("checks the image file before opening any port", async () => {
    const r = await anyk(["flash", path.join(scratch, "none.img"), "--port", "/dev/null"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/none\.img: no such image file/);
    const text = path.join(scratch, "text.img");
    fs.writeFileSync(text, "x".repeat(200));
    const bad = await anyk(["flash", text, "--port", "/dev/null"], { env });
    expect(bad.stderr).toMatch(/not a sound anyk image: it does not start with an anyk image header/);
  });
});

describe("anyk monitor", () => {
  it("passes typed bytes to the board and its replies back, and leaves on Ctrl-]", async () => {
    const app = await startOnPty(["echo", "--board", BOARD], env);
    sessions.push(app);
    const child = spawn(process.execPath, [ANYK, "monitor", "--port", app.pty], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = new Promise<number | null>((resolve) => child.on("close", resolve));
    await sleep(PTY_SETTLE_MS);
    child.stdin.write("through the monitor\n");
    for (let i = 0; i < 100 && !out.includes("THROUGH THE MONITOR"); i++) await sleep(100);
    expect(out).toContain("THROUGH THE MONITOR\n");
    child.stdin.write("\x1d");
    expect(await code).toBe(0);
  }, 60_000);

  it("lists serial ports without failing where udev is missing", async () => {
    const r = await anyk(["monitor", "--list", "--json"], { env });
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });
});

describe("the image format", () => {
  it("carries a header the build sealed: magic, board, ABI, slot address, length and both CRCs", () => {
    const bytes = fs.readFileSync(echoImage);
    const h = readHeader(bytes);
    expect(h.board).toBe(BOARD);
    expect(h.abiVersion).toBe(JSON.parse(fs.readFileSync("abi/hypercall.json", "utf8")).version);
    const loader = JSON.parse(fs.readFileSync(`boards/${BOARD}/board.json`, "utf8")).loader;
    expect(h.loadAddress).toBe(Number(loader.slot.start));
    expect(h.length).toBe(bytes.length - HEADER_BYTES);
    expect(h.payloadCrc).toBe(crc32(bytes.subarray(HEADER_BYTES)));
    expect(h.headerCrc).toBe(crc32(bytes.subarray(0, HEADER_BYTES - 4)));
    // The UART's register window and interrupt line are the image's grants.
    expect(h.grants).toEqual([{ base: 0x4000c000, size: 0x1000 }]);
    expect(h.lines).toEqual([5]);
  });
});
