/*
 * The abort hypercall: AssemblyScript's abort(message, file, line, column) as a panic report. The
 * same in a whole firmware and in a loader-mode image: it reads the kernel's strings through
 * stub_linear (kernel-host.c) and prints through report.h.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "host.h"
#include "report.h"

/* An AssemblyScript string: UTF-16LE units, byte length in the u32 before it. Printed as ASCII. */
static void put_as_string(uint32_t ptr, uint32_t pc) {
  const uint8_t* length_field = stub_linear(ptr - 4u, 4u, pc);
  uint32_t bytes = (uint32_t)length_field[0] | (uint32_t)length_field[1] << 8 | (uint32_t)length_field[2] << 16 | (uint32_t)length_field[3] << 24;
  const uint8_t* units = stub_linear(ptr, bytes, pc);
  char one[2] = {0, 0};
  for (uint32_t i = 0; i + 1u < bytes; i += 2u) {
    one[0] = (char)(units[i + 1u] == 0u && units[i] < 0x80u ? units[i] : '?');
    stub_puts(one);
  }
}

__attribute__((noinline)) void anyk_abort(uint32_t message, uint32_t file, uint32_t line, uint32_t column) {
  uint32_t pc = STUB_CALLER_PC();
  stub_puts("\npanic: abort: ");
  if (message >= 4u) put_as_string(message, pc);
  if (file >= 4u) {
    stub_puts(" at ");
    put_as_string(file, pc);
    stub_puts(":");
    stub_put_dec(line);
    stub_puts(":");
    stub_put_dec(column);
  }
  stub_panic_tail("", pc);
}
