// anyk build: the release image and its names, --json, --debug, and every way a build can fail
// without leaving partial output behind.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readModule } from "../scripts/lib/wasm.js";
import { anyk, ROOT, tempBuildDir } from "./helpers/cli.js";

const buildDir = tempBuildDir("build");
const env = { ANYK_BUILD_DIR: buildDir };

describe("anyk build hello --board lm3s6965evb", () => {
  let json: { app: string; board: string; outputs: Record<string, string>; wasm_bytes: number };
  beforeAll(async () => {
    const r = await anyk(["build", "hello", "--board", "lm3s6965evb", "--json"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    json = JSON.parse(r.stdout);
  });

  it("reports its outputs as one JSON object", () => {
    expect(json.app).toBe("hello");
    expect(json.board).toBe("lm3s6965evb");
    expect(json.outputs.wasm).toBe(path.join(buildDir, "lm3s6965evb", "hello", "kernel.wasm"));
    expect(json.outputs.names).toBe(path.join(buildDir, "lm3s6965evb", "hello", "kernel.names.json"));
    for (const kind of ["elf", "bin", "hex"]) expect(json.outputs[kind]).toBe(path.join(buildDir, "lm3s6965evb", "hello", `firmware.${kind}`));
  });

  it("writes a release kernel.wasm under 1 KiB without a name section", () => {
    const wasm = fs.readFileSync(json.outputs.wasm);
    expect(wasm.length).toBeLessThan(1024);
    expect(wasm.length).toBe(json.wasm_bytes);
    const info = readModule(wasm);
    expect(info.sections.filter((s) => s.id === 0)).toEqual([]);
    expect(info.exports.map((e) => e.name).sort()).toEqual(["anyk_main", "anyk_static_end", "memory"]);
    expect(info.imports.map((i) => `${i.module}.${i.name}`).sort()).toEqual(["anyk.console_write", "anyk.exit"]);
  });

  it("puts the function names beside the image", () => {
    const names = JSON.parse(fs.readFileSync(json.outputs.names, "utf8"));
    expect(names.functions).toContain("kernel/base/console/print");
    expect(names.functions).toContain("kernel/__entry__/anyk_main");
    expect(names.functions.slice(0, names.importedFunctions).sort()).toEqual(["anyk.console_write", "anyk.exit"]);
  });

  it("says it is up to date when nothing changed", async () => {
    const r = await anyk(["build", "hello", "--board", "lm3s6965evb"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^up to date: .*kernel\.wasm \(\d+ bytes\)$/m);
  });

  it("prints what it wrote", async () => {
    const r = await anyk(["build", "hello", "--board", "lm3s6965evb", "--force"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*lm3s6965evb\/hello\/kernel\.wasm \(\d+ bytes\)\nwrote .*kernel\.names\.json\nwrote .*kernel\.wasm\.map\nwrote .*firmware\.elf\nwrote .*firmware\.bin \(\d+ bytes of flash\)\nwrote .*firmware\.hex\nwrote .*firmware\.map\n$/);
  });
});

it("puts the board name into the image from the build, not from the app", async () => {
  const r = await anyk(["build", "hello", "--board", "microbit", "--json"], { env });
  expect(r.code).toBe(0);
  const wasm = fs.readFileSync(JSON.parse(r.stdout).outputs.wasm);
  // AssemblyScript stores string literals as UTF-16LE.
  expect(wasm.includes(Buffer.from("microbit", "utf16le"))).toBe(true);
  expect(wasm.includes(Buffer.from("lm3s6965evb", "utf16le"))).toBe(false);
});

it("writes a debug image with names on --debug", async () => {
  const r = await anyk(["build", "hello", "--board", "mps2-an385", "--debug", "--json"], { env });
  expect(r.code).toBe(0);
  const outputs = JSON.parse(r.stdout).outputs;
  const debug = readModule(fs.readFileSync(outputs.debugWasm));
  expect([...debug.functionNames.values()]).toContain("kernel/apps/hello/main/main");
});

describe("a build that fails", () => {
  const dirOf = (app: string) => path.join(buildDir, "lm3s6965evb", app);

  it("shows the compiler's diagnostic for an app that does not compile", async () => {
    const r = await anyk(["build", "test/apps/broken", "--board", "lm3s6965evb"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ERROR TS2304: Cannot find name 'notDefinedAnywhere'.");
    expect(r.stderr.trim().split("\n").pop()).toBe(
      "anyk: error: test/apps/broken: the app failed to compile: ERROR TS2304: Cannot find name 'notDefinedAnywhere'. (test/apps/broken/main.ts(3,10))",
    );
    expect(fs.existsSync(dirOf("broken"))).toBe(false);
  });

  it("names an import that is not a hypercall", async () => {
    const r = await anyk(["build", "test/apps/unknown-import", "--board", "lm3s6965evb"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^anyk: error: test\/apps\/unknown-import: the image imports anyk\.reboot, which is not a hypercall of ABI v1 \(/);
    expect(fs.existsSync(dirOf("unknown-import"))).toBe(false);
  });

  it("names an app folder without main.ts", async () => {
    const r = await anyk(["build", "test/helpers", "--board", "lm3s6965evb"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("anyk: error: app folder test/helpers has no main.ts (an app is a folder whose main.ts exports main(): i32)\n");
  });

  it("leaves the previous image in place when a rebuild fails", async () => {
    const target = path.join(buildDir, "lm3s6965evb", "hello", "kernel.wasm");
    const before = fs.readFileSync(target);
    // The same app name, but from a folder whose main.ts does not compile.
    const broken = path.join("test", "apps", "broken");
    // Apps must live in the project; build/ is in it and ignored by git.
    fs.mkdirSync(path.join(ROOT, "build"), { recursive: true });
    const scratch = fs.mkdtempSync(path.join(ROOT, "build", "test-src-"));
    const copy = path.join(scratch, "hello");
    fs.mkdirSync(copy);
    fs.copyFileSync(path.join(ROOT, broken, "main.ts"), path.join(copy, "main.ts"));
    const r = await anyk(["build", copy, "--board", "lm3s6965evb"], { env });
    fs.rmSync(scratch, { recursive: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the app failed to compile");
    expect(fs.readFileSync(target)).toEqual(before);
    expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
