// anyk boot: the firmware of every board in QEMU. The greeting, the exit code through semihosting,
// and a panic report (kind and kernel function) for every way a kernel can fail. The same apps under
// the interpreter (--engine interp) give the AOT engine's console and exit code (built here, beside
// the AOT images, so both engines share one kernel.wasm; test/interp-boards.test.ts has echo and blinky).
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { BOARDS } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("boot") };

describe.each(BOARDS)("%s", (board) => {
  beforeAll(async () => {
    for (const app of ["hello", "test/apps/trap", "test/apps/hypercalls"]) {
      for (const engine of ["aot", "interp"]) {
        const r = await anyk(["build", app, "--board", board, "--engine", engine], { env });
        expect(r.code, r.stderr).toBe(0);
      }
    }
  });

  it("boots hello: the greeting, then exit code 0", async () => {
    const r = await anyk(["boot", "hello", "--board", board, "--timeout", "60"], { env });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`Hello from anykernel on ${board}\n`);
    expect(r.code).toBe(0);
  });

  it("reports the stack high-water and timings with --json", async () => {
    const r = await anyk(["boot", "hello", "--board", board, "--json", "--timeout", "60"], { env });
    const report = JSON.parse(r.stdout);
    expect(report.exit_code).toBe(0);
    expect(report.console).toBe(`Hello from anykernel on ${board}\n`);
    expect(report.stack_high_water).toBeGreaterThan(0);
    expect(report.stack_high_water).toBeLessThan(1024);
    expect(report.first_byte_ms).toBeGreaterThan(0);
  });

  it("runs the time and console hypercalls: wait, clock_monotonic, console_read/write, exit", async () => {
    const r = await anyk(["boot", "test/apps/hypercalls", "--board", board, "--timeout", "60"], { env, input: "board input\n", inputAfter: "past deadline" });
    const waited = /^wait returned -1 after (\d+) ns$/m.exec(r.stdout);
    expect(waited, r.stdout).not.toBeNull();
    // The stub ends its 62.5 ms SysTick period at the deadline: the wait returns at 5 ms, later only
    // by how late the host wakes QEMU's idle CPU (guest time follows the host's while it sleeps).
    expect(Number(waited![1])).toBeGreaterThanOrEqual(5_000_000);
    expect(Number(waited![1])).toBeLessThan(30_000_000);
    expect(r.stdout).toContain("past deadline returned -1\n");
    expect(r.stdout).toContain("read 11 bytes: board input\n");
    expect(r.code).toBe(3);
  });

  const traps: Array<[string, RegExp]> = [
    ["u", /^panic: trap: unreachable in test\/apps\/trap\/main\/main \(wasm function \d+\) \(pc 0x[0-9A-F]{8}\)$/m],
    ["o", /^panic: trap: out-of-bounds memory access in test\/apps\/trap\/main\/main /m],
    ["d", /^panic: trap: integer divide by zero in test\/apps\/trap\/main\/(main|divide) /m],
    ["s", /^panic: trap: call stack exhausted in test\/apps\/trap\/main\/recurse /m],
    ["m", /^panic: mmio: mmio_write32 at 0xE00FF000 refused: not granted to the image in test\/apps\/trap\/main\/main /m],
    ["r", /^panic: mmio: mmio_read32 at 0xE00FF000 refused: not granted to the image in /m],
    ["a", /^panic: abort: deliberate panic from the trap app in test\/apps\/trap\/main\/main /m],
    ["i", /^panic: irq: irq_unmask refused for line 0x000000C8: not granted to the image in /m],
    ["w", /^panic: wait: waiting forever, but no interrupt line is unmasked in /m],
  ];
  it("traps an access that reaches past the end of linear memory by one byte, and allows the last word and byte", async () => {
    const run = (command: string) => anyk(["boot", "test/apps/trap", "--board", board, "--timeout", "60"], { env, input: command, inputAfter: "trap: ready" });
    const inside = await run("e");
    expect(inside.stdout).toMatch(/trap: survived/);
    expect(inside.code).toBe(0);
    for (const command of ["E", "b"]) {
      const outside = await run(command);
      expect(outside.stdout, command).toMatch(/^panic: trap: out-of-bounds memory access in test\/apps\/trap\/main\/main /m);
      expect(outside.code, command).toBe(101);
    }
  });

  it.each(traps)("trap '%s' ends in a panic report and exit code 101", async (command, report) => {
    const r = await anyk(["boot", "test/apps/trap", "--board", board, "--timeout", "60"], { env, input: command, inputAfter: "trap: ready" });
    expect(r.stdout).toMatch(/^trap: ready\n/);
    expect(r.stdout).toMatch(report);
    expect(r.code).toBe(101);
  });

  // -O2 may prove a check redundant and drop it; every trap must survive that (issue 17).
  it("with the kernel compiled for speed (--optimize speed), traps the same way and allows the last word and byte", async () => {
    const run = (command: string) => anyk(["boot", "test/apps/trap", "--board", board, "--optimize", "speed", "--timeout", "60"], { env, input: command, inputAfter: "trap: ready" });
    const inside = await run("e");
    expect(inside.stdout).toMatch(/trap: survived/);
    expect(inside.code).toBe(0);
    const cases: Array<[string, RegExp]> = [...traps, ["E", traps[1][1]], ["b", traps[1][1]]];
    for (const [command, report] of cases) {
      const r = await run(command);
      expect(r.stdout, command).toMatch(report);
      expect(r.code, command).toBe(101);
    }
  });

  /** What may differ between the engines: where a panic happened (a C pc, or a module offset), and how long a wait took. */
  const comparable = (stdout: string) =>
    stdout
      .replace(/ \(wasm function \d+\) \(pc 0x[0-9A-F]{8}\)$/gm, " <where>")
      .replace(/ \(wasm function \d+ at 0x[0-9a-f]+\)$/gm, " <where>")
      .replace(/^wait returned -1 after \d+ ns$/m, "wait returned -1 after <ns> ns");

  it.concurrent.each([
    { name: "hello", app: "hello" },
    { name: "the hypercalls app", app: "test/apps/hypercalls", input: "board input\n", inputAfter: "past deadline" },
    { name: "trap: stack exhaustion", app: "test/apps/trap", input: "s", inputAfter: "trap: ready" },
    { name: "trap: an MMIO write outside the grants", app: "test/apps/trap", input: "m", inputAfter: "trap: ready" },
  ])("under the interpreter, $name gives the AOT engine's console and exit code", async ({ app, input, inputAfter }) => {
    const boot = (engine: string) => anyk(["boot", app, "--board", board, "--engine", engine, "--timeout", "60"], { env, input, inputAfter });
    const [aot, interp] = await Promise.all([boot("aot"), boot("interp")]);
    expect(interp.stderr).toBe(aot.stderr);
    expect(interp.code, interp.stdout).toBe(aot.code);
    expect(comparable(interp.stdout)).toBe(comparable(aot.stdout));
    expect(interp.stdout.length).toBeGreaterThan(0);
  });

  it("under the interpreter, names the function and the module offset of a trap, as Node's engine does", async () => {
    const [onBoard, node] = await Promise.all([
      anyk(["boot", "test/apps/trap", "--board", board, "--engine", "interp", "--timeout", "60"], { env, input: "d", inputAfter: "trap: ready" }),
      anyk(["run", "test/apps/trap", "--board", board], { env, input: "d" }),
    ]);
    const line = /^panic: trap: integer divide by zero in test\/apps\/trap\/main\/main \(wasm function \d+ at 0x[0-9a-f]+\)$/m.exec(onBoard.stdout);
    expect(line, onBoard.stdout).not.toBeNull();
    expect(node.stderr).toContain(line![0]);
    expect(onBoard.code).toBe(101);
  });
});

