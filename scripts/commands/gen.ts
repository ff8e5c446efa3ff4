// anyk gen: writes the three faces of the hypercall ABI from abi/hypercall.json.
import fs from "node:fs";
import type { Command } from "../lib/command.js";
import { UserError } from "../lib/errors.js";
import { writeFileAtomic } from "../lib/atomic.js";
import { faces } from "../lib/faces.js";
import { shown } from "../lib/paths.js";

/** The faces whose file on disk differs from what abi.json generates, with their new content. */
function staleFaces(): Array<[string, string]> {
  return faces().filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text);
}

export const genCommand: Command = {
  name: "gen",
  summary: "generate the hypercall faces (AssemblyScript, C, TypeScript) from abi/hypercall.json",
  args: "",
  options: {
    check: { type: "boolean", help: "write nothing; fail if a generated file is out of date" },
  },
  async run(_positionals, values) {
    const stale = staleFaces();
    if (values.check) {
      if (stale.length > 0) throw new UserError(`out of date with abi/hypercall.json: ${stale.map(([file]) => shown(file)).join(", ")}; run 'anyk gen'`);
      process.stdout.write("hypercall faces are up to date\n");
      return 0;
    }
    for (const [file, text] of stale) {
      writeFileAtomic(file, text);
      process.stdout.write(`wrote ${shown(file)}\n`);
    }
    if (stale.length === 0) process.stdout.write("hypercall faces are up to date\n");
    return 0;
  },
};
