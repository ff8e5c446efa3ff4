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

/* The engine's: the linear memory is one static array of a size fixed at build time, so the check
   needs no load through an instance. */
extern uint8_t linear_memory[ANYK_LINEAR_MEMORY_BYTES];

uint8_t* stub_linear(uint32_t offset, uint32_t length, uint32_t pc) {
  if (offset > sizeof linear_memory || length > sizeof linear_memory - offset) stub_fault_at(ANYK_FAULT_RANGE_OUTSIDE_0, offset, ANYK_FAULT_RANGE_OUTSIDE_1, pc);
  return linear_memory + offset;
}

__attribute__((noinline)) void anyk_console_write(uint32_t ptr, uint32_t len) {
  stub_console_write_bytes(stub_linear(ptr, len, STUB_CALLER_PC()), len);
}

__attribute__((noinline)) int32_t anyk_console_read(uint32_t ptr, uint32_t len) {
  return stub_console_read_bytes(stub_linear(ptr, len, STUB_CALLER_PC()), len);
}
