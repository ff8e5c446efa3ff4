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

// Static buffers in linear memory, as C's are static arrays. bytes is crc32's, crc16's and
// sha256's input; sort, matmul, parse and filter take turns in one scratch area, each filling it
// just before it runs (untimed), so that the whole bench fits the micro:bit's 16 KiB of RAM.
const bytes = memory.data(BYTES);
const scratch = memory.data(TEXT + TAPS * 2);
const words = scratch;
const a = scratch;
const b = scratch + MAT_N * MAT_N * 4;
const c = scratch + 2 * MAT_N * MAT_N * 4;
const text = scratch;
const samples = scratch;
const taps = scratch + SAMPLES * 2;

let seed: u32 = 1;
function nextRandom(): u32 {
  seed = seed * 1664525 + 1013904223;
  return seed;
}

// The generator runs on from one to the next, in the order the workloads run.
function prepare(): void {
  store<u32>(deviceBase, BENCH_MMIO);
  seed = 1;
  for (let i: u32 = 0; i < BYTES; i++) store<u8>(bytes + i, <u8>(nextRandom() >> 24));
}

function prepareWords(): void {
  for (let i: u32 = 0; i < SORT_N; i++) store<u32>(words + (i << 2), nextRandom());
}

function prepareMatrices(): void {
  for (let i: u32 = 0; i < MAT_N * MAT_N; i++) {
    store<i32>(a + (i << 2), <i32>(nextRandom() >> 20) - 2048);
    store<i32>(b + (i << 2), <i32>(nextRandom() >> 20) - 2048);
  }
}

function prepareText(): void {
  let at: u32 = 0;
  while (at + 6 < TEXT) {
    const digits: u32 = 1 + (nextRandom() >> 29) % 5;
    for (let d: u32 = 0; d < digits; d++) store<u8>(text + at++, <u8>(48 + (nextRandom() >> 28) % 10));
    store<u8>(text + at++, 44);
  }
  while (at < TEXT) store<u8>(text + at++, 44);
}

