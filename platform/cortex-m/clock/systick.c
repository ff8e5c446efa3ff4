/* The monotonic clock and wake-ups on the core's SysTick (boards whose board.json names no clock
   device), tickless: SysTick runs long periods (1/16 s, one
   interrupt per wrap) and the clock reads the counter in between; a wait whose deadline comes
   sooner restarts the counter to end a short period there. Few interrupts matter in QEMU too: with
   a 1 ms tick, an idle guest lost about 1 tick in 100.

   A period runs from the counter's 0 (after a restart or a wrap) through its reload value R down
   to the next 0: R + 1 counts. The interrupt comes at that 0. The reload value changes only with a
   restart (writing the counter), never at a wrap, so each period's length is known. A restart
   loses the few cycles between reading the counter and writing it. */
#include "../clock.h"

#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SCB_ICSR 0xE000ED04u
#define ICSR_PENDSTSET (1u << 26)
#define CSR_ENABLE_TICKINT_CPUCLK 7u

/* 16 Hz divides every board's clock, and its period fits the 24-bit counter up to 268 MHz. */
#define LONG_RELOAD (ANYK_CPU_HZ / 16u - 1u)
_Static_assert(ANYK_CPU_HZ % 16u == 0u && LONG_RELOAD <= 0xFFFFFFu, "SysTick: the board clock must divide into 1/16 s periods of at most 2^24 counts");
/* A shorter wake-up than this (in counts) is not worth a restart: the wait loop spins instead of sleeping. */
#define SHORTEST_RELOAD 64u
/* Nanoseconds per count in 16.16 fixed point, and counts per nanosecond in 0.32. */
#define NS_PER_COUNT_Q16 ((uint32_t)(((1000000000ull << 16) + ANYK_CPU_HZ / 2u) / ANYK_CPU_HZ))
#define COUNTS_PER_NS_Q32 ((uint32_t)(((uint64_t)ANYK_CPU_HZ << 32) / 1000000000ull))

#define LONG_PERIOD_NS 62500000u

/* When the current period began (ns), and its reload value. */
static volatile uint64_t period_start_ns;
static volatile uint32_t period_reload = LONG_RELOAD;

static uint64_t counts_to_ns(uint32_t counts) {
  return ((uint64_t)counts * NS_PER_COUNT_Q16) >> 16;
}

static uint32_t wrap_pending(void) {
  return stub_read32(SCB_ICSR) & ICSR_PENDSTSET;
}

/* The time now; with interrupts off or in the SysTick handler, also the counts into the period. */
static uint64_t now_ns(void) {
  uint64_t start;
  uint32_t reload, value, before, after;
  do {
    start = period_start_ns;
    reload = period_reload;
    before = wrap_pending();
    value = stub_read32(SYST_CVR);
    after = wrap_pending();
  } while (start != period_start_ns || before != after);
  /* A wrap whose interrupt has not run yet (interrupts off, or not taken yet) ended the period. */
  if (after) start += counts_to_ns(reload + 1u);
  return start + (value == 0u ? 0u : counts_to_ns(reload + 1u - value));
}

/* Starts a period of reload + 1 counts now; interrupts off or in the SysTick handler. */
static void restart(uint64_t now, uint32_t reload) {
  period_start_ns = now;
  period_reload = reload;
  stub_write32(SYST_RVR, reload);
  stub_write32(SYST_CVR, 0u);
  stub_write32(SCB_ICSR, 1u << 25); /* PENDSTCLR: a wrap just before the restart is counted in now */
}

void stub_clock_init(void) {
  restart(0u, LONG_RELOAD);
  stub_write32(SYST_CSR, CSR_ENABLE_TICKINT_CPUCLK);
}

void stub_clock_handler(void) {
  uint32_t reload = period_reload;
  if (reload == LONG_RELOAD) {
    period_start_ns += LONG_PERIOD_NS;
    return;
  }
  /* A short period (a wait's wake-up) ended: long ones again, from where the counter is now. */
  uint64_t start = period_start_ns + counts_to_ns(reload + 1u);
  uint32_t value = stub_read32(SYST_CVR);
  restart(start + (value == 0u ? 0u : counts_to_ns(reload + 1u - value)), LONG_RELOAD);
}

uint64_t anyk_clock_monotonic(void) {
  return now_ns();
}

/* With interrupts off: ends the current period at `deadline` (ns) when that comes before its end,
   so that WFI wakes then. 0 when the deadline is too close to sleep for: the caller spins. */
int stub_clock_wake_at(uint64_t deadline) {
  uint64_t now = now_ns();
  if (deadline <= now) return 0; /* already due: no sleep */
  if (wrap_pending()) return 1; /* WFI wakes at once for the pending wrap */
  uint64_t left_ns = deadline - now;
  uint32_t value = stub_read32(SYST_CVR);
  uint32_t counts_left = value == 0u ? period_reload + 1u : value;
  if (left_ns >= counts_to_ns(counts_left)) return 1; /* the period ends first */
  /* Round up, so the wake-up never comes before the deadline; left_ns < 1/16 s fits 32 bits. */
  uint32_t reload = (uint32_t)(((uint64_t)(uint32_t)left_ns * COUNTS_PER_NS_Q32) >> 32) + 1u;
  if (reload < SHORTEST_RELOAD) return 0;
  restart(now, reload);
  return 1;
}
