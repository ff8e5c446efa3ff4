// The console's number printing (kernel/base/console.ts) on both platforms and on both kinds of
// core (the Cortex-M0 has no divide instruction): edge values against JavaScript's own formatting.
import { describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("console") };

// The values test/apps/numbers prints, in its order: printU32, then printU64, then printI32.
const EXPECTED = [0, 9, 10, 2 ** 32 - 1, 2 ** 32 - 1, 2 ** 32, 1e10, 2n ** 64n - 1n, 0, -1, -(2 ** 31), 2 ** 31 - 1].map((v) => `${v}\n`).join("");

describe.each([
  ["run", "lm3s6965evb"],
  ["boot", "lm3s6965evb"],
  ["boot", "microbit"],
])("numbers printed by %s on %s", (command, board) => {
  it("are the decimal forms of 32- and 64-bit edge values", async () => {
    const r = await anyk([command, "test/apps/numbers", "--board", board, "--timeout", "60"], { env });
    expect(r.stdout).toBe(EXPECTED);
    expect(r.code).toBe(0);
  });
});
