/* Runs anyk_board.h's ANYK_BRINGUP in order. A step sets bits under its mask (a plain write when
   the mask is all ones: task and baud registers must not be read first), or, with bit 0 of its
   address set, waits until the masked bits read back as its value: a clock that never starts is
   reported, not waited on forever. */
#include <stdint.h>
#include "anyk_board.h"
#include "bringup.h"
#include "mmio.h"
#include "report.h"

#if ANYK_BRINGUP_COUNT > 0
typedef struct {
  uint32_t address;
  uint32_t mask;
  uint32_t value;
} bringup_step_t;

static const bringup_step_t steps[ANYK_BRINGUP_COUNT] = ANYK_BRINGUP;

/* A crystal starts within milliseconds (nRF51 RM: HFXO start-up under 1 ms); this is far beyond. */
#define WAIT_POLLS 1000000u

void stub_bringup(void) {
#ifdef ANYK_IMAGE
  const bringup_step_t* step = steps + ANYK_BRINGUP_CONSOLE_STEPS;
#else
  const bringup_step_t* step = steps;
#endif
  for (; step < steps + ANYK_BRINGUP_COUNT; step++) {
    uint32_t address = step->address & ~3u;
    if (step->address & 1u) {
      uint32_t polls = WAIT_POLLS;
      while ((stub_read32(address) & step->mask) != step->value) {
        if (--polls == 0u) stub_fault_at("bring-up: the bits of register ", address, " never became ready", 0u);
      }
    } else {
      stub_write32(address, step->mask == ~0u ? step->value : (stub_read32(address) & ~step->mask) | step->value);
    }
  }
}
#else
void stub_bringup(void) {}
#endif
