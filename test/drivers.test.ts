// The drivers on both platforms: echo through each board's UART (QEMU's serial port, opened with
// serialport, and userspace), blinky's LED writes as QEMU's own trace events record them, and the
// same console transcript in userspace.
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { bootOnPty } from "./helpers/pty.js";
import { BOARDS } from "./helpers/boards.js";

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

describe("blinky on a board without an LED driver", () => {
  it("fails to build, listing the board's devices", async () => {
    const r = await anyk(["build", "blinky", "--board", "netduinoplus2"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/blinky \(via api-board\) needs a device of class 'gpio', but board netduinoplus2 has no device a 'gpio' driver binds; its devices: usart1 \(st,stm32-usart\)/);
    expect(fs.existsSync(`${env.ANYK_BUILD_DIR}/netduinoplus2/blinky/kernel.wasm`)).toBe(false);
  }, 60_000);
});
