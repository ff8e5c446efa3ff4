// The host's side of the net tests: a board started with anyk (boot or run) on a network, and
// real clients talking to it through the host's own TCP/IP stack: Node's http and dgram.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import dgram from "node:dgram";
import http from "node:http";
import { ANYK, ROOT } from "./cli.js";

/** A board running an app under anyk until stop(); its console so far in output(). */
export class RunningBoard {
  private text = "";
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string | undefined>) {
    this.child = spawn(process.execPath, [ANYK, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    this.child.stdout!.on("data", (d) => (this.text += d));
    this.child.stderr!.on("data", (d) => (this.text += d));
  }

  output(): string {
    return this.text;
  }

  /** Waits until the console shows text (the app is up), or fails with what it shows. */
  async ready(text: string, ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.text.includes(text) && Date.now() < deadline && this.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    if (!this.text.includes(text)) throw new Error(`the board never printed '${text}'; its output:\n${this.text}`);
  }

  stop(): void {
    this.child.kill();
  }
}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET path from host:port (127.0.0.1 unless given) with a fresh connection (no agent), within ms. */
export function httpGet(port: number, path: string, ms = 30_000, host = "127.0.0.1"): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port, path, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.setTimeout(ms, () => request.destroy(new Error(`GET ${path}: no answer in ${ms} ms`)));
  });
}

/** What /bytes must be, as httpd's comment defines it: byte i is i % 251. */
export function expectedBytesDigest(length = 65536): string {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 251;
  return createHash("sha256").update(bytes).digest("hex");
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The counters /stats lists, by name. */
export function parseStats(body: Buffer): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const line of body.toString("latin1").trim().split("\n")) {
    const [name, value] = line.split(" ");
    stats[name] = Number(value);
  }
  return stats;
}

/**
 * Sends count datagrams to 127.0.0.1:port one at a time (an idle line: the next goes when the
 * last came back, or after ms), each of its own length and contents; counts the lost and the wrong.
 */
export async function udpEchoes(port: number, count: number, ms = 2000): Promise<{ lost: number; wrong: number }> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  let lost = 0;
  let wrong = 0;
  try {
    for (let i = 0; i < count; i++) {
      const payload = Buffer.alloc(4 + ((i * 37) % 1400), i & 0xff);
      payload.writeUInt32BE(i, 0);
      const reply = await new Promise<Buffer | undefined>((resolve) => {
        const onMessage = (m: Buffer) => {
          clearTimeout(timer);
          socket.off("message", onMessage);
          resolve(m);
        };
        const timer = setTimeout(() => {
          socket.off("message", onMessage);
          resolve(undefined);
        }, ms);
        socket.on("message", onMessage);
        socket.send(payload, port, "127.0.0.1");
      });
      if (reply === undefined) lost++;
      else if (!reply.equals(payload)) wrong++;
    }
  } finally {
    socket.close();
  }
  return { lost, wrong };
}
