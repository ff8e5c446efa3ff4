/* Console on the nRF51 UART (microbit), polled through its tasks and events. */
#include "../console.h"

#define UART_STARTRX (ANYK_CONSOLE_BASE + 0x000u)
#define UART_STARTTX (ANYK_CONSOLE_BASE + 0x008u)
#define UART_RXDRDY (ANYK_CONSOLE_BASE + 0x108u)
#define UART_TXDRDY (ANYK_CONSOLE_BASE + 0x11Cu)
#define UART_ENABLE (ANYK_CONSOLE_BASE + 0x500u)
#define UART_RXD (ANYK_CONSOLE_BASE + 0x518u)
#define UART_TXD (ANYK_CONSOLE_BASE + 0x51Cu)
#define ENABLE_UART 4u

/* Each byte is waited out and its TXDRDY cleared here, so no state is left for a kernel UART
   driver to disturb (it may clear TXDRDY of its own bytes at any time). */
void stub_console_init(void) {
  stub_write32(UART_ENABLE, ENABLE_UART);
  stub_write32(UART_STARTTX, 1u);
  stub_write32(UART_STARTRX, 1u);
}

void stub_console_flush(void) {
}

void stub_console_putc(uint8_t byte) {
  stub_write32(UART_TXD, byte);
  while (stub_read32(UART_TXDRDY) == 0u) {
  }
  stub_write32(UART_TXDRDY, 0u);
}

int stub_console_getc(void) {
  if (stub_read32(UART_RXDRDY) == 0u) return -1;
  stub_write32(UART_RXDRDY, 0u);
  return (int)(stub_read32(UART_RXD) & 0xffu);
}
