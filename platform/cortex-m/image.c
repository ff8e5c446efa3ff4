/*
 * The image side of loader mode: the header a bootloader checks, the entry it jumps to, and the
 * hypercalls of anyk_hypercall.h (and the stub functions runtime.c uses) forwarded through the
 * table it hands over. The kernel itself (kernel.c, runtime.c, anyk_wasm2c.c) is compiled as for
 * a whole firmware.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "kernel.h"
#include "loader_abi.h"
#include "stub.h"

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
static w2c_kernel kernel_instance;

void image_entry(const anyk_table_t* table) {
  for (uint32_t *from = anyk_data_load, *to = anyk_data_start; to < anyk_data_end;) *to++ = *from++;
  for (uint32_t* word = anyk_bss_start; word < anyk_bss_end;) *word++ = 0u;
  /* After the bss is cleared: both live there. */
  hypercalls = table;
  anyk_image_stack_guard = (char*)table->stack_guard;
  wasm_rt_init();
  wasm2c_kernel_instantiate(&kernel_instance, 0);
  w2c_kernel_anyk_main(&kernel_instance);
  stub_panic("kernel: anyk_main returned without exit", 0u);
}

/* ---- what runtime.c and the hypercall glue call ---- */

void stub_puts(const char* text) {
  hypercalls->puts(text);
}

void stub_put_hex(uint32_t value) {
  char text[11] = "0x";
  for (int i = 0; i < 8; i++) {
    uint32_t digit = (value >> (28 - 4 * i)) & 0xfu;
    text[2 + i] = (char)(digit < 10u ? '0' + digit : 'A' + digit - 10u);
  }
  text[10] = '\0';
  stub_puts(text);
}

void stub_put_dec(uint32_t value) {
  char text[11];
  int at = 10;
  text[at] = '\0';
  do {
    text[--at] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0u);
  stub_puts(text + at);
}

void stub_exit(int32_t code) {
  hypercalls->exit(code);
}

void stub_panic_tail(const char* what, uint32_t pc) {
  hypercalls->panic_tail(what, pc);
}

void stub_panic(const char* what, uint32_t pc) {
  stub_puts("\npanic: ");
  stub_panic_tail(what, pc);
}

void stub_panic_at(const char* what, uint32_t address, const char* rest, uint32_t pc) {
  stub_puts("\npanic: ");
  stub_puts(what);
  stub_put_hex(address);
  stub_panic_tail(rest, pc);
}

uint8_t* stub_linear(uint32_t offset, uint32_t length, uint32_t pc) {
  wasm_rt_memory_t* memory = &kernel_instance.w2c_memory;
  if ((uint64_t)offset + length > memory->size) stub_panic_at("hypercall: range at ", offset, " outside linear memory", pc);
  return memory->data + offset;
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

__attribute__((noinline)) void anyk_console_write(uint32_t ptr, uint32_t len) {
  hypercalls->console_write(stub_linear(ptr, len, STUB_CALLER_PC()), len);
}

__attribute__((noinline)) int32_t anyk_console_read(uint32_t ptr, uint32_t len) {
  return hypercalls->console_read(stub_linear(ptr, len, STUB_CALLER_PC()), len);
}
