/* Runs anyk_board.h's ANYK_BRINGUP in order, each step expanded in place: a SET sets bits under its
   mask (a plain write when the mask is all ones: task and baud registers must not be read first);
   a WAIT polls until the masked bits read back as its value, and a clock that never starts is
   reported, not waited on forever; a DELAY spins for a crystal that has no ready flag. Expanded code, not a table walked by a loop: 40 to 60 B less. */
#include <stdint.h>
#include "anyk_board.h"
#include "bringup.h"
#include "mmio.h"
#include "report.h"

/* A crystal starts within a millisecond (nRF51 RM 13.1: HFXO start-up); this is far beyond. */
#define WAIT_POLLS 1000000u

__attribute__((always_inline)) static inline void bringup_SET(uint32_t address, uint32_t mask, uint32_t value) {
  stub_write32(address, mask == ~0u ? value : (stub_read32(address) & ~mask) | value);
}

/* value loop iterations, about three cycles each: time for a crystal without a ready flag. */
__attribute__((always_inline)) static inline void bringup_DELAY(uint32_t address, uint32_t mask, uint32_t value) {
  (void)address;
  (void)mask;
  for (uint32_t n = value; n != 0u; n--) __asm__ volatile("");
}

__attribute__((unused)) static void bringup_WAIT(uint32_t address, uint32_t mask, uint32_t value) {
  for (uint32_t polls = WAIT_POLLS; (stub_read32(address) & mask) != value;) {
    if (--polls == 0u) stub_fault_at("bring-up: register ", address, " not ready", 0u);
  }
}

/* A loader-mode image finds the chip's clock and its console brought up by the bootloader. */
#ifdef ANYK_IMAGE
#define FIRST_STEP ANYK_BRINGUP_CONSOLE_STEPS
#else
#define FIRST_STEP 0u
#endif

#define ANYK_STEP(index, kind, address, mask, value) \
  if ((index) >= FIRST_STEP) bringup_##kind(address, mask, value);

void stub_bringup(void) {
  ANYK_BRINGUP
}
