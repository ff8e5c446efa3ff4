// Running firmware in qemu-system-arm: the board's machine, the console on stdio or a
// pseudo-terminal, semihosting for the exit code and measurements, deterministic time.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Board } from "./boards.js";
import { hasTool, missingTool } from "./toolchain.js";

export interface QemuOptions {
  elf: string;
  /** The board's NIC: QEMU's -nic options (user network, TAP, or a UDP socket; net-options.ts). */
  nic?: string;
  board: Board;
  serial: "stdio" | "pty";
  /** Start halted with QEMU's gdbstub on this TCP port (localhost only). */
  gdbPort?: number;
  timeoutMs?: number;
  /** Console output, as it arrives. */
  onConsole(chunk: Buffer): void;
  /** Told the pseudo-terminal's path in pty mode. */
  onPty?(ptyPath: string): void;
  /** QEMU trace event patterns to enable ("pl061_*"); their lines arrive through onDiagnostic. */
  traceEvents?: string[];
  /** Seeds QEMU's guest random generator (the nRF51 RNG's bytes): repeatable runs. */
  seed?: number;
  /** Lines QEMU itself prints on stderr that are not about the pty. */
  onDiagnostic?(line: string): void;
  /** Console input to send instead of this process's stdin (stdio serial only), held like piped input. */
  input?: string;
  /** A Unix socket for QEMU's human monitor (system_reset, quit), for tests and scripts. */
  monitorSocket?: string;
}

export interface QemuResult {
  exitCode: number | null;
  timedOut: boolean;
  /** Milliseconds from starting QEMU to the first console byte (undefined when none came). */
  firstByteMs?: number;
  wallMs: number;
  /** Measurements the stub sent through semihosting ("stack-high-water" → 96). */
  measurements: Record<string, number>;
}

export function qemuArgs(board: Board, elf: string, serial: "stdio" | "pty", semihostingFile: string, gdbPort: number | undefined, traceEvents: string[] = [], seed?: number): string[] {
  return [
    "-M", board.qemu.machine,
    ...board.qemu.args,
    "-display", "none",
    "-monitor", "none",
    "-serial", serial,
    "-chardev", `file,id=anyk-semihosting,path=${semihostingFile}`,
    "-semihosting-config", "enable=on,target=native,chardev=anyk-semihosting",
    // Guest time counts instructions (1 ns each) while the CPU runs and follows the host's clock
    // while it sleeps, as on a board. (sleep=off would skip idle time, but QEMU 7.2 then fires
    // device timers against SysTick at the wrong rate: a 100 ms timer expired every 62.5 ms.)
    "-icount", "shift=0,sleep=on",
    "-kernel", elf,
    ...(gdbPort === undefined ? [] : ["-gdb", `tcp:127.0.0.1:${gdbPort}`, "-S"]),
    // QEMU's own device trace events: an independent record of what the kernel did to the devices.
    ...traceEvents.flatMap((event) => ["-trace", event]),
    ...(seed === undefined ? [] : ["-seed", String(seed)]),
  ];
}

let deathSignal: boolean | undefined;
export function canSetDeathSignal(): boolean {
  deathSignal ??= process.platform === "linux" && hasTool("setpriv");
  return deathSignal;
}

export function runQemu(options: QemuOptions): Promise<QemuResult> {
  if (!hasTool("qemu-system-arm")) throw missingTool("qemu-system-arm");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-qemu-"));
  const semihostingFile = path.join(scratch, "semihosting.txt");
  const started = performance.now();
  // Piped input is held until the board's first console byte: a UART drops bytes that arrive before
  // its receiver is on (QEMU's STM32 USART does), and QEMU would deliver them at once. A terminal's
  // input is the user typing, which comes later anyway. An image that reads before it prints gets
  // the input after a second.
  const holdInput = options.serial === "stdio" && (options.input !== undefined || !process.stdin.isTTY);
  const args = qemuArgs(options.board, options.elf, options.serial, semihostingFile, options.gdbPort, options.traceEvents, options.seed);
  if (options.monitorSocket) args.push("-monitor", `unix:${options.monitorSocket},server=on,wait=off`);
  if (options.nic !== undefined) args.push("-nic", options.nic);
  // QEMU must not outlive anyk however anyk ends (killed, or its output pipe closed): where
  // util-linux's setpriv is there, QEMU starts with the parent-death signal set to SIGKILL.
  const [command, commandArgs] = canSetDeathSignal() ? ["setpriv", ["--pdeathsig", "KILL", "--", "qemu-system-arm", ...args]] : ["qemu-system-arm", args];
  const child = spawn(command, commandArgs, {
    stdio: [options.serial === "stdio" ? (holdInput ? "pipe" : "inherit") : "ignore", "pipe", "pipe"],
  });
  // Both are pipes whatever stdin is (the union of stdin modes hides that from the types).
  const stdout = child.stdout!, stderr = child.stderr!;
  let inputReleased = false;
  const releaseInput = () => {
    if (inputReleased || !child.stdin || child.stdin.destroyed) return;
    inputReleased = true;
    child.stdin.on("error", () => {}); // QEMU may exit before it has read everything
    if (options.input !== undefined) child.stdin.end(options.input);
    else process.stdin.pipe(child.stdin);
  };
  let firstByteMs: number | undefined;
  let timedOut = false;
  // QEMU's own messages come on stderr, and on stdout too when stdout is not the console.
  const diagnostics = (stream: NodeJS.ReadableStream) => {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      partial += chunk.toString();
      let nl: number;
      while ((nl = partial.indexOf("\n")) >= 0) {
        diagnosticLine(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
    });
  };
  const diagnosticLine = (line: string) => {
    const pty = /char device redirected to (\S+)/.exec(line);
    if (pty) options.onPty?.(pty[1]);
    // lm3s6965evb: a Stellaris timer QEMU resets with no clock yet; harmless, and not the kernel's doing.
    else if (line.trim() && line.trim() !== "Timer with period zero, disabling") options.onDiagnostic?.(line);
  };
  diagnostics(stderr);
  if (options.serial === "stdio") {
    stdout.on("data", (chunk: Buffer) => {
      if (holdInput) releaseInput();
      firstByteMs ??= performance.now() - started;
      options.onConsole(chunk);
    });
  } else diagnostics(stdout);
  const inputFallback = holdInput ? setTimeout(releaseInput, 1000) : undefined;
  const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), child.kill("SIGKILL")), options.timeoutMs) : undefined;
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const killOnExit = () => child.kill("SIGKILL");
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  process.on("exit", killOnExit);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      clearTimeout(inputFallback);
      if (holdInput && options.input === undefined) {
        process.stdin.unpipe();
        process.stdin.pause();
      }
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
      process.off("exit", killOnExit);
      const measurements: Record<string, number> = {};
      if (fs.existsSync(semihostingFile)) {
        for (const m of fs.readFileSync(semihostingFile, "utf8").matchAll(/^anyk: (\S+) (\d+)$/gm)) measurements[m[1]] = Number(m[2]);
      }
      fs.rmSync(scratch, { recursive: true, force: true });
      resolve({ exitCode: code, timedOut, firstByteMs, wallMs: performance.now() - started, measurements });
    });
  });
}
