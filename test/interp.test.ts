// The interpreter against the other engines and against bad modules. Differential: the bench's
// workloads and the test apps give the same results under the interpreter (host build and in QEMU),
// Node's engine and the AOT engine. Validation: modules broken in known ways are refused with the
// reason, and 10,000 mutated copies of real kernels never crash the validator (a sanitizer build)
// nor get past it when V8 calls them invalid.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { hostInterpreter } from "../scripts/lib/interp-binary.js";

const buildDir = tempBuildDir("interp");
const env = { ANYK_BUILD_DIR: buildDir };
const BOARD = "lm3s6965evb";

/** "bench <name> <ns> <result>" lines: name → result (the time differs by engine, the result may not). */
function benchResults(stdout: string): Map<string, string> {
  const results = new Map<string, string>();
  for (const m of stdout.matchAll(/^bench (\S+) \d+ (\d+)$/gm)) results.set(m[1], m[2]);
  return results;
}

describe("the same results under every engine", () => {
  it("runs every bench workload under Node, the host interpreter, AOT in QEMU and the interpreter in QEMU", async () => {
    const built = await anyk(["build", "test/bench/aot", "--board", BOARD, "--engine", "interp"], { env });
    expect(built.code, built.stderr).toBe(0);
    const runs = await Promise.all([
      anyk(["run", "test/bench/aot", "--board", BOARD], { env }),
      anyk(["run", "test/bench/aot", "--board", BOARD, "--engine", "interp"], { env }),
      anyk(["boot", "test/bench/aot", "--board", BOARD, "--timeout", "120"], { env }),
      anyk(["boot", "test/bench/aot", "--board", BOARD, "--engine", "interp", "--timeout", "120"], { env }),
    ]);
    const [node, ...others] = runs.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return benchResults(r.stdout);
    });
    // The workloads the bench reports, each with a result: the FIPS 180-4 vectors among them.
    for (const name of ["crc32", "sort", "matmul", "parse", "filter", "crc16", "sha256", "sha256-abc", "sha256-448", "sort-moves", "sort-result"]) expect(node.has(name), name).toBe(true);
    expect(node.get("sha256-abc")).toBe(String(0xba7816bf));
    for (const other of others) expect(Object.fromEntries(other)).toEqual(Object.fromEntries(node));
  });

  const APPS: Array<{ app: string; input?: string }> = [
    { app: "test/apps/hypercalls", input: "board input\n" },
    { app: "test/apps/numbers" },
    { app: "test/apps/stack-hungry" },
    { app: "test/apps/clock-wraps" },
    { app: "test/apps/timer-edges" },
    { app: "test/apps/uart-bytes", input: "bytes\n" },
    { app: "test/apps/grants" },
    { app: "test/apps/blinky-hil" },
    { app: "test/apps/echo-hil", input: "one\ntwo\n" },
    ...["u", "o", "d", "s", "m", "r", "a", "i", "w", "c", "e"].map((c) => ({ app: "test/apps/trap", input: c })),
  ];

  beforeAll(async () => {
    // Built once, before the runs that share each image start at once.
    for (const app of new Set(APPS.map((a) => a.app))) {
      const r = await anyk(["build", app, "--board", BOARD, "--wasm"], { env });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it.concurrent.each(APPS)("$app ($input): the same console, panic report and exit code as Node's engine", async ({ app, input }) => {
    const run = (engine: string) => anyk(["run", app, "--board", BOARD, "--engine", engine, "--timeout", "20"], { env, input });
    const [node, interp] = [await run("aot"), await run("interp")];
    expect(node.stdout.length + node.stderr.length).toBeGreaterThan(0);
    // Stack exhaustion is reported at the callee's first instruction; Node's engine at its local declarations, a byte or two before.
    const where = (text: string) => (input === "s" ? text.replace(/ at 0x[0-9a-f]+\)$/m, ")") : text);
    expect(interp.stdout).toBe(node.stdout);
    expect(where(interp.stderr)).toBe(where(node.stderr));
    expect(interp.code).toBe(node.code);
  });

  it("traps past the board's linear memory, as the AOT engine on the board does (Node's engine has whole 64 KiB pages)", async () => {
    for (const command of ["E", "b"]) {
      const [board, host] = await Promise.all([
        anyk(["boot", "test/apps/trap", "--board", BOARD, "--timeout", "60"], { env, input: command, inputAfter: "trap: ready" }),
        anyk(["run", "test/apps/trap", "--board", BOARD, "--engine", "interp"], { env, input: command }),
      ]);
      const trap = /^panic: trap: out-of-bounds memory access in test\/apps\/trap\/main\/main /m;
      expect(board.stdout).toMatch(trap);
      expect(host.stderr).toMatch(trap);
      expect(host.code).toBe(board.code);
    }
  });
});

