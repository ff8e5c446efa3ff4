// Every register the platform and the drivers touch, checked against the vendors' register
// descriptions (chips/registers/, from the reference manuals): a real register, written only if
// writable, no reserved bit set. The accesses are extracted from what makes them: the bring-up
// steps of each board, a userspace trace of the kernel's drivers running the apps, and the stub's
// C read as text. A deliberately wrong offset, in C and in a driver, must be caught.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../scripts/lib/boards.js";
import { bringupSteps } from "../scripts/lib/bringup.js";
import { anyk, ROOT, tempBuildDir } from "./helpers/cli.js";
import { BOARDS } from "./helpers/boards.js";
import { cAccesses, checkAccess, checkBoardAccesses, registerTables, type Access } from "./helpers/registers.js";

const tables = registerTables();
const env = { ANYK_BUILD_DIR: tempBuildDir("registers") };

/** The apps that bind each driver class, with input that drives them and a stop. */
const RUNS: Array<{ app: string; input: string; boards?: string[] }> = [
  { app: "hello", input: "" },
  { app: "echo", input: "abc\nquit\n" },
  { app: "blinky", input: "" },
  { app: "test/apps/uart-edges", input: "t" },
  { app: "test/apps/timer-edges", input: "1000 3\n100000 2\nq\n" },
  { app: "test/apps/rng", input: "" },
  // No network here: the Ethernet driver's bring-up and start, then an honest "waiting forever" panic.
  { app: "ping", input: "" },
  // The STM32 GPIO driver (netduinoplus2 names no LED, so blinky stops at board.led there).
  { app: "test/apps/pins-stm32", input: "", boards: ["netduinoplus2"] },
];

function readTrace(file: string, source: string): Access[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => {
    const a = JSON.parse(line) as { op: string; address: string; width: number; value: string; by: string };
    return { write: a.op === "w", address: Number(a.address), width: a.width, value: a.op === "w" ? Number(a.value) : undefined, source: `${source} (${a.by})` };
  });
}

/** Runs each app that builds for the board with --trace-mmio and gathers the accesses. */
async function traced(root: string, board: string, runs = RUNS, buildEnv = env): Promise<{ accesses: Access[]; ran: string[] }> {
  const accesses: Access[] = [];
  const ran: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-trace-"));
  for (const { app, input, boards } of runs) {
    if (boards && !boards.includes(board)) continue;
    const file = path.join(dir, `${path.basename(app)}.jsonl`);
    const r = await anyk(["run", app, "--board", board, "--trace-mmio", file, "--timeout", "5"], { input, env: buildEnv, cwd: root, bin: path.join(root, "bin", "anyk.js"), timeoutMs: 120_000 });
    if (/has no device|needs a device/.test(r.stderr)) continue;
    ran.push(app);
    accesses.push(...readTrace(file, `${app} on ${board}`));
  }
  return { accesses, ran };
}

describe("bring-up steps", () => {
  it.each(BOARDS)("%s: every step writes a real, writable register and only its defined bits", (name) => {
    const board = loadBoard(name);
    const steps = bringupSteps(board, board.devices);
    const accesses: Access[] = steps.filter((s) => s.op !== "delay").flatMap((s) => [
      ...(s.op === "wait" || s.mask !== 0xffffffff ? [{ write: false, address: s.reg, width: 32, source: s.what }] : []),
      ...(s.op === "wait" ? [] : [{ write: true, address: s.reg, width: 32, value: s.value, source: s.what }]),
    ]);
    expect(accesses.length).toBeGreaterThan(0);
    expect(checkBoardAccesses(tables, board, accesses)).toEqual([]);
  });
});

describe("the kernel's drivers, traced in userspace", () => {
  it.each(BOARDS)("%s: every register access of the apps is sound", async (name) => {
    const { accesses, ran } = await traced(ROOT, name);
    expect(ran).toContain("echo");
    // The drivers ran: there are kernel accesses, not only bring-up.
    expect(accesses.filter((a) => a.source.endsWith("(kernel)")).length).toBeGreaterThan(10);
    expect(checkBoardAccesses(tables, loadBoard(name), accesses)).toEqual([]);
  }, 240_000);
});

