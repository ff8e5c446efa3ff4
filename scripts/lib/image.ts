// Building one kernel image: compile, check the imports against the ABI, split off the names,
// and write the artifacts atomically. A stamp of the inputs lets later builds skip unchanged images.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { ABI_FILE, loadAbi } from "./abi.js";
import type { App } from "./apps.js";
import type { Board } from "./boards.js";
import { compileImage, resolveKernelImports, sha256, type Variant } from "./compile.js";
import { generatedSources } from "./entry.js";
import type { Runtime } from "./runtimes.js";
import type { Optimize } from "./components.js";
import { UserError } from "./errors.js";
import { checkImports } from "./imagecheck.js";
import { writeFilesAtomic } from "./atomic.js";
import { ABI_GEN_DIR, CHIPS_DIR, ROOT, imageDir, shown, sourceFile, CORTEX_M_DIR } from "./paths.js";
import { FIRMWARE_BUILDER_ID, INTERP_HEADERS, INTERP_SOURCES, MODES_FILE, buildFirmware, clockSource, consoleSource, extraCFlags, type Engine } from "./firmware.js";
import { readModule, stripCustomSections, type WasmModuleInfo } from "./wasm.js";
import { planImage, type ImagePlan } from "./plan.js";

/** Artifact kind → absolute path, as `anyk build --json` reports them. */
export type Outputs = Record<string, string>;

export interface ImageBuild {
  app: App;
  board: Board;
  plan: ImagePlan;
  dir: string;
  outputs: Outputs;
  /** False when the stamp showed every input unchanged and nothing was rebuilt. */
  rebuilt: boolean;
  /** Bytes of the release kernel.wasm. */
  wasmBytes: number;
}

/** The names beside a release image: what panic reports and size reports map indices through. */
export interface NamesFile {
  format: 1;
  app: string;
  board: string;
  importedFunctions: number;
  /** Function index → name ("kernel/base/console/print"); imports first. */
  functions: string[];
}

const TOOL_VERSION = (() => {
  const require = createRequire(import.meta.url);
  const asc = require("assemblyscript/package.json") as { version: string };
  return `anyk 0.1.0 / assemblyscript ${asc.version}`;
})();

function stampOf(app: App, board: Board, variants: Variant[], inputs: Record<string, string>) {
  return { tool: TOOL_VERSION, app: app.mainFile, board: board.buildName, variants, abi: sha256(fs.readFileSync(ABI_FILE)), inputs };
}

/** The current hash of an input the stamp recorded, or null when it is gone. */
function currentHash(file: string, plan: ImagePlan): string | null {
  const generated = generatedSources(plan).get(file);
  if (generated !== undefined) return sha256(generated);
  const full = sourceFile(file);
  // Hashed as the compiler read it: with its app API imports resolved.
  return fs.existsSync(full) ? sha256(resolveKernelImports(fs.readFileSync(full, "utf8"), file)) : null;
}

function upToDate(stampFile: string, plan: ImagePlan, variants: Variant[], outputs: Outputs): boolean {
  const { app, board } = plan;
  if (!fs.existsSync(stampFile) || !Object.values(outputs).every((f) => fs.existsSync(f))) return false;
  let stamp: ReturnType<typeof stampOf>;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    return false;
  }
  const fresh = stampOf(app, board, variants, {});
  if (stamp.tool !== fresh.tool || stamp.app !== fresh.app || stamp.abi !== fresh.abi || stamp.board !== fresh.board) return false;
  if (!variants.every((v) => stamp.variants.includes(v))) return false;
  return Object.entries(stamp.inputs).every(([file, hash]) => currentHash(file, plan) === hash);
}

export function namesOf(info: WasmModuleInfo, app: App, board: Board): NamesFile {
  const count = Math.max(-1, ...info.functionNames.keys()) + 1;
  const imported = info.imports.filter((i) => i.kind === "func").map((i) => `${i.module}.${i.name}`);
  const functions = Array.from({ length: count }, (_, i) => info.functionNames.get(i) ?? imported[i] ?? `wasm-function[${i}]`);
  return { format: 1, app: app.name, board: board.name, importedFunctions: info.importedFunctions, functions };
}

export interface BuildOptions {
  debug?: boolean;
  force?: boolean;
  /** Also translate and compile the board firmware (firmware.elf/.bin/.hex). */
  firmware?: boolean;
  /** Components to add beyond the app's requirements (--with). */
  with?: string[];
  /** The kernel heap's runtime (--runtime), over the project's. */
  runtime?: Runtime;
  /** How the firmware runs the kernel (--engine): aot (the default) or interp. */
  engine?: Engine;
  /** What the kernel's C is compiled for (--optimize), over the app's "optimize". */
  optimize?: Optimize;
}

export async function buildImage(app: App, board: Board, opts: BuildOptions = {}): Promise<ImageBuild> {
  const image = await buildWasm(planImage(app, board, opts.with ?? [], opts.runtime, opts.optimize), opts);
  if (!opts.firmware) return image;
  const firmware = await buildFirmwareIfNeeded(image, opts.force === true, opts.engine ?? "aot");
  return { ...image, outputs: { ...image.outputs, ...firmware.outputs }, rebuilt: image.rebuilt || firmware.rebuilt };
}

