// The app API ("anykernel"): values printed as text, timers as callbacks in order, run() ending
// with stop's code; the same transcript in Node and in QEMU on every board.
import { describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { BOARDS } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("api") };
// Written here from the app's source: 100 ms ticks with a 50 ms one-shot between the first two.
const TRANSCRIPT = "api test\ntrue\n-1234567890123\n200\nafter 50 ms\ntick 1\ntick 2\ntick 3\n";

describe("the app API", () => {
  it.each(BOARDS)("%s: the same transcript and exit code in Node and in QEMU", async (board) => {
    const node = await anyk(["run", "test/apps/app-api", "--board", board], { env, timeoutMs: 120_000 });
    expect(node.stderr).toBe("");
    expect(node.stdout).toBe(TRANSCRIPT);
    expect(node.code).toBe(7);
    const qemu = await anyk(["boot", "test/apps/app-api", "--board", board, "--timeout", "60"], { env, timeoutMs: 120_000 });
    expect(qemu.stdout).toBe(TRANSCRIPT);
    expect(qemu.code).toBe(7);
  }, 240_000);

  it.each(BOARDS)("%s: echo written against the HIL (readLine, the API's yardstick) gives the same transcript in Node and in QEMU", async (board) => {
    const input = "abc\nHello, World\nquit\n";
    const expected = "echo: ready\nABC\nHELLO, WORLD\necho: bye\n";
    const node = await anyk(["run", "test/apps/echo-hil", "--board", board], { env, input, timeoutMs: 120_000 });
    expect(node.stdout).toBe(expected);
    expect(node.code).toBe(0);
    const qemu = await anyk(["boot", "test/apps/echo-hil", "--board", board, "--timeout", "60"], { env, input, timeoutMs: 120_000 });
    expect(qemu.stdout).toBe(expected);
    expect(qemu.code).toBe(0);
  }, 240_000);

  it("brings the timers' heap only into an app that imports every or after", async () => {
    const timers = await anyk(["build", "test/apps/app-api", "--board", "lm3s6965evb", "--explain", "--wasm"], { env, timeoutMs: 120_000 });
    expect(timers.stdout).toMatch(/^  api-timers +faction/m);
    const lines = await anyk(["build", "echo", "--board", "lm3s6965evb", "--explain", "--wasm"], { env, timeoutMs: 120_000 });
    expect(lines.stdout).toMatch(/^  api-uart +faction/m);
    expect(lines.stdout).not.toContain("api-timers");
  }, 240_000);

  it("refuses to print a float, at compile time, saying why", async () => {
    const r = await anyk(["build", "test/apps/api-float", "--board", "lm3s6965evb"], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("print takes strings, booleans and integers");
  }, 120_000);
});

/** xorshift32 from its paper (Marsaglia 2003), seeded as the API documents: the shell's rand values. */
function xorshift32(seed: number, count: number): number[] {
  const out: number[] = [];
  let x = seed >>> 0;
  for (let i = 0; i < count; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out.push(x);
  }
  return out;
}

describe("the shell", () => {
  const input = "help\nled on\nled off\nuptime\nrand\nrand\n\nbogus cmd\nmem\nexit\n";
  const [first, second] = xorshift32(0x2545f491, 2);
  const help = "commands: help, led on|off, uptime, rand, mem, exit\n";
  const expected = (board: string) =>
    new RegExp(
      "^" +
        [`anykernel shell on ${board}\n${help}`, `> help\n${help}`, "> led on\nled: on\n", "> led off\nled: off\n", "> uptime\nuptime: 0 s\n", `> rand\n${first}\n`, `> rand\n${second}\n`, "> \n", "> bogus cmd\nunknown command: bogus cmd; try help\n", "> mem\nheap: \\d+ of \\d+ bytes in use\n", "> exit\nbye\n"]
          .map((part) => part.replace(/[|()]/g, "\\$&"))
          .join("") +
        "$",
    );

  it.each(["lm3s6965evb", "mps2-an385", "microbit"])("%s: anyk run and anyk boot give the same transcript for the same input", async (board) => {
    const run = await anyk(["run", "shell", "--board", board], { env, input, timeoutMs: 120_000 });
    expect(run.stdout).toMatch(expected(board));
    expect(run.code).toBe(0);
    const boot = await anyk(["boot", "shell", "--board", board, "--timeout", "60"], { env, input, timeoutMs: 120_000 });
    expect(boot.stdout).toBe(run.stdout);
    expect(boot.code).toBe(0);
  }, 240_000);

  it("lm3s6965evb: led on and led off drive PF0, as QEMU's PL061 trace records", async () => {
    const r = await anyk(["boot", "shell", "--board", "lm3s6965evb", "--timeout", "60", "--trace", "pl061_set_output"], { env, input, timeoutMs: 120_000 });
    const levels = r.stderr.split("\n").flatMap((l) => /pl061_set_output .* setting output 0 to (\d)/.exec(l)?.[1] ?? []);
    expect(levels).toEqual(["1", "0"]);
  }, 120_000);
});

describe("GPIO pins by name (board.pins)", () => {
  it("microbit: ROW1 is P0.13; driven high, read back, toggled low, as QEMU's nRF51 GPIO trace records", async () => {
    const transcript = "true\nfalse\nfalse\n13\n";
    const run = await anyk(["run", "test/apps/pins", "--board", "microbit"], { env, timeoutMs: 120_000 });
    expect(run.stdout).toBe(transcript);
    const boot = await anyk(["boot", "test/apps/pins", "--board", "microbit", "--timeout", "60", "--trace", "nrf51_gpio_update_output_irq"], { env, timeoutMs: 120_000 });
    expect(boot.stdout).toBe(transcript);
    const levels = boot.stderr.split("\n").flatMap((l) => /nrf51_gpio_update_output_irq line 13 value (-?\d+)/.exec(l)?.[1] ?? []).filter((v) => v !== "-1");
    expect(levels).toEqual(["1", "0"]);
  }, 240_000);

  it("refuses a pin name the board does not have, at compile time, naming it", async () => {
    const r = await anyk(["build", "test/apps/pins", "--board", "lm3s6965evb"], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Property 'ROW1' does not exist on type '.*Pins'/);
  }, 120_000);
});

describe("UART bytes and strings", () => {
  it.each(BOARDS)("%s: uart.read into a Uint8Array and write back; Line.toString, toBytes and startsWith", async (board) => {
    const input = "hello\nworld.";
    // "anyk" + "ernel " + its length; the copy's length and last byte ('k'); the two prefixes; the input echoed; its count.
    const transcript = `anykernel 4\n4\n107\ntrue\nfalse\n${input}\nbytes: ${input.length}\n`;
    const run = await anyk(["run", "test/apps/uart-bytes", "--board", board], { env, input, timeoutMs: 120_000 });
    expect(run.stdout).toBe(transcript);
    const boot = await anyk(["boot", "test/apps/uart-bytes", "--board", board, "--timeout", "60"], { env, input, timeoutMs: 120_000 });
    expect(boot.stdout).toBe(transcript);
    expect(boot.code).toBe(0);
  }, 240_000);
});
