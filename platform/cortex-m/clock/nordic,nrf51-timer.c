/* The monotonic clock and wake-ups on an nRF51 TIMER (the device board.json names as its timebase):
   the nRF51 has no SysTick. The timer counts microseconds (16 MHz / 2^4) in 32 bits and runs
   freely; the clock is that count plus the wraps seen, 2^32 us each (about 71 minutes).

   CC[0] = 0 marks each wrap (its COMPARE event), CC[1] is a wait's wake-up, and CC[2] receives
   the captures that read the counter. The stub owns the device and its line: the kernel is never
   granted either. */
#include "../clock.h"

#define TIMER(offset) (ANYK_CLOCK_BASE + (offset))
#define TASKS_START TIMER(0x000u)
#define TASKS_CLEAR TIMER(0x00Cu)
#define TASKS_CAPTURE2 TIMER(0x048u)
#define EVENTS_WRAP TIMER(0x140u)   /* EVENTS_COMPARE[0] */
#define EVENTS_WAKE TIMER(0x144u)   /* EVENTS_COMPARE[1] */
#define INTENSET TIMER(0x304u)
#define MODE TIMER(0x504u)
#define BITMODE TIMER(0x508u)
#define PRESCALER TIMER(0x510u)
#define CC_WRAP TIMER(0x540u)
#define CC_WAKE TIMER(0x544u)
#define CC_CAPTURE TIMER(0x548u)
#define NVIC_ISER 0xE000E100u

/* The counter's width: 32 bits; tests build with 16 to see the clock wrap every 65.5 ms. */
#ifndef ANYK_TIMEBASE_BITS
#define ANYK_TIMEBASE_BITS 32
#endif
_Static_assert(ANYK_TIMEBASE_BITS == 32 || ANYK_TIMEBASE_BITS == 16, "nRF51 TIMER clock: ANYK_TIMEBASE_BITS must be 16 or 32");
#define BITMODE_VALUE (ANYK_TIMEBASE_BITS == 32 ? 3u : 0u)
#define COUNTER_MASK ((uint32_t)((1ull << ANYK_TIMEBASE_BITS) - 1u))
#define PRESCALER_1MHZ 4u
#define INTEN_COMPARE0_1 ((1u << 16) | (1u << 17))
#define NS_PER_TICK 1000u
/* A wake-up sooner than this (us) is not worth an interrupt: the wait loop spins instead. */
#define SHORTEST_WAKE_TICKS 2u
/* The farthest wake-up armed at once (us): a longer wait wakes after 4 s and arms again. */
#define LONGEST_WAKE_TICKS (ANYK_TIMEBASE_BITS == 32 ? 4000000u : COUNTER_MASK / 2u)
_Static_assert(ANYK_CPU_HZ == 16000000u, "nRF51 TIMER clock: the timer's base clock is the 16 MHz HFCLK");

/* Wraps of the counter the interrupt has counted. */
static volatile uint32_t wraps;

static uint32_t capture(void) {
  stub_write32(TASKS_CAPTURE2, 1u);
  return stub_read32(CC_CAPTURE);
}

/* Microseconds since reset, and the counter value they were read at. */
static uint64_t now_ticks(uint32_t* counter) {
  uint32_t seen, before, after, value;
  do {
    seen = wraps;
    before = stub_read32(EVENTS_WRAP);
    value = capture();
    after = stub_read32(EVENTS_WRAP);
  } while (seen != wraps || before != after);
  /* A wrap whose interrupt has not run yet (interrupts off) came before this capture. */
  if (after) seen++;
  *counter = value;
  return ((uint64_t)seen << ANYK_TIMEBASE_BITS) | value;
}

/* Clears a compare event once the counter has moved past the compare value. QEMU's model (7.2)
   raises the event again at once when it is cleared, or the timer started, while the counter
   equals the value; the real timer raises it only on the tick that reaches it. At most 1 us. */
static void clear_event(uint32_t event, uint32_t compare) {
  uint32_t value = stub_read32(compare);
  while (capture() == value) {
  }
  stub_write32(event, 0u);
}

void stub_clock_init(void) {
  stub_write32(MODE, 0u);
  stub_write32(BITMODE, BITMODE_VALUE);
  stub_write32(PRESCALER, PRESCALER_1MHZ);
  stub_write32(CC_WRAP, 0u);
  stub_write32(TASKS_CLEAR, 1u);
  stub_write32(TASKS_START, 1u);
  /* Starting at 0 is not a wrap. */
  clear_event(EVENTS_WRAP, CC_WRAP);
  stub_write32(INTENSET, INTEN_COMPARE0_1);
  stub_write32(NVIC_ISER + 4u * (ANYK_CLOCK_IRQ / 32u), 1u << (ANYK_CLOCK_IRQ % 32u));
}

void stub_clock_handler(void) {
  if (stub_read32(EVENTS_WRAP)) {
    clear_event(EVENTS_WRAP, CC_WRAP);
    wraps++;
  }
  if (stub_read32(EVENTS_WAKE)) clear_event(EVENTS_WAKE, CC_WAKE);
  /* Read back, so the cleared events have reached the peripheral before the handler returns and
     the line does not fire again for them. */
  (void)stub_read32(EVENTS_WAKE);
}

uint64_t anyk_clock_monotonic(void) {
  uint32_t counter;
  return now_ticks(&counter) * NS_PER_TICK;
}

/* With interrupts off: sets the wake-up compare to the deadline (ns), rounded up to a whole us. */
int stub_clock_wake_at(uint64_t deadline) {
  uint32_t counter;
  uint64_t now = now_ticks(&counter) * NS_PER_TICK;
  if (deadline <= now) return 0;
  uint64_t left_ns = deadline - now;
  uint32_t ticks = LONGEST_WAKE_TICKS;
  if (left_ns < (uint64_t)LONGEST_WAKE_TICKS * NS_PER_TICK) {
    /* ns / 1000 in 32 bits without a division: 4294968 / 2^32 is just over 1/1000, and the + 1
       rounds up, so the wake-up never comes early (at most 1 us late). */
    ticks = (uint32_t)(((uint64_t)(uint32_t)left_ns * 4294968u) >> 32) + 1u;
  }
  if (ticks < SHORTEST_WAKE_TICKS) return 0;
  uint32_t target = (counter + ticks) & COUNTER_MASK;
  /* The new target first: clearing the event then drops one the old target may have raised. */
  stub_write32(CC_WAKE, target);
  stub_write32(EVENTS_WAKE, 0u);
  /* The compare fires only when the counter reaches the target; if it is already there, spin. */
  uint32_t ahead = (target - capture()) & COUNTER_MASK;
  if (ahead == 0u || ahead > COUNTER_MASK / 2u) return 0;
  return 1;
}
