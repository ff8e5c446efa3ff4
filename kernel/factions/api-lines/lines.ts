// UART input as line callbacks: import { onLine } from "anykernel/lines". The UART driver's
// interrupts fill its receive ring; run() hands each complete line to the callback as a Line view
// over one static buffer. Lines end at '\n' or '\r' ('\r\n' is one end); bytes past the buffer's
// capacity are dropped until the line ends.
import { uart } from "../dev/registry";
import { Line, pollEachTurn, stopping } from "../api/index";

const CAPACITY: u32 = 128;
const buffer = memory.data(<i32>CAPACITY);
let length: u32 = 0;
let lastWasCr = false;
let handler: ((line: Line) => void) | null = null;
let view: Line | null = null;

function poll(): void {
  const u = uart();
  for (let b = u.readByte(); b >= 0; b = u.readByte()) {
    if (b == 0x0a && lastWasCr) {
      lastWasCr = false;
      continue;
    }
    lastWasCr = b == 0x0d;
    if (b == 0x0a || b == 0x0d) {
      const callback = handler!;
      callback(view!.resize(length));
      length = 0;
      // The lines after it wait in the ring for the next run(), if the callback stopped this one.
      if (stopping()) return;
      continue;
    }
    if (length < CAPACITY) {
      store<u8>(buffer + <usize>length, <u8>b);
      length++;
    }
  }
}

/** Calls fn with each line that arrives on the UART, from run(). */
export function onLine(fn: (line: Line) => void): void {
  handler = fn;
  if (view === null) view = new Line(buffer, 0);
  pollEachTurn(poll);
}
