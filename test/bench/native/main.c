/*
 * The native side of `anyk bench`: runs each workload once, timed with the stub's monotonic clock
 * (under QEMU's -icount shift=0 one nanosecond is one guest instruction), and prints
 * "bench <name> <instructions> <checksum>" lines, as the AOT app does.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "host.h"
#include "report.h"
#include "workloads.h"

static void report(const char* name, uint64_t ns, uint32_t check) {
  stub_puts("bench ");
  stub_puts(name);
  stub_puts(" ");
  stub_put_dec((uint32_t)ns);
  stub_puts(" ");
  stub_put_dec(check);
  stub_puts("\n");
}

#define RUN(name, call)                                \
  do {                                                 \
    uint64_t start = anyk_clock_monotonic();           \
    uint32_t check = call;                             \
    report(name, anyk_clock_monotonic() - start, check); \
  } while (0)

/* MMIO: loops of register writes and reads of two lengths; the difference over 1000 is the cost
   of one access with its share of the loop, as on the AOT side. Each access reads the register's
   address from memory first, as a driver reads its device's base from its state, so neither
   compiler can fold the address (or a check of it) into the code or out of the loop. */
static volatile uint32_t base_at_reset = ANYK_BENCH_MMIO;
static uint32_t device_base;

static uint32_t write_loop(uint32_t count) {
  for (uint32_t i = 0; i < count; i++) *(volatile uint32_t*)device_base = i;
  return count;
}

static uint32_t read_loop(uint32_t count) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < count; i++) sum += *(volatile uint32_t*)device_base;
  return sum;
}

/* The native build mode runs this after reset, in place of a kernel. */
void stub_main(void) {
  device_base = base_at_reset;
  bench_prepare();
  RUN("nothing", 0u);
  RUN("crc32", bench_crc32());
  bench_prepare_words();
  RUN("sort", bench_sort());
  bench_prepare_matrices();
  RUN("matmul", bench_matmul());
  bench_prepare_text();
  RUN("parse", bench_parse());
  bench_prepare_samples();
  RUN("filter", bench_filter());
  RUN("crc16", bench_crc16());
  RUN("sha256", bench_sha256());
  /* FIPS 180-4's examples (the "abc" and 448-bit messages of its appendix): the implementation's check. */
  {
    uint32_t h[8];
    bench_sha256_of((const uint8_t*)"abc", 3u, h);
    report("sha256-abc", 0, h[0]);
    bench_sha256_of((const uint8_t*)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56u, h);
    report("sha256-448", 0, h[7]);
  }
  report("sort-moves", 0, bench_sort_moves());
  report("sort-result", 0, bench_sorted_hash());
  RUN("mmio-write-1000", write_loop(1000u));
  RUN("mmio-write-2000", write_loop(2000u));
  RUN("mmio-read-1000", read_loop(1000u));
  RUN("mmio-read-2000", read_loop(2000u));
  stub_exit(0);
}
