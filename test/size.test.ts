// anyk size: rows that add up to the ELF's loaded segments (binutils' readelf and size are the
// referees), measured high-water marks that follow what an app does, an image that does not fit,
// budgets, saved reports, the driver-set matrix and the HTML page in a real headless browser.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { readPng } from "./helpers/png.js";
import { BOARDS, boardData } from "./helpers/boards.js";

let env: Record<string, string>;
let scratch: string;
beforeAll(() => {
  env = { ANYK_BUILD_DIR: tempBuildDir("size") };
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-size-test-"));
});


interface Row {
  name: string;
  kind: string;
  rom: number;
  ram: number;
  wasm: number;
  why?: string;
}

async function sizeJson(args: string[]) {
  const r = await anyk(["size", ...args, "--json"], { env, timeoutMs: 120_000 });
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

/** The loaded segments as binutils' readelf shows them: file bytes placed in flash, memory bytes in RAM. */
function readelfLoads(elf: string, flash: { start: number; size: number }, ram: { start: number; size: number }) {
  const out = execFileSync("arm-none-eabi-readelf", ["-lW", elf], { encoding: "utf8" });
  let flashBytes = 0, ramBytes = 0;
  for (const m of out.matchAll(/^\s+LOAD\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)/gm)) {
    const [vaddr, paddr, filesz, memsz] = m.slice(1).map((h) => parseInt(h, 16));
    if (paddr >= flash.start && paddr < flash.start + flash.size) flashBytes += filesz;
    if (vaddr >= ram.start && vaddr < ram.start + ram.size) ramBytes += memsz;
  }
  return { flashBytes, ramBytes };
}

function boardMemory(board: string) {
  const data = boardData(board);
  const region = (kind: string) => data.memory.find((m: { kind: string }) => m.kind === kind);
  // Board files write sizes as "256K" or "1M" and addresses in hex.
  const parse = (v: number | string) => {
    if (typeof v === "number") return v;
    const m = /^(\d+)([KM])$/.exec(v);
    return m ? Number(m[1]) * (m[2] === "K" ? 1024 : 1024 * 1024) : Number(v);
  };
  return { flash: { start: parse(region("flash").start), size: parse(region("flash").size) }, ram: { start: parse(region("ram").start), size: parse(region("ram").size) } };
}

describe.each(BOARDS)("anyk size hello on %s", (board) => {
  it("has rows that add up exactly to the ELF's loaded flash and RAM bytes", async () => {
    const { code, report } = await sizeJson(["hello", "--board", board, "--platform", "none"]);
    expect(code).toBe(0);
    const elf = path.join(env.ANYK_BUILD_DIR, board, "hello", "firmware.elf");
    const { flash, ram } = boardMemory(board);
    const loads = readelfLoads(elf, flash, ram);
    const rows: Row[] = report.components;
    const rom = rows.reduce((n, r) => n + r.rom, 0);
    const ramSum = rows.reduce((n, r) => n + r.ram, 0);
    expect(rom).toBe(loads.flashBytes);
    expect(ramSum).toBe(loads.ramBytes);
    expect(report.totals).toMatchObject({ rom, ram: ramSum });
    expect(report.elf).toEqual({ flash: loads.flashBytes, ram: loads.ramBytes });
    // arm-none-eabi-size agrees: text + data is flash; data + bss (the stack is NOLOAD bss) is RAM.
    const [text, data, bss] = execFileSync("arm-none-eabi-size", [elf], { encoding: "utf8" }).trim().split("\n")[1].trim().split(/\s+/).map(Number);
    expect(text + data).toBe(rom);
    expect(data + bss).toBe(ramSum);
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["base", "hello", "stub", "C stack (reserved)"]));
    expect(rows.find((r) => r.name === "unattributed")).toBeUndefined();
    // The rows of kernel.wasm add up to the file.
    expect(rows.reduce((n, r) => n + r.wasm, 0)).toBe(fs.statSync(path.join(env.ANYK_BUILD_DIR, board, "hello", "kernel.wasm")).size);
  }, 120_000);
});

