// anyk boot with its console on a pseudo-terminal, and a serialport console on that pty: what the
// driver, serial and flashing tests talk to.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { SerialPort } from "serialport";
import { ANYK, ROOT } from "./cli.js";

export interface PtyBoot {
  pty: string;
  /** anyk boot's process ID. */
  pid: number;
  /** A command for QEMU's human monitor ("system_reset"); booting a bootloader only. */
  monitor(command: string): Promise<void>;
  /** anyk boot's exit code once QEMU has ended. */
  closed: Promise<number | null>;
  /** What anyk boot printed on stderr so far. */
  stderr(): string;
  kill(): void;
}

/** anyk boot <args> with the console on a pty and QEMU's monitor on a socket. */
export async function startOnPty(args: string[], env: Record<string, string>): Promise<PtyBoot> {
  const socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "anyk-mon-")), "monitor.sock");
  const monitorArgs = args.includes("--bootloader") ? ["--monitor", socket] : [];
  const child = spawn(process.execPath, [ANYK, "boot", ...args, "--serial", "pty", ...monitorArgs, "--timeout", "120"], { cwd: ROOT, env: { ...process.env, ...env } });
  let stderr = "";
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  const pty = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /^anyk: console on (\/dev\/pts\/\d+)$/m.exec(stderr);
      if (m) resolve(m[1]);
    });
    void closed.then(() => reject(new Error(`anyk boot ended before printing its pty: ${stderr}`)));
  });
  return {
    pty,
    pid: child.pid!,
    monitor: (command) =>
      new Promise((resolve, reject) => {
        const connection = net.createConnection(socket, () => connection.end(`${command}\n`, () => setTimeout(resolve, 100)));
        connection.on("error", reject);
        connection.on("data", () => {});
      }),
    closed,
    stderr: () => stderr,
    kill: () => child.kill("SIGKILL"),
  };
}

/** A serial port on the pty that collects what arrives; waitFor resolves when a text has come. */
export async function openConsole(pty: string) {
  const port = new SerialPort({ path: pty, baudRate: 115200 });
  let text = "";
  const waiters: Array<() => void> = [];
  port.on("data", (d: Buffer) => {
    text += d.toString("latin1");
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => port.on("open", (err) => (err ? reject(err) : resolve())));
  return {
    port,
    received: () => text,
    write: (t: string | Buffer) => void port.write(t),
    waitFor(needle: string, timeoutMs = 20_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${needle}' on ${pty} in ${timeoutMs} ms; got: ${JSON.stringify(text.slice(-300))}`)), timeoutMs);
        const check = () => (text.includes(needle) ? (clearTimeout(timer), resolve()) : waiters.push(check));
        check();
      });
    },
    /**
     * Sends a line until its echo (upper-cased by the echo app) comes back: the first may land in
     * the bootloader's window after a reset, where it is noise, or before QEMU notices the pty.
     */
    async poke(line: string, reply: string, timeoutMs = 15_000): Promise<void> {
      const from = text.length;
      const until = Date.now() + timeoutMs;
      while (!text.includes(reply, from)) {
        if (Date.now() > until) throw new Error(`no '${reply.trim()}' on ${pty} in ${timeoutMs} ms; got: ${JSON.stringify(text.slice(-300))}`);
        port.write(line);
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
    },
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/** QEMU notices a newly opened pty only at its next poll (once a second) and drops output until then. */
export const PTY_SETTLE_MS = 1500;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Boots with the console on a pty and opens it: the console, and anyk boot's end with its stderr. */
export async function bootOnPty(args: string[], env: Record<string, string>) {
  const boot = await startOnPty(args, env);
  const console = await openConsole(boot.pty);
  const closed = boot.closed.then(async (code) => {
    await sleep(100);
    await console.close();
    return { code, stderr: boot.stderr() };
  });
  return { ...console, closed };
}
