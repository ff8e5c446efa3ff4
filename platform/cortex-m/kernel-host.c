/*
 * The kernel's side of the platform, in whole firmware and in loader-mode images alike, whatever
 * the engine: its linear memory as hypercalls see it, and the console hypercalls. The start is the
 * engine's (aot-main.c, interp-main.c).
 */
#include <stdint.h>
#include "anyk_board.h"
#include "anyk_hypercall.h"
#include "console.h"
#include "host.h"
#include "report.h"

#ifdef ANYK_LOADER_INTERP
/* A bootloader's wasm image: its linear memory is where the image's header put it (loader-interp.c). */
extern uint8_t* stub_linear_base;
extern uint32_t stub_linear_bytes;
#define LINEAR stub_linear_base
#define LINEAR_BYTES stub_linear_bytes
#else
/* The engine's: the linear memory is one static array of a size fixed at build time, so the check
   needs no load through an instance. */
extern uint8_t linear_memory[ANYK_LINEAR_MEMORY_BYTES];
#define LINEAR linear_memory
#define LINEAR_BYTES (uint32_t)sizeof linear_memory
#endif

uint8_t* stub_linear(uint32_t offset, uint32_t length, uint32_t pc) {
  if (offset > LINEAR_BYTES || length > LINEAR_BYTES - offset) stub_fault_at(ANYK_FAULT_RANGE_OUTSIDE_0, offset, ANYK_FAULT_RANGE_OUTSIDE_1, pc);
  return LINEAR + offset;
}

__attribute__((noinline)) void anyk_console_write(uint32_t ptr, uint32_t len) {
  stub_console_write_bytes(stub_linear(ptr, len, STUB_CALLER_PC()), len);
}

__attribute__((noinline)) int32_t anyk_console_read(uint32_t ptr, uint32_t len) {
  return stub_console_read_bytes(stub_linear(ptr, len, STUB_CALLER_PC()), len);
}
