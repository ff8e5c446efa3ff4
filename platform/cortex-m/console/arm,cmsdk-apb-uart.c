/* Console on an Arm CMSDK APB UART (mps2-an385), polled: DATA, STATE, CTRL. BAUDDIV is the
   board's bring-up (bringup.c): clock / baud from the board file. */
#include "../console.h"

#define UART_DATA (ANYK_CONSOLE_BASE + 0x00u)
#define UART_STATE (ANYK_CONSOLE_BASE + 0x04u)
#define UART_CTRL (ANYK_CONSOLE_BASE + 0x08u)
#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define CTRL_TX_EN (1u << 0)
#define CTRL_RX_EN (1u << 1)

void stub_console_init(void) {
  stub_write32(UART_CTRL, CTRL_TX_EN | CTRL_RX_EN);
}

void stub_console_putc(uint8_t byte) {
  while (stub_read32(UART_STATE) & STATE_TX_FULL) {
  }
  stub_write32(UART_DATA, byte);
}

int stub_console_getc(void) {
  if (!(stub_read32(UART_STATE) & STATE_RX_FULL)) return -1;
  return (int)(stub_read32(UART_DATA) & 0xffu);
}

void stub_console_flush(void) {
  while (stub_read32(UART_STATE) & STATE_TX_FULL) {
  }
}
