// First-install flashing through a GDB server: anyk flash --gdb against QEMU's gdbstub (anyk boot
// --gdb), which halts a board running another app; hello is written, read back, started, and greets.
// A proxy that flips one byte of a read-back shows the verify step catching it.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { decodePayload, escapeBinary } from "../scripts/lib/gdb/remote.js";
import { parseMemoryMap } from "../scripts/lib/gdb/load.js";
import { ANYK, anyk, ROOT, tempBuildDir } from "./helpers/cli.js";
import { BOARDS } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("gdb-flash") };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface Halted {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill("SIGKILL");
});

/** anyk boot <app> --gdb: QEMU halted at reset until a debugger takes over. */
async function bootHalted(app: string, board: string, port: number): Promise<Halted> {
  const child = spawn(process.execPath, [ANYK, "boot", app, "--board", board, "--gdb", "--gdb-port", String(port), "--timeout", "60"], { cwd: ROOT, env: { ...process.env, ...env } });
  running.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      if (err.includes("waiting for a debugger")) resolve();
    });
    child.on("exit", () => reject(new Error(`anyk boot ended before QEMU waited for a debugger: ${err}`)));
  });
  return { child, stdout: () => out, exited };
}

describe("anyk flash --gdb against QEMU's gdbstub", () => {
  it.each(BOARDS)("%s: writes hello over a halted board, verifies it, starts it, and it greets", async (board) => {
    const port = await freePort();
    const halted = await bootHalted("test/apps/numbers", board, port);
    const flash = await anyk(["flash", "hello", "--board", board, "--gdb", `localhost:${port}`, "--json"], { env, timeoutMs: 60_000 });
    expect(flash.stderr).toBe("");
    expect(flash.code).toBe(0);
    const report = JSON.parse(flash.stdout);
    expect(report.verified).toBe(true);
    expect(report.bytes).toBeGreaterThan(1000);
    expect(await halted.exited).toBe(0);
    expect(halted.stdout()).toBe(`Hello from anykernel on ${board}\n`);
  }, 120_000);

  it("reports a byte that reads back different from what was written, and does not start the board", async () => {
    const port = await freePort();
    const halted = await bootHalted("test/apps/numbers", "lm3s6965evb", port);
    const proxyPort = await flippingProxy(port);
    const flash = await anyk(["flash", "hello", "--board", "lm3s6965evb", "--gdb", `127.0.0.1:${proxyPort}`], { env, timeoutMs: 60_000 });
    expect(flash.code).toBe(1);
    expect(flash.stderr).toMatch(/^anyk: error: verify failed: the byte at 0x00000000 reads 0x[0-9a-f]{2} after writing 0x[0-9a-f]{2}/);
    // Still halted: nothing was started.
    expect(halted.stdout()).toBe("");
  }, 120_000);

  it("says so when nothing listens, and when the target is not HOST:PORT", async () => {
    const port = await freePort();
    const refused = await anyk(["flash", "hello", "--board", "lm3s6965evb", "--gdb", `localhost:${port}`], { env, timeoutMs: 60_000 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`localhost:${port}: cannot reach a GDB server: connection refused`);
    const bad = await anyk(["flash", "hello", "--board", "lm3s6965evb", "--gdb", "probe"], { env });
    expect(bad.stderr).toContain("--gdb 'probe' is not HOST:PORT");
  }, 120_000);
});

/** Forwards to QEMU, but flips the low bit of the first byte of the first memory read's reply. */
async function flippingProxy(target: number): Promise<number> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    let readPending = false;
    let flipped = false;
    client.on("data", (d) => {
      if (/\$m[0-9a-f]+,/.test(d.toString("latin1"))) readPending = true;
      upstream.write(d);
    });
    upstream.on("data", (d) => {
      let text = d.toString("latin1");
      const m = /\$([0-9a-f]+)#[0-9a-f]{2}/.exec(text);
      if (readPending && !flipped && m) {
        const payload = m[1];
        const first = (parseInt(payload.slice(0, 2), 16) ^ 1).toString(16).padStart(2, "0") + payload.slice(2);
        const sum = [...first].reduce((s, c) => (s + c.charCodeAt(0)) & 0xff, 0).toString(16).padStart(2, "0");
        text = text.replace(m[0], `$${first}#${sum}`);
        flipped = true;
      }
      client.write(Buffer.from(text, "latin1"));
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

describe("the remote protocol's encodings", () => {
  it("escape the four special bytes as '}' and the byte XOR 0x20, and undo it with run lengths", () => {
    expect([...escapeBinary(Uint8Array.of(0x23, 0x24, 0x7d, 0x2a, 0x41))]).toEqual([0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x41]);
    expect(decodePayload(escapeBinary(Uint8Array.of(0x23, 0x7d, 0x00))).toString("hex")).toBe("237d00");
    // "0* " is '0' repeated 3 more times (' ' is 32 = 3 + 29).
    expect(decodePayload(Buffer.from("0* ")).toString()).toBe("0000");
  });

  it("find the flash regions and their block size in a memory map", () => {
    const xml = `<memory-map><memory type="ram" start="0x20000000" length="0x10000"/><memory type="flash" start="0x0" length="0x40000"><property name="blocksize">0x400</property></memory></memory-map>`;
    expect(parseMemoryMap(xml)).toEqual([{ start: 0, length: 0x40000, blockSize: 0x400 }]);
  });
});
