// The terminal behind the userspace console: stdout for output, stdin (read on a worker thread,
// started on the first console_read) for input.
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import type { ConsoleIo } from "./devices/host.js";
import { RING } from "./stdin-ring.js";

export class TerminalConsole implements ConsoleIo {
  private shared: SharedArrayBuffer | undefined;
  private header: Int32Array | undefined;
  private data: Uint8Array | undefined;
  private worker: Worker | undefined;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly outFd = 1) {}

  write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      try {
        done += fs.writeSync(this.outFd, bytes, done, bytes.length - done);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // The reader has gone (`anyk run ... | head`): end quietly, as a C program does on SIGPIPE.
        if (code === "EPIPE") process.exit(141);
        // stdout may be a non-blocking pipe: wait for the reader instead of losing output.
        if (code !== "EAGAIN") throw err;
        Atomics.wait(this.sleeper, 0, 0, 1);
      }
    }
  }

  private start(): void {
    this.shared = new SharedArrayBuffer(RING.headerWords * 4 + RING.dataBytes);
    this.header = new Int32Array(this.shared, 0, RING.headerWords);
    this.data = new Uint8Array(this.shared, RING.headerWords * 4);
    this.worker = new Worker(new URL("./stdin-worker.js", import.meta.url), { workerData: this.shared });
    this.worker.unref();
  }

  read(max: number): Uint8Array {
    if (!this.header) this.start();
    const header = this.header!;
    const data = this.data!;
    const r = Atomics.load(header, RING.readIndex);
    const available = Atomics.load(header, RING.writeIndex) - r;
    const n = Math.min(max, available);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = data[(r + i) % data.length];
    if (n > 0) {
      Atomics.store(header, RING.readIndex, r + n);
      Atomics.notify(header, RING.readIndex);
    }
    return out;
  }

  waitForInput(): void {
    if (!this.header) this.start();
    const header = this.header!;
    for (;;) {
      const signal = Atomics.load(header, RING.signal);
      if (Atomics.load(header, RING.writeIndex) !== Atomics.load(header, RING.readIndex) || Atomics.load(header, RING.eof) === 1) return;
      Atomics.wait(header, RING.signal, signal);
    }
  }

  inputEnded(): boolean {
    const header = this.header;
    return header !== undefined && Atomics.load(header, RING.eof) === 1 && Atomics.load(header, RING.writeIndex) === Atomics.load(header, RING.readIndex);
  }

  sleep(ms: number): void {
    if (this.header) Atomics.wait(this.header, RING.signal, Atomics.load(this.header, RING.signal), ms);
    else Atomics.wait(this.sleeper, 0, 0, ms);
  }
}

/** A console whose input is a fixed text and whose output is collected: for measuring runs. */
export class TextConsole implements ConsoleIo {
  private input: Uint8Array;
  private readonly output: Buffer[] = [];

  constructor(input = "") {
    this.input = new TextEncoder().encode(input);
  }

  write(bytes: Uint8Array): void {
    this.output.push(Buffer.from(bytes));
  }

  read(max: number): Uint8Array {
    const taken = this.input.subarray(0, max);
    this.input = this.input.subarray(taken.length);
    return taken;
  }

  sleep(): void {}

  waitForInput(): void {}

  inputEnded(): boolean {
    return this.input.length === 0;
  }

  text(): string {
    return Buffer.concat(this.output).toString("utf8");
  }
}
