// Running a kernel in the host build of the interpreter, with Node's userspace platform serving its
// hypercalls: the child sends each call as a frame (platform/interp/host.c says the format), this
// side answers it synchronously, as Node's own engine calls the platform. The pipes are FIFOs, so
// both ends can block on them; the child reports its own crashes, so no read waits forever.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadAbi } from "./abi.js";

/** How the kernel's run ended, when it did not end in a hypercall (exit, or a panic the platform throws). */
export type InterpEnd =
  | { kind: "trap"; words: string; func: number; offset: number; returned: boolean }
  | { kind: "refused"; reason: string; offset: number }
  | { kind: "died"; signal: number };

export class InterpChild {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-interp-"));
  private readonly requests: number;
  private readonly replies: number;
  private readonly child;
  /** The kernel's linear memory as far as Node has seen it: the ranges each call reads, or a whole copy. */
  readonly mirror: ArrayBuffer;
  /** Where the last hypercall was made: the function and the module offset of its call. */
  lastCall: { index: number; offset: number } | undefined;

  constructor(binary: string, wasmFile: string, memoryBytes: number, arenaBytes: number) {
    const requests = path.join(this.dir, "requests");
    const replies = path.join(this.dir, "replies");
    execFileSync("mkfifo", [requests, replies]);
    // Read-write opens of a FIFO do not wait for the other end.
    this.requests = fs.openSync(requests, fs.constants.O_RDWR);
    this.replies = fs.openSync(replies, fs.constants.O_RDWR);
    this.mirror = new ArrayBuffer(memoryBytes);
    this.child = spawn(binary, ["run", wasmFile, String(memoryBytes), String(arenaBytes)], { stdio: [this.replies, this.requests, "inherit"] });
  }

  private read(length: number): Buffer {
    const out = Buffer.alloc(length);
    let got = 0;
    while (got < length) got += fs.readSync(this.requests, out, got, length - got, null);
    return out;
  }

  private write(data: Buffer): void {
    let sent = 0;
    while (sent < data.length) sent += fs.writeSync(this.replies, data, sent);
  }

  private readRanges(): void {
    const view = new Uint8Array(this.mirror);
    for (let ranges = this.read(4).readUInt32LE(0); ranges > 0; ranges--) {
      const head = this.read(8);
      const address = head.readUInt32LE(0);
      view.set(this.read(head.readUInt32LE(4)), address);
    }
  }

  /** Runs the kernel, calling platform[name](...) for each hypercall, until it ends in something other than a hypercall. */
  serve(platform: object, readBack: (call: string, args: Array<number | bigint>, result: unknown) => { address: number; length: number } | undefined): InterpEnd {
    const abi = loadAbi();
    for (;;) {
      const type = String.fromCharCode(this.read(1)[0]);
      if (type === "C") {
        const head = this.read(10);
        const call = abi.calls[head[0]];
        this.lastCall = { index: head.readUInt32LE(2), offset: head.readUInt32LE(6) };
        const raw = this.read(8 * head[1]);
        const args = call.params.map(([, t], i) => (abi.types[t].wasm === "i64" ? BigInt.asIntN(64, raw.readBigUInt64LE(8 * i)) : raw.readInt32LE(8 * i)));
        this.readRanges();
        const result = (platform as Record<string, (...a: Array<number | bigint>) => unknown>)[call.name](...args);
        const back = readBack(call.name, args, result);
        const reply = Buffer.alloc(13);
        reply[0] = "V".charCodeAt(0);
        reply.writeBigUInt64LE(typeof result === "bigint" ? BigInt.asUintN(64, result) : BigInt.asUintN(64, BigInt(typeof result === "number" ? result : 0)), 1);
        reply.writeUInt32LE(back ? 1 : 0, 9);
        this.write(reply);
        if (back) {
          const range = Buffer.alloc(8);
          range.writeUInt32LE(back.address, 0);
          range.writeUInt32LE(back.length, 4);
          this.write(Buffer.concat([range, Buffer.from(this.mirror, back.address, back.length)]));
        }
      } else if (type === "T") {
        const t = this.read(16);
        const words = this.read(t.readUInt32LE(12)).toString("latin1");
        return { kind: "trap", words, func: t.readUInt32LE(4), offset: t.readUInt32LE(8), returned: t.readUInt32LE(0) === 0 };
      } else if (type === "R") {
        const head = this.read(8);
        return { kind: "refused", offset: head.readUInt32LE(0), reason: this.read(head.readUInt32LE(4)).toString("utf8") };
      } else if (type === "X") {
        return { kind: "died", signal: this.read(4).readUInt32LE(0) };
      } else {
        throw new Error(`the host interpreter sent an unknown frame '${type}'`);
      }
    }
  }

  /** The whole linear memory into the mirror (the child waits for an answer or is done). */
  fetchMemory(): void {
    this.write(Buffer.from("D"));
    if (String.fromCharCode(this.read(1)[0]) !== "M") return;
    const length = this.read(4).readUInt32LE(0);
    new Uint8Array(this.mirror).set(this.read(length));
  }

  close(): void {
    this.child.kill("SIGKILL");
    fs.closeSync(this.requests);
    fs.closeSync(this.replies);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
