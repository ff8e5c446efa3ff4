/*
 * The Cortex-M stub: reset, vector table, RAM set-up, stack painting, the hypercalls of
 * abi/gen/anyk_hypercall.h that touch the machine (MMIO, interrupts, wait, exit), exit through
 * semihosting, and fault reports. Everything board-specific comes from anyk_board.h, which the
 * build generates from the board file. What runs after reset is the mode's stub_main (host.h).
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "bringup.h"
#include "clock.h"
#include "console.h"
#include "host.h"
#include "report.h"
#ifdef ANYK_LOADER
/* A resident bootloader: its images come later, with their own grants. */
#include "loader.h"
#endif

/* Symbols of the generated linker script. */
extern uint32_t anyk_data_start[], anyk_data_end[], anyk_data_load[];
extern uint32_t anyk_bss_start[], anyk_bss_end[];
extern uint32_t anyk_stack_bottom[], anyk_stack_top[];

#define STACK_PAINT 0xA5A5A5A5u

/* System registers the stub itself uses (not granted to the kernel). */
#define NVIC_ISER 0xE000E100u
#define NVIC_ICER 0xE000E180u
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_MMFAR 0xE000ED34u
#define SCB_BFAR 0xE000ED38u

static volatile uint32_t pending_lines[(ANYK_IRQ_COUNT + 31) / 32 + 1];

/* ---- console output for the stub's own messages ---- */

void stub_putc(char c) {
  stub_console_putc((uint8_t)c);
}

void stub_puts(const char* text) {
  while (*text) stub_console_putc((uint8_t)*text++);
}

/* ---- ending: exit, panic, faults ---- */

