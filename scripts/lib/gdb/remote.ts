// A client of the GDB remote serial protocol (the "RSP" that OpenOCD, pyOCD, J-Link's GDB server,
// the Black Magic Probe and QEMU's gdbstub all speak): packets "$payload#checksum", each
// acknowledged with "+", over TCP. Only what loading an image needs: queries, memory, registers.
import net from "node:net";
import { UserError } from "../errors.js";

const checksum = (bytes: Buffer): string => (bytes.reduce((sum, b) => (sum + b) & 0xff, 0)).toString(16).padStart(2, "0");

/** Escapes a binary payload: '#', '$', '}' and '*' go as '}' then the byte XOR 0x20. */
export function escapeBinary(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0x23 || b === 0x24 || b === 0x7d || b === 0x2a) out.push(0x7d, b ^ 0x20);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** A reply's payload with escapes and run-length encoding ("x*" then a count + 29) undone. */
export function decodePayload(raw: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === 0x7d) out.push(raw[++i] ^ 0x20);
    else if (b === 0x2a && out.length > 0) {
      const repeat = raw[++i] - 29;
      const last = out[out.length - 1];
      for (let n = 0; n < repeat; n++) out.push(last);
    } else out.push(b);
  }
  return Buffer.from(out);
}

export class GdbRemote {
  private received = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private closed: Error | undefined;

  private constructor(private readonly socket: net.Socket, readonly where: string, private readonly timeoutMs: number) {
    socket.on("data", (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.waiter?.();
    });
    socket.on("close", () => {
      this.closed ??= new UserError(`${where}: the GDB server closed the connection`);
      this.waiter?.();
    });
    socket.on("error", (err) => {
      this.closed = new UserError(`${where}: ${err.message}`);
      this.waiter?.();
    });
  }

  static connect(host: string, port: number, timeoutMs = 10_000): Promise<GdbRemote> {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new UserError(`${where}: no GDB server answered within ${timeoutMs / 1000} s (is OpenOCD, a probe's GDB server or anyk boot --gdb running there?)`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new GdbRemote(socket, where, timeoutMs));
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(new UserError(`${where}: cannot reach a GDB server: ${(err as NodeJS.ErrnoException).code === "ECONNREFUSED" ? "connection refused (nothing listens on that port)" : err.message}`));
      });
    });
  }

  private async more(what: string): Promise<void> {
    if (this.closed) throw this.closed;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new UserError(`${this.where}: no answer to ${what} within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
    });
    if (this.closed && this.received.length === 0) throw this.closed;
  }

  /** The next packet's payload, acknowledged; stray acks before it are skipped. */
  private async packet(what: string): Promise<Buffer> {
    for (;;) {
      while (this.received.length > 0 && this.received[0] !== 0x24) this.received = this.received.subarray(1);
      const end = this.received.indexOf(0x23);
      if (end >= 0 && this.received.length >= end + 3) {
        const body = this.received.subarray(1, end);
        const sum = this.received.subarray(end + 1, end + 3).toString("latin1");
        this.received = this.received.subarray(end + 3);
        if (sum.toLowerCase() !== checksum(body)) {
          this.socket.write("-");
          continue;
        }
        this.socket.write("+");
        return decodePayload(body);
      }
      await this.more(what);
    }
  }

  /** Sends a packet and returns the reply's payload as text (binary-safe as latin1). */
  async request(payload: string | Buffer, what = typeof payload === "string" ? payload.split(/[,:]/)[0] : "a packet"): Promise<string> {
    const body = typeof payload === "string" ? Buffer.from(payload, "latin1") : payload;
    const frame = Buffer.concat([Buffer.from("$"), body, Buffer.from(`#${checksum(body)}`)]);
    for (let attempt = 0; attempt < 3; attempt++) {
      this.socket.write(frame);
      // The ack: '+', or '-' to send again. A server in no-ack mode sends the reply straight away.
      while (this.received.length === 0) await this.more(what);
      if (this.received[0] === 0x2d) {
        this.received = this.received.subarray(1);
        continue;
      }
      if (this.received[0] === 0x2b) this.received = this.received.subarray(1);
      for (;;) {
        const reply = (await this.packet(what)).toString("latin1");
        // Console output of a monitor command comes as O packets before the real reply.
        if (reply.startsWith("O") && reply !== "OK" && /^O([0-9a-f]{2})+$/i.test(reply)) continue;
        return reply;
      }
    }
    throw new UserError(`${this.where}: the GDB server kept rejecting ${what} (checksum errors on the link)`);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
