// Finding an app: a name under kernel/apps/ or a path to a folder holding main.ts.
import fs from "node:fs";
import path from "node:path";
import { APPS_DIR, ROOT, foldersWith, shown } from "./paths.js";
import { currentProject, PROJECT_FILE } from "./project.js";
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

/** The app a command builds: the one named or at the path given, else the project's own (anykernel.json's app). */
export function resolveApp(spec: string | undefined): App {
  const project = currentProject();
  if (spec === undefined) {
    if (!project) throw new UserError(`no app given, and no ${PROJECT_FILE} here or above names one; give an app (${appNames().join(", ")}) or run 'anyk init'`);
    return projectApp(project.app, project.name, project.file);
  }
  // In a project, a folder of its own with a main.ts comes before the toolchain's app of that name.
  const ownFolder = project !== undefined && fs.existsSync(path.resolve(spec, "main.ts"));
  if (!looksLikePath(spec) && !ownFolder) {
    if (!appNames().includes(spec)) throw unknownName("app", spec, appNames());
    return { name: spec, mainFile: path.join(APPS_DIR, spec, "main.ts") };
  }
  const dir = path.resolve(spec);
  const mainFile = path.join(dir, "main.ts");
  if (!fs.existsSync(mainFile)) throw new UserError(`app folder ${shown(dir)} has no main.ts (an app is a folder whose main.ts exports main(): i32)`);
  const inside = (root: string) => {
    const rel = path.relative(root, dir);
    return !rel.startsWith("..") && !path.isAbsolute(rel);
  };
  if (!inside(ROOT) && !(project && inside(project.root))) {
    throw new UserError(`app folder ${shown(dir)} is outside ${project ? `the project ${project.root}` : `the toolchain ${ROOT} and no anykernel.json is here or above`}; put it in the project (anyk init makes one)`);
  }
  return { name: path.basename(dir), mainFile };
}

function projectApp(dir: string, name: string, projectFile: string): App {
  const mainFile = path.join(dir, "main.ts");
  if (!fs.existsSync(mainFile)) throw new UserError(`${shown(projectFile)}: field 'app' names ${shown(dir)}, which has no main.ts (an app is a folder whose main.ts exports main(): i32)`);
  // Filed under the project's name: build/<board>/<project>/.
  return { name, mainFile };
}
