/* The start of a kernel translated by wasm2c: its instance, instantiated, then its entry. */
#include "host.h"
#include "kernel.h"
#include "report.h"
#include "anyk_hypercall.h"

static w2c_kernel kernel_instance;

void stub_main(void) {
  wasm_rt_init();
  wasm2c_kernel_instantiate(&kernel_instance, 0);
  w2c_kernel_anyk_main(&kernel_instance);
  stub_panic(ANYK_FAULT_MAIN_RETURNED_0, 0u);
}
