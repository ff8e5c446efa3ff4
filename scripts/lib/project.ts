// A user's own project: the folder holding anykernel.json, found from the current directory upward.
// It names the project's app, its default board and the folders of its own components and boards;
// its images build under its own build/. Without one, the toolchain's repository is the project.
import fs from "node:fs";
import path from "node:path";
import { UserError } from "./errors.js";
import { parseNetSettings, type NetSettings } from "./net-settings.js";
import { isRuntime, RUNTIME_CHOICES, type Runtime } from "./runtimes.js";

export const PROJECT_FILE = "anykernel.json";

export interface Project {
  /** The folder holding anykernel.json. */
  root: string;
  file: string;
  name: string;
  /** The app folder (holding main.ts), absolute. */
  app: string;
  /** The board commands use when --board is not given. */
  board?: string;
  /** Folders of the project's own components (drivers, factions, apps), absolute. */
  components: string[];
  /** The folder of the project's own boards (<name>/board.json), absolute. */
  boards: string;
  /** The kernel heap's runtime (default bump). */
  runtime?: Runtime;
  /** Heap bytes the app may allocate beyond its components' budgets. */
  heap: number;
  /** The network interface's static configuration; the board file's otherwise. */
  net?: NetSettings;
}

const FIELDS = ["$comment", "name", "app", "board", "components", "boards", "runtime", "heap", "net"];

/** The project file's contents, checked; every mistake names the file and the field. */
export function parseProject(file: string, text: string): Project {
  const fail = (field: string, problem: string): never => {
    throw new UserError(`${file}: field '${field}' ${problem}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new UserError(`${file}: must be a JSON object like { "name": "myproj", "app": "src", "board": "lm3s6965evb" }`);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.includes(key)) fail(key, `is not a project field; valid fields: ${FIELDS.join(", ")}`);
  const text_ = (key: string, fallback?: string): string => {
    const v = o[key] ?? fallback;
    if (typeof v !== "string" || v === "") return fail(key, `must be a non-empty string, got ${JSON.stringify(o[key])}`);
    return v;
  };
  const root = path.dirname(file);
  const components = o.components ?? [];
  if (!Array.isArray(components) || !components.every((c) => typeof c === "string" && c !== "")) fail("components", `must be an array of folder names like ["drivers"], got ${JSON.stringify(o.components)}`);
  const heap = o.heap ?? 0;
  if (typeof heap !== "number" || !Number.isInteger(heap) || heap < 0 || heap > 1 << 20) fail("heap", `must be a whole number of bytes 0..1048576, got ${JSON.stringify(o.heap)}`);
  if (o.runtime !== undefined && !isRuntime(o.runtime)) fail("runtime", `${RUNTIME_CHOICES}, got ${JSON.stringify(o.runtime)}`);
  const runtime = o.runtime as Runtime | undefined;
  return {
    root,
    file,
    runtime,
    heap: heap as number,
    net: o.net === undefined ? undefined : parseNetSettings(o.net, fail),
    name: text_("name", path.basename(root)),
    app: path.resolve(root, text_("app", "src")),
    board: o.board === undefined ? undefined : text_("board"),
    components: (components as string[]).map((c) => path.resolve(root, c)),
    boards: path.resolve(root, text_("boards", "boards")),
  };
}

/** The project the current directory is in, or undefined (then the toolchain's repository is). */
export function findProject(from = process.cwd()): Project | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, PROJECT_FILE);
    if (fs.existsSync(file)) return parseProject(file, fs.readFileSync(file, "utf8"));
    if (path.dirname(dir) === dir) return undefined;
  }
}

let cached: { project: Project | undefined } | undefined;

/** findProject, once per process. */
export function currentProject(): Project | undefined {
  cached ??= { project: findProject() };
  return cached.project;
}

/** An installed npm package that declares anykernel components or boards: its package.json's "anykernel" field. */
export interface ComponentPackage {
  dir: string;
  name: string;
  /** Where it says what it holds, for error messages. */
  manifest: string;
  fields: Record<string, unknown>;
}

/** The packages under the project's node_modules (scoped ones too) with an "anykernel" field; the toolchain itself is not one. */
export function anykernelPackages(project: Project): ComponentPackage[] {
  const found: ComponentPackage[] = [];
  const scan = (nodeModules: string) => {
    if (!fs.existsSync(nodeModules)) return;
    for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
      const dir = path.join(nodeModules, entry.name);
      if (entry.name.startsWith("@") && entry.isDirectory()) {
        scan(dir);
        continue;
      }
      const manifest = path.join(dir, "package.json");
      if (!(entry.isDirectory() || entry.isSymbolicLink()) || !fs.existsSync(manifest)) continue;
      const json = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; anykernel?: unknown };
      if (json.name === "anykernel" || typeof json.anykernel !== "object" || json.anykernel === null) continue;
      found.push({ dir, name: json.name ?? entry.name, manifest, fields: json.anykernel as Record<string, unknown> });
    }
  };
  scan(path.join(project.root, "node_modules"));
  return found;
}

/**
 * Where the compiler sees a project's files: inside the toolchain's folder, under this name, so
 * that a project file's import of the kernel and the kernel's own imports name one module the same
 * way (AssemblyScript tells modules apart by path, and a path climbing out of the toolchain's folder
 * cannot be shortened back into it).
 */
export const PROJECT_MOUNT = ".anyk-project";
