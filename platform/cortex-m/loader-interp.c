/*
 * A bootloader built with the interpreter (anyk build --bootloader --engine interp) takes wasm
 * images (format IMAGE_FORMAT_WASM): the payload is a module, validated before it is installed and
 * again before it runs, in the image RAM: its linear memory first (ram_size bytes, from the header),
 * then the engine's arena in the rest. What the module may touch is the board's, not the image's:
 * stub_grant takes only whole board devices, with their interrupt lines from the bootloader's table.
 */
#include <stdint.h>
#include "anyk_board.h"
#include "interp-run.h"
#include "loader.h"
#include "loader-interp.h"

uint8_t* stub_linear_base;
uint32_t stub_linear_bytes;
static interp image_vm;

const char* loader_load_module(const anyk_image_header_t* h) {
  uint8_t* ram = (uint8_t*)ANYK_IMAGE_RAM_START;
  uint32_t memory_bytes = (h->ram_size + 7u) & ~7u;
  if (memory_bytes > ANYK_IMAGE_RAM_SIZE) return "its linear memory is larger than the image RAM";
  const uint8_t* module = (const uint8_t*)h + sizeof *h;
  /* A signed image's module ends before its signature. */
  if ((h->format & ANYK_IMAGE_SIGNED) && h->length < ANYK_IMAGE_SIGNATURE_BYTES) return "a signed image is shorter than its signature";
  uint32_t length = h->length - (h->format & ANYK_IMAGE_SIGNED ? ANYK_IMAGE_SIGNATURE_BYTES : 0u);
  return interp_load(&image_vm, module, length, ram + memory_bytes, ANYK_IMAGE_RAM_SIZE - memory_bytes, ram, h->ram_size);
}

uint32_t loader_module_fault(void) {
  return image_vm.fault_at;
}

void loader_run_module(const anyk_image_header_t* h) {
  const char* refusal = loader_load_module(h);
  if (refusal) stub_refuse_module(refusal, image_vm.fault_at);
  stub_linear_base = image_vm.memory;
  stub_linear_bytes = image_vm.memory_bytes;
  stub_run_interp(&image_vm);
}
