/* A bootloader's wasm images (loader-interp.c), for loader.c. */
#ifndef ANYK_LOADER_INTERP_H
#define ANYK_LOADER_INTERP_H

#include "anyk_loader.h"

/* Validates and instantiates the module after the header in the image RAM: 0, or the refusal. */
const char* loader_load_module(const anyk_image_header_t* h);
/* Where in the module the last refusal applies. */
uint32_t loader_module_fault(void);
/* Loads and runs it; never returns. */
__attribute__((noreturn)) void loader_run_module(const anyk_image_header_t* h);

#endif
