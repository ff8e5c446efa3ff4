// UART driver edge cases in userspace, through the Uart contract: the receive ring overrunning,
// the transmit ring filling on a slow line, and an interrupt that arrives with nothing to service.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import type { ConsoleIo } from "../platform/node/platform.js";
import { BOARDS } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("uart-edges") };
const RING_CAPACITY = 64; // the drivers' receive and transmit rings (kernel/drivers/uart/*)

describe.each(BOARDS)("UART driver on %s", (board) => {
  it("RX overrun: a full receive ring drops and counts the bytes it cannot keep", async () => {
    const sent = 99;
    const r = await anyk(["run", "test/apps/uart-edges", "--board", board], { env, input: "o" + "x".repeat(sent) });
    expect(r.stderr).toBe("");
    const kept = Number(/kept (\d+)/.exec(r.stdout)?.[1]);
    const overruns = Number(/overruns (\d+)/.exec(r.stdout)?.[1]);
    expect(kept + overruns).toBe(sent);
    expect(kept).toBeLessThanOrEqual(RING_CAPACITY);
    expect(overruns).toBeGreaterThanOrEqual(sent - RING_CAPACITY);
    expect(r.code).toBe(0);
  }, 60_000);
});

describe("TX ring full", () => {
  it("on a slow line the driver accepts one byte in the transmitter plus a full ring, then refuses", async () => {
    const r = await anyk(["run", "test/apps/uart-edges", "--board", "lm3s6965evb", "--tune", "uartByteNs=86806"], { env, input: "t" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(".".repeat(1 + RING_CAPACITY) + "\naccepted " + (1 + RING_CAPACITY) + "\n");
    expect(r.code).toBe(0);
  }, 60_000);

  it("on QEMU's instantaneous line every byte is accepted", async () => {
    const r = await anyk(["run", "test/apps/uart-edges", "--board", "lm3s6965evb"], { env, input: "t" });
    expect(r.stdout).toMatch(/accepted 200\n$/);
  }, 60_000);

  it("rejects an unknown --tune option, naming the valid ones", async () => {
    const r = await anyk(["run", "test/apps/uart-edges", "--board", "lm3s6965evb", "--tune", "baud=9600"], { env });
    expect(r.stderr).toMatch(/--tune 'baud=9600' is not valid; use key=<non-negative integer> with key one of: uartByteNs/);
    expect(r.code).toBe(2);
  }, 60_000);
});

/** Console input from a string, held back until release(); output into a string. */
function scriptedConsole(input: string): ConsoleIo & { output: () => string; release: () => void } {
  let pending = Buffer.from(input, "latin1");
  let released = false;
  let out = "";
  return {
    release: () => void (released = true),
    write: (bytes) => void (out += Buffer.from(bytes).toString("latin1")),
    read(max) {
      if (!released) return new Uint8Array(0);
      const taken = pending.subarray(0, max);
      pending = pending.subarray(taken.length);
      return new Uint8Array(taken);
    },
    sleep() {},
    waitForInput() {},
    inputEnded: () => released && pending.length === 0,
    output: () => out,
  };
}

describe("spurious interrupts", () => {
  it("an interrupt on the UART's line with nothing received or sent changes nothing", async () => {
    process.env.ANYK_BUILD_DIR = env.ANYK_BUILD_DIR;
    const { emulated, loadBoard } = await import("../scripts/lib/boards.js");
    const { resolveApp } = await import("../scripts/lib/apps.js");
    const { buildImage } = await import("../scripts/lib/image.js");
    const { runImage } = await import("../scripts/lib/userspace.js");
    const image = await buildImage(resolveApp("echo"), loadBoard("lm3s6965evb"));
    const uartLine = image.plan.grants[0].irqs.irq;
    const console = scriptedConsole("abc\nquit\n");
    const raised: bigint[] = [];
    const result = await runImage(
      { wasm: image.outputs.wasm, names: image.outputs.names, plan: image.plan },
      {
        console,
        report: () => {},
        onPlatform(platform) {
          // Pulses on the owned line at 1 and 2 ms, while the kernel waits for input that comes at 3 ms.
          for (const at of [1_000_000n, 2_000_000n]) platform.schedule(at, () => (raised.push(at), platform.raise(uartLine)));
          platform.schedule(3_000_000n, () => console.release());
        },
      },
    );
    expect(raised).toEqual([1_000_000n, 2_000_000n]);
    expect(console.output()).toBe("echo: ready\nABC\necho: bye\n");
    expect(result.exitCode).toBe(0);
  }, 60_000);
});

// QEMU holds typed bytes until the UART can take one; the CMSDK UART and QEMU 7.2's STM32 USART
// interrupt when a byte arrives, not when the driver enables the interrupt with a byte already
// held. Input waiting in QEMU's stdin from the start reaches the UART between the stub's console
// init and the driver's: a driver that waited for the interrupt would hang. (netduinoplus2 is not
// here: QEMU's USART drops bytes that arrive before its receiver is on, as the hardware does. Nor
// is lm3s6965evb: QEMU's PL011 takes a byte even before the UART is enabled, and enabling its FIFO
// at the stub's console init flushes it; a real PL011 receives nothing while disabled.)
describe.each(["mps2-an385", "microbit"])("UART driver on %s in QEMU", (board) => {
  it("takes a byte that arrived before the driver started", async () => {
    process.env.ANYK_BUILD_DIR = env.ANYK_BUILD_DIR;
    const { emulated, loadBoard } = await import("../scripts/lib/boards.js");
    const { resolveApp } = await import("../scripts/lib/apps.js");
    const { buildImage } = await import("../scripts/lib/image.js");
    const { qemuArgs } = await import("../scripts/lib/qemu.js");
    // Booted in QEMU: the board as QEMU's machine clocks it.
    const image = await buildImage(resolveApp("echo"), emulated(loadBoard(board)), { firmware: true });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-early-"));
    const qemu = spawn("qemu-system-arm", qemuArgs(emulated(loadBoard(board)), image.outputs.elf, "stdio", path.join(scratch, "semihosting.txt"), undefined), { stdio: ["pipe", "pipe", "pipe"] });
    qemu.stdin.end("abc\nquit\n");
    let out = "";
    let errors = "";
    qemu.stdout.on("data", (d) => (out += d));
    qemu.stderr.on("data", (d) => (errors += d));
    const timer = setTimeout(() => qemu.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => qemu.on("close", resolve));
    clearTimeout(timer);
    fs.rmSync(scratch, { recursive: true, force: true });
    expect(out, errors).toBe("echo: ready\nABC\necho: bye\n");
    expect(code).toBe(0);
  }, 60_000);
});
