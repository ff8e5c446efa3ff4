// anyk run: images in Node on the userspace platform. Each hypercall is exercised by a test app,
// and every kind of failure ends in a panic report naming the kernel function.
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("userspace") };
const BOARD = "lm3s6965evb";

beforeAll(async () => {
  // Build once up front so that the tests below time only the runs.
  for (const app of ["hello", "test/apps/trap", "test/apps/hypercalls"]) {
    const r = await anyk(["build", app, "--board", BOARD], { env });
    expect(r.code, r.stderr).toBe(0);
  }
});

it("runs hello: the greeting names the board, exit code 0", async () => {
  for (const board of ["lm3s6965evb", "microbit"]) {
    const r = await anyk(["run", "hello", "--board", board], { env });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`Hello from anykernel on ${board}\n`);
    expect(r.code).toBe(0);
  }
});

describe("the hypercalls on the userspace platform", () => {
  let out: { code: number | null; stdout: string; stderr: string };
  beforeAll(async () => {
    out = await anyk(["run", "test/apps/hypercalls", "--board", BOARD], { input: "héllo, kernel\nignored\n", env });
  });

  it("exit: the kernel's code becomes the process's", () => {
    expect(out.stderr).toBe("");
    expect(out.code).toBe(3);
  });

  it("wait and clock_monotonic: a deadline 5 ms ahead returns -1 after 5 ms of virtual time", () => {
    // Virtual time: each clock read costs 1 µs, so the second read is 5 ms + 1 µs after the first.
    expect(out.stdout).toContain("wait returned -1 after 5001000 ns\n");
  });

  it("wait: a deadline in the past returns -1 at once", () => {
    expect(out.stdout).toContain("past deadline returned -1\n");
  });

  it("console_read and console_write: a line of input comes back byte for byte", () => {
    expect(out.stdout).toContain(`read ${Buffer.byteLength("héllo, kernel")} bytes: héllo, kernel\n`);
  });

  it("is deterministic: two runs print the same", async () => {
    const again = await anyk(["run", "test/apps/hypercalls", "--board", BOARD], { input: "héllo, kernel\n", env });
    expect(again.stdout).toBe(out.stdout);
  });
});

describe("panic reports", () => {
  const trap = (command: string) => anyk(["run", "test/apps/trap", "--board", BOARD, "--timeout", "5"], { input: command, env });
  const cases: Array<[string, string, RegExp]> = [
    ["u", "unreachable", /^panic: trap: unreachable in test\/apps\/trap\/main\/main \(wasm function \d+ at 0x[0-9a-f]+\)\n$/],
    ["o", "out-of-bounds load", /^panic: trap: out-of-bounds memory access in test\/apps\/trap\/main\/main /],
    ["d", "division by zero", /^panic: trap: integer divide by zero in test\/apps\/trap\/main\/(main|divide) /],
    ["s", "stack exhaustion", /^panic: trap: call stack exhausted in test\/apps\/trap\/main\/recurse /],
    ["m", "MMIO write outside the grants", /^panic: mmio: mmio_write32 at 0xE00FF000 refused: not granted to the image in test\/apps\/trap\/main\/main /],
    ["r", "MMIO read outside the grants", /^panic: mmio: mmio_read32 at 0xE00FF000 refused: .* in test\/apps\/trap\/main\/main /],
    ["a", "kernel panic (abort)", /^panic: abort: deliberate panic from the trap app in test\/apps\/trap\/main\/main /],
    ["i", "irq_unmask of a line no device owns", /^panic: irq: irq_unmask refused for line 0x000000C8: not granted to the image in /],
    ["w", "wait forever with nothing to wake", /^panic: wait: waiting forever, but no interrupt line is unmasked in /],
  ];

  it.each(cases)("'%s' (%s) gives a report and exit code 101", async (command, _what, report) => {
    const r = await trap(command);
    expect(r.stdout).toBe("trap: ready\n");
    expect(r.stderr).toMatch(report);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.code).toBe(101);
  });

  it("a kernel polling for input that never comes is stopped when the input ends", async () => {
    const r = await trap("");
    expect(r.stderr).toMatch(/^panic: wait: the console input has ended/);
    expect(r.code).toBe(101);
  });

  it("--timeout stops a kernel that runs too long in virtual time", async () => {
    // No input: in realtime mode the kernel keeps polling the console (no end-of-input stop) until the timeout.
    const r = await anyk(["run", "test/apps/trap", "--board", BOARD, "--timeout", "0.5", "--realtime"], { env, timeoutMs: 20_000 });
    expect(r.stderr).toMatch(/^panic: timeout: the kernel was still running after 500 ms of real time/);
    expect(r.code).toBe(101);
  });
});
