/* The interpreter's run and its reports on a board (interp-run.c). */
#ifndef ANYK_INTERP_RUN_H
#define ANYK_INTERP_RUN_H

#include <stdint.h>
#include "interp.h"

/* Runs the loaded module; never returns: the kernel exits through a hypercall, or this reports why it ended. */
__attribute__((noreturn)) void stub_run_interp(interp* vm);

/* "panic: image: refused: <why> (module offset 0x...)", then the panic exit. */
__attribute__((noreturn)) void stub_refuse_module(const char* refusal, uint32_t offset);

#endif
