/*
 * The kernel's side of the platform, in whole firmware and in loader-mode images alike: the
 * wasm2c instance, its linear memory as hypercalls see it, the console hypercalls, and the start.
 */
#include <stdint.h>
#include "anyk_board.h"
#include "anyk_hypercall.h"
#include "console.h"
#include "host.h"
#include "kernel.h"
#include "report.h"

static w2c_kernel kernel_instance;

/* runtime.c's: the linear memory is one static array of a size fixed at build time, so the check
   needs no load through the instance. */
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

void stub_main(void) {
  wasm_rt_init();
  wasm2c_kernel_instantiate(&kernel_instance, 0);
  w2c_kernel_anyk_main(&kernel_instance);
  stub_panic(ANYK_FAULT_MAIN_RETURNED_0, 0u);
}
