// The external tools of a firmware build: wasm2c (npm package wabt), the GNU Arm toolchain and
// QEMU (OS packages). A missing tool is a clear error naming the package to install.
import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { UserError } from "./errors.js";

const run = promisify(execFile);
const INSTALL = "run scripts/ensure-toolchain --install as root, or: sudo apt-get install -y qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi";

const PACKAGE_OF: Record<string, string> = {
  "arm-none-eabi-gcc": "gcc-arm-none-eabi",
  "arm-none-eabi-objcopy": "binutils-arm-none-eabi",
  "arm-none-eabi-addr2line": "binutils-arm-none-eabi",
  "qemu-system-arm": "qemu-system-arm",
};

export function missingTool(tool: string): UserError {
  return new UserError(`${tool} is not installed (Debian package ${PACKAGE_OF[tool] ?? tool}); ${INSTALL}`);
}

/** Runs a system tool; its own diagnostic, when it fails, becomes the error message. */
export async function runTool(tool: string, args: string[], what: string): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === "ENOENT") throw missingTool(tool);
    const detail = (e.stderr || e.stdout || e.message).trim().split("\n").filter(Boolean);
    // The errors, not the warnings before them: a compiler's first lines are often warnings.
    const errors = detail.filter((line) => /\berror\b|undefined reference|overflowed|multiple definition|will not fit|truncated to fit/i.test(line));
    throw new UserError(`${what} failed: ${(errors.length ? errors : detail).slice(0, 6).join(" | ")}`);
  }
}

export function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** wasm2c from the wabt npm package: a Node script, run with this Node. */
export async function wasm2c(wasmFile: string, outputC: string, moduleName: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const script = path.join(path.dirname(require.resolve("wabt/package.json")), "bin", "wasm2c");
  await runTool(process.execPath, [script, wasmFile, "-o", outputC, "-n", moduleName], "wasm2c");
}
