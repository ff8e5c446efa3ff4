/* Bring-up: the register steps the board file asks for before the console and the kernel start
   (the chip's clock, clock gates, pin routing, baud), generated into anyk_board.h. */
#ifndef ANYK_BRINGUP_H
#define ANYK_BRINGUP_H

void stub_bringup(void);

#endif
