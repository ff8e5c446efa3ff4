// Finding an app: a name under kernel/apps/ or a path to a folder holding main.ts.
import fs from "node:fs";
import path from "node:path";
import { APPS_DIR, ROOT, foldersWith, shown } from "./paths.js";
import { UserError, unknownName } from "./errors.js";

export interface App {
  /** The name images are filed under: build/<board>/<name>/. */
  name: string;
  /** Absolute path of its main.ts, which exports `main(): i32`. */
  mainFile: string;
}

export function appNames(): string[] {
  return foldersWith(APPS_DIR, "main.ts");
}

function looksLikePath(spec: string): boolean {
  return spec.includes("/") || spec.includes(path.sep) || spec.startsWith(".");
}

export function resolveApp(spec: string): App {
  if (!looksLikePath(spec)) {
    if (!appNames().includes(spec)) throw unknownName("app", spec, appNames());
    return { name: spec, mainFile: path.join(APPS_DIR, spec, "main.ts") };
  }
  const dir = path.resolve(spec);
  const mainFile = path.join(dir, "main.ts");
  if (!fs.existsSync(mainFile)) throw new UserError(`app folder ${shown(dir)} has no main.ts (an app is a folder whose main.ts exports main(): i32)`);
  const rel = path.relative(ROOT, dir);
  if (rel.startsWith("..") || path.isAbsolute(rel)) throw new UserError(`app folder ${shown(dir)} is outside the project ${ROOT}; put it under kernel/apps/ or test/apps/`);
  return { name: path.basename(dir), mainFile };
}
