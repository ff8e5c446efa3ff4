// anyk components: the kernel's components, their layers and what they require.
import type { Command } from "../lib/command.js";
import { LAYERS, loadAllComponents } from "../lib/components.js";
import { ROOT } from "../lib/paths.js";
import path from "node:path";
import { formatTable } from "../lib/table.js";

export const componentsCommand: Command = {
  name: "components",
  summary: "list the kernel's components with their layer and requirements",
  args: "",
  options: {
    json: { type: "boolean", help: "print the components as one JSON array" },
  },
  async run(_positionals, values) {
    const all = [...loadAllComponents().values()].sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) || a.name.localeCompare(b.name));
    const rows = all.map((c) => ({
      name: c.name,
      layer: c.layer,
      requires: c.requires,
      binds: c.binds,
      provides: c.provides ?? null,
      folder: c.origin === "toolchain" ? path.relative(ROOT, c.dir).split(path.sep).join("/") : c.dir,
      origin: c.origin ?? "toolchain",
    }));
    if (values.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
      return 0;
    }
    const table = [["COMPONENT", "LAYER", "REQUIRES", "FROM", "FOLDER"], ...rows.map((r) => [r.name, r.layer, r.requires.join(", ") || "-", r.origin, r.folder])];
    process.stdout.write(formatTable(table));
    return 0;
  },
};
