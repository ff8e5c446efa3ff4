// pins: GPIO pins by name on the micro:bit (board.pins): the LED matrix's ROW1, which the chip's
// manual calls P0.13, driven high, read back, toggled low and read back.
import { println } from "anykernel";
import { board } from "anykernel/board";

export function main(): i32 {
  const row = board.pins.ROW1;
  row.high();
  println(row.read());
  println(row.toggle());
  println(board.pins.P0_13.read());
  println(board.pins.P0_13.number);
  return 0;
}
