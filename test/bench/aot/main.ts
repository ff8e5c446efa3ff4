// The AOT side of `anyk bench`: the workloads of test/bench/native/workloads.c, the same
// algorithms on the same data, timed with the monotonic clock (one nanosecond is one guest
// instruction under QEMU's -icount shift=0). Prints "bench <name> <instructions> <checksum>".
import { print, printU32, newline } from "../../../kernel/base/console";
import { now } from "../../../kernel/base/time";
import { mmio_read32, mmio_write32 } from "../../../abi/gen/kernel";
import { GPIO_BASE } from "../../../kernel/base/board";

// The first register of the bound GPIO device (PL061 GPIODATA with an empty mask on lm3s6965evb: harmless).
const BENCH_MMIO: u32 = GPIO_BASE;

const BYTES: u32 = 4096;
const SORT_N: u32 = 400;
const MAT_N: u32 = 16;
const SAMPLES: u32 = 2048;
const TAPS: u32 = 16;
const TEXT: u32 = 4096;

// Static buffers in linear memory, as C's are static arrays.
const bytes = memory.data(BYTES);
const words = memory.data(SORT_N * 4);
const a = memory.data(MAT_N * MAT_N * 4);
const b = memory.data(MAT_N * MAT_N * 4);
const c = memory.data(MAT_N * MAT_N * 4);
const samples = memory.data(SAMPLES * 2);
const taps = memory.data(TAPS * 2);
const text = memory.data(TEXT);

let seed: u32 = 1;
function nextRandom(): u32 {
  seed = seed * 1664525 + 1013904223;
  return seed;
}

function prepare(): void {
  store<u32>(deviceBase, BENCH_MMIO);
  seed = 1;
  for (let i: u32 = 0; i < BYTES; i++) store<u8>(bytes + i, <u8>(nextRandom() >> 24));
  for (let i: u32 = 0; i < SORT_N; i++) store<u32>(words + (i << 2), nextRandom());
  for (let i: u32 = 0; i < MAT_N * MAT_N; i++) {
    store<i32>(a + (i << 2), <i32>(nextRandom() >> 20) - 2048);
    store<i32>(b + (i << 2), <i32>(nextRandom() >> 20) - 2048);
  }
  for (let i: u32 = 0; i < SAMPLES; i++) store<i16>(samples + (i << 1), <i16>(nextRandom() >> 16));
  for (let i: u32 = 0; i < TAPS; i++) store<i16>(taps + (i << 1), <i16>((nextRandom() >> 20) - 2048));
  let at: u32 = 0;
  while (at + 6 < TEXT) {
    const digits: u32 = 1 + (nextRandom() >> 29) % 5;
    for (let d: u32 = 0; d < digits; d++) store<u8>(text + at++, <u8>(48 + (nextRandom() >> 28) % 10));
    store<u8>(text + at++, 44);
  }
  while (at < TEXT) store<u8>(text + at++, 44);
}

function crc32(): u32 {
  let crc: u32 = 0xffffffff;
  for (let i: u32 = 0; i < BYTES; i++) {
    crc ^= <u32>load<u8>(bytes + i);
    for (let bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

function sort(): u32 {
  for (let i: u32 = 1; i < SORT_N; i++) {
    const v = load<u32>(words + (i << 2));
    let j = i;
    while (j > 0 && load<u32>(words + ((j - 1) << 2)) > v) {
      store<u32>(words + (j << 2), load<u32>(words + ((j - 1) << 2)));
      j--;
    }
    store<u32>(words + (j << 2), v);
  }
  return load<u32>(words) ^ load<u32>(words + ((SORT_N / 2) << 2)) ^ load<u32>(words + ((SORT_N - 1) << 2));
}

function matmul(): u32 {
  for (let i: u32 = 0; i < MAT_N; i++) {
    for (let j: u32 = 0; j < MAT_N; j++) {
      let sum: i32 = 0;
      for (let k: u32 = 0; k < MAT_N; k++) sum += load<i32>(a + ((i * MAT_N + k) << 2)) * load<i32>(b + ((k * MAT_N + j) << 2));
      store<i32>(c + ((i * MAT_N + j) << 2), sum);
    }
  }
  let check: u32 = 0;
  for (let i: u32 = 0; i < MAT_N * MAT_N; i++) check = check * 31 + <u32>load<i32>(c + (i << 2));
  return check;
}

function parse(): u32 {
  let sum: u32 = 0, value: u32 = 0, count: u32 = 0;
  for (let i: u32 = 0; i < TEXT; i++) {
    const ch = <u32>load<u8>(text + i);
    if (ch >= 48 && ch <= 57) value = value * 10 + (ch - 48);
    else if (ch == 44) {
      sum += value;
      count++;
      value = 0;
    }
  }
  return sum ^ (count << 20);
}

function filter(): u32 {
  let check: u32 = 0;
  for (let n: u32 = TAPS; n < SAMPLES; n++) {
    let acc: i32 = 0;
    for (let k: u32 = 0; k < TAPS; k++) acc += <i32>load<i16>(samples + ((n - k) << 1)) * <i32>load<i16>(taps + (k << 1));
    let out = acc >> 15;
    if (out > 32767) out = 32767;
    if (out < -32768) out = -32768;
    check = check * 33 + <u32><u16>out;
  }
  return check;
}

// Each access reads the register's address from linear memory first, as a driver reads its
// device's base from its state, so neither binaryen nor GCC can fold the address (or the grant
// check with it) into the code or out of the loop.
const deviceBase = memory.data(4);

function writeLoop(count: u32): u32 {
  for (let i: u32 = 0; i < count; i++) mmio_write32(load<u32>(deviceBase), i);
  return count;
}

function readLoop(count: u32): u32 {
  let sum: u32 = 0;
  for (let i: u32 = 0; i < count; i++) sum += mmio_read32(load<u32>(deviceBase));
  return sum;
}

function report(name: string, start: u64, check: u32): void {
  const spent = now() - start;
  print("bench ");
  print(name);
  print(" ");
  printU32(<u32>spent);
  print(" ");
  printU32(check);
  newline();
}

export function main(): i32 {
  prepare();
  let t = now();
  report("nothing", t, 0);
  t = now();
  let r = crc32();
  report("crc32", t, r);
  t = now();
  r = sort();
  report("sort", t, r);
  t = now();
  r = matmul();
  report("matmul", t, r);
  t = now();
  r = parse();
  report("parse", t, r);
  t = now();
  r = filter();
  report("filter", t, r);
  // Two loop lengths: the difference over 1000 is one access with its share of the loop.
  t = now();
  r = writeLoop(1000);
  report("mmio-write-1000", t, r);
  t = now();
  r = writeLoop(2000);
  report("mmio-write-2000", t, r);
  t = now();
  r = readLoop(1000);
  report("mmio-read-1000", t, r);
  t = now();
  r = readLoop(2000);
  report("mmio-read-2000", t, r);
  return 0;
}
