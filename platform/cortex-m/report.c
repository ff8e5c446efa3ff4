/*
 * Numbers and panic reports, the same in every build mode: they print through stub_puts and end
 * through stub_exit, which the mode provides (stub.c on the console, image.c through the
 * bootloader's table). Fault texts come from abi/hypercall.json, so Node words them alike.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "report.h"

void stub_put_hex(uint32_t value) {
  stub_puts("0x");
  for (int shift = 28; shift >= 0; shift -= 4) {
    uint32_t digit = (value >> shift) & 0xfu;
    stub_putc((char)(digit < 10u ? '0' + digit : 'A' + digit - 10u));
  }
}

char* stub_format_dec(char* text, uint32_t value) {
  char digits[10];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0u);
  while (count > 0) *text++ = digits[--count];
  *text = '\0';
  return text;
}

void stub_put_dec(uint32_t value) {
  char text[11];
  stub_format_dec(text, value);
  stub_puts(text);
}

void stub_panic(const char* what, uint32_t pc) {
  stub_puts("\npanic: ");
  stub_panic_tail(what, pc);
}

void stub_panic_tail(const char* what, uint32_t pc) {
  stub_puts(what);
#if defined(ANYK_INTERP) || defined(ANYK_LOADER_INTERP)
  /* The stub's program counter says nothing under the interpreter: the module's offset does. */
  if (stub_put_kernel_location()) stub_exit(ANYK_EXIT_PANIC);
#endif
  stub_puts(" (pc ");
  stub_put_hex(pc);
  stub_puts(")\n");
  stub_exit(ANYK_EXIT_PANIC);
}
