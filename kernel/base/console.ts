// Printing strings and numbers to the console hypercall without a heap: text is encoded to UTF-8
// in one static buffer and flushed when it fills or a line ends.
import { console_write } from "../../abi/gen/kernel";

const BUFFER_SIZE: usize = 64;
const buffer = memory.data(<i32>BUFFER_SIZE);
let used: usize = 0;

export function flush(): void {
  if (used == 0) return;
  console_write(buffer, <u32>used);
  used = 0;
}

function putByte(b: u32): void {
  if (used == BUFFER_SIZE) flush();
  store<u8>(buffer + used, <u8>b);
  used++;
}

/** Appends one Unicode code point as UTF-8. */
function putCodePoint(c: u32): void {
  if (c < 0x80) {
    putByte(c);
  } else if (c < 0x800) {
    putByte(0xc0 | (c >> 6));
    putByte(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    putByte(0xe0 | (c >> 12));
    putByte(0x80 | ((c >> 6) & 0x3f));
    putByte(0x80 | (c & 0x3f));
  } else {
    putByte(0xf0 | (c >> 18));
    putByte(0x80 | ((c >> 12) & 0x3f));
    putByte(0x80 | ((c >> 6) & 0x3f));
    putByte(0x80 | (c & 0x3f));
  }
}

/** Writes bytes as they are (already UTF-8). */
export function printBytes(bytes: usize, length: usize): void {
  for (let i: usize = 0; i < length; i++) putByte(load<u8>(bytes + i));
}

/** Writes s as UTF-8; nothing reaches the console until a newline, a full buffer or flush(). */
export function print(s: string): void {
  const units = changetype<usize>(s);
  const length = <usize>s.length;
  for (let i: usize = 0; i < length; i++) {
    let c = <u32>load<u16>(units + (i << 1));
    // A surrogate pair is one code point; a lone surrogate is written as it is.
    if (c - 0xd800 < 0x400 && i + 1 < length) {
      const low = <u32>load<u16>(units + ((i + 1) << 1));
      if (low - 0xdc00 < 0x400) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    putCodePoint(c);
  }
}

export function println(s: string): void {
  print(s);
  newline();
}

export function newline(): void {
  putByte(0x0a);
  flush();
}

/** Writes an unsigned number in decimal, with 32-bit division only (no 64-bit library routine). */
export function printU32(n: u32): void {
  const digits = memory.data(10);
  let count: usize = 0;
  do {
    store<u8>(digits + count++, <u8>(0x30 + n % 10));
    n /= 10;
  } while (n != 0);
  while (count > 0) putByte(load<u8>(digits + --count));
}

/** Writes an unsigned number in decimal; only digits beyond 32 bits cost a 64-bit division. */
export function printU64(n: u64): void {
  if (n <= <u64>u32.MAX_VALUE) {
    printU32(<u32>n);
    return;
  }
  printU64(n / 10);
  putByte(<u8>(0x30 + <u32>(n % 10)));
}

export function printI32(n: i32): void {
  if (n < 0) {
    putByte(0x2d);
    // 0 - n as u32 is the magnitude, i32.MIN_VALUE's included.
    printU32(<u32>(0 - n));
  } else printU32(<u32>n);
}

/** Writes a byte as two hex digits. */
export function printHex8(b: u32): void {
  for (let shift = 4; shift >= 0; shift -= 4) {
    const d = (b >> shift) & 0xf;
    putByte(d < 10 ? 0x30 + d : 0x57 + d);
  }
}

/** Writes n as 0x followed by 8 hex digits: the form addresses and registers are shown in. */
export function printHex32(n: u32): void {
  putByte(0x30);
  putByte(0x78);
  for (let shift = 28; shift >= 0; shift -= 4) {
    const d = (n >> shift) & 0xf;
    putByte(d < 10 ? 0x30 + d : 0x57 + d);
  }
}
