// The line-oriented console: on the image's UART driver when the build bound one, otherwise on the
// console hypercalls. Lines end as dev/line-assembler.ts says.
import { console_read, console_write } from "../../../abi/gen/kernel";
import { hasUart, uart } from "../dev/registry";
import { step } from "../dev/loop";
import { flush, println } from "../../base/console";
import { Uart } from "../../hil/uart";

import { takeByte } from "../dev/line-assembler";

/** The next input byte; blocks (servicing interrupts) until one arrives. */
export function readByte(): u8 {
  if (hasUart()) {
    const u = uart();
    for (;;) {
      const b = u.readByte();
      if (b >= 0) return <u8>b;
      step();
    }
  }
  const cell = memory.data(1);
  while (console_read(cell, 1) == 0) step();
  return load<u8>(cell);
}

/**
 * Reads one line into buffer (at most capacity bytes, the end of line not included) and returns
 * its length; bytes past capacity are dropped until the line ends.
 */
export function readLine(buffer: usize, capacity: u32): u32 {
  let length = -1;
  while (length < 0) length = takeByte(readByte(), buffer, capacity);
  return <u32>length;
}

/** Queues one byte for output, waiting for room in the transmit ring. */
function queue(u: Uart, b: u8): void {
  while (!u.writeByte(b)) step();
}

/** Writes bytes and waits until the device has taken all of them. */
export function writeBytes(ptr: usize, len: u32): void {
  flush(); // what base/console buffered goes first
  if (!hasUart()) {
    console_write(ptr, len);
    return;
  }
  const u = uart();
  for (let i: u32 = 0; i < len; i++) queue(u, load<u8>(ptr + <usize>i));
  while (u.txPending() != 0) step();
}

/** Writes a string (ASCII) followed by a newline, and waits until it has left. */
export function writeLine(s: string): void {
  flush();
  if (!hasUart()) {
    println(s);
    return;
  }
  const u = uart();
  for (let i = 0; i < s.length; i++) queue(u, <u8>s.charCodeAt(i));
  queue(u, 0x0a);
  while (u.txPending() != 0) step();
}
