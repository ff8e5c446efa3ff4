// AssemblyScript's standard library under the stub runtime (docs/typescript.md): strings with
// template literals and f64 formatting work on every board, in Node and in QEMU alike (floats
// need libm on the boards); strings built in a loop exhaust the heap cap and end in a panic.
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

  it("ends strings built in a loop in a panic when the heap cap is reached", async () => {
    const qemu = await anyk(["boot", "test/apps/stdlib", "--board", "lm3s6965evb", "--timeout", "60"], { env, input: "l", timeoutMs: 120_000 });
    expect(qemu.code).toBe(101);
    expect(qemu.stdout).toMatch(/panic: trap: out-of-bounds memory access/);
  }, 120_000);
});
