/*
 * The benchmark workloads in C: the baselines the AOT engine is measured against. Each is the same
 * algorithm on the same data as test/bench/aot/main.ts, and returns a checksum that must agree.
 * Data comes from one linear congruential generator (Numerical Recipes' constants).
 */
#include <stdint.h>
#include "workloads.h"

static uint32_t seed;
static uint32_t next_random(void) {
  seed = seed * 1664525u + 1013904223u;
  return seed;
}

/* bytes is crc32's, crc16's and sha256's input; sort, matmul, parse and filter take turns in one
   scratch area, each filling it just before it runs (untimed), so that the whole bench fits the
   micro:bit's 16 KiB of RAM. */
static uint8_t bytes[BENCH_BYTES];
static union {
  uint32_t words[BENCH_SORT_N];
  struct { int32_t a[BENCH_MAT_N * BENCH_MAT_N], b[BENCH_MAT_N * BENCH_MAT_N], c[BENCH_MAT_N * BENCH_MAT_N]; } matrices;
  uint8_t text[BENCH_TEXT];
  struct { int16_t samples[BENCH_SAMPLES]; int16_t taps[BENCH_TAPS]; } filter;
} scratch;
#define words scratch.words
#define a scratch.matrices.a
#define b scratch.matrices.b
#define c scratch.matrices.c
#define text scratch.text
#define samples scratch.filter.samples
#define taps scratch.filter.taps

/* The generator runs on from one to the next, in the order the workloads run. */
void bench_prepare(void) {
  seed = 1u;
  for (uint32_t i = 0; i < BENCH_BYTES; i++) bytes[i] = (uint8_t)(next_random() >> 24);
}

void bench_prepare_words(void) {
  for (uint32_t i = 0; i < BENCH_SORT_N; i++) words[i] = next_random();
}

void bench_prepare_matrices(void) {
  for (uint32_t i = 0; i < BENCH_MAT_N * BENCH_MAT_N; i++) a[i] = (int32_t)(next_random() >> 20) - 2048, b[i] = (int32_t)(next_random() >> 20) - 2048;
}

void bench_prepare_text(void) {
  /* "123,4567,89,..." : numbers of 1 to 5 digits separated by commas */
  uint32_t at = 0;
  while (at + 6 < BENCH_TEXT) {
    uint32_t digits = 1u + (next_random() >> 29) % 5u;
    for (uint32_t d = 0; d < digits; d++) text[at++] = (uint8_t)('0' + (next_random() >> 28) % 10u);
    text[at++] = ',';
  }
  while (at < BENCH_TEXT) text[at++] = ',';
}

void bench_prepare_samples(void) {
  for (uint32_t i = 0; i < BENCH_SAMPLES; i++) samples[i] = (int16_t)(next_random() >> 16);
  for (uint32_t i = 0; i < BENCH_TAPS; i++) taps[i] = (int16_t)((next_random() >> 20) - 2048);
}

