// The app API, what `import { println, every, run } from "anykernel"` gives a TypeScript user:
// printing values, not pointers; timers as callbacks run by the kernel's event loop; run() until the
// app says stop. Printing allocates nothing; each timer is one small heap object (the component's
// heap budget holds a few). Callbacks are plain functions: AssemblyScript has no closures.
import { flush, newline, print as printText, printBytes, printI32, printU32, printU64 } from "../../base/console";
import { now, NS_PER_MS } from "../../base/time";
import { BOARD_NAME, HEAP_CAP, HEAP_RUNTIME_BYTES } from "../../base/board";
import { schedule, cancel, TimerTask } from "../../base/timers";
import { step } from "../dev/loop";

/**
 * A line of input, as bytes in the kernel's line buffer: valid until the callback that got it
 * returns. Reading and comparing it allocates nothing; toString() makes a string that stays.
 */
export class Line {
  constructor(private bytes: usize, private count: u32) {}

  get length(): u32 {
    return this.count;
  }

  /** Where its bytes are, for printing them. */
  get pointer(): usize {
    return this.bytes;
  }

  byteAt(index: u32): u8 {
    return index < this.count ? load<u8>(this.bytes + <usize>index) : 0;
  }

  /** Whether the line is exactly text (compared as ASCII). */
  is(text: string): bool {
    if (<u32>text.length != this.count) return false;
    for (let i: u32 = 0; i < this.count; i++) if (<u32>text.charCodeAt(i) != <u32>load<u8>(this.bytes + <usize>i)) return false;
    return true;
  }

  /** Upper-cases its ASCII letters in place; returns the line. */
  upper(): Line {
    for (let i: u32 = 0; i < this.count; i++) {
      const c = load<u8>(this.bytes + <usize>i);
      if (c >= 0x61 && c <= 0x7a) store<u8>(this.bytes + <usize>i, c - 0x20);
    }
    return this;
  }

  /** A copy of its bytes: a heap allocation the stub runtime never frees. */
  toBytes(): Uint8Array {
    const copy = new Uint8Array(<i32>this.count);
    memory.copy(copy.dataStart, this.bytes, <usize>this.count);
    return copy;
  }

  /** Whether the line begins with text (compared as ASCII). */
  startsWith(text: string): bool {
    if (<u32>text.length > this.count) return false;
    for (let i = 0; i < text.length; i++) if (<u32>text.charCodeAt(i) != <u32>load<u8>(this.bytes + <usize>i)) return false;
    return true;
  }

  /** The line as a string (UTF-8 decoded): a heap allocation the stub runtime never frees. */
  toString(): string {
    return String.UTF8.decodeUnsafe(this.bytes, <usize>this.count);
  }

  /** For the readers (lines, datagrams, TCP data): the view moved over other bytes. */
  view(bytes: usize, count: u32): Line {
    this.bytes = bytes;
    this.count = count;
    return this;
  }

  /** For the line readers: the same view over a new length. */
  resize(count: u32): Line {
    this.count = count;
    return this;
  }
}

/** The board file's name of the board the image was built for. */
export const boardName: string = BOARD_NAME;

/** Prints a string, a Line, a boolean or an integer of any width, as text. */
export function print<T>(value: T): void {
  if (isString<T>()) printText(changetype<string>(value));
  else if (isReference<T>() && value instanceof Line) printBytes((<Line>value).pointer, <usize>(<Line>value).length);
  else if (isBoolean<T>()) printText(value ? "true" : "false");
  else if (isInteger<T>()) {
    if (sizeof<T>() == 8) {
      if (isSigned<T>() && <i64>value < 0) {
        printText("-");
        printU64(<u64>(0 - <i64>value));
      } else printU64(<u64>value);
    } else if (isSigned<T>()) printI32(<i32>value);
    else printU32(<u32>value);
  } else ERROR("print takes strings, booleans and integers (a float formatter would cost kilobytes)");
}

/** print, then a line end (which also flushes). */
export function println<T>(value: T): void {
  print<T>(value);
  newline();
}

/** Bytes of the kernel heap in use: strings, arrays and objects the app and the kernel made. */
export { heapUsed } from "../../base/alloc";

/** The heap the image's objects may take: its components' `heap` budgets plus anykernel.json's `heap`. */
export const heapCap: u32 = HEAP_CAP - HEAP_RUNTIME_BYTES;

let seed: u32 = 0x2545f491;

/**
 * A pseudo-random u32 (xorshift32, Marsaglia 2003): the same sequence on every boot and platform,
 * so transcripts compare; not for keys. A board's RNG device gives true randomness.
 */
export function random(): u32 {
  let x = seed;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  seed = x;
  return x;
}

/** How many of bytes "the first length of them, or all" means: all when length is negative or too long. */
export function firstBytes(bytes: Uint8Array, length: i32): u32 {
  return <u32>(length < 0 || length > bytes.length ? bytes.length : length);
}

/** Writes bytes to the console as they are (print writes text): the first length of them, or all. */
export function write(bytes: Uint8Array, length: i32 = -1): void {
  printBytes(bytes.dataStart, <usize>firstBytes(bytes, length));
}

/** Milliseconds since boot. */
export function millis(): u64 {
  return now() / NS_PER_MS;
}

/** A running timer; cancel() stops it. */
export class Timer extends TimerTask {
  constructor(private readonly callback: () => void, private readonly periodNs: u64) {
    super();
  }

  fire(at: u64): void {
    // Periodic timers keep their phase: the next deadline counts from this one, not from now.
    if (this.periodNs > 0) schedule(this, this.deadline + this.periodNs);
    const callback = this.callback;
    callback();
  }

  cancel(): void {
    cancel(this);
  }
}

/** Calls fn every ms milliseconds, the first time ms from now, until cancelled or run() returns. */
export function every(ms: u32, fn: () => void): Timer {
  const timer = new Timer(fn, <u64>ms * NS_PER_MS);
  schedule(timer, now() + <u64>ms * NS_PER_MS);
  return timer;
}

/** Calls fn once, ms milliseconds from now. */
export function after(ms: u32, fn: () => void): Timer {
  const timer = new Timer(fn, 0);
  schedule(timer, now() + <u64>ms * NS_PER_MS);
  return timer;
}

let stopped = false;
let exitCode: i32 = 0;

/** Ends run() with code once the current callback returns. */
export function stop(code: i32 = 0): void {
  stopped = true;
  exitCode = code;
}

/** Whether a callback has called stop(). */
export function stopping(): bool {
  return stopped;
}

/** Runs timers and interrupts until a callback calls stop(); returns stop's code (main can return it). */
export function run(): i32 {
  while (!stopped) {
    // Input a reader has buffered (lines, frames) goes to its callbacks before the loop sleeps
    // again; each reader takes all that waits, so nothing is left without an interrupt to come.
    if (firstPoller !== null) firstPoller!();
    if (secondPoller !== null && !stopped) secondPoller!();
    if (stopped) break;
    step();
  }
  flush();
  return exitCode;
}

// The readers that poll on each turn: the UART's lines and the network's frames, a slot each.
let firstPoller: (() => void) | null = null;
let secondPoller: (() => void) | null = null;

/** For anykernel/uart (slot 0) and anykernel/net (slot 1): what run() calls on each turn, before it waits. */
export function pollEachTurn(slot: u32, poll: () => void): void {
  if (slot == 0) firstPoller = poll;
  else secondPoller = poll;
}