describe("anyk size attribution", () => {
  it("gives a driver's image its own rows, each saying why it is there", async () => {
    const { report } = await sizeJson(["echo", "--board", "lm3s6965evb", "--platform", "none"]);
    const rows: Row[] = report.components;
    const pl011 = rows.find((r) => r.name === "uart/arm,pl011")!;
    expect(pl011.why).toBe("required by api-uart (device:uart)");
    // Its RAM is its heap budget (kernel/drivers/uart/arm,pl011/component.json says 320 bytes).
    const manifest = JSON.parse(fs.readFileSync("kernel/drivers/uart/arm,pl011/component.json", "utf8"));
    expect(pl011.ram).toBe(manifest.heap);
    expect(pl011.rom).toBeGreaterThan(0);
    for (const name of ["base", "dev", "api", "api-uart", "echo", "stub"]) expect(rows.find((r) => r.name === name)?.rom, name).toBeGreaterThan(0);
    expect(rows.find((r) => r.name === "unattributed")).toBeUndefined();
  }, 120_000);

  it("gives library members a row of their own: libgcc's 64-bit arithmetic on the Cortex-M0", async () => {
    // The micro:bit's clock multiplies and divides 64-bit nanoseconds, which Thumb-1 does in libgcc.
    const { report } = await sizeJson(["echo", "--board", "microbit", "--platform", "none"]);
    const libgcc = (report.components as Row[]).find((r) => r.name === "libgcc");
    expect(libgcc?.rom).toBeGreaterThan(0);
    expect(libgcc?.ram).toBe(0);
  }, 120_000);

  it("prints an aligned table with a why column", async () => {
    const r = await anyk(["size", "echo", "--board", "lm3s6965evb", "--platform", "none", "--why"], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^uart\/arm,pl011\s+component\s+\d+\s+320\s+\d+\s+required by api-uart \(device:uart\)$/m);
    expect(r.stdout).toMatch(/the rows add up to them/);
  }, 120_000);
});

describe("measured high-water marks", () => {
  it("show more stack and heap for an app that recurses and allocates than for hello (QEMU)", async () => {
    const hello = (await sizeJson(["hello", "--board", "lm3s6965evb"])).report;
    const hungry = (await sizeJson(["test/apps/stack-hungry", "--board", "lm3s6965evb"])).report;
    expect(hello.measured).toMatchObject({ platform: "qemu", exitCode: 0 });
    expect(hello.stack.high_water).toBeGreaterThan(0);
    expect(hello.heap.high_water).toBe(0);
    expect(hungry.stack.high_water).toBeGreaterThan(hello.stack.high_water + 200);
    // Six allocations of 48 bytes: each a 4-byte header and a payload rounded to 16-byte alignment.
    expect(hungry.heap.high_water).toBeGreaterThanOrEqual(6 * 48);
    expect(hungry.heap.high_water).toBeLessThanOrEqual(hungry.heap.cap);
    expect(hungry.stack.high_water).toBeLessThanOrEqual(hungry.stack.reserved);
  }, 120_000);

  it("measures the same heap in userspace, and says the stack is Node's there", async () => {
    const qemu = (await sizeJson(["test/apps/stack-hungry", "--board", "lm3s6965evb"])).report;
    const node = (await sizeJson(["test/apps/stack-hungry", "--board", "lm3s6965evb", "--platform", "userspace"])).report;
    expect(node.measured.platform).toBe("userspace");
    expect(node.heap.high_water).toBe(qemu.heap.high_water);
    expect(node.stack.high_water).toBeNull();
  }, 120_000);

  it("says why nothing was measured when the image does not end", async () => {
    const { report } = await sizeJson(["echo", "--board", "lm3s6965evb", "--timeout", "2"]);
    expect(report.stack.high_water).toBeNull();
    expect(report.measured.note).toMatch(/did not exit within 2 s.*--input/);
  }, 120_000);
});

