// anyk gen: writes the generated faces of the contracts in abi/ (hypercall.json, loader.json) to abi/gen/.
import fs from "node:fs";
import type { Command } from "../lib/command.js";
import { UserError } from "../lib/errors.js";
import { writeFileAtomic } from "../lib/atomic.js";
import { hypercallFaces } from "../lib/faces.js";
import { loaderFaces } from "../lib/loader-abi.js";
import { shown } from "../lib/paths.js";

/** The faces whose file on disk differs from what abi/ generates, with their new content. */
function staleFaces(): Array<[string, string]> {
  return [...hypercallFaces(), ...loaderFaces()].filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text);
}

export const genCommand: Command = {
  name: "gen",
  summary: "generate the ABI faces (AssemblyScript, C, TypeScript) in abi/gen/ from abi/hypercall.json and abi/loader.json",
  args: "",
  options: {
    check: { type: "boolean", help: "write nothing; fail if a generated file is out of date" },
  },
  async run(_positionals, values) {
    const stale = staleFaces();
    if (values.check) {
      if (stale.length > 0) throw new UserError(`out of date with abi/: ${stale.map(([file]) => shown(file)).join(", ")}; run 'anyk gen'`);
      process.stdout.write("ABI faces are up to date\n");
      return 0;
    }
    for (const [file, text] of stale) {
      writeFileAtomic(file, text);
      process.stdout.write(`wrote ${shown(file)}\n`);
    }
    if (stale.length === 0) process.stdout.write("ABI faces are up to date\n");
    return 0;
  },
};
