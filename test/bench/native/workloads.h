/* Sizes of the benchmark workloads; test/bench/aot/main.ts uses the same. */
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H
#include <stdint.h>

#define BENCH_BYTES 4096u
#define BENCH_SORT_N 400u
#define BENCH_MAT_N 16u
#define BENCH_SAMPLES 2048u
#define BENCH_TAPS 16u
#define BENCH_TEXT 4096u

void bench_prepare(void);
void bench_prepare_words(void);
void bench_prepare_matrices(void);
void bench_prepare_text(void);
void bench_prepare_samples(void);
uint32_t bench_crc32(void);
uint32_t bench_sort(void);
uint32_t bench_matmul(void);
uint32_t bench_parse(void);
uint32_t bench_filter(void);
uint32_t bench_crc16(void);
uint32_t bench_sha256(void);
uint32_t bench_sort_moves(void);
uint32_t bench_sorted_hash(void);
void bench_sha256_of(const uint8_t* data, uint32_t length, uint32_t h[8]);
#endif
