// The userspace platform: the hypercalls implemented in TypeScript so an image runs in Node.
// Time is virtual and deterministic unless realtime is asked for; MMIO goes to device models.
import { DEADLINE_NEVER, EXIT_PANIC, HYPERCALL_NAMES, faultIrqRefused, faultMmioRefused, faultRangeOutside, faultWaitForever, type Fault, type Hypercalls } from "../../abi/gen/hypercall.js";
import { GateOff, MmioBus, MmioRefused, type AccessWidth } from "./devices/bus.js";
import type { ConsoleIo } from "./devices/host.js";

export type { ConsoleIo };

/** The kernel called exit: unwinds out of the image. */
export class KernelExit extends Error {
  constructor(readonly code: number) {
    super(`kernel exited with code ${code}`);
  }
}

/** The kernel must stop with a panic report; kind is "abort", "mmio", "wait", "timeout", ... */
export class KernelPanic extends Error {
  readonly exitCode = EXIT_PANIC;
  constructor(readonly kind: string, readonly detail: string) {
    super(`${kind}: ${detail}`);
  }

  /** A fault of the ABI, worded as every platform words it (abi/hypercall.json). */
  static of(fault: Fault): KernelPanic {
    return new KernelPanic(fault.kind, fault.detail);
  }
}

export interface UserspaceOptions {
  bus: MmioBus;
  console: ConsoleIo;
  /** Interrupt lines of the board's devices: the only lines irq_unmask accepts. */
  irqLines: ReadonlySet<number>;
  /** Follow the host's clock and really sleep in wait, instead of virtual time. */
  realtime?: boolean;
  /** Panic when the monotonic clock passes this many ns (guards against kernels that never end). */
  timeoutNs?: bigint;
  /** A network the board is on (realtime only): sleeps wake when one of its frames arrives. */
  network?: { sleep(ms: number): void };
}

interface TimedEvent {
  at: bigint;
  run(): void;
}

/** Virtual cost of reading the clock, so that a kernel busy-waiting on it still sees time pass. */
const CLOCK_READ_NS = 1_000n;

export class UserspacePlatform implements Hypercalls {
  memory: WebAssembly.Memory | undefined;
  /** Where console writes go when the console UART has a model: through it, so its line checks apply. */
  transmit: ((bytes: Uint8Array) => void) | undefined;
  private virtualNow = 0n;
  private readonly started = process.hrtime.bigint();
  private readonly pending = new Set<number>();
  private readonly asserted = new Set<number>();
  private readonly inputSinks: Array<() => number> = [];
  private readonly unmasked = new Set<number>();
  private events: TimedEvent[] = [];
  /** console_read found nothing since the last wait: the kernel is polling for input. */
  private pollingConsole = false;

  constructor(private readonly options: UserspaceOptions) {}

  // ---- what device models use ----

  /** Marks an interrupt line pending (an edge); wait reports it once the line is unmasked. */
  raise(irq: number): void {
    this.pending.add(irq);
  }

  /** Drives a level-triggered line: while asserted, wait reports it whenever it is unmasked. */
  setIrqLevel(irq: number, asserted: boolean): void {
    if (asserted) this.asserted.add(irq);
    else this.asserted.delete(irq);
  }

  /** A device model that takes console input (a UART): pump moves what fits into it, returning how many bytes. */
  addInputSink(pump: () => number): void {
    this.inputSinks.push(pump);
  }

  private pumpInput(): number {
    let moved = 0;
    for (const pump of this.inputSinks) moved += pump();
    return moved;
  }

  /** Runs fn when the monotonic clock reaches at (ns); the function returned takes the event back. */
  schedule(at: bigint, run: () => void): () => void {
    const event = { at, run };
    this.events.push(event);
    this.events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return () => {
      const i = this.events.indexOf(event);
      if (i >= 0) this.events.splice(i, 1);
    };
  }

  get now(): bigint {
    if (this.options.realtime) {
      const real = process.hrtime.bigint() - this.started;
      if (real > this.virtualNow) this.virtualNow = real;
    }
    return this.virtualNow;
  }

  private advanceTo(t: bigint): void {
    if (t > this.virtualNow) this.virtualNow = t;
    const limit = this.options.timeoutNs;
    if (limit !== undefined && this.virtualNow >= limit) {
      throw new KernelPanic("timeout", `the kernel was still running after ${formatNs(limit)} of ${this.options.realtime ? "real" : "virtual"} time`);
    }
  }

  // ---- the hypercalls ----

  private access(width: AccessWidth, addr: number, value?: number): number {
    try {
      if (value === undefined) return this.options.bus.read(addr, width);
      this.options.bus.write(addr, value, width);
      return 0;
    } catch (err) {
      if (err instanceof MmioRefused) throw KernelPanic.of(faultMmioRefused(err.access, err.address));
      if (err instanceof GateOff) throw new KernelPanic("gate", err.message);
      throw err;
    }
  }

  mmio_read8(addr: number): number {
    return this.access(8, addr);
  }
  mmio_read16(addr: number): number {
    return this.access(16, addr);
  }
  mmio_read32(addr: number): number {
    return this.access(32, addr);
  }
  mmio_write8(addr: number, value: number): void {
    this.access(8, addr, value);
  }
  mmio_write16(addr: number, value: number): void {
    this.access(16, addr, value);
  }
  mmio_write32(addr: number, value: number): void {
    this.access(32, addr, value);
  }

  clock_monotonic(): bigint {
    if (!this.options.realtime) this.advanceTo(this.virtualNow + CLOCK_READ_NS);
    return this.now;
  }

