/*
 * The image side of loader mode: the header a bootloader checks, the entry it jumps to, and the
 * hypercalls of anyk_hypercall.h (and the console and exit report.c prints through) forwarded
 * through the table it hands over. The kernel itself (kernel.c, kernel-host.c, runtime.c,
 * anyk_wasm2c.c) is compiled as for a whole firmware.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "bringup.h"
#include "console.h"
#include "host.h"
#include "loader.h"
#include "report.h"

/* Symbols of the image's linker script. */
extern uint32_t anyk_data_start[], anyk_data_end[], anyk_data_load[];
extern uint32_t anyk_bss_start[], anyk_bss_end[];
extern uint8_t anyk_image_ram_start[], anyk_image_ram_end[];

void image_entry(const anyk_table_t* table);

#define GRANT_COUNT (sizeof (anyk_window_t[])ANYK_GRANTS / sizeof(anyk_window_t))
#define LINE_COUNT (sizeof (uint8_t[])ANYK_IRQ_LINES)
_Static_assert(GRANT_COUNT <= ANYK_IMAGE_MAX_GRANTS && LINE_COUNT <= ANYK_IMAGE_MAX_LINES, "an image may name at most 8 register windows and 16 interrupt lines");

/* The length and both CRCs are filled in by the host after linking (anyk build --image). */
__attribute__((section(".image_header"), used)) const anyk_image_header_t anyk_image_header = {
    .magic = ANYK_IMAGE_MAGIC,
    .format = ANYK_IMAGE_FORMAT,
    .abi_version = ANYK_ABI_VERSION,
    .board = ANYK_BOARD_NAME,
    .load_address = (uint32_t)&anyk_image_header,
    .entry = (uint32_t)image_entry,
    .ram_start = (uint32_t)anyk_image_ram_start,
    .ram_size = 0u, /* filled in by the host from the linker script's region */
    .grant_count = GRANT_COUNT,
    .grants = ANYK_GRANTS,
    .line_count = LINE_COUNT,
    .lines = ANYK_IRQ_LINES,
};

static const anyk_table_t* hypercalls;
char* anyk_image_stack_guard;

void image_entry(const anyk_table_t* table) {
  for (uint32_t *from = anyk_data_load, *to = anyk_data_start; to < anyk_data_end;) *to++ = *from++;
  for (uint32_t* word = anyk_bss_start; word < anyk_bss_end;) *word++ = 0u;
  /* After the bss is cleared: both live there. */
  hypercalls = table;
  anyk_image_stack_guard = (char*)table->stack_guard;
  /* The image's own devices (bringup.c skips the console's steps: the bootloader took them). */
  stub_bringup();
  stub_main();
}

/* ---- what report.c and kernel-host.c print and exit through ---- */

void stub_puts(const char* text) {
  hypercalls->puts(text);
}

void stub_putc(char c) {
  char text[2] = {c, '\0'};
  hypercalls->puts(text);
}

void stub_exit(int32_t code) {
  hypercalls->exit(code);
}

void stub_console_write_bytes(const uint8_t* bytes, uint32_t length) {
  hypercalls->console_write(bytes, length);
}

int32_t stub_console_read_bytes(uint8_t* bytes, uint32_t length) {
  return hypercalls->console_read(bytes, length);
}

/* ---- the hypercalls, through the bootloader's table ---- */

uint8_t anyk_mmio_read8(uint32_t addr) { return hypercalls->mmio_read8(addr); }
uint16_t anyk_mmio_read16(uint32_t addr) { return hypercalls->mmio_read16(addr); }
uint32_t anyk_mmio_read32(uint32_t addr) { return hypercalls->mmio_read32(addr); }
void anyk_mmio_write8(uint32_t addr, uint8_t value) { hypercalls->mmio_write8(addr, value); }
void anyk_mmio_write16(uint32_t addr, uint16_t value) { hypercalls->mmio_write16(addr, value); }
void anyk_mmio_write32(uint32_t addr, uint32_t value) { hypercalls->mmio_write32(addr, value); }
uint64_t anyk_clock_monotonic(void) { return hypercalls->clock_monotonic(); }
int32_t anyk_wait(uint64_t deadline) { return hypercalls->wait(deadline); }
void anyk_irq_unmask(uint32_t irq) { hypercalls->irq_unmask(irq); }
void anyk_exit(int32_t code) { hypercalls->exit(code); }
