// The command line: help, subcommands, and usage errors with exit code 2.
import { describe, expect, it } from "vitest";
import { anyk } from "./helpers/cli.js";

const SUBCOMMANDS = ["init", "build", "run", "boot", "boards", "components", "gen"];

describe("anyk --help", () => {
  it("lists every subcommand", async () => {
    const r = await anyk(["--help"]);
    expect(r.code).toBe(0);
    for (const name of SUBCOMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, "m"));
  });

  it.each(SUBCOMMANDS)("anyk %s --help shows its usage and options", async (name) => {
    const r = await anyk([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: anyk ${name}`);
    expect(r.stdout).toContain("--help");
  });
});

describe("usage errors", () => {
  it("an unknown command lists the known ones", async () => {
    const r = await anyk(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("anyk: error: unknown command 'frobnicate'; known commands: init, build, run, boot, flash, monitor, keygen, size, bench, boards, components, gen\n");
  });

  it("an unknown option names it", async () => {
    const r = await anyk(["boards", "--colour"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^anyk: error: anyk boards: .*'--colour'.*\n$/);
  });

  it("a missing --board says it is required", async () => {
    const r = await anyk(["build", "hello"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("anyk: error: anyk build: --board is required (see 'anyk boards'), or set \"board\" in anykernel.json\n");
  });

  it("a missing app names the argument", async () => {
    const r = await anyk(["run", "--board", "microbit"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing <app>");
  });

  it("an unknown board lists the known boards", async () => {
    const r = await anyk(["build", "hello", "--board", "arduino"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("anyk: error: unknown board 'arduino'; known boards: lm3s6965evb, microbit, mps2-an385, netduinoplus2\n");
  });

  it("an unknown app lists the known apps", async () => {
    const r = await anyk(["run", "helo", "--board", "microbit"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^anyk: error: unknown app 'helo'; known apps: .*\bhello\b.*\n$/);
  });

  it("a bad --timeout says what would be valid", async () => {
    const r = await anyk(["run", "hello", "--board", "microbit", "--timeout", "soon"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--timeout must be a positive number of seconds, got 'soon'");
  });
});
