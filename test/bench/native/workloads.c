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

static uint8_t bytes[BENCH_BYTES];
static uint32_t words[BENCH_SORT_N];
static int32_t a[BENCH_MAT_N * BENCH_MAT_N], b[BENCH_MAT_N * BENCH_MAT_N], c[BENCH_MAT_N * BENCH_MAT_N];
static int16_t samples[BENCH_SAMPLES];
static int16_t taps[BENCH_TAPS];
static uint8_t text[BENCH_TEXT];

void bench_prepare(void) {
  seed = 1u;
  for (uint32_t i = 0; i < BENCH_BYTES; i++) bytes[i] = (uint8_t)(next_random() >> 24);
  for (uint32_t i = 0; i < BENCH_SORT_N; i++) words[i] = next_random();
  for (uint32_t i = 0; i < BENCH_MAT_N * BENCH_MAT_N; i++) a[i] = (int32_t)(next_random() >> 20) - 2048, b[i] = (int32_t)(next_random() >> 20) - 2048;
  for (uint32_t i = 0; i < BENCH_SAMPLES; i++) samples[i] = (int16_t)(next_random() >> 16);
  for (uint32_t i = 0; i < BENCH_TAPS; i++) taps[i] = (int16_t)((next_random() >> 20) - 2048);
  /* "123,4567,89,..." : numbers of 1 to 5 digits separated by commas */
  uint32_t at = 0;
  while (at + 6 < BENCH_TEXT) {
    uint32_t digits = 1u + (next_random() >> 29) % 5u;
    for (uint32_t d = 0; d < digits; d++) text[at++] = (uint8_t)('0' + (next_random() >> 28) % 10u);
    text[at++] = ',';
  }
  while (at < BENCH_TEXT) text[at++] = ',';
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
