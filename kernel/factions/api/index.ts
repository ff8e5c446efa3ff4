// The app API, what `import { println, every, run } from "anykernel"` gives a TypeScript user:
// printing values, not pointers; timers as callbacks run by the kernel's event loop; run() until the
// app says stop. Printing allocates nothing; each timer is one small heap object (the component's
// heap budget holds a few). Callbacks are plain functions: AssemblyScript has no closures.
import { flush, newline, print as printText, printI32, printU32, printU64 } from "../../base/console";
import { now, NS_PER_MS } from "../../base/time";
import { schedule, cancel, TimerTask } from "../../base/timers";
import { step } from "../dev/loop";

/** Prints a string, a boolean or an integer of any width, as text. */
export function print<T>(value: T): void {
  if (isString<T>()) printText(changetype<string>(value));
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

/** Runs timers and interrupts until a callback calls stop(); returns stop's code (main can return it). */
export function run(): i32 {
  while (!stopped) step();
  flush();
  return exitCode;
}
