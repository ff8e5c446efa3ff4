/* The stub's own register accesses (its console, clock and flash controller): plain volatile
   loads and stores, never checked against the image's grants. */
#ifndef ANYK_MMIO_H
#define ANYK_MMIO_H

#include <stdint.h>

static inline uint32_t stub_read32(uint32_t address) {
  return *(volatile uint32_t*)address;
}
static inline void stub_write32(uint32_t address, uint32_t value) {
  *(volatile uint32_t*)address = value;
}

#endif