describe("board fit and budgets", () => {
  it("fails an image too large for the micro:bit's RAM, with the whole table and a clear message", async () => {
    const r = await anyk(["size", "test/apps/too-big", "--board", "microbit"], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^too-big\s+component\s+\d+\s+2\d{4}\s/m);
    expect(r.stdout).toMatch(/^ram\s+\d+ B\s+16384 B\s+1\d\d\.\d% \[#+\] OVERFLOW$/m);
    expect(r.stderr).toMatch(/anyk: error: too-big does not fit microbit: ram (\d+) B used of 16384 B/);
    const { report } = await sizeJson(["test/apps/too-big", "--board", "microbit"]);
    expect(report.fits).toBe(false);
    expect(report.oversize_link).toBe(true);
    expect(report.elf.ram).toBeGreaterThan(16384);
    expect(report.totals.ram).toBe(report.elf.ram);
  }, 120_000);

  it("anyk build says by how much an image does not fit", async () => {
    const r = await anyk(["build", "test/apps/too-big", "--board", "microbit"], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/too-big does not fit microbit: it overflows RAM by \d+ bytes; see where the bytes go with: anyk size test\/apps\/too-big --board microbit/);
  }, 120_000);

  it("fails a component over a --max-size budget, and refuses a budget for a component not in the image", async () => {
    const over = await anyk(["size", "hello", "--board", "lm3s6965evb", "--platform", "none", "--max-size", "base=100"], { env, timeoutMs: 120_000 });
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/component base is \d+ B of ROM, over its max-size of 100 B/);
    expect(over.stdout).toMatch(/^base\s+component.*100 OVER$/m);
    const within = await anyk(["size", "hello", "--board", "lm3s6965evb", "--platform", "none", "--max-size", "base=100000"], { env, timeoutMs: 120_000 });
    expect(within.code).toBe(0);
    const unknown = await anyk(["size", "hello", "--board", "lm3s6965evb", "--platform", "none", "--max-size", "uart/arm,pl011=10"], { env, timeoutMs: 120_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--max-size names 'uart\/arm,pl011', which is not in this image/);
  }, 120_000);
});

describe("saved reports", () => {
  it("--compare shows each component's difference against a --save'd report", async () => {
    const saved = path.join(scratch, "hello.json");
    const first = await sizeJson(["hello", "--board", "lm3s6965evb", "--platform", "none", "--save", saved]);
    expect(JSON.parse(fs.readFileSync(saved, "utf8")).totals).toEqual(first.report.totals);
    const echo = (await sizeJson(["echo", "--board", "lm3s6965evb", "--platform", "none"])).report;
    const r = await anyk(["size", "echo", "--board", "lm3s6965evb", "--platform", "none", "--compare", saved], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const total = new RegExp(`^total\\s+${echo.totals.rom}\\s+${echo.totals.ram}\\s+${echo.totals.wasm}\\s+\\+${echo.totals.rom - first.report.totals.rom}\\s+\\+${echo.totals.ram - first.report.totals.ram}$`, "m");
    expect(r.stdout).toMatch(total);
    const pl011 = echo.components.find((c: Row) => c.name === "uart/arm,pl011");
    expect(r.stdout).toMatch(new RegExp(`^uart/arm,pl011\\s+component\\s+${pl011.rom}\\s+${pl011.ram}\\s+${pl011.wasm}\\s+\\+${pl011.rom}\\s+\\+${pl011.ram}$`, "m"));
  }, 120_000);

  it("refuses a file that is not a saved report, naming it", async () => {
    const bogus = path.join(scratch, "bogus.json");
    fs.writeFileSync(bogus, JSON.stringify({ format: 99 }));
    const r = await anyk(["size", "hello", "--board", "lm3s6965evb", "--platform", "none", "--compare", bogus], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bogus}: field 'format' is 99, expected 1`);
  }, 120_000);
});

describe("driver-set matrix", () => {
  it("gives each driver's marginal cost over hello on a board, and marks devices the board lacks", async () => {
    const r = await anyk(["size", "--matrix", "--boards", "lm3s6965evb", "--json"], { env, timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    const { sets } = JSON.parse(r.stdout);
    const cell = (name: string) => sets.find((s: { name: string }) => s.name === name).boards.lm3s6965evb;
    const hello = cell("hello");
    const uart = cell("hello + uart");
    expect(uart.added).toContain("uart/arm,pl011");
    expect(uart.marginal.rom).toBe(uart.rom - hello.rom);
    expect(uart.marginal.ram).toBe(uart.ram - hello.ram);
    expect(uart.marginal.rom).toBeGreaterThan(0);
    expect(cell("hello + rng").error).toMatch(/no device a 'rng' driver binds/);
  }, 300_000);

  it("refuses a sets file that is not a list of sets", async () => {
    const bad = path.join(scratch, "sets.json");
    fs.writeFileSync(bad, JSON.stringify([{ with: ["device:uart"] }]));
    const r = await anyk(["size", "--matrix", "--sets", bad], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: set 0: field 'app' must name an app`);
  });
});

const CHROMIUM = ["chromium-headless-shell", "chromium"].find((b) => {
  try {
    execFileSync(b, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
});

describe("the HTML report", () => {
  it("renders in headless Chromium with no network, showing every row", async () => {
    expect(CHROMIUM, "Debian's chromium-headless-shell (scripts/ensure-toolchain --install --test installs it)").toBeDefined();
    const page = path.join(scratch, "echo.html");
    const r = await anyk(["size", "echo", "--board", "lm3s6965evb", "--platform", "none", "--html", page], { env, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const html = fs.readFileSync(page, "utf8");
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    // Any request would go to a closed local port: the page must not need one.
    const flags = ["--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9", "--window-size=1000,700"];
    const dom = execFileSync(CHROMIUM!, [...flags, "--dump-dom", `file://${page}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const { report } = await sizeJson(["echo", "--board", "lm3s6965evb", "--platform", "none"]);
    for (const row of report.components as Row[]) expect(dom).toContain(`>${row.name.replace(/&/g, "&amp;")}</td>`);
    const parts = [...dom.matchAll(/<rect class="part"/g)].length;
    expect(parts).toBe((report.components as Row[]).filter((c) => c.rom > 0).length + (report.components as Row[]).filter((c) => c.ram > 0).length);

    const shot = path.join(scratch, "echo.png");
    execFileSync(CHROMIUM!, [...flags, `--screenshot=${shot}`, `file://${page}`], { stdio: "ignore" });
    const png = readPng(fs.readFileSync(shot));
    expect([png.width, png.height]).toEqual([1000, 700]);
    // The first component's bar is drawn in its colour (#1f4e79) near the left of the ROM bar.
    const colours = new Set<string>();
    for (let y = 0; y < png.height; y += 2) for (let x = 0; x < png.width; x += 2) colours.add(png.rgb(x, y).join(","));
    expect(colours.has("31,78,121")).toBe(true);
    expect(colours.size).toBeGreaterThan(12);
  }, 120_000);
});