function prepareSamples(): void {
  for (let i: u32 = 0; i < SAMPLES; i++) store<i16>(samples + (i << 1), <i16>(nextRandom() >> 16));
  for (let i: u32 = 0; i < TAPS; i++) store<i16>(taps + (i << 1), <i16>((nextRandom() >> 20) - 2048));
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

/** Untimed: sort's input made again (the generator replayed to where prepare() made it), sorted counting each element moved, as the C side does. */
function sortMoves(): u32 {
  seed = 1;
  for (let i: u32 = 0; i < BYTES; i++) nextRandom();
  for (let i: u32 = 0; i < SORT_N; i++) store<u32>(words + (i << 2), nextRandom());
  let moves: u32 = 0;
  for (let i: u32 = 1; i < SORT_N; i++) {
    const v = load<u32>(words + (i << 2));
    let j = i;
    while (j > 0 && load<u32>(words + ((j - 1) << 2)) > v) {
      store<u32>(words + (j << 2), load<u32>(words + ((j - 1) << 2)));
      j--;
      moves++;
    }
    store<u32>(words + (j << 2), v);
  }
  return moves;
}

/** The whole sorted array, hashed. */
function sortedHash(): u32 {
  let hash: u32 = 0;
  for (let i: u32 = 0; i < SORT_N; i++) hash = hash * 31 + load<u32>(words + (i << 2));
  return hash;
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

// CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection), bit by bit over the bytes.
function crc16(): u32 {
  let crc: u32 = 0xffff;
  for (let i: u32 = 0; i < BYTES; i++) {
    crc ^= <u32>load<u8>(bytes + i) << 8;
    for (let bit = 0; bit < 8; bit++) crc = ((crc << 1) ^ (0x1021 & (0 - (crc >> 15)))) & 0xffff;
  }
  return crc;
}

// SHA-256 (FIPS 180-4): the round constants of section 4.2.2 and the initial hash of 5.3.3.
const SHA_K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const SHA_INITIAL = memory.data<u32>([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const shaState = memory.data(8 * 4);
const shaSchedule = memory.data(64 * 4);
const shaLast = memory.data(128);

// @ts-ignore: decorator
@inline
function rotr(x: u32, n: u32): u32 {
  return (x >>> n) | (x << (32 - n));
}

/** One 64-byte block into the hash state. */
function sha256Block(block: usize): void {
  const w = shaSchedule;
  for (let t: u32 = 0; t < 16; t++) {
    const at = block + (t << 2);
    store<u32>(w + (t << 2), (<u32>load<u8>(at) << 24) | (<u32>load<u8>(at + 1) << 16) | (<u32>load<u8>(at + 2) << 8) | <u32>load<u8>(at + 3));
  }
  for (let t: u32 = 16; t < 64; t++) {
    const w15 = load<u32>(w + ((t - 15) << 2)), w2 = load<u32>(w + ((t - 2) << 2));
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    store<u32>(w + (t << 2), load<u32>(w + ((t - 16) << 2)) + s0 + load<u32>(w + ((t - 7) << 2)) + s1);
  }
  const h = shaState;
  let a_ = load<u32>(h), b_ = load<u32>(h + 4), c_ = load<u32>(h + 8), d = load<u32>(h + 12);
  let e = load<u32>(h + 16), f = load<u32>(h + 20), g = load<u32>(h + 24), hh = load<u32>(h + 28);
  for (let t: u32 = 0; t < 64; t++) {
    const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + load<u32>(SHA_K + (t << 2)) + load<u32>(w + (t << 2));
    const t2 = (rotr(a_, 2) ^ rotr(a_, 13) ^ rotr(a_, 22)) + ((a_ & b_) ^ (a_ & c_) ^ (b_ & c_));
    hh = g; g = f; f = e; e = d + t1; d = c_; c_ = b_; b_ = a_; a_ = t1 + t2;
  }
  store<u32>(h, load<u32>(h) + a_); store<u32>(h + 4, load<u32>(h + 4) + b_);
  store<u32>(h + 8, load<u32>(h + 8) + c_); store<u32>(h + 12, load<u32>(h + 12) + d);
  store<u32>(h + 16, load<u32>(h + 16) + e); store<u32>(h + 20, load<u32>(h + 20) + f);
  store<u32>(h + 24, load<u32>(h + 24) + g); store<u32>(h + 28, load<u32>(h + 28) + hh);
}

/** The digest of length bytes at data, left in shaState as 8 words. */
function sha256Of(data: usize, length: u32): void {
  memory.copy(shaState, SHA_INITIAL, 32);
  let at: u32 = 0;
  for (; at + 64 <= length; at += 64) sha256Block(data + at);
  // The padding (5.1.1): a 1 bit, zeros, then the length in bits, in one or two last blocks.
  memory.fill(shaLast, 0, 128);
  const rest = length - at;
  memory.copy(shaLast, data + at, rest);
  store<u8>(shaLast + rest, 0x80);
  const blocks: u32 = rest + 9 <= 64 ? 1 : 2;
  const bits = length * 8;
  for (let i: u32 = 0; i < 4; i++) store<u8>(shaLast + blocks * 64 - 1 - i, <u8>(bits >>> (8 * i)));
  store<u8>(shaLast + blocks * 64 - 5, <u8>(length >>> 29));
  for (let i: u32 = 0; i < blocks; i++) sha256Block(shaLast + 64 * i);
}

function sha256(): u32 {
  sha256Of(bytes, BYTES);
  return load<u32>(shaState) ^ load<u32>(shaState + 28);
}

/** FIPS 180-4's example messages, as ASCII in static memory. */
const ABC = memory.data<u8>([0x61, 0x62, 0x63]);

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
  prepareWords();
  t = now();
  r = sort();
  report("sort", t, r);
  prepareMatrices();
  t = now();
  r = matmul();
  report("matmul", t, r);
  prepareText();
  t = now();
  r = parse();
  report("parse", t, r);
  prepareSamples();
  t = now();
  r = filter();
  report("filter", t, r);
  t = now();
  r = crc16();
  report("crc16", t, r);
  t = now();
  r = sha256();
  report("sha256", t, r);
  // FIPS 180-4's examples (the "abc" and 448-bit messages of its appendix): the implementation's check.
  sha256Of(ABC, 3);
  report("sha256-abc", now(), load<u32>(shaState));
  // The scratch area's last user, filter, has run: it holds the 448-bit message now.
  const message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (let i = 0; i < message.length; i++) store<u8>(text + <usize>i, <u8>message.charCodeAt(i));
  sha256Of(text, 56);
  report("sha256-448", now(), load<u32>(shaState + 28));
  report("sort-moves", now(), sortMoves());
  report("sort-result", now(), sortedHash());
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
