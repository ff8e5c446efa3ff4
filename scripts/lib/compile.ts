// Compiling an app to a kernel image with AssemblyScript's compiler, in-process. The entry module
// and the board facts are generated in memory; everything else is read from the project.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ENTRY_FILE, generatedSources } from "./entry.js";
import { UserError } from "./errors.js";
import { ROOT, shown, sourceFile } from "./paths.js";
import { APP_API } from "./app-api.js";
import type { ImagePlan } from "./plan.js";
import { RUNTIME_FACTS, SHADOW_STACK_BYTES } from "./runtimes.js";
import { staticEnd } from "./firmware.js";

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
/**
 * AssemblyScript's incremental collector, fitted to a board's heap of a few KiB. It first collects
 * when half of memory above the static data is allocated, reckoning memory as whole 64 KiB pages,
 * and then works in increments that a tight allocating loop outruns; TLSF, held to the board's
 * memory by --lowMemoryLimit, cannot grow and would fail long before. So the first threshold counts
 * from the low memory limit, and crossing a threshold there runs a whole collection.
 */
function collectorForSmallMemory(source: string): string {
  const edits: Array<[string, string]> = [
    ["@lazy let threshold: usize = ((<usize>memory.size() << 16) - __heap_base) >> 1;", "@lazy let threshold: usize = ((ASC_LOW_MEMORY_LIMIT ? <usize>ASC_LOW_MEMORY_LIMIT : <usize>memory.size() << 16) - __heap_base) >> 1;"],
    ["  if (total >= threshold) interrupt();", "  if (total >= threshold) { if (ASC_LOW_MEMORY_LIMIT) __collect(); else interrupt(); }"],
  ];
  for (const [from, to] of edits) {
    if (source.includes(to)) continue;
    if (!source.includes(from)) throw new UserError("this AssemblyScript's incremental collector is not the one anyk fits to small memories (rt/itcms.ts changed); use runtime bump or minimal");
    source = source.replace(from, to);
  }
  return source;
}

/** The kernel's own stub runtime, which holds the heap cap. */
const BUMP_RUNTIME = "kernel/base/runtime/bump.ts";

export function resolveKernelImports(text: string, name: string): string {
  return text.replace(/((?:from|import)\s+)(["'])anykernel(\/[^"']*)?\2/g, (_all, keyword: string, quote: string, rest: string | undefined) => {
    // Between compiler names (both under the toolchain's folder), so the import names kernel/... exactly.
    // The app API's names first ("anykernel", "anykernel/uart"); "anykernel/abi/..." is the contracts'
    // folder beside kernel/ (the hypercalls); the rest is under kernel/.
    const api = APP_API[`anykernel${rest ?? ""}`];
    const target = api ? path.posix.join("/kernel", api.module) : rest!.startsWith("/abi/") ? rest! : path.posix.join("/kernel", rest!);
    let rel = path.posix.relative(path.posix.join("/", path.posix.dirname(name)), target);
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return `${keyword}${quote}${rel}${quote}`;
  });
}

export async function compileImage(plan: ImagePlan, variant: Variant): Promise<CompileResult> {
  const facts = RUNTIME_FACTS[plan.runtime];
  // The bump allocator reaches the kernel's cap check through aliases (see its header).
  const args = ["--runtime", facts.asc, ...(facts.bumps ? ["--use", "ANYK_HEAP_LIMIT=kernel/base/alloc/heapLimit", "--use", "ANYK_HEAP_EXHAUSTED=kernel/base/alloc/heapExhausted"] : [])];
  if (plan.runtime === "incremental") args.push("--stackSize", String(SHADOW_STACK_BYTES));
  if (facts.bumps || plan.heapCap === 0) return compileOnce(plan, variant, args);
  // TLSF takes the memory up to --lowMemoryLimit, which must be where the board's memory ends:
  // the static data's end plus the heap cap. The first pass finds the static end (the limit is a
  // constant in the code, so the data does not move with it); the second builds with it.
  const probe = await compileOnce(plan, variant, [...args, "--lowMemoryLimit", "65536"]);
  const limit = Math.ceil((await staticEnd(Buffer.from(probe.wasm))) / 8) * 8 + plan.heapCap;
  return compileOnce(plan, variant, [...args, "--lowMemoryLimit", String(limit)]);
}

async function compileOnce(plan: ImagePlan, variant: Variant, runtimeArgs: string[]): Promise<CompileResult> {
  const { app } = plan;
  const generated = generatedSources(plan);
  const inputs: Record<string, string> = {};
  const outputs = new Map<string, Uint8Array>();
  const stderr = new MemoryStream();
  const stdout = new MemoryStream();

  // Loaded on demand: the compiler takes most of a second to load, which other commands need not pay.
  // asc reads process.argv when it loads (its own --wasm flag): hide anyk's arguments from it.
  const argv = process.argv;
  process.argv = argv.slice(0, 2);
  const { default: asc, libraryFiles } = await import("assemblyscript/asc").finally(() => (process.argv = argv));
  // The kernel's bump allocator stands in for AssemblyScript's stub runtime (see its header).
  const runtime = fs.readFileSync(path.join(ROOT, BUMP_RUNTIME), "utf8");
  libraryFiles["rt/stub"] = runtime;
  inputs[BUMP_RUNTIME] = sha256(runtime);
  libraryFiles["rt/itcms"] = collectorForSmallMemory(libraryFiles["rt/itcms"]);
  const relative = (filename: string, baseDir: string) => path.relative(ROOT, path.resolve(ROOT, baseDir, filename)).split(path.sep).join("/");
  const result = await asc.main([ENTRY_FILE, "--baseDir", ROOT, "--target", variant, "--outFile", "kernel.wasm", "--noColors", ...runtimeArgs], {
    stdout,
    stderr,
    readFile(filename, baseDir) {
      const rel = relative(filename, baseDir);
      const full = sourceFile(rel);
      // Every source may import the app API by its package name, the toolchain's own apps included.
      const text = generated.get(rel) ?? (fs.existsSync(full) ? resolveKernelImports(fs.readFileSync(full, "utf8"), rel) : null);
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
