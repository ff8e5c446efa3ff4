/* What the platform does around the kernel: start it, and translate the offsets hypercalls pass
   into its linear memory (kernel-host.c, in whole firmware and loader-mode images alike). */
#ifndef ANYK_HOST_H
#define ANYK_HOST_H

#include <stdint.h>

/* What a build mode runs after reset: the kernel (aot-main.c, interp-main.c), the bootloader's protocol loop
   (loader.c) or the native benchmarks (test/bench/native). */
__attribute__((noreturn)) void stub_main(void);

/* The kernel's linear memory at offset, checked to hold length bytes (a RANGE_OUTSIDE panic otherwise). */
uint8_t* stub_linear(uint32_t offset, uint32_t length, uint32_t pc);

/* Bytes of kernel heap in use at the end, for the measurement report (images with a heap only). */
uint32_t stub_heap_high_water(void);

#endif
