// The drivers on both platforms: echo through each board's UART (QEMU's serial port, opened with
// serialport, and userspace), blinky's LED writes as QEMU's own trace events record them, and the
// same console transcript in userspace.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { bootOnPty } from "./helpers/pty.js";
import { BOARDS } from "./helpers/boards.js";
import { emulated, loadBoard } from "../scripts/lib/boards.js";
import { qemuArgs } from "../scripts/lib/qemu.js";

let env: Record<string, string>;
beforeAll(() => {
  env = { ANYK_BUILD_DIR: tempBuildDir("drivers") };
});

const ECHO_INPUT = "hello world\r\nMixed Case 42!\nquit\n";
const ECHO_TRANSCRIPT = "echo: ready\nHELLO WORLD\nMIXED CASE 42!\necho: bye\n";

describe.each(BOARDS)("echo on %s", (board) => {
  it("upper-cases lines typed into QEMU's serial port (a pty opened with serialport), and quit exits 0", async () => {
    const session = await bootOnPty(["echo", "--board", board], env);
    // QEMU drops console output until it notices the pty is open (it checks once a second), so the
    // greeting may never arrive here; by the time it would have, the driver is long initialised.
    await session.waitFor("echo: ready\n", 3000).catch(() => {});
    session.write("hello world\r\nMixed Case 42!\n");
    await session.waitFor("HELLO WORLD\nMIXED CASE 42!\n");
    // The last lines can be lost with the pty when QEMU exits; the exit code is the check here.
    session.write("quit\n");
    const { code, stderr } = await session.closed;
    expect(code, stderr).toBe(0);
  }, 120_000);

  it("gives the whole transcript through QEMU's console", async () => {
    const r = await anyk(["boot", "echo", "--board", board, "--timeout", "60"], { env, input: ECHO_INPUT, inputAfter: "echo: ready\n", timeoutMs: 90_000 });
    expect(r.stdout).toBe(ECHO_TRANSCRIPT);
    expect(r.code).toBe(0);
  }, 120_000);

  it("holds piped input until the console is up (a UART drops bytes before its receiver is on)", async () => {
    const r = await anyk(["boot", "echo", "--board", board, "--timeout", "60"], { env, input: ECHO_INPUT, timeoutMs: 90_000 });
    expect(r.stdout).toBe(ECHO_TRANSCRIPT);
    expect(r.code).toBe(0);
  }, 120_000);

  it("gives the same transcript in userspace", async () => {
    const r = await anyk(["run", "echo", "--board", board], { env, input: ECHO_INPUT });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(ECHO_TRANSCRIPT);
    expect(r.code).toBe(0);
  }, 120_000);
});

const BLINKY_TRANSCRIPT = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? "led on" : "led off")).join("\n") + "\n";
const ALTERNATING = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 1 : 0));

/** How each board's LED shows in QEMU's trace: the events to enable and the LED level in each line. */
const LED_REFEREES: Record<string, { events: string[]; level(line: string): number | undefined }> = {
  // PF0 on gpiof: "pl061_set_output <id> setting output 0 to 1"
  lm3s6965evb: { events: ["pl061_set_output"], level: (l) => { const m = /pl061_set_output .* setting output 0 to (\d)/.exec(l); return m ? Number(m[1]) : undefined; } },
  // LED0 bit 0 of the FPGA I/O LED register at offset 0
  "mps2-an385": { events: ["mps2_fpgaio_write"], level: (l) => { const m = /mps2_fpgaio_write .*offset 0x0 data 0x([0-9a-f]+)/.exec(l); return m ? parseInt(m[1], 16) & 1 : undefined; } },
  // Row 1 of the LED matrix, P0.13; -1 means not driven (before the pin became an output)
  microbit: { events: ["nrf51_gpio_update_output_irq"], level: (l) => { const m = /nrf51_gpio_update_output_irq line 13 value (-?\d+)/.exec(l); return m && m[1] !== "-1" ? Number(m[1]) : undefined; } },
};