describe("validation", () => {
  let binary: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-interp-modules-"));

  beforeAll(async () => {
    binary = await hostInterpreter({ sanitize: true });
  });

  function check(bytes: number[]): { ok: boolean; reason?: string } {
    const file = path.join(dir, `m${Math.random().toString(36).slice(2)}.wasm`);
    fs.writeFileSync(file, Uint8Array.from(bytes));
    let out: string;
    try {
      out = execFileSync(binary, ["check", file], { encoding: "utf8" });
    } catch (err) {
      out = (err as { stdout: string }).stdout;
    }
    return JSON.parse(out.trim());
  }

  // Modules written out by hand from the binary format (WebAssembly core spec, chapter 5).
  const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const name = (text: string) => [text.length, ...Buffer.from(text)];
  /** type 0: () -> (); one function of it, exported as anyk_main, with `code` as its body. */
  const moduleWith = (code: number[], extra: { types?: number[][]; imports?: number[] } = {}) => {
    const types = [[0x60, 0x00, 0x00], ...(extra.types ?? [])];
    const body = [0x00, ...code, 0x0b];
    return [
      ...HEADER,
      ...section(1, [types.length, ...types.flat()]),
      ...(extra.imports ? section(2, extra.imports) : []),
      ...section(3, [1, 0]),
      ...section(7, [1, ...name("anyk_main"), 0x00, extra.imports ? extra.imports[0] : 0]),
      ...section(10, [1, body.length, ...body]),
    ];
  };

  it("loads a minimal module", () => {
    expect(check(moduleWith([]))).toMatchObject({ ok: true });
  });

  it.each([
    ["a type mismatch (i64.const into i32.eqz)", moduleWith([0x42, 0x01, 0x45, 0x1a]), "an operand has the wrong type"],
    ["an operand the stack does not have", moduleWith([0x6a, 0x1a]), "an instruction takes an operand the stack does not have"],
    ["a branch out of every block", moduleWith([0x0c, 0x02]), "a branch targets a block that does not enclose it"],
    ["a value left on the stack", moduleWith([0x41, 0x01]), "a block leaves more values on the stack than its type says"],
    ["a call to a function that does not exist", moduleWith([0x10, 0x07]), "a call to a function that does not exist"],
    ["a memory access without memory", moduleWith([0x41, 0x00, 0x28, 0x02, 0x00, 0x1a]), "a memory instruction in a module without memory"],
    ["a local that does not exist", moduleWith([0x20, 0x00, 0x1a]), "a local index is out of range"],
    ["an unknown opcode", moduleWith([0xd5]), "an instruction the engine does not know"],
  ])("refuses %s", (_what, bytes, reason) => {
    expect(check(bytes)).toMatchObject({ ok: false, reason });
  });

  it("refuses imports from outside the ABI, and hypercalls with another signature", () => {
    const fromElsewhere = moduleWith([], { types: [[0x60, 0x00, 0x00]], imports: [1, ...name("env"), ...name("exit"), 0x00, 0x00] });
    expect(check(fromElsewhere)).toMatchObject({ ok: false, reason: "the module imports from a module other than anyk" });
    const notInAbi = moduleWith([], { imports: [1, ...name("anyk"), ...name("reboot"), 0x00, 0x00] });
    expect(check(notInAbi)).toMatchObject({ ok: false, reason: "the module imports a function the hypercall ABI does not have" });
    // exit takes an i32: imported as () -> () it is refused.
    const wrongType = moduleWith([], { imports: [1, ...name("anyk"), ...name("exit"), 0x00, 0x00] });
    expect(check(wrongType)).toMatchObject({ ok: false, reason: "a hypercall is imported with a type other than the ABI's" });
  });

  it("survives 10,000 mutated copies of real kernels, accepting none that V8 calls invalid", async () => {
    const kernels = ["hello", "echo", "test/apps/trap", "test/bench/aot"];
    const wasms: string[] = [];
    for (const app of kernels) {
      const r = await anyk(["build", app, "--board", BOARD, "--wasm", "--json"], { env });
      expect(r.code, r.stderr).toBe(0);
      wasms.push(JSON.parse(r.stdout).outputs.wasm);
    }
    for (const wasm of wasms) expect(check([...fs.readFileSync(wasm)])).toMatchObject({ ok: true });
    const accepted = path.join(dir, "accepted.bin");
    const out = execFileSync(binary, ["fuzz", "20261203", "10000", accepted, ...wasms], { encoding: "utf8", env: { ...process.env, ASAN_OPTIONS: "detect_leaks=0" } });
    const counts = JSON.parse(out.trim());
    expect(counts.mutants).toBe(10000);
    expect(counts.refused + counts.loaded).toBe(10000);
    // Most edits break a module; some (in data, in names) leave it valid, and those must load.
    expect(counts.refused).toBeGreaterThan(5000);
    const bytes = fs.readFileSync(accepted);
    let invalid = 0;
    let modules = 0;
    for (let at = 0; at < bytes.length; modules++) {
      const length = bytes.readUInt32LE(at);
      if (!WebAssembly.validate(bytes.subarray(at + 4, at + 4 + length))) invalid++;
      at += 4 + length;
    }
    expect(modules).toBe(counts.loaded);
    expect(invalid).toBe(0);
  });
});
