// Where things live in the project; every path the toolchain uses starts here.
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";
import { currentProject, PROJECT_MOUNT } from "./project.js";

/** The project root: scripts/lib/ compiles to dist/scripts/lib/, so walk up to the folder holding package.json. */
function findRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const distAt = parts.lastIndexOf("dist");
  return distAt >= 0 ? parts.slice(0, distAt).join(path.sep) || path.sep : path.resolve(here, "..", "..");
}

export const ROOT = findRoot();
export const KERNEL_DIR = path.join(ROOT, "kernel");
export const APPS_DIR = path.join(KERNEL_DIR, "apps");
/** The CLI's own entry, for commands that time other anyk commands. */
export const ANYK_BIN = path.join(ROOT, "bin", "anyk.js");
/** ANYK_BOARDS_DIR points the toolchain at other board descriptions (tests use it for broken ones). */
export const BOARDS_DIR = process.env.ANYK_BOARDS_DIR ? path.resolve(process.env.ANYK_BOARDS_DIR) : path.join(ROOT, "boards");
/** Chip descriptions boards inherit (chips/<chip>.json). ANYK_CHIPS_DIR points at others (tests). */
export const CHIPS_DIR = process.env.ANYK_CHIPS_DIR ? path.resolve(process.env.ANYK_CHIPS_DIR) : path.join(ROOT, "chips");
/** The contracts: abi/*.json, and their generated faces in gen/. ANYK_ABI_DIR points at another copy
 *  (tests use it to check staleness detection). */
export const ABI_DIR = process.env.ANYK_ABI_DIR ? path.resolve(process.env.ANYK_ABI_DIR) : path.join(ROOT, "abi");
export const ABI_GEN_DIR = path.join(ABI_DIR, "gen");
/** The C platform: the Cortex-M stub, its clocks, consoles, loader and wasm2c runtime. */
export const CORTEX_M_DIR = path.join(ROOT, "platform", "cortex-m");
/** The WebAssembly interpreter: C for boards (--engine interp) and for the host. */
export const INTERP_DIR = path.join(ROOT, "platform", "interp");
/** SHA-512 and Ed25519 verification: a bootloader that takes only signed images. */
export const CRYPTO_DIR = path.join(ROOT, "platform", "crypto");
/** Images build under the project's build/: the user's project (anykernel.json), else this repository. ANYK_BUILD_DIR overrides (tests). */
export const BUILD_DIR = process.env.ANYK_BUILD_DIR ? path.resolve(process.env.ANYK_BUILD_DIR) : path.join(currentProject()?.root ?? ROOT, "build");

/** The sorted names of the folders in dir that hold a file called file (boards, apps). */
export function foldersWith(dir: string, file: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, file)))
    .map((e) => e.name)
    .sort();
}

/** build/<board>/<app>/: one folder per image. */
export function imageDir(board: string, app: string): string {
  return path.join(BUILD_DIR, board, app);
}

/**
 * A source file as the compiler names it: relative to the toolchain's folder, with a project's
 * files under PROJECT_MOUNT; and back. Anything else is refused with the reason.
 */
export function sourceName(file: string): string {
  const inToolchain = path.relative(ROOT, file);
  if (!inToolchain.startsWith("..") && !path.isAbsolute(inToolchain)) return inToolchain.split(path.sep).join("/");
  const project = currentProject();
  const inProject = project && path.relative(project.root, file);
  if (inProject !== undefined && !inProject.startsWith("..") && !path.isAbsolute(inProject)) return `${PROJECT_MOUNT}/${inProject.split(path.sep).join("/")}`;
  return path.relative(ROOT, file).split(path.sep).join("/");
}

export function sourceFile(name: string): string {
  const project = currentProject();
  if (project && (name === PROJECT_MOUNT || name.startsWith(`${PROJECT_MOUNT}/`))) return path.join(project.root, name.slice(PROJECT_MOUNT.length + 1));
  return path.join(ROOT, name);
}

/** A path relative to the current directory when that is shorter, for messages. */
export function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && rel.length < p.length ? rel : p;
}
