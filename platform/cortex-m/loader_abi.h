/*
 * Loader mode: what a resident bootloader and the images it loads share. An image starts with
 * anyk_image_header_t (the host fills in the length and the two CRC-32s after linking) and is
 * entered at `entry` with the bootloader's hypercall table. scripts/lib/loader/image-format.ts
 * reads and writes the same layout; a test checks that they agree.
 */
#ifndef ANYK_LOADER_ABI_H
#define ANYK_LOADER_ABI_H

#include <stdint.h>

#define ANYK_IMAGE_MAGIC 0x4B594E41u /* "ANYK" in memory order */
#define ANYK_IMAGE_FORMAT 1u
#define ANYK_IMAGE_MAX_GRANTS 8u
#define ANYK_IMAGE_MAX_LINES 16u
#define ANYK_IMAGE_BOARD_CHARS 24u

typedef struct {
  uint32_t base;
  uint32_t size;
} anyk_window_t;

typedef struct anyk_image_header {
  uint32_t magic;
  uint32_t format;
  uint32_t abi_version;
  char board[ANYK_IMAGE_BOARD_CHARS]; /* NUL-padded */
  uint32_t load_address;              /* where the image is linked: the board's slot */
  uint32_t length;                    /* bytes after the header */
  uint32_t entry;                     /* image_entry, Thumb bit set */
  uint32_t ram_start;                 /* the RAM the image's data, bss and linear memory take */
  uint32_t ram_size;
  uint32_t grant_count;
  anyk_window_t grants[ANYK_IMAGE_MAX_GRANTS];
  uint32_t line_count;
  uint8_t lines[ANYK_IMAGE_MAX_LINES];
  uint32_t payload_crc; /* CRC-32 (IEEE) of the `length` bytes after the header */
  uint32_t header_crc;  /* CRC-32 of the header's bytes before this field */
} anyk_image_header_t;

_Static_assert(sizeof(anyk_image_header_t) == 152, "the image header's layout is fixed: image-format.ts reads it");

/* The hypercalls, as the bootloader hands them to an image; pointers are the image's own memory. */
typedef struct {
  uint32_t abi_version;
  /* Below this stack address the image's calls trap as stack exhaustion (the bootloader's guard line). */
  uintptr_t stack_guard;
  uint8_t (*mmio_read8)(uint32_t address);
  uint16_t (*mmio_read16)(uint32_t address);
  uint32_t (*mmio_read32)(uint32_t address);
  void (*mmio_write8)(uint32_t address, uint8_t value);
  void (*mmio_write16)(uint32_t address, uint16_t value);
  void (*mmio_write32)(uint32_t address, uint32_t value);
  uint64_t (*clock_monotonic)(void);
  int32_t (*wait)(uint64_t deadline);
  void (*irq_unmask)(uint32_t line);
  void (*console_write)(const uint8_t* bytes, uint32_t length);
  int32_t (*console_read)(uint8_t* bytes, uint32_t length);
  void (*exit)(int32_t code) __attribute__((noreturn));
  /* Prints text on the console, as the stub's own messages. */
  void (*puts)(const char* text);
  /* The end of a panic report: prints what and the pc, then exits with ANYK_EXIT_PANIC. */
  void (*panic_tail)(const char* what, uint32_t pc) __attribute__((noreturn));
} anyk_table_t;

typedef void (*anyk_image_entry_t)(const anyk_table_t* table);

uint32_t anyk_crc32(const uint8_t* bytes, uint32_t length, uint32_t crc);

#endif
