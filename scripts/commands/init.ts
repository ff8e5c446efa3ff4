// anyk init: a new project of one's own, in a folder outside the toolchain.
import fs from "node:fs";
import path from "node:path";
import type { Command } from "../lib/command.js";
import { boardOption } from "../lib/options.js";
import { UsageError, UserError } from "../lib/errors.js";
import { loadBoard } from "../lib/boards.js";
import { writeFilesAtomic } from "../lib/atomic.js";
import { defaultToolchainSpec, scaffoldFiles } from "../lib/scaffold.js";
import { PROJECT_FILE } from "../lib/project.js";
import { shown } from "../lib/paths.js";

export const initCommand: Command = {
  name: "init",
  summary: "make a new project: package.json, anykernel.json, src/main.ts, tsconfig.json, README.md",
  args: "[dir]",
  options: {
    board: boardOption("the project's board, used when a command is given no --board (default lm3s6965evb)"),
    toolchain: { type: "string", value: "spec", help: "how package.json depends on anykernel (default: this toolchain's version, or its folder when it is not installed from npm)" },
    force: { type: "boolean", help: "write into a folder that already has a package.json (never over an anykernel.json)" },
  },
  details: ["Then: cd <dir> && npm install && npm start (boots the app in QEMU); npm test runs it in Node."],
  async run(positionals, values) {
    if (positionals.length > 1) throw new UsageError(`anyk init: one folder at most, got ${positionals.join(" ")}`);
    const dir = path.resolve(positionals[0] ?? ".");
    const board = loadBoard((values.board as string | undefined) ?? "lm3s6965evb").name;
    if (fs.existsSync(path.join(dir, PROJECT_FILE))) throw new UserError(`${shown(path.join(dir, PROJECT_FILE))} exists: ${shown(dir)} is a project already`);
    if (fs.existsSync(path.join(dir, "package.json")) && !values.force) throw new UserError(`${shown(path.join(dir, "package.json"))} exists; use --force to add anykernel's files beside it (package.json is then left as it is)`);
    const name = path.basename(dir).toLowerCase().replace(/[^a-z0-9-._]/g, "-");
    const files = scaffoldFiles({ name, board, toolchain: (values.toolchain as string | undefined) ?? defaultToolchainSpec() })
      .filter(([file]) => !(values.force && file === "package.json" && fs.existsSync(path.join(dir, file))))
      .map(([file, text]) => [path.join(dir, file), text] as const);
    writeFilesAtomic(files);
    for (const [file] of files) process.stdout.write(`wrote ${shown(file)}\n`);
    const rel = path.relative(process.cwd(), dir);
    const cd = rel.startsWith("..") ? dir : rel;
    process.stdout.write(`\nNext: ${cd ? `cd ${cd} && ` : ""}npm install && npm start\n`);
    return 0;
  },
};
