/* Console on an Arm PL011 UART (lm3s6965evb), polled: DR at 0x00, FR at 0x18. */
#include "../console.h"

#define UART_DR (ANYK_CONSOLE_BASE + 0x00u)
#define UART_FR (ANYK_CONSOLE_BASE + 0x18u)
#define UART_LCR_H (ANYK_CONSOLE_BASE + 0x2Cu)
#define UART_CR (ANYK_CONSOLE_BASE + 0x30u)
/* FIFOs on, 8 bits: as the kernel's PL011 driver sets it. Changing FEN later would flush the
   receive FIFO, losing bytes typed before the driver started. */
#define LCR_H_FEN_WLEN8 ((1u << 4) | (3u << 5))
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

void stub_console_init(void) {
  stub_write32(UART_LCR_H, LCR_H_FEN_WLEN8);
  stub_write32(UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void stub_console_putc(uint8_t byte) {
  while (stub_read32(UART_FR) & FR_TXFF) {
  }
  stub_write32(UART_DR, byte);
}

int stub_console_getc(void) {
  if (stub_read32(UART_FR) & FR_RXFE) return -1;
  return (int)(stub_read32(UART_DR) & 0xffu);
}

void stub_console_flush(void) {
  while (stub_read32(UART_FR) & FR_BUSY) {
  }
}