uint32_t bench_crc32(void) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < BENCH_BYTES; i++) {
    crc ^= bytes[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

uint32_t bench_sort(void) {
  for (uint32_t i = 1; i < BENCH_SORT_N; i++) {
    uint32_t v = words[i];
    uint32_t j = i;
    while (j > 0 && words[j - 1] > v) {
      words[j] = words[j - 1];
      j--;
    }
    words[j] = v;
  }
  return words[0] ^ words[BENCH_SORT_N / 2] ^ words[BENCH_SORT_N - 1];
}

uint32_t bench_matmul(void) {
  for (uint32_t i = 0; i < BENCH_MAT_N; i++) {
    for (uint32_t j = 0; j < BENCH_MAT_N; j++) {
      int32_t sum = 0;
      for (uint32_t k = 0; k < BENCH_MAT_N; k++) sum += a[i * BENCH_MAT_N + k] * b[k * BENCH_MAT_N + j];
      c[i * BENCH_MAT_N + j] = sum;
    }
  }
  uint32_t check = 0;
  for (uint32_t i = 0; i < BENCH_MAT_N * BENCH_MAT_N; i++) check = check * 31u + (uint32_t)c[i];
  return check;
}

uint32_t bench_parse(void) {
  uint32_t sum = 0, value = 0, count = 0;
  for (uint32_t i = 0; i < BENCH_TEXT; i++) {
    uint8_t ch = text[i];
    if (ch >= '0' && ch <= '9') value = value * 10u + (uint32_t)(ch - '0');
    else if (ch == ',') {
      sum += value;
      count++;
      value = 0;
    }
  }
  return sum ^ (count << 20);
}

uint32_t bench_filter(void) {
  uint32_t check = 0;
  for (uint32_t n = BENCH_TAPS; n < BENCH_SAMPLES; n++) {
    int32_t acc = 0;
    for (uint32_t k = 0; k < BENCH_TAPS; k++) acc += (int32_t)samples[n - k] * (int32_t)taps[k];
    int32_t out = acc >> 15;
    if (out > 32767) out = 32767;
    if (out < -32768) out = -32768;
    check = check * 33u + (uint32_t)(uint16_t)out;
  }
  return check;
}

/* CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection), bit by bit over the bytes. */
uint32_t bench_crc16(void) {
  uint32_t crc = 0xFFFFu;
  for (uint32_t i = 0; i < BENCH_BYTES; i++) {
    crc ^= (uint32_t)bytes[i] << 8;
    for (int bit = 0; bit < 8; bit++) crc = ((crc << 1) ^ (0x1021u & (0u - (crc >> 15)))) & 0xFFFFu;
  }
  return crc;
}

/* SHA-256 (FIPS 180-4): the round constants of section 4.2.2 and the initial hash of 5.3.3. */
static const uint32_t sha_k[64] = {
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
  0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
  0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
  0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
  0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
  0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
  0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static uint32_t rotr(uint32_t x, uint32_t n) { return (x >> n) | (x << (32u - n)); }

/* One 64-byte block into the hash state h. */
static void sha256_block(uint32_t h[8], const uint8_t* block) {
  uint32_t w[64];
  for (uint32_t t = 0; t < 16; t++) w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 | (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
  for (uint32_t t = 16; t < 64; t++) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a_ = h[0], b_ = h[1], c_ = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (uint32_t t = 0; t < 64; t++) {
    uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[t] + w[t];
    uint32_t t2 = (rotr(a_, 2) ^ rotr(a_, 13) ^ rotr(a_, 22)) + ((a_ & b_) ^ (a_ & c_) ^ (b_ & c_));
    hh = g; g = f; f = e; e = d + t1; d = c_; c_ = b_; b_ = a_; a_ = t1 + t2;
  }
  h[0] += a_; h[1] += b_; h[2] += c_; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* The digest of length bytes at data (length below 2^29), as 8 words. */
void bench_sha256_of(const uint8_t* data, uint32_t length, uint32_t h[8]) {
  static const uint32_t initial[8] = { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u };
  for (int i = 0; i < 8; i++) h[i] = initial[i];
  uint32_t at = 0;
  for (; at + 64 <= length; at += 64) sha256_block(h, data + at);
  /* The padding (5.1.1): a 1 bit, zeros, then the length in bits, in one or two last blocks. */
  uint8_t last[128] = { 0 };
  uint32_t rest = length - at;
  for (uint32_t i = 0; i < rest; i++) last[i] = data[at + i];
  last[rest] = 0x80;
  uint32_t blocks = rest + 9 <= 64 ? 1u : 2u;
  uint32_t bits = length * 8u;
  for (int i = 0; i < 4; i++) last[blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
  last[blocks * 64 - 5] = (uint8_t)(length >> 29);
  for (uint32_t i = 0; i < blocks; i++) sha256_block(h, last + 64 * i);
}

uint32_t bench_sha256(void) {
  uint32_t h[8];
  bench_sha256_of(bytes, BENCH_BYTES, h);
  return h[0] ^ h[7];
}

/* Untimed: sort's input made again, sorted by the same algorithm counting each element moved, and
   the whole result hashed. The AOT side does the same; the bench compares both figures. */
uint32_t bench_sort_moves(void) {
  /* The generator replayed to where bench_prepare made sort's input. */
  seed = 1u;
  for (uint32_t i = 0; i < BENCH_BYTES; i++) next_random();
  for (uint32_t i = 0; i < BENCH_SORT_N; i++) words[i] = next_random();
  uint32_t moves = 0;
  for (uint32_t i = 1; i < BENCH_SORT_N; i++) {
    uint32_t v = words[i];
    uint32_t j = i;
    while (j > 0 && words[j - 1] > v) {
      words[j] = words[j - 1];
      j--;
      moves++;
    }
    words[j] = v;
  }
  return moves;
}

uint32_t bench_sorted_hash(void) {
  uint32_t hash = 0;
  for (uint32_t i = 0; i < BENCH_SORT_N; i++) hash = hash * 31u + words[i];
  return hash;
}
