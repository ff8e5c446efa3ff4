// AssemblyScript's standard library under the stub runtime (docs/typescript.md): strings with
// template literals and f64 formatting work on every board, in Node and in QEMU alike (floats
// need libm on the boards); strings built in a loop exhaust the bump heap's cap and end in a
// panic, and run under the incremental collector (--runtime incremental).
import { describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { BOARDS } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("stdlib") };

describe("the standard library on the boards", () => {
  it.each(BOARDS)("%s: strings and floats, the same in Node and QEMU", async (board) => {
    for (const [feature, checks] of [["s", ["toUpperCase", "split", "indexOf", "repeat", "template"]], ["f", ["sqrt", "f64 toString", "parseFloat"]]] as const) {
      const expected = checks.map((c) => `${c}: ok\n`).join("");
      const node = await anyk(["run", "test/apps/stdlib", "--board", board], { env, input: feature, timeoutMs: 120_000 });
      expect(node.stdout).toBe(expected);
      const qemu = await anyk(["boot", "test/apps/stdlib", "--board", board, "--timeout", "60"], { env, input: feature, timeoutMs: 120_000 });
      expect(qemu.stdout).toBe(expected);
      expect(qemu.code).toBe(0);
    }
  }, 300_000);

  it("ends strings built in a loop in a panic naming the heap cap, in Node and in QEMU alike", async () => {
    for (const command of ["run", "boot"]) {
      const r = await anyk([command, "test/apps/stdlib", "--board", "lm3s6965evb", "--timeout", "60"], { env, input: "l", timeoutMs: 120_000 });
      expect(r.code, command).toBe(101);
      expect(r.stdout + r.stderr, command).toMatch(/heap: \d+ bytes needed, cap 4096\n[\s\S]*panic: abort: heap cap exhausted/);
    }
  }, 120_000);

  it.each(["lm3s6965evb", "mps2-an385", "netduinoplus2"])("%s: builds the same strings in a loop under the incremental collector, in Node and in QEMU", async (board) => {
    for (const command of ["run", "boot"]) {
      const r = await anyk([command, "test/apps/stdlib", "--board", board, "--runtime", "incremental", "--timeout", "60"], { env, input: "l", timeoutMs: 120_000 });
      expect(r.stdout, command).toBe("loop: ok\n");
      expect(r.code, command).toBe(0);
    }
  }, 240_000);

  it("puts TLSF's root into the heap cap under minimal and incremental, and the collector's code into flash", async () => {
    const sizes: Record<string, { flash: number; cap: number; own: number }> = {};
    for (const runtime of ["bump", "minimal", "incremental"]) {
      const r = await anyk(["size", "test/apps/stdlib", "--board", "lm3s6965evb", "--runtime", runtime, "--platform", "none", "--json"], { env, timeoutMs: 120_000 });
      const report = JSON.parse(r.stdout);
      sizes[runtime] = { flash: report.elf.flash, cap: report.heap.cap, own: report.heap.runtime_bytes };
    }
    // test/apps/stdlib's component.json gives 4096 bytes; TLSF's root is 1,572 bytes, kept 16-aligned.
    expect(sizes.bump).toMatchObject({ cap: 4096, own: 0 });
    expect(sizes.minimal.cap - sizes.minimal.own).toBe(4096);
    expect(sizes.minimal.own).toBeGreaterThanOrEqual(1572);
    expect(sizes.minimal.flash).toBeGreaterThan(sizes.bump.flash);
    expect(sizes.incremental.flash).toBeGreaterThan(sizes.minimal.flash);
  }, 240_000);
});
