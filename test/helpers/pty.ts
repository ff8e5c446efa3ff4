// Boots firmware with its console on a pseudo-terminal and talks to it through serialport.
import { spawn } from "node:child_process";
import { SerialPort } from "serialport";
import { ANYK, ROOT } from "./cli.js";

export interface PtySession {
  /** Everything received on the port so far. */
  received(): string;
  write(text: string): void;
  /** Resolves once the received text contains needle. */
  waitFor(needle: string, timeoutMs?: number): Promise<void>;
  /** anyk's exit code, once QEMU has ended. */
  closed: Promise<{ code: number | null; stderr: string }>;
}

export async function bootOnPty(args: string[], env: Record<string, string>): Promise<PtySession> {
  const child = spawn(process.execPath, [ANYK, "boot", ...args, "--serial", "pty", "--timeout", "60"], { cwd: ROOT, env: { ...process.env, ...env } });
  let stderr = "";
  const closed = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
  const ptyPath = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /^anyk: console on (\/dev\/pts\/\d+)$/m.exec(stderr);
      if (m) resolve(m[1]);
    });
    void closed.then(() => reject(new Error(`anyk boot ended before printing the pty: ${stderr}`)));
  });
  const port = new SerialPort({ path: ptyPath, baudRate: 115200 });
  let text = "";
  const waiters: Array<() => void> = [];
  port.on("data", (d: Buffer) => {
    text += d.toString("latin1");
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => port.on("open", (err) => (err ? reject(err) : resolve())));
  void closed.then(() => setTimeout(() => port.isOpen && port.close(), 100));
  return {
    received: () => text,
    write: (t) => void port.write(t),
    waitFor(needle, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${needle}' on the serial port in ${timeoutMs} ms; got: ${JSON.stringify(text)}`)), timeoutMs);
        const check = () => {
          if (text.includes(needle)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    closed,
  };
}
