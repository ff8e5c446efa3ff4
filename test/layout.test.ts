// The layout keeps its direction: scripts (the CLI) may use platform and abi; a platform uses abi
// and nothing of the CLI or of another platform; kernel uses only abi. Checked by reading every
// TypeScript and AssemblyScript import and C include in the tree, not by trusting the folders' names.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

/** The unit an import is counted in: a top-level folder, or platform/<name> for each platform. */
function unitOf(root: string, file: string): string {
  const parts = path.relative(root, file).split(path.sep);
  return parts[0] === "platform" ? `platform/${parts[1]}` : parts[0];
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ["node_modules", "dist", "build", ".git"].includes(e.name) ? [] : sourceFiles(p);
    return /\.(ts|c|h)$/.test(e.name) ? [p] : [];
  });
}

/** Edges "from -> to" between units, each with one file that makes it. */
function importEdges(root: string): Map<string, string> {
  const edges = new Map<string, string>();
  for (const file of ["abi", "platform", "kernel", "scripts", "boards", "chips"].flatMap((d) => (fs.existsSync(path.join(root, d)) ? sourceFiles(path.join(root, d)) : []))) {
    const text = fs.readFileSync(file, "utf8");
    const targets = [...text.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"|#include\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1] ?? m[2]);
    for (const target of targets) {
      const from = unitOf(root, file);
      const to = unitOf(root, path.resolve(path.dirname(file), target));
      if (from !== to && !edges.has(`${from} -> ${to}`)) edges.set(`${from} -> ${to}`, path.relative(root, file));
    }
  }
  return edges;
}

describe("the layout's import direction", () => {
  const edges = importEdges(ROOT);

  it("has only the allowed edges between top-level folders and platforms", () => {
    const allowed = new Set(["scripts -> abi", "scripts -> platform/node", "platform/node -> abi", "kernel -> abi"]);
    const unexpected = [...edges].filter(([edge]) => !allowed.has(edge)).map(([edge, file]) => `${edge} (${file})`);
    expect(unexpected).toEqual([]);
  });

  it("has no cycle", () => {
    const next = new Map<string, string[]>();
    for (const edge of edges.keys()) {
      const [from, to] = edge.split(" -> ");
      next.set(from, [...(next.get(from) ?? []), to]);
    }
    const reaches = (start: string, goal: string, seen = new Set<string>()): boolean =>
      (next.get(start) ?? []).some((n) => n === goal || (!seen.has(n) && (seen.add(n), reaches(n, goal, seen))));
    expect([...next.keys()].filter((unit) => reaches(unit, unit))).toEqual([]);
  });

  it("sees a platform importing the CLI, and a C platform including the other's header", () => {
    // The reader itself must be able to fail: a small tree with the two faults the layout forbids.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-layout-"));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write("platform/node/devices/model.ts", 'import type { Board } from "../../../scripts/lib/boards.js";\n');
    write("platform/cortex-m/stub.c", '#include "../node/shared.h"\n');
    write("scripts/lib/boards.ts", 'import { x } from "../../platform/node/devices/model.js";\n');
    expect([...importEdges(root).keys()].sort()).toEqual(["platform/cortex-m -> platform/node", "platform/node -> scripts", "scripts -> platform/node"]);
  });
});