describe("the firmware build", () => {
  it("gives byte-identical firmware for the same inputs", async () => {
    const first = await anyk(["build", "hello", "--board", "microbit", "--json", "--force"], { env });
    const outputs = JSON.parse(first.stdout).outputs;
    const before = ["elf", "bin", "hex"].map((k) => fs.readFileSync(outputs[k]));
    const second = await anyk(["build", "hello", "--board", "microbit", "--force"], { env });
    expect(second.code).toBe(0);
    ["elf", "bin", "hex"].forEach((k, i) => expect(fs.readFileSync(outputs[k]).equals(before[i]), k).toBe(true));
  });

  it("keeps hello on lm3s6965evb under 2 KiB of flash, by the ELF's own loaded segments", async () => {
    const r = await anyk(["build", "hello", "--board", "lm3s6965evb", "--json"], { env });
    const { elf } = JSON.parse(r.stdout).outputs;
    // arm-none-eabi-size: text + data are what is loaded into flash.
    const [, sizes] = execFileSync("arm-none-eabi-size", [elf], { encoding: "utf8" }).trim().split("\n");
    const [text, data] = sizes.trim().split(/\s+/).map(Number);
    expect(text + data).toBeLessThan(2048);
  });

  it("links the clock only into images that read time or wait", async () => {
    const symbols = async (app: string) => {
      const r = await anyk(["build", app, "--board", "lm3s6965evb", "--json"], { env });
      expect(r.code, r.stderr).toBe(0);
      return execFileSync("arm-none-eabi-nm", [JSON.parse(r.stdout).outputs.elf], { encoding: "utf8" });
    };
    // hello imports only console_write and exit; the hypercalls app waits and reads the clock.
    expect(await symbols("hello")).not.toMatch(/\bstub_clock_handler\b/);
    expect(await symbols("test/apps/hypercalls")).toMatch(/\bstub_clock_handler\b/);
  });

  it("says which package to install when QEMU is missing", async () => {
    const r = await anyk(["boot", "hello", "--board", "lm3s6965evb"], { env: { ...env, PATH: "/nonexistent" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^anyk: error: qemu-system-arm is not installed \(Debian package qemu-system-arm\); /);
  });
});

// Wasm allows a load or store at any address; the Cortex-M0 faults on a misaligned word, so its
// firmware splits those into bytes. Node's engine is the referee.
describe.each(["microbit", "lm3s6965evb"])("misaligned accesses on %s", (board) => {
  it("read back in QEMU what Node's engine reads, at every offset within a word", async () => {
    const [boot, run] = await Promise.all([
      anyk(["boot", "test/apps/misaligned", "--board", board, "--timeout", "60"], { env }),
      anyk(["run", "test/apps/misaligned", "--board", board], { env }),
    ]);
    expect(boot.stderr).toBe("");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split("\n").filter((l) => l !== "")).toHaveLength(7);
    expect(boot.stdout).toBe(run.stdout);
    expect(boot.code).toBe(0);
  }, 120_000);
});
