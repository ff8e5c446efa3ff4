/*
 * Running a validated module in the interpreter and reporting how it ended, for a whole firmware
 * (interp-main.c) and for a bootloader's wasm image (loader-interp.c) alike: a trap, or anyk_main
 * returning, ends in a panic report that names the wasm function and module offset as Node's does.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "interp-run.h"
#include "report.h"

static interp* running;

static void put_hex_lower(uint32_t value) {
  char text[11] = "0x";
  int count = 0;
  uint32_t rest = value;
  do {
    count++;
    rest >>= 4;
  } while (rest != 0u);
  for (int i = count; i > 0; i--, value >>= 4) {
    uint32_t digit = value & 0xfu;
    text[1 + i] = (char)(digit < 10u ? '0' + digit : 'a' + digit - 10u);
  }
  text[2 + count] = '\0';
  stub_puts(text);
}

int stub_put_kernel_location(void) {
  if (!running) return 0;
  stub_puts(" (wasm function ");
  stub_put_dec(running->fault_func);
  stub_puts(" at ");
  put_hex_lower(running->fault_at);
  stub_puts(")\n");
  return 1;
}

void stub_refuse_module(const char* refusal, uint32_t offset) {
  stub_puts("\npanic: image: refused: ");
  stub_puts(refusal);
  stub_puts(" (module offset ");
  put_hex_lower(offset);
  stub_puts(")\n");
  stub_exit(ANYK_EXIT_PANIC);
}

void stub_run_interp(interp* vm) {
  running = vm;
  int trap = interp_run(vm);
  if (trap == INTERP_OK) stub_panic(ANYK_FAULT_MAIN_RETURNED_0, 0u);
  stub_puts("\npanic: trap: ");
  stub_panic_tail(interp_trap_text(trap), 0u);
}