async function buildWasm(plan: ImagePlan, opts: BuildOptions): Promise<ImageBuild> {
  const { app, board } = plan;
  // Another runtime is another image: it builds beside the default one, not over it.
  const dir = imageDir(board.buildName, plan.runtime === "bump" ? app.name : `${app.name}@${plan.runtime}`);
  const variants: Variant[] = opts.debug ? ["release", "debug"] : ["release"];
  const outputs: Outputs = { wasm: path.join(dir, "kernel.wasm"), names: path.join(dir, "kernel.names.json"), sourceMap: path.join(dir, "kernel.wasm.map") };
  if (opts.debug) outputs.debugWasm = path.join(dir, "kernel.debug.wasm");
  const stampFile = path.join(dir, "inputs.json");

  if (!opts.force && upToDate(stampFile, plan, variants, outputs)) {
    return { app, board, plan, dir, outputs, rebuilt: false, wasmBytes: fs.statSync(outputs.wasm).size };
  }

  const abi = loadAbi();
  const files: Array<[string, string | Uint8Array]> = [];
  const inputs: Record<string, string> = {};
  for (const variant of variants) {
    const compiled = await compileImage(plan, variant);
    Object.assign(inputs, compiled.inputs);
    const info = readModule(compiled.wasm);
    const problems = checkImports(abi, info.imports);
    if (problems.length > 0) throw new UserError(`${shown(path.dirname(app.mainFile))}: the image ${problems.join("; it ")}`);
    if (variant === "release") {
      files.push([outputs.wasm, stripCustomSections(compiled.wasm)]);
      files.push([outputs.names, JSON.stringify(namesOf(info, app, board), null, 1) + "\n"]);
      // Offsets in the map are the unstripped module's; stripping drops only the custom sections
      // after the code, so they hold for kernel.wasm too (anyk size checks the code section's start).
      files.push([outputs.sourceMap, compiled.sourceMap ?? "{}"]);
    } else files.push([outputs.debugWasm, compiled.wasm]);
  }
  files.push([stampFile, JSON.stringify(stampOf(app, board, variants, inputs), null, 1) + "\n"]);
  writeFilesAtomic(files);
  return { app, board, plan, dir, outputs, rebuilt: true, wasmBytes: fs.statSync(outputs.wasm).size };
}

/** Everything a firmware build reads besides kernel.wasm: the stub, the runtime, the glue, the board. */
function firmwareInputs(plan: ImagePlan, wasmFile: string, engine: Engine): Record<string, string> {
  const { board } = plan;
  const files = [
    ...fs.readdirSync(CORTEX_M_DIR).filter((f) => /\.[ch]$/.test(f)).map((f) => path.join(CORTEX_M_DIR, f)),
    ...(engine === "interp" ? [...INTERP_SOURCES, ...INTERP_HEADERS, path.join(ABI_GEN_DIR, "anyk_interp.c")] : []),
    MODES_FILE,
    consoleSource(board),
    clockSource(board),
    path.join(ABI_GEN_DIR, "anyk_wasm2c.c"),
    path.join(ABI_GEN_DIR, "anyk_hypercall.h"),
    board.file,
    ...(board.chip ? [path.join(CHIPS_DIR, `${board.chip}.json`)] : []),
  ];
  const inputs: Record<string, string> = { "kernel.wasm": sha256(fs.readFileSync(wasmFile)) };
  for (const f of files) inputs[path.relative(ROOT, f)] = sha256(fs.readFileSync(f));
  inputs.tool = `${TOOL_VERSION} / firmware builder ${FIRMWARE_BUILDER_ID}`;
  inputs.grants = plan.grants.map((d) => d.name).join(",");
  inputs.heap = `${plan.heapCap} ${plan.runtime}`;
  inputs.cflags = extraCFlags().join(" ");
  inputs.engine = engine;
  inputs.optimize = plan.optimize;
  return inputs;
}

/**
 * Puts a freshly built folder where an older one may be. Two builds of the same image can finish
 * at once (tests boot one image twice in parallel): the old folder is moved aside first, and if
 * the other build's folder got there in between, it holds the same files, so ours is dropped.
 */
function replaceDirectory(fresh: string, target: string): void {
  const aside = `${target}.old-${process.pid}`;
  try {
    fs.renameSync(target, aside);
  } catch {
    // nothing there yet, or another build moved it
  }
  try {
    fs.renameSync(fresh, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw err;
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

async function buildFirmwareIfNeeded(image: ImageBuild, force: boolean, engine: Engine): Promise<{ outputs: Outputs; rebuilt: boolean }> {
  // The interpreter's firmware, and a kernel compiled for speed, live in folders of their own
  // beside the AOT one for size, so that builds of each can run side by side.
  const dir = engine === "interp" ? path.join(image.dir, "interp") : image.plan.optimize === "speed" ? path.join(image.dir, "speed") : image.dir;
  fs.mkdirSync(dir, { recursive: true });
  const outputs: Outputs = {
    elf: path.join(dir, "firmware.elf"),
    bin: path.join(dir, "firmware.bin"),
    hex: path.join(dir, "firmware.hex"),
    map: path.join(dir, "firmware.map"),
  };
  if (image.board.uf2Family !== undefined) outputs.uf2 = path.join(dir, "firmware.uf2");
  const stampFile = path.join(dir, "firmware.inputs.json");
  const inputs = firmwareInputs(image.plan, image.outputs.wasm, engine);
  const stamp = JSON.stringify(inputs, null, 1) + "\n";
  const fresh = !force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp && Object.values(outputs).every((f) => fs.existsSync(f));
  if (fresh) return { outputs, rebuilt: false };

  const staging = path.join(dir, `.staging-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const built = await buildFirmware(image.plan, image.outputs.wasm, staging, false, engine);
    // The C sources stay beside the firmware: they are what was compiled.
    replaceDirectory(built.sources, path.join(dir, "c"));
    fs.renameSync(built.elf, outputs.elf);
    fs.renameSync(built.bin, outputs.bin);
    fs.renameSync(built.hex, outputs.hex);
    fs.renameSync(built.map, outputs.map);
    if (built.uf2) fs.renameSync(built.uf2, outputs.uf2);
    writeFilesAtomic([[stampFile, stamp]]);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { outputs, rebuilt: true };
}
