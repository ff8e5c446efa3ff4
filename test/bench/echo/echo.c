/*
 * The C echo anyk bench weighs the kernel's echo against: the same behaviour (a greeting, each
 * line upper-cased, "quit" says goodbye and exits 0) and the same structure (an interrupt-driven
 * PL011 with 64-byte receive and transmit rings, the stub's wait for interrupts), written by hand
 * in C and built -Oz with the same stub. ANYK_ECHO_UART and ANYK_ECHO_IRQ are the board's console
 * UART (lm3s6965evb: UART0); PL011 registers from ARM DDI 0183.
 */
#include <stdint.h>
#include "anyk_hypercall.h"
#include "host.h"

#define DR 0x000u
#define FR 0x018u
#define LCR_H 0x02cu
#define CR 0x030u
#define IMSC 0x038u
#define ICR 0x044u
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define RING 64u

static volatile uint32_t* reg(uint32_t offset) {
  return (volatile uint32_t*)(ANYK_ECHO_UART + offset);
}

typedef struct {
  uint8_t bytes[RING];
  uint8_t head, count;
} ring_t;

static ring_t rx, tx;

static int ring_push(ring_t* r, uint8_t b) {
  if (r->count == RING) return 0;
  r->bytes[(r->head + r->count++) % RING] = b;
  return 1;
}

static int ring_pop(ring_t* r) {
  if (r->count == 0u) return -1;
  uint8_t b = r->bytes[r->head];
  r->head = (uint8_t)((r->head + 1u) % RING);
  r->count--;
  return b;
}

/* Queued bytes into the UART while it has room; its transmit interrupt only while some remain. */
static void fill(void) {
  while (tx.count && !(*reg(FR) & FR_TXFF)) *reg(DR) = (uint32_t)ring_pop(&tx);
  *reg(IMSC) = tx.count ? INT_RX | INT_RT | INT_TX : INT_RX | INT_RT;
}

static void put(uint8_t b) {
  while (!ring_push(&tx, b)) fill();
  fill();
}

static void print_line(const char* text, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) put((uint8_t)text[i]);
  put('\n');
}

static char line[RING];
static uint32_t used;

static void take(int c) {
  if (c != '\n' && c != '\r') {
    if (used < sizeof line) line[used++] = (char)c;
    return;
  }
  if (used == 4u && line[0] == 'q' && line[1] == 'u' && line[2] == 'i' && line[3] == 't') {
    print_line("echo: bye", 9u);
    while (tx.count) fill();
    anyk_exit(0);
  }
  for (uint32_t i = 0; i < used; i++) {
    if (line[i] >= 'a' && line[i] <= 'z') line[i] = (char)(line[i] - 'a' + 'A');
  }
  if (used) print_line(line, used);
  used = 0;
}

void stub_main(void) {
  *reg(LCR_H) = (1u << 4) | (3u << 5); /* FIFOs on, 8 bits */
  *reg(CR) = (1u << 0) | (1u << 8) | (1u << 9); /* UARTEN, TXE, RXE */
  *reg(IMSC) = INT_RX | INT_RT;
  anyk_irq_unmask(ANYK_ECHO_IRQ);
  print_line("echo: ready", 11u);
  for (;;) {
    if (anyk_wait(ANYK_DEADLINE_NEVER) == (int32_t)ANYK_ECHO_IRQ) {
      *reg(ICR) = INT_RX | INT_RT | INT_TX;
      while (!(*reg(FR) & FR_RXFE)) ring_push(&rx, (uint8_t)*reg(DR));
      fill();
      anyk_irq_unmask(ANYK_ECHO_IRQ);
    }
    for (int c; (c = ring_pop(&rx)) >= 0;) take(c);
  }
}