  wait(deadlineArg: bigint): number {
    const deadline = BigInt.asUintN(64, deadlineArg);
    // In virtual time a kernel polling the console would race ahead of the host's input;
    // time stands still instead until input arrives or ends.
    if (this.pollingConsole && !this.options.realtime) {
      this.options.console.waitForInput();
      if (this.options.console.inputEnded() && this.events.length === 0 && this.unmasked.size === 0) {
        throw new KernelPanic("wait", "the console input has ended and the kernel polls for more, with nothing else that could wake it");
      }
    }
    this.pollingConsole = false;
    this.pumpInput();
    for (;;) {
      for (const irq of [...this.pending, ...this.asserted]) {
        if (!this.unmasked.has(irq)) continue;
        this.pending.delete(irq);
        this.unmasked.delete(irq);
        return irq;
      }
      const next = this.events[0];
      if (next && next.at <= deadline) {
        if (this.options.realtime && next.at > this.now) {
          this.sleep(msUntil(next.at - this.now));
          if (this.pumpInput() > 0) continue;
        }
        if (!this.options.realtime || next.at <= this.now) {
          this.events.shift();
          this.advanceTo(next.at);
          next.run();
        }
        continue;
      }
      if (deadline === DEADLINE_NEVER && this.inputSinks.length > 0 && !this.options.realtime && !this.options.console.inputEnded()) {
        // Only console input can wake the kernel now: time stands still until it arrives.
        this.options.console.waitForInput();
        if (this.pumpInput() > 0 || this.options.console.inputEnded()) continue;
      }
      if (deadline === DEADLINE_NEVER) {
        if (this.options.realtime) {
          this.pumpInput();
          this.sleep(10);
          this.advanceTo(this.now); // a --timeout still ends a kernel that waits forever in real time
          continue;
        }
        const lines = [...this.unmasked].sort((a, b) => a - b);
        if (this.inputSinks.length > 0 && this.options.console.inputEnded()) {
          throw new KernelPanic("wait", "the console input has ended and the kernel waits for more, with nothing else that could wake it");
        }
        if (lines.length === 0) throw KernelPanic.of(faultWaitForever());
        // What only a simulation can tell: the lines are unmasked, but no model will raise them.
        throw new KernelPanic("wait", `waiting forever, but nothing can wake the kernel: no event is scheduled and no device will raise the unmasked lines ${lines.join(", ")}`);
      }
      if (this.options.realtime && deadline > this.now) {
        this.sleep(msUntil(deadline - this.now));
        this.pumpInput();
        continue;
      }
      this.advanceTo(deadline);
      return -1;
    }
  }

  /** Really sleeps (realtime): on the network when there is one, waking for its frames, and looking at the console at least every 10 ms. */
  private sleep(ms: number): void {
    const network = this.options.network;
    if (network) network.sleep(Math.min(ms, 10));
    else this.options.console.sleep(ms);
  }

  irq_unmask(irq: number): void {
    if (!this.options.irqLines.has(irq)) throw KernelPanic.of(faultIrqRefused(irq));
    this.unmasked.add(irq);
  }

  private bytes(ptr: number, len: number, call: string): Uint8Array {
    const memory = this.memory;
    if (!memory) throw new KernelPanic(call, "the image has no exported memory");
    const start = ptr >>> 0;
    const length = len >>> 0;
    if (start + length > memory.buffer.byteLength) {
      throw KernelPanic.of(faultRangeOutside(start));
    }
    return new Uint8Array(memory.buffer, start, length);
  }

  console_write(ptr: number, len: number): void {
    const bytes = this.bytes(ptr, len, "console_write");
    if (this.transmit) this.transmit(bytes);
    else this.options.console.write(bytes);
  }

  console_read(ptr: number, len: number): number {
    const target = this.bytes(ptr, len, "console_read");
    const input = this.options.console.read(target.length);
    target.set(input);
    if (input.length === 0) this.pollingConsole = true;
    return input.length;
  }

  exit(code: number): never {
    throw new KernelExit(code | 0);
  }

  abort(message: number, file: number, line: number, column: number): never {
    const text = this.asString(message) ?? "(no message)";
    const where = this.asString(file);
    throw new KernelPanic("abort", where ? `${text} at ${where}:${line >>> 0}:${column >>> 0}` : text);
  }

  /** An AssemblyScript string: UTF-16LE code units, their byte length in the u32 before the pointer. */
  private asString(ptr: number): string | null {
    const at = ptr >>> 0;
    const memory = this.memory;
    if (at === 0 || !memory || at < 4 || at > memory.buffer.byteLength) return null;
    const byteLength = new DataView(memory.buffer).getUint32(at - 4, true);
    if (at + byteLength > memory.buffer.byteLength) return null;
    return new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, at, byteLength & ~1));
  }

  /** The import object an image is instantiated with. */
  imports(module: string): WebAssembly.Imports {
    const calls: Record<string, Function> = {};
    for (const name of HYPERCALL_NAMES) calls[name] = (this[name] as Function).bind(this);
    return { [module]: calls as WebAssembly.ModuleImports };
  }
}

function msUntil(ns: bigint): number {
  return Math.max(1, Math.min(1000, Number(ns / 1_000_000n)));
}

export function formatNs(ns: bigint): string {
  if (ns % 1_000_000_000n === 0n) return `${ns / 1_000_000_000n} s`;
  if (ns % 1_000_000n === 0n) return `${ns / 1_000_000n} ms`;
  return `${ns} ns`;
}
