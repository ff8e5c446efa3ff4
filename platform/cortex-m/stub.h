/*
 * What the parts of the Cortex-M stub share: the console UART, the panic report, the exit path,
 * and the facts the build generated from the board file (anyk_board.h).
 */
#ifndef ANYK_STUB_H
#define ANYK_STUB_H

#include <stdint.h>
#include "anyk_board.h"

/* The console UART: one implementation per UART kind in console/, chosen by the board file. */
/* The clock: one implementation per source in clock/ (SysTick, or the device board.json names as
   its clock), started at reset. wake_at arranges an interrupt at a wait's deadline, with
   interrupts off; it returns 0 when the deadline is too close to sleep for, and the caller spins. */
void stub_clock_init(void);
int stub_clock_wake_at(uint64_t deadline);
/* The clock's interrupt: SysTick's vector, or the clock device's line (ANYK_CLOCK_IRQ). */
void stub_clock_handler(void);

void stub_console_init(void);
void stub_console_putc(uint8_t byte);
/* The next received byte, or -1 when none has arrived. Never blocks. */
int stub_console_getc(void);
/* Waits until every byte written has left the UART. */
void stub_console_flush(void);
/* Writes length bytes; reads up to length bytes that have arrived, returning how many. */
void stub_console_write_bytes(const uint8_t* bytes, uint32_t length);
int32_t stub_console_read_bytes(uint8_t* bytes, uint32_t length);

void stub_puts(const char* text);
void stub_put_hex(uint32_t value);
void stub_put_dec(uint32_t value);

/* Prints "panic: <what>" and the program counter of the kernel code that caused it, then exits with ANYK_EXIT_PANIC. */
__attribute__((noreturn)) void stub_panic(const char* what, uint32_t pc);
/* The end of a panic report whose "panic: ..." start is already printed. */
__attribute__((noreturn)) void stub_panic_tail(const char* what, uint32_t pc);
/* Same, with an address to name ("... 0xE00FF000 ..."): prints what, the address, then rest. */
__attribute__((noreturn)) void stub_panic_at(const char* what, uint32_t address, const char* rest, uint32_t pc);
__attribute__((noreturn)) void stub_exit(int32_t code);

#ifdef ANYK_LOADER
struct anyk_image_header;
/* Loader mode: the bootloader's protocol loop (loader.c), and the grants of the image it starts. */
__attribute__((noreturn)) void loader_main(void);
void stub_grant(const struct anyk_image_header* image);
#endif

#ifdef ANYK_NATIVE
/* Native C in place of a kernel (the benchmarks' baselines): called once after reset. */
void native_main(void);
#endif

/* Bytes of kernel heap in use at the end, for the measurement report (images with a heap only). */
uint32_t stub_heap_high_water(void);

/* The kernel's linear memory: translating and checking the offsets hypercalls receive. */
uint8_t* stub_linear(uint32_t offset, uint32_t length, uint32_t pc);

/* The caller's return address, as the program counter a panic report shows (Thumb bit cleared). */
#define STUB_CALLER_PC() (((uint32_t)__builtin_return_address(0) & ~1u) - 2u)

static inline uint32_t stub_read32(uint32_t address) {
  return *(volatile uint32_t*)address;
}
static inline void stub_write32(uint32_t address, uint32_t value) {
  *(volatile uint32_t*)address = value;
}

#endif
