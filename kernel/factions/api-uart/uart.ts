// The UART as the app API shows it: import { uart } from "anykernel/uart". The UART driver's
// interrupts fill its receive ring; run() hands each complete line to the onLine callback as a Line
// view over one static buffer (lines end as dev/line-assembler.ts says), or the app reads the bytes
// waiting into a Uint8Array of its own.
import { uart as boundUart } from "../dev/registry";
import { takeByte } from "../dev/line-assembler";
import { Line, pollEachTurn, stopping } from "../api/index";

const CAPACITY: u32 = 128;
let handler: ((line: Line) => void) | null = null;
let view: Line | null = null;

function lineBuffer(): usize {
  return memory.data(<i32>CAPACITY);
}

function poll(): void {
  const u = boundUart();
  for (let b = u.readByte(); b >= 0; b = u.readByte()) {
    const length = takeByte(b, lineBuffer(), CAPACITY);
    if (length < 0) continue;
    const callback = handler!;
    callback(view!.resize(<u32>length));
    // The lines after it wait in the ring for the next run(), if the callback stopped this one.
    if (stopping()) return;
  }
}

export namespace uart {
  /** Calls fn with each line that arrives, from run(). */
  export function onLine(fn: (line: Line) => void): void {
    handler = fn;
    if (view === null) view = new Line(lineBuffer(), 0);
    pollEachTurn(0, poll);
  }

  /** Moves the bytes waiting (up to into.length) into into; returns how many. Does not wait. */
  export function read(into: Uint8Array): i32 {
    const u = boundUart();
    let count = 0;
    while (count < into.length) {
      const b = u.readByte();
      if (b < 0) break;
      into[count++] = <u8>b;
    }
    return count;
  }
}
