// echo-hil: echo written against the kernel's HIL, without the app API (the API's cost is
// measured against it): reads lines from the UART (interrupt-driven) and writes each back upper-cased;
// the line "quit" ends the kernel with exit code 0.
import { readLine, writeBytes, writeLine } from "../../../kernel/factions/console/lines";

const LINE_CAPACITY: u32 = 128;

function isQuit(line: usize, length: u32): bool {
  return length == 4 && load<u32>(line) == 0x74697571; // "quit", little-endian
}

export function main(): i32 {
  const line = memory.data(<i32>LINE_CAPACITY + 1);
  writeLine("echo: ready");
  for (;;) {
    const length = readLine(line, LINE_CAPACITY);
    if (isQuit(line, length)) break;
    for (let i: u32 = 0; i < length; i++) {
      const c = load<u8>(line + <usize>i);
      if (c >= 0x61 && c <= 0x7a) store<u8>(line + <usize>i, c - 0x20);
    }
    store<u8>(line + <usize>length, 0x0a);
    writeBytes(line, length + 1);
  }
  writeLine("echo: bye");
  return 0;
}
