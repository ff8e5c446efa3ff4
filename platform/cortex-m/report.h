/* What the platform prints for itself: text and numbers on the console, panic reports worded
   from abi/hypercall.json's faults, and the exit. report.c builds them on stub_puts and stub_exit,
   which every build mode provides (the console directly, or a loader-mode image through the
   bootloader's table). */
#ifndef ANYK_REPORT_H
#define ANYK_REPORT_H

#include <stdint.h>

/* Provided by each build mode. */
void stub_puts(const char* text);
void stub_putc(char c);
__attribute__((noreturn)) void stub_exit(int32_t code);

void stub_put_hex(uint32_t value);
void stub_put_dec(uint32_t value);
/* Writes value in decimal at text (11 bytes are enough) and returns the end, NUL-terminated. */
char* stub_format_dec(char* text, uint32_t value);

#if defined(ANYK_INTERP) || defined(ANYK_LOADER_INTERP)
/* interp-run.c: " (wasm function N at 0x...)" and the newline while the interpreter runs a kernel
   (returns 1), else nothing (0). */
int stub_put_kernel_location(void);
#endif

/* Prints "panic: <what>" and the program counter of the kernel code that caused it, then exits with ANYK_EXIT_PANIC. */
__attribute__((noreturn)) void stub_panic(const char* what, uint32_t pc);
/* The end of a panic report whose "panic: ..." start is already printed. */
__attribute__((noreturn)) void stub_panic_tail(const char* what, uint32_t pc);
/* A fault of one value (abi/hypercall.json): "panic: ", its first piece, the value in hex, its last
   piece, then the pc. Inlined where a fault is raised: as one shared function it cost 12 to 40 B
   more per image. */
__attribute__((always_inline, noreturn)) static inline void stub_fault_at(const char* first, uint32_t value, const char* rest, uint32_t pc) {
  stub_puts("\npanic: ");
  stub_puts(first);
  stub_put_hex(value);
  stub_panic_tail(rest, pc);
}

/* The caller's return address, as the program counter a panic report shows (Thumb bit cleared). */
#define STUB_CALLER_PC() (((uint32_t)__builtin_return_address(0) & ~1u) - 2u)

#endif
