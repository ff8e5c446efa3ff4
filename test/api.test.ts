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
