// The interpreter on every board in QEMU: echo and blinky booted with --engine interp and with the
// AOT engine give the same console output and exit codes. (hello, the hypercalls app and the trap
// app are compared in test/boot.test.ts, which builds them for both engines.)
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { BOARDS, boardData } from "./helpers/boards.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("interp-boards") };

interface Case {
  name: string;
  app: string;
  input?: string;
  inputAfter?: string;
}

const CASES: Case[] = [
  { name: "blinky", app: "blinky" },
  { name: "echo", app: "echo", input: "through the interpreter\nquit\n", inputAfter: "ready" },
];

describe.each(BOARDS)("%s", (board) => {
  // blinky needs an LED: netduinoplus2's board file names none (QEMU models no LED on it).
  const cases = CASES.filter((c) => c.app !== "blinky" || boardData(board).leds !== undefined);

  beforeAll(async () => {
    for (const app of new Set(cases.map((c) => c.app))) {
      for (const engine of ["aot", "interp"]) {
        const r = await anyk(["build", app, "--board", board, "--engine", engine], { env });
        expect(r.code, r.stderr).toBe(0);
      }
    }
  });

  it.concurrent.each(cases)("$name: the same output and exit code as the AOT engine", async ({ app, input, inputAfter }) => {
    const boot = (engine: string) => anyk(["boot", app, "--board", board, "--engine", engine, "--timeout", "60"], { env, input, inputAfter });
    const [aot, interp] = await Promise.all([boot("aot"), boot("interp")]);
    expect(interp.stderr).toBe(aot.stderr);
    expect(interp.code, interp.stdout).toBe(aot.code);
    expect(interp.stdout).toBe(aot.stdout);
    expect(interp.stdout.length).toBeGreaterThan(0);
  });
});