static int semihost(int operation, const void* argument) {
  register int r0 __asm__("r0") = operation;
  register const void* r1 __asm__("r1") = argument;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/* The deepest the stack has been: the painted words never written are still the pattern. */
static uint32_t stack_high_water(void) {
  const uint32_t* word = anyk_stack_bottom;
  while (word < anyk_stack_top && *word == STACK_PAINT) word++;
  return (uint32_t)((uintptr_t)anyk_stack_top - (uintptr_t)word);
}

/* Measurements go to the host through semihosting, beside (not into) the console, one line each:
   "anyk: <name> <decimal>". A macro, so that an image with one measurement pays for no loop. */
#define REPORT_MEASUREMENT(name, value)                                \
  do {                                                                 \
    static const char label[] = "anyk: " name " ";                    \
    char line[sizeof label + 12];                                      \
    __builtin_memcpy(line, label, sizeof label);                       \
    char* end = stub_format_dec(line + sizeof label - 1, (value));          \
    end[0] = '\n';                                                     \
    end[1] = '\0';                                                     \
    semihost(SYS_WRITE0, line);                                        \
  } while (0)

static void report_measurements(void) {
  REPORT_MEASUREMENT("stack-high-water", stack_high_water());
#if ANYK_HEAP_CAP > 0 && ANYK_HEAP_BUMPS
  REPORT_MEASUREMENT("heap-high-water", stub_heap_high_water());
#endif
}

void stub_exit(int32_t code) {
  stub_console_flush();
  report_measurements();
  uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
  semihost(SYS_EXIT_EXTENDED, block);
  /* Without a debugger or emulator to take the exit there is nothing left to do but sleep. */
  for (;;) __asm__ volatile("wfi");
}

/* Called by the fault handlers with the exception frame the CPU pushed. */
__attribute__((used, noreturn)) void stub_fault_report(const uint32_t* frame) {
  stub_puts("\npanic: hardfault");
#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__)
  /* The fault status says which fault it was (the ARMv7-M manual decodes it). */
  stub_puts(": cfsr ");
  stub_put_hex(stub_read32(SCB_CFSR));
#endif
  stub_panic_tail("", frame[6]);
}

__attribute__((naked)) void stub_fault_handler(void) {
  __asm__ volatile(
      "mrs r0, msp\n"
      /* BL, not B: Thumb-1's B reaches only 2 KiB, and stub_fault_report never returns. */
      "bl stub_fault_report\n");
}

/* ---- interrupts ---- */

static uint32_t current_exception(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  return ipsr & 0x1ffu;
}

/* Every device interrupt: mask the line and mark it pending; the kernel services it from wait. */
void stub_irq_handler(void) {
  uint32_t line = current_exception() - 16u;
  stub_write32(NVIC_ICER + 4u * (line / 32u), 1u << (line % 32u));
  pending_lines[line / 32u] |= 1u << (line % 32u);
}

#ifdef ANYK_LOADER
/* The loaded image's lines and windows, from its header (stub_grant). */
static uint8_t owned_lines[ANYK_IMAGE_MAX_LINES];
static uint32_t owned_count;
#else
static const uint8_t owned_lines[] = ANYK_IRQ_LINES;
#define owned_count (sizeof owned_lines)
#endif
static uint32_t unmasked_lines;

__attribute__((noinline)) void anyk_irq_unmask(uint32_t irq) {
  for (uint32_t i = 0; i < owned_count; i++) {
    if (owned_lines[i] == irq && irq < 240u) {
      unmasked_lines++;
      stub_write32(NVIC_ISER + 4u * (irq / 32u), 1u << (irq % 32u));
      return;
    }
  }
  stub_fault_at(ANYK_FAULT_IRQ_REFUSED_0, irq, ANYK_FAULT_IRQ_REFUSED_1, STUB_CALLER_PC());
}

/* ---- time ---- */

/* The lowest set bit of a nonzero word. ARMv6-M (Cortex-M0) has no instruction for it, and
   libgcc's __ctzsi2 costs 64 B there; a shift loop is smaller. */
static uint32_t lowest_bit(uint32_t bits) {
#if __ARM_ARCH >= 7
  return (uint32_t)__builtin_ctz(bits);
#else
  uint32_t bit = 0u;
  for (; (bits & 1u) == 0u; bits >>= 1) bit++;
  return bit;
#endif
}

static int take_pending_line(void) {
  for (uint32_t word = 0; word < sizeof pending_lines / sizeof pending_lines[0]; word++) {
    uint32_t bits = pending_lines[word];
    if (bits != 0u) {
      uint32_t bit = lowest_bit(bits);
      pending_lines[word] = bits & ~(1u << bit);
      return (int)(word * 32u + bit);
    }
  }
  return -1;
}

__attribute__((noinline)) int32_t anyk_wait(uint64_t deadline) {
  if (deadline == ANYK_DEADLINE_NEVER && unmasked_lines == 0u) {
    stub_panic(ANYK_FAULT_WAIT_FOREVER_0, STUB_CALLER_PC());
  }
  for (;;) {
    /* Interrupts off between the check and WFI, so a wake-up cannot slip in between; WFI still wakes on it. */
    __asm__ volatile("cpsid i" ::: "memory");
    int line = take_pending_line();
    if (line >= 0 || anyk_clock_monotonic() >= deadline) {
      __asm__ volatile("cpsie i" ::: "memory");
      return line;
    }
    if (stub_clock_wake_at(deadline)) __asm__ volatile("wfi" ::: "memory");
    __asm__ volatile("cpsie i" ::: "memory");
  }
}

/* ---- console ---- */

void stub_console_write_bytes(const uint8_t* bytes, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) stub_console_putc(bytes[i]);
}

int32_t stub_console_read_bytes(uint8_t* bytes, uint32_t length) {
  uint32_t count = 0;
  while (count < length) {
    int byte = stub_console_getc();
    if (byte < 0) break;
    bytes[count++] = (uint8_t)byte;
  }
  return (int32_t)count;
}

/* ---- MMIO, limited to the register windows granted to the image ---- */

typedef struct {
  uint32_t base;
  uint32_t size;
} window_t;

#ifdef ANYK_LOADER
static window_t grants[ANYK_IMAGE_MAX_GRANTS];
static uint32_t grant_count;

/* The board's devices an image may be granted: window and up to two interrupt lines (255: none). */
typedef struct {
  uint32_t base, size;
  uint8_t lines[2];
} board_device_t;
static const board_device_t board_devices[] = ANYK_BOARD_DEVICES;

static const board_device_t* board_device(uint32_t base, uint32_t size) {
  for (uint32_t d = 0; d < sizeof board_devices / sizeof board_devices[0]; d++) {
    if (board_devices[d].base == base && board_devices[d].size == size && size != 0u) return &board_devices[d];
  }
  return 0;
}

