// A user's own project, outside the toolchain's repository: `anyk init` writes it, the packed
// toolchain (npm pack) installs into it, and `npm start` boots its app in QEMU while `npm test` runs
// it in Node; images build under the project's own build/. A broken anykernel.json names its field.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseProject } from "../scripts/lib/project.js";
import { anyk, ROOT } from "./helpers/cli.js";

const npm = (args: string[], cwd: string) => spawnSync("npm", args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });

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
  });
});

describe("the packed toolchain in a fresh project", () => {
  let project: string;
  beforeAll(() => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-packed-"));
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    project = path.join(scratch, "hello-project");
    execFileSync(process.execPath, [path.join(ROOT, "bin", "anyk.js"), "init", project, "--toolchain", `file:${path.join(scratch, packed)}`]);
    const install = npm(["install", "--prefer-offline"], project);
    expect(install.status, install.stderr).toBe(0);
  }, 300_000);

  it("npm start boots the greeting in QEMU, from the installed package", () => {
    expect(fs.realpathSync(path.join(project, "node_modules", "anykernel"))).not.toContain(ROOT);
    const start = npm(["start", "--silent"], project);
    expect(start.stdout).toContain("Hello from hello-project on lm3s6965evb");
    expect(start.status).toBe(0);
    expect(fs.existsSync(path.join(project, "build", "lm3s6965evb", "hello-project", "firmware.elf"))).toBe(true);
  }, 180_000);

  it("npm test runs the app in Node", () => {
    const test = npm(["test", "--silent"], project);
    expect(test.stdout).toBe("Hello from hello-project on lm3s6965evb\n");
    expect(test.status).toBe(0);
  }, 180_000);
});
