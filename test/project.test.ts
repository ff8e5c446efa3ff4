// A user's own project, outside the toolchain's repository: `anyk init` writes it, the packed
// toolchain (npm pack) installs into it, and `npm start` boots its app in QEMU while `npm test` runs
// it in Node; images build under the project's own build/. A broken anykernel.json names its field.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseProject } from "../scripts/lib/project.js";
import { anyk, ROOT } from "./helpers/cli.js";

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end without blocking the test worker (a blocked worker misses vitest's heartbeats). */
function exec(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const npm = (args: string[], cwd: string) => exec("npm", args, cwd, { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });

/** npm pack of a folder into dest: the tarball's path. */
async function pack(folder: string, dest: string): Promise<string> {
  const r = await npm(["pack", "--silent", "--pack-destination", dest], folder);
  if (r.status !== 0) throw new Error(`npm pack ${folder}: ${r.stderr}`);
  return path.join(dest, r.stdout.trim().split("\n").pop()!);
}

describe("anyk init", () => {
  it("writes the project's files, and refuses a folder that is a project already", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "anyk-init-")), "blinker");
    const r = await anyk(["init", dir, "--board", "microbit"]);
    expect(r.code).toBe(0);
    for (const file of ["package.json", "anykernel.json", "src/main.ts", "tsconfig.json", "README.md", ".gitignore"]) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    const project = JSON.parse(fs.readFileSync(path.join(dir, "anykernel.json"), "utf8"));
    expect([project.name, project.app, project.board]).toEqual(["blinker", "src", "microbit"]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).scripts).toMatchObject({ start: "anyk boot", test: "anyk run" });
    const again = await anyk(["init", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("anykernel.json exists");
    const badBoard = await anyk(["init", path.join(dir, "..", "other"), "--board", "nosuch"]);
    expect(badBoard.stderr).toMatch(/unknown board 'nosuch'|board 'nosuch'/);
  });

  it("runs the project's app from its folder with no app or board given, building under its build/", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "anyk-init-")), "mine");
    await anyk(["init", dir]);
    const r = await anyk(["run"], { cwd: dir, env: { ANYK_BUILD_DIR: "" } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Hello from mine on lm3s6965evb\n");
    expect(fs.existsSync(path.join(dir, "build", "lm3s6965evb", "mine", "kernel.wasm"))).toBe(true);
  }, 120_000);
});

describe("anykernel.json", () => {
  it("names the field and what it must be", () => {
    expect(() => parseProject("/p/anykernel.json", '{ "app": 3 }')).toThrow("/p/anykernel.json: field 'app' must be a non-empty string, got 3");
    expect(() => parseProject("/p/anykernel.json", '{ "components": "drivers" }')).toThrow("/p/anykernel.json: field 'components' must be an array of folder names");
    expect(() => parseProject("/p/anykernel.json", '{ "colour": "red" }')).toThrow("field 'colour' is not a project field");
    expect(() => parseProject("/p/anykernel.json", "{")).toThrow("/p/anykernel.json: not valid JSON");
    expect(() => parseProject("/p/anykernel.json", '{ "runtime": "gc" }')).toThrow("/p/anykernel.json: field 'runtime' must be one of bump, minimal, incremental, got \"gc\"");
    expect(() => parseProject("/p/anykernel.json", '{ "heap": -1 }')).toThrow("/p/anykernel.json: field 'heap' must be a whole number of bytes 0..1048576, got -1");
    expect(parseProject("/p/anykernel.json", '{ "runtime": "incremental", "heap": 2048 }')).toMatchObject({ runtime: "incremental", heap: 2048 });
  });
});

