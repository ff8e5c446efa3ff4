// Runs the real anyk CLI (bin/anyk.js) as a child process, as a user would.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ANYK = path.join(ROOT, "bin", "anyk.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  /** Send input only once stdout contains this text (a board drops what arrives before its UART is on). */
  inputAfter?: string;
  /**
   * Typed in turns instead of all at once: each `send` goes once stdout shows `after` (searched
   * from where the previous turn matched); stdin closes after the last turn.
   */
  dialog?: Array<{ after: string; send: string }>;
  env?: Record<string, string>;
  cwd?: string;
  /** Another copy of the CLI to run (a test's modified copy of the toolchain). */
  bin?: string;
  timeoutMs?: number;
}

export function anyk(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? ANYK, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let inputSent = options.inputAfter === undefined && options.dialog === undefined;
    const turns = [...(options.dialog ?? [])];
    let searchFrom = 0;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!inputSent && options.inputAfter !== undefined && stdout.includes(options.inputAfter)) {
        inputSent = true;
        child.stdin.end(options.input ?? "");
      }
      while (turns.length > 0) {
        const at = stdout.indexOf(turns[0].after, searchFrom);
        if (at < 0) break;
        searchFrom = at + turns[0].after.length;
        child.stdin.write(turns.shift()!.send);
        if (turns.length === 0) child.stdin.end();
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`anyk ${args.join(" ")} did not finish in ${options.timeoutMs ?? 60_000} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (inputSent) child.stdin.end(options.input ?? "");
  });
}

/** A fresh build folder for one test file, so suites running in parallel never share outputs. */
export function tempBuildDir(label: string): string {
  return fs.mkdtempSync(path.join(process.env.ANYK_TEST_TMP ?? os.tmpdir(), `anyk-${label}-`));
}