/* An image without grants names one empty window (image.c's placeholder): it grants nothing. */
int stub_grants_known(const anyk_image_header_t* image) {
  for (uint32_t i = 0; i < image->grant_count && i < ANYK_IMAGE_MAX_GRANTS; i++) {
    if (image->grants[i].size != 0u && !board_device(image->grants[i].base, image->grants[i].size)) return 0;
  }
  return 1;
}

void stub_grant(const anyk_image_header_t* image) {
  grant_count = 0;
  owned_count = 0;
  for (uint32_t i = 0; i < image->grant_count; i++) {
    const board_device_t* d = board_device(image->grants[i].base, image->grants[i].size);
    if (!d) continue;
    grants[grant_count++] = (window_t){d->base, d->size};
    for (uint32_t k = 0; k < 2u; k++) {
      if (d->lines[k] != 255u && owned_count < ANYK_IMAGE_MAX_LINES) owned_lines[owned_count++] = d->lines[k];
    }
  }
}
#else
static const window_t grants[] = ANYK_GRANTS;
#define grant_count (sizeof grants / sizeof grants[0])
#endif

/* Whether an access of 2^shift bytes at address lies inside window w and is aligned. Windows are
   whole words (the board file is checked for it), so one mask-and-compare or one rotate-and-compare
   tests range and alignment together. The windows are constants in a whole firmware, so the choice
   between the two folds away; a bootloader learns its image's windows at run time and keeps only
   the general test. */
static inline __attribute__((always_inline)) int in_window(uint32_t address, uint32_t shift, window_t w) {
#ifndef ANYK_LOADER
  /* (The size test also keeps out the empty placeholder window of an image with no grants.) */
  if (w.size != 0u && (w.size & (w.size - 1u)) == 0u && (w.base & (w.size - 1u)) == 0u) {
    /* A naturally aligned power-of-two window: clear the offset's bits except the misaligned
       ones, and what is left must be the base. */
    return (address & (~(w.size - 1u) | ((1u << shift) - 1u))) == w.base;
  }
#endif
  /* Otherwise rotate the offset right by shift: a misaligned offset becomes huge and fails the
     same unsigned compare as one past the end. */
  uint32_t offset = address - w.base;
  uint32_t rotated = shift == 0u ? offset : (offset >> shift) | (offset << (32u - shift));
  return rotated < (w.size >> shift);
}

static inline __attribute__((always_inline)) int granted(uint32_t address, uint32_t shift) {
  for (uint32_t i = 0; i < grant_count; i++) {
    if (in_window(address, shift, grants[i])) return 1;
  }
  return 0;
}

/* The refusal, out of line and cold: the checks inline into the kernel's functions, so the return
   address here is the kernel code that made the access, as the panic report wants. */
__attribute__((noinline, noreturn, cold)) static void mmio_refused(const char* access, uint32_t address) {
  uint32_t pc = STUB_CALLER_PC();
  stub_puts("\npanic: " ANYK_FAULT_MMIO_REFUSED_0);
  stub_puts(access);
  stub_puts(ANYK_FAULT_MMIO_REFUSED_1);
  stub_put_hex(address);
  stub_panic_tail(ANYK_FAULT_MMIO_REFUSED_2, pc);
}

#if !defined(ANYK_LOADER) && !defined(ANYK_INTERP) && !defined(ANYK_NATIVE)
/* The bus access itself, in assembly. A volatile C access may write anything, so GCC reloads every
   value of linear memory after it, a driver's device base included, and checks the grant again
   each time. Here the register is a memory input: GCC takes the statement to read memory it cannot
   tell from linear memory, so every earlier store happens first (a device may read RAM), and to
   write none, so a base and its grant check stay in registers, out of a loop. That is true: grants
   are device windows, never RAM (boards.ts refuses a device over a memory). The accesses keep
   their order among themselves and against calls and other volatile statements. As a memory
   operand, the register takes a constant offset into the instruction. */