// blinky (board.led toggled by an every() callback), and blinky written against the HIL: the same LED, the same transcript.
describe.each(Object.keys(LED_REFEREES).flatMap((board) => [[board, "blinky"], [board, "test/apps/blinky-hil"]]))("%s: %s", (board, app) => {
  let qemuStdout = "";
  it("toggles the LED 10 times, as QEMU's trace events record", async () => {
    const referee = LED_REFEREES[board];
    const r = await anyk(["boot", app, "--board", board, "--timeout", "60", ...referee.events.flatMap((e) => ["--trace", e])], { env, timeoutMs: 90_000 });
    const levels = r.stderr.split("\n").map((l) => referee.level(l)).filter((v) => v !== undefined);
    expect(levels).toEqual(ALTERNATING);
    expect(r.stdout).toBe(BLINKY_TRANSCRIPT);
    expect(r.code).toBe(0);
    qemuStdout = r.stdout;
  }, 120_000);

  it("prints the same transcript in userspace", async () => {
    const r = await anyk(["run", app, "--board", board], { env });
    expect(r.stdout).toBe(BLINKY_TRANSCRIPT);
    if (qemuStdout) expect(r.stdout).toBe(qemuStdout);
    expect(r.code).toBe(0);
  }, 120_000);
});

describe("blinky on a board without an LED", () => {
  it("panics at the first board.led call, saying the board file names no LED", async () => {
    const r = await anyk(["run", "blinky", "--board", "netduinoplus2"], { env });
    expect(r.code).toBe(101);
    expect(r.stderr).toContain("panic: abort: board.led: the board has no LED (its board file names none on the bound GPIO device)");
    expect(r.stdout).not.toContain("led on");
  }, 60_000);
});

// QEMU 7.2's netduinoplus2 has no GPIO model: its ports are unimplemented devices, which read 0 and
// log each access with -d unimp. The log referees the register writes; levels only userspace has.
describe("netduinoplus2: the st,stm32-gpio driver", () => {
  it("drives PA5 with BSRR's set bit, then makes it an output in MODER (RM0090 8.4), as QEMU's log records", async () => {
    const boot = await anyk(["boot", "test/apps/pins-stm32", "--board", "netduinoplus2", "--timeout", "30"], { env, timeoutMs: 60_000 });
    expect(boot.code, boot.stderr).toBe(0);
    const elf = path.join(env.ANYK_BUILD_DIR, "netduinoplus2@qemu", "pins-stm32", "firmware.elf");
    const board = emulated(loadBoard("netduinoplus2"));
    const args = [...qemuArgs(board, elf, "stdio", path.join(env.ANYK_BUILD_DIR, "semihosting.out"), undefined), "-d", "unimp"];
    const run = spawnSync("qemu-system-arm", args, { encoding: "utf8", timeout: 30_000, input: "" });
    const gpioa = (run.stderr + run.stdout).split("\n").filter((l) => l.startsWith("GPIOA: unimplemented device write"));
    const writes = gpioa.map((l) => /offset (0x[0-9a-f]+), value (0x[0-9a-f]+)/.exec(l)!).map((m) => [parseInt(m[1], 16), parseInt(m[2], 16)]);
    const set = writes.findIndex(([offset, value]) => offset === 0x18 && value === 1 << 5);
    expect(set, gpioa.join("\n")).toBeGreaterThanOrEqual(0);
    const mode = writes.slice(set + 1).find(([offset]) => offset === 0x00);
    expect(mode && (mode[1] >>> 10) & 3).toBe(0b01);
  }, 90_000);

  it("reads back what it drives in userspace, against a model whose BSRR and IDR follow RM0090", async () => {
    const r = await anyk(["run", "test/apps/pins-stm32", "--board", "netduinoplus2"], { env });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("true\nfalse\nfalse\n5\n");
    expect(r.code).toBe(0);
  }, 60_000);
});
