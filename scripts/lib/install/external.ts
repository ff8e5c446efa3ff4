// Running a vendor flashing tool (openocd, dfu-util, stm32flash): a missing tool is named with the
// apt command that installs it, its output streams to stderr as progress, and a failure becomes one
// line saying what went wrong (no probe found, wrong chip ID) from the tool's own words.
import { spawn } from "node:child_process";
import { UserError } from "../errors.js";

export interface ToolCommand {
  tool: string;
  args: string[];
  /** The Debian package that provides it. */
  debianPackage: string;
}

/** A known failure in a tool's output and the line a user needs instead. */
export interface FailurePattern {
  pattern: RegExp;
  message: string;
}

/** The one-line explanation for a tool's failed run: the first known pattern found, else its last error line. */
export function explainFailure(command: ToolCommand, output: string, patterns: FailurePattern[], code: number | null): string {
  for (const { pattern, message } of patterns) if (pattern.test(output)) return `${command.tool}: ${message}`;
  const last = output.split("\n").map((l) => l.trim()).filter((l) => /error|fail|cannot|unable/i.test(l)).pop();
  return `${command.tool} failed (exit code ${code})${last ? `: ${last}` : ""}`;
}

export function notInstalled(command: ToolCommand): UserError {
  return new UserError(`${command.tool} is not installed; install it with: sudo apt-get install -y ${command.debianPackage}`);
}

/** Runs the tool with its output shown (progress), and turns a failure into a UserError. */
export function runFlashTool(command: ToolCommand, patterns: FailurePattern[], echo: (text: string) => void = (t) => process.stderr.write(t)): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.tool, command.args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      echo(chunk.toString());
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (err: NodeJS.ErrnoException) => reject(err.code === "ENOENT" ? notInstalled(command) : new UserError(`${command.tool}: ${err.message}`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new UserError(explainFailure(command, output, patterns, code)))));
  });
}
