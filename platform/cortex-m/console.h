/* The console UART: one implementation per device in console/<compatible>.c, chosen by the board
   file's `console`; polled, so it works before interrupts and after a panic. */
#ifndef ANYK_CONSOLE_H
#define ANYK_CONSOLE_H

#include <stdint.h>
#include "anyk_board.h"
#include "mmio.h"

void stub_console_init(void);
void stub_console_putc(uint8_t byte);
/* The next received byte, or -1 when none has arrived. Never blocks. */
int stub_console_getc(void);
/* Waits until every byte written has left the UART. */
void stub_console_flush(void);
/* Writes length bytes; reads up to length bytes that have arrived, returning how many. In a
   loader-mode image these go through the bootloader's table. */
void stub_console_write_bytes(const uint8_t* bytes, uint32_t length);
int32_t stub_console_read_bytes(uint8_t* bytes, uint32_t length);

#endif
