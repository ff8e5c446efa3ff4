/* The clock: one implementation per source in clock/ (systick.c, or clock/<compatible>.c for the
   device the board file names as its `timebase`), started at reset in images that read time. */
#ifndef ANYK_CLOCK_H
#define ANYK_CLOCK_H

#include <stdint.h>
#include "anyk_board.h"
#include "mmio.h"

void stub_clock_init(void);
/* Arranges an interrupt at a wait's deadline, with interrupts off; returns 0 when the deadline is
   too close to sleep for, and the caller spins. */
int stub_clock_wake_at(uint64_t deadline);
/* The clock's interrupt: SysTick's vector, or the clock device's line (ANYK_CLOCK_IRQ). */
void stub_clock_handler(void);

#endif
