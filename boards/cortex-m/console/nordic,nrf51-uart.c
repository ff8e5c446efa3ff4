/* Console on the nRF51 UART (microbit), polled through its tasks and events. */
#include "../stub.h"

#define UART_STARTRX (ANYK_CONSOLE_BASE + 0x000u)
#define UART_STARTTX (ANYK_CONSOLE_BASE + 0x008u)
#define UART_RXDRDY (ANYK_CONSOLE_BASE + 0x108u)
#define UART_TXDRDY (ANYK_CONSOLE_BASE + 0x11Cu)
#define UART_ENABLE (ANYK_CONSOLE_BASE + 0x500u)
#define UART_RXD (ANYK_CONSOLE_BASE + 0x518u)
#define UART_TXD (ANYK_CONSOLE_BASE + 0x51Cu)
#define ENABLE_UART 4u

static int transmitting;

void stub_console_init(void) {
  stub_write32(UART_ENABLE, ENABLE_UART);
  stub_write32(UART_STARTTX, 1u);
  stub_write32(UART_STARTRX, 1u);
}

void stub_console_flush(void) {
  /* TXDRDY says the byte written last has gone out. */
  if (transmitting) {
    /* Bounded: a kernel UART driver may have consumed TXDRDY already (one byte is ~1400 cycles). */
    for (uint32_t spins = 0; stub_read32(UART_TXDRDY) == 0u && spins < 100000u; spins++) {
    }
    stub_write32(UART_TXDRDY, 0u);
    transmitting = 0;
  }
}

void stub_console_putc(uint8_t byte) {
  stub_console_flush();
  stub_write32(UART_TXD, byte);
  transmitting = 1;
}

int stub_console_getc(void) {
  if (stub_read32(UART_RXDRDY) == 0u) return -1;
  stub_write32(UART_RXDRDY, 0u);
  return (int)(stub_read32(UART_RXD) & 0xffu);
}