/* Thumb-1 (ARMv6-M) loads and stores take the low registers only. */
#ifdef __thumb2__
#define BUS_REGISTER "r"
#else
#define BUS_REGISTER "l"
#endif
#define BUS_READ(bits, insn, addr)                                                               \
  ({                                                                                             \
    uint32_t value_;                                                                             \
    __asm__ volatile(insn " %0, %1" : "=" BUS_REGISTER(value_) : "m"(*(const uint##bits##_t*)(addr))); \
    (uint##bits##_t)value_;                                                                      \
  })
#define BUS_WRITE(bits, insn, addr, value) \
  __asm__ volatile(insn " %1, %0" : : "m"(*(const uint##bits##_t*)(addr)), BUS_REGISTER((uint32_t)(value)))
#else
/* A bootloader's images reach these through a table of pointers, and the interpreter through its
   host functions, which no loop of the kernel's inlines: plain volatile accesses. */
#define BUS_READ(bits, insn, addr) (*(volatile uint##bits##_t*)(addr))
#define BUS_WRITE(bits, insn, addr, value) (*(volatile uint##bits##_t*)(addr) = (value))
#endif

/* Each access is inlined where the kernel makes it (link-time optimisation across kernel.c and
   the stub): a compare and a branch beside the bus access, no call. */
#define MMIO_READ(bits, shift, insn)                                                   \
  __attribute__((always_inline)) inline uint##bits##_t anyk_mmio_read##bits(uint32_t addr) { \
    if (!granted(addr, shift)) mmio_refused("mmio_read" #bits, addr);                  \
    return BUS_READ(bits, insn, addr);                                                 \
  }
#define MMIO_WRITE(bits, shift, insn)                                                              \
  __attribute__((always_inline)) inline void anyk_mmio_write##bits(uint32_t addr, uint##bits##_t value) { \
    if (!granted(addr, shift)) mmio_refused("mmio_write" #bits, addr);                             \
    BUS_WRITE(bits, insn, addr, value);                                                                  \
  }
MMIO_READ(8, 0u, "ldrb")
MMIO_READ(16, 1u, "ldrh")
MMIO_READ(32, 2u, "ldr")
MMIO_WRITE(8, 0u, "strb")
MMIO_WRITE(16, 1u, "strh")
MMIO_WRITE(32, 2u, "str")

/* ---- the end of the kernel ---- */

void anyk_exit(int32_t code) {
  stub_exit(code);
}

/* ---- reset ---- */

__attribute__((noreturn)) void stub_reset(void) {
  for (uint32_t *from = anyk_data_load, *to = anyk_data_start; to < anyk_data_end;) *to++ = *from++;
  for (uint32_t* word = anyk_bss_start; word < anyk_bss_end;) *word++ = 0u;
  /* Paint the stack below this function's own frame, for the high-water mark. */
  uint32_t* here = (uint32_t*)__builtin_frame_address(0) - 16;
  for (uint32_t* word = anyk_stack_bottom; word < here;) *word++ = STACK_PAINT;

  stub_bringup();
  stub_console_init();
#if ANYK_CLOCK
  stub_clock_init();
#endif

  stub_main();
}

/* ---- the vector table ---- */

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + ANYK_IRQ_COUNT] = {
    [0] = (vector_t)(uintptr_t)anyk_stack_top,
    [1] = stub_reset,
    [2] = stub_fault_handler, /* NMI */
    [3] = stub_fault_handler, /* HardFault */
    [4] = stub_fault_handler, /* MemManage */
    [5] = stub_fault_handler, /* BusFault */
    [6] = stub_fault_handler, /* UsageFault */
    [11] = stub_fault_handler, /* SVCall: the kernel never makes one */
    [14] = stub_fault_handler, /* PendSV: likewise */
#if ANYK_CLOCK && !defined(ANYK_CLOCK_IRQ)
    [15] = stub_clock_handler,
#else
    [15] = stub_fault_handler, /* SysTick: not the clock, or never started for an image that neither reads time nor waits */
#endif
#if ANYK_IRQ_COUNT > 0
    [16 ... 16 + ANYK_IRQ_COUNT - 1] = stub_irq_handler,
#endif
#if ANYK_CLOCK && defined(ANYK_CLOCK_IRQ)
    /* Overrides its entry in the range above: the clock device's line is the stub's, never the kernel's. */
    [16 + ANYK_CLOCK_IRQ] = stub_clock_handler,
#endif
};
