// Compiling an app to a kernel image with AssemblyScript's compiler, in-process. The entry module
// and the board facts are generated in memory; everything else is read from the project.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { BOARD_FACTS_FILE, ENTRY_FILE, boardFactsSource, entrySource } from "./entry.js";
import { UserError } from "./errors.js";
import { ROOT, shown, sourceFile } from "./paths.js";
import { APP_API } from "./app-api.js";
import type { ImagePlan } from "./plan.js";

export type Variant = "release" | "debug";

export interface CompileResult {
  wasm: Uint8Array;
  /** Every project file the compiler read, with a hash of its content: the inputs of the image. */
  inputs: Record<string, string>;
  /** The source map (release builds): which source line each byte of code came from. */
  sourceMap?: string;
}

export function sha256(data: string | Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

class MemoryStream {
  text = "";
  write(chunk: string | Uint8Array): void {
    this.text += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  }
}

/** The compiler's first error as one line: "ERROR TS2304: Cannot find name 'x'. at kernel/apps/a/main.ts:3:5". */
function firstDiagnostic(text: string): string {
  const lines = text.split("\n");
  const at = lines.findIndex((l) => /^ERROR\b/.test(l));
  if (at < 0) return lines.find((l) => l.trim() !== "")?.trim() ?? "unknown compiler failure";
  const where = lines.slice(at + 1, at + 6).find((l) => /^\s*at\s|└─ in /.test(l) || /\.ts\(\d+,\d+\)/.test(l));
  const location = where ? where.replace(/^.*?(?:└─ in |at )/, "").trim() : "";
  return `${lines[at].trim()}${location ? ` (${location})` : ""}`;
}

/**
 * A project's (or a package's) imports of the kernel, written "anykernel/<path under kernel/>",
 * as relative paths from the file to this toolchain's kernel/: one kernel, one identity for each of
 * its modules, wherever the toolchain is installed.
 */
export function resolveKernelImports(text: string, name: string): string {
  return text.replace(/((?:from|import)\s+)(["'])anykernel(\/[^"']*)?\2/g, (_all, keyword: string, quote: string, rest: string | undefined) => {
    // Between compiler names (both under the toolchain's folder), so the import names kernel/... exactly.
    // "anykernel/abi/..." is the contracts' folder beside kernel/ (the hypercalls); the rest is under kernel/.
    // The app API's names first ("anykernel", "anykernel/lines"); "anykernel/abi/..." is the contracts' folder.
    const api = APP_API[`anykernel${rest ?? ""}`];
    const target = api ? path.posix.join("/kernel", api.module) : rest!.startsWith("/abi/") ? rest! : path.posix.join("/kernel", rest!);
    let rel = path.posix.relative(path.posix.join("/", path.posix.dirname(name)), target);
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return `${keyword}${quote}${rel}${quote}`;
  });
}

export async function compileImage(plan: ImagePlan, variant: Variant): Promise<CompileResult> {
  const { app } = plan;
  const generated = new Map([
    [ENTRY_FILE, entrySource(plan)],
    [BOARD_FACTS_FILE, boardFactsSource(plan)],
  ]);
  const inputs: Record<string, string> = {};
  const outputs = new Map<string, Uint8Array>();
  const stderr = new MemoryStream();
  const stdout = new MemoryStream();

  // Loaded on demand: the compiler takes most of a second to load, which other commands need not pay.
  // asc reads process.argv when it loads (its own --wasm flag): hide anyk's arguments from it.
  const argv = process.argv;
  process.argv = argv.slice(0, 2);
  const { default: asc } = await import("assemblyscript/asc").finally(() => (process.argv = argv));
  const relative = (filename: string, baseDir: string) => path.relative(ROOT, path.resolve(ROOT, baseDir, filename)).split(path.sep).join("/");
  const result = await asc.main([ENTRY_FILE, "--baseDir", ROOT, "--target", variant, "--outFile", "kernel.wasm", "--noColors"], {
    stdout,
    stderr,
    readFile(filename, baseDir) {
      const rel = relative(filename, baseDir);
      const full = sourceFile(rel);
      const own = rel.startsWith("kernel/") || generated.has(rel);
      const text = generated.get(rel) ?? (fs.existsSync(full) ? (own ? fs.readFileSync(full, "utf8") : resolveKernelImports(fs.readFileSync(full, "utf8"), rel)) : null);
      if (text !== null) inputs[rel] = sha256(text);
      return text;
    },
    writeFile(filename, contents) {
      outputs.set(path.basename(filename), typeof contents === "string" ? new TextEncoder().encode(contents) : contents);
    },
    listFiles() {
      return [];
    },
  });
  const wasm = outputs.get("kernel.wasm");
  if (result.error || !wasm) {
    if (stderr.text) process.stderr.write(stderr.text.endsWith("\n") ? stderr.text : stderr.text + "\n");
    throw new UserError(`${shown(path.dirname(app.mainFile))}: the app failed to compile: ${firstDiagnostic(stderr.text || String(result.error))}`);
  }
  const map = outputs.get("kernel.wasm.map");
  return { wasm, inputs, sourceMap: map && new TextDecoder().decode(map) };
}
