/*
 * Loader mode, between a resident bootloader (loader.c) and the images it loads (image.c): the
 * header and frames of abi/gen/anyk_loader.h, and the table of hypercalls the bootloader hands an
 * image at its entry. Both sides are this platform's C, so the table is typed here.
 */
#ifndef ANYK_LOADER_H
#define ANYK_LOADER_H

#include <stdint.h>
#include "anyk_loader.h"

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
} anyk_table_t;

typedef void (*anyk_image_entry_t)(const anyk_table_t* table);

/* The bootloader's (stub.c): whether every register window the header claims is one of the board's
   devices (its table, from the board file); and the grants of the image it starts: those devices'
   windows, and their interrupt lines from the table, never from the image. */
int stub_grants_known(const anyk_image_header_t* image);
void stub_grant(const anyk_image_header_t* image);

uint32_t anyk_crc32(const uint8_t* bytes, uint32_t length, uint32_t crc);

#endif