/** Which compatible each of the stub's base macros addresses, by file. */
function compatibleOf(file: string, base: string): string {
  if (base === "absolute") return "arm,armv7m-core";
  if (base === "ANYK_NVMC_BASE") return "nordic,nrf51-nvmc";
  return path.basename(file, ".c");
}

function cProblems(file: string): { problems: string[]; count: number } {
  const found = cAccesses(file);
  const problems = found.flatMap((a) => {
    const compatible = compatibleOf(file, a.base);
    return checkAccess(tables, compatible, a.offset, { write: a.write, address: a.offset, width: 32, value: a.value, source: `${path.relative(ROOT, file)}:${a.line}` });
  });
  return { problems, count: found.length };
}

describe("the stub's C", () => {
  const platform = path.join(ROOT, "platform", "cortex-m");
  const files = [
    ...fs.readdirSync(path.join(platform, "console")).map((f) => path.join(platform, "console", f)),
    ...fs.readdirSync(path.join(platform, "clock")).map((f) => path.join(platform, "clock", f)),
    path.join(platform, "stub.c"),
    path.join(platform, "loader.c"),
  ];
  it.each(files.map((f) => [path.relative(ROOT, f), f]))("%s: every register it reads or writes is sound", (_name, file) => {
    const { problems, count } = cProblems(file);
    expect(count).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

describe("the extraction is honest", () => {
  it("a console whose flag register offset is wrong is caught", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-wrong-"));
    const file = path.join(dir, "arm,pl011.c");
    const source = fs.readFileSync(path.join(ROOT, "platform", "cortex-m", "console", "arm,pl011.c"), "utf8");
    fs.writeFileSync(file, source.replace("(ANYK_CONSOLE_BASE + 0x18u)", "(ANYK_CONSOLE_BASE + 0x1Cu)"));
    expect(cProblems(file).problems.join("\n")).toContain("not a register of arm,pl011");
  });

  it("a read-only register written, and a reserved bit set, are caught", () => {
    expect(checkAccess(tables, "arm,pl011", 0x18, { write: true, address: 0x4000c018, width: 32, value: 0, source: "t" })[0]).toContain("UARTFR is read-only");
    expect(checkAccess(tables, "st,stm32-usart", 0x0c, { write: true, address: 0x4001100c, width: 32, value: 1 << 14, source: "t" })[0]).toContain("reserved bits 0x00004000");
  });

  describe("a PL011 driver with its interrupt-clear register at a wrong offset", () => {
    let copy: string;
    beforeAll(() => {
      // A copy of the toolchain (its tracked files and its compiled CLI) with one line changed.
      copy = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-copy-"));
      const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).trim().split("\n");
      for (const file of [...tracked, ...listFiles(path.join(ROOT, "dist")).map((f) => path.relative(ROOT, f))]) {
        if (!fs.existsSync(path.join(ROOT, file))) continue;
        fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
      }
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
      const driver = path.join(copy, "kernel", "drivers", "uart", "arm,pl011", "arm,pl011.ts");
      const text = fs.readFileSync(driver, "utf8");
      expect(text).toContain("const ICR: u32 = 0x044;");
      fs.writeFileSync(driver, text.replace("const ICR: u32 = 0x044;", "const ICR: u32 = 0x04c;"));
    });

    it("is caught by the trace of echo", async () => {
      const { accesses } = await traced(copy, "lm3s6965evb", [{ app: "echo", input: "abc\nquit\n" }], { ANYK_BUILD_DIR: path.join(copy, "build") });
      expect(checkBoardAccesses(tables, loadBoard("lm3s6965evb"), accesses).join("\n")).toContain("+0x0000004C): not a register of arm,pl011");
    }, 240_000);
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
