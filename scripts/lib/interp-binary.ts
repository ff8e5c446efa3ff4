// The interpreter built for the host (anyk run --engine interp, and the validator's fuzzing): the
// same C as on boards, compiled with the host's C compiler once per change of its sources.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { INTERP_HEADERS, INTERP_SOURCES } from "./firmware.js";
import { ABI_GEN_DIR, BUILD_DIR, INTERP_DIR } from "./paths.js";
import { runTool } from "./toolchain.js";

/** The host runner's sources: the engine, its headers, the ABI table and host.c. */
function hostSources(): string[] {
  return [...INTERP_SOURCES, path.join(INTERP_DIR, "host.c"), ...INTERP_HEADERS];
}

export interface HostBinaryOptions {
  /** Built with AddressSanitizer and UBSan: every out-of-bounds read or undefined step aborts. */
  sanitize?: boolean;
}

/** The host binary, built into build/host when its sources changed; its path. */
export async function hostInterpreter(options: HostBinaryOptions = {}): Promise<string> {
  const flags = ["-std=gnu11", "-O2", "-g", "-Wall", "-I", INTERP_DIR, "-I", ABI_GEN_DIR, ...(options.sanitize ? ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"] : [])];
  const hash = crypto.createHash("sha256").update(flags.join(" "));
  for (const file of hostSources()) hash.update(fs.readFileSync(file));
  const name = `anyk-interp${options.sanitize ? "-sanitized" : ""}-${hash.digest("hex").slice(0, 12)}`;
  const dir = path.join(BUILD_DIR, "host");
  const binary = path.join(dir, name);
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(dir, { recursive: true });
  const staging = `${binary}.tmp-${process.pid}`;
  const compiler = process.env.CC ?? "cc";
  try {
    await runTool(compiler, [...flags, ...hostSources().filter((f) => f.endsWith(".c")), "-lm", "-o", staging], `${compiler} (the host's C compiler, for the interpreter)`);
  } catch (err) {
    fs.rmSync(staging, { force: true });
    throw err;
  }
  fs.renameSync(staging, binary);
  return binary;
}