describe("the packed toolchain in a fresh project", () => {
  let project: string;
  beforeAll(async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-packed-"));
    const packed = await pack(ROOT, scratch);
    project = path.join(scratch, "hello-project");
    const init = await anyk(["init", project, "--toolchain", `file:${packed}`]);
    expect(init.code, init.stderr).toBe(0);
    const install = await npm(["install", "--prefer-offline"], project);
    expect(install.status, install.stderr).toBe(0);
  }, 300_000);

  it("npm start boots the greeting in QEMU, from the installed package", async () => {
    expect(fs.realpathSync(path.join(project, "node_modules", "anykernel"))).not.toContain(ROOT);
    const start = await npm(["start", "--silent"], project);
    expect(start.stdout).toContain("Hello from hello-project on lm3s6965evb");
    expect(start.status).toBe(0);
    expect(fs.existsSync(path.join(project, "build", "lm3s6965evb", "hello-project", "firmware.elf"))).toBe(true);
  }, 180_000);

  it("npm test runs the app in Node", async () => {
    const test = await npm(["test", "--silent"], project);
    expect(test.stdout).toBe("Hello from hello-project on lm3s6965evb\n");
    expect(test.status).toBe(0);
  }, 180_000);

  const inProject = (args: string[]) => exec(path.join(project, "node_modules", ".bin", "anyk"), args, project);

  it("binds a driver from an installed npm package (examples/anykernel-stm32-gpio)", async () => {
    const packed = await pack(path.join(ROOT, "examples", "anykernel-stm32-gpio"), path.dirname(project));
    const install = await npm(["install", "--prefer-offline", packed], project);
    expect(install.status, install.stderr).toBe(0);
    // An app of the project's own on the port's pins (netduinoplus2 names no LED, so not blinky).
    fs.cpSync(path.join(ROOT, "test", "apps", "pins-stm32"), path.join(project, "pins"), { recursive: true });
    const explain = await inProject(["build", "pins", "--board", "netduinoplus2", "--explain"]);
    expect(explain.stderr).toBe("");
    expect(explain.stdout).toMatch(/gpio\/st,stm32-gpio +driver +required by api-board \(device:gpio\); drives gpioa \(st,stm32-gpio\) at 0x40020000 \[package anykernel-stm32-gpio\]/);
    const components = JSON.parse((await inProject(["components", "--json"])).stdout) as Array<{ name: string; origin: string }>;
    expect(components.find((c) => c.name === "gpio/st,stm32-gpio")?.origin).toBe("package anykernel-stm32-gpio");
    expect(components.find((c) => c.name === "uart/arm,pl011")?.origin).toBe("toolchain");
    // The package's class, which extends the toolchain's, drives the pin: open-drain (OTYPER, offset 4) first.
    const trace = path.join(project, "pins.jsonl");
    const run = await inProject(["run", "pins", "--board", "netduinoplus2", "--trace-mmio", trace]);
    expect(run.stdout).toBe("true\nfalse\nfalse\n5\n");
    const writes = fs.readFileSync(trace, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((a) => a.op === "w" && a.by === "kernel");
    expect(writes[0]).toMatchObject({ address: "0x40020004", value: "0x00000020" });
  }, 300_000);

  it("says where a component is defined twice: the project's own and the package's", async () => {
    const own = path.join(project, "drivers", "gpio", "st,stm32-gpio");
    fs.cpSync(path.join(ROOT, "examples", "anykernel-stm32-gpio", "drivers", "gpio", "st,stm32-gpio"), own, { recursive: true });
    setProject({ components: ["drivers"] });
    const r = await inProject(["build", "pins", "--board", "netduinoplus2"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/component 'gpio\/st,stm32-gpio' is defined twice: in drivers\/gpio\/st,stm32-gpio \(project\) and in node_modules\/anykernel-stm32-gpio\/drivers\/gpio\/st,stm32-gpio \(package anykernel-stm32-gpio\); rename one/);
  }, 120_000);

  it("builds and boots with the project's own driver once the package is gone", async () => {
    const remove = await npm(["uninstall", "anykernel-stm32-gpio"], project);
    expect(remove.status, remove.stderr).toBe(0);
    expect((await inProject(["build", "pins", "--board", "netduinoplus2", "--explain"])).stdout).toContain("[project]");
    const boot = await inProject(["boot", "pins", "--board", "netduinoplus2", "--timeout", "60"]);
    // QEMU's netduinoplus2 has no GPIO model (its ports read 0), so only the pin number is checked here.
    expect(boot.stdout.trim().split("\n")).toHaveLength(4);
    expect(boot.stdout.trim().split("\n")[3]).toBe("5");
    expect(boot.status).toBe(0);
  }, 180_000);

  it("boots the project's own board, which inherits lm3s6965evb, and lists where each board came from", async () => {
    fs.mkdirSync(path.join(project, "boards", "mybench"), { recursive: true });
    fs.writeFileSync(path.join(project, "boards", "mybench", "board.json"), JSON.stringify({ name: "mybench", inherits: "lm3s6965evb", description: "an EK-LM3S6965 at 57600 baud", baud: 57600 }));
    const boards = (await inProject(["boards"])).stdout;
    expect(boards).toMatch(/^mybench +cortex-m3 .* project +an EK-LM3S6965 at 57600 baud$/m);
    expect(boards).toMatch(/^lm3s6965evb +.* toolchain /m);
    const boot = await inProject(["boot", "hello", "--board", "mybench"]);
    expect(boot.stdout).toBe("Hello from anykernel on mybench\n");
    const run = await inProject(["run", "hello", "--board", "mybench"]);
    expect(run.stdout).toBe("Hello from anykernel on mybench\n");
  }, 180_000);

  it("names the file and field of a board that inherits nothing known", async () => {
    fs.mkdirSync(path.join(project, "boards", "orphan"), { recursive: true });
    fs.writeFileSync(path.join(project, "boards", "orphan", "board.json"), JSON.stringify({ name: "orphan", inherits: "lm3s9999", description: "x" }));
    const r = await inProject(["run", "hello", "--board", "orphan"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/boards\/orphan\/board\.json: field 'inherits' must name a chip description \(.*lm3s6965.*\) or a board \(.*lm3s6965evb.*\), got "lm3s9999"/);
    fs.rmSync(path.join(project, "boards", "orphan"), { recursive: true });
  }, 60_000);

  it("takes the heap's runtime and budget from anykernel.json: strings built in a loop end the bump heap, and the collector keeps up", async () => {
    fs.mkdirSync(path.join(project, "strings"), { recursive: true });
    fs.writeFileSync(
      path.join(project, "strings", "main.ts"),
      'import { println } from "anykernel";\nexport function main(): i32 {\n  let total = 0;\n  for (let i = 0; i < 2000; i++) total += ("item " + i.toString()).length;\n  println(total);\n  return 0;\n}\n',
    );
    // Worked out here: what the loop adds up.
    const expected = `${Array.from({ length: 2000 }, (_, i) => `item ${i}`.length).reduce((a, b) => a + b, 0)}\n`;
    setProject({ heap: 2048 });
    const bump = await inProject(["run", "strings"]);
    expect(bump.status).toBe(101);
    expect(bump.stdout).toMatch(/heap: \d+ bytes needed, cap 2048/);
    expect(bump.stderr).toMatch(/heap cap exhausted: raise 'heap' in a component.json or anykernel\.json/);
    setProject({ heap: 2048, runtime: "incremental" });
    expect((await inProject(["build", "strings", "--explain", "--wasm"])).stdout).toContain("runtime incremental");
    const run = await inProject(["run", "strings"]);
    expect(run.stdout).toBe(expected);
    const boot = await inProject(["boot", "strings", "--timeout", "60"]);
    expect(boot.stdout).toBe(expected);
    expect(boot.status).toBe(0);
    setProject({ heap: 0, runtime: "bump" });
  }, 240_000);

  function setProject(fields: Record<string, unknown>): void {
    const file = path.join(project, "anykernel.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), ...fields }, null, 2));
  }
});
