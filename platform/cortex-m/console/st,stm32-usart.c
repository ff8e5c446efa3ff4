/* Console on an STM32F2/F4 USART (netduinoplus2), polled: SR, DR, CR1. */
#include "../console.h"

#define USART_SR (ANYK_CONSOLE_BASE + 0x00u)
#define USART_DR (ANYK_CONSOLE_BASE + 0x04u)
#define USART_CR1 (ANYK_CONSOLE_BASE + 0x0Cu)
#define SR_RXNE (1u << 5)
#define SR_TC (1u << 6)
#define SR_TXE (1u << 7)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_UE (1u << 13)

void stub_console_init(void) {
  stub_write32(USART_CR1, CR1_UE | CR1_TE | CR1_RE);
}

void stub_console_putc(uint8_t byte) {
  while (!(stub_read32(USART_SR) & SR_TXE)) {
  }
  stub_write32(USART_DR, byte);
}

int stub_console_getc(void) {
  if (!(stub_read32(USART_SR) & SR_RXNE)) return -1;
  return (int)(stub_read32(USART_DR) & 0xffu);
}

void stub_console_flush(void) {
  while (!(stub_read32(USART_SR) & SR_TC)) {
  }
}
