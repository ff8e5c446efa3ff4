// pins-stm32: GPIO pins by name on the netduinoplus2 (board.pins, the STM32F405's own names): PA5
// driven high, read back, toggled low and read back, through the st,stm32-gpio driver.
import { println } from "anykernel";
import { board } from "anykernel/board";

export function main(): i32 {
  const pin = board.pins.PA5;
  pin.high();
  println(pin.read());
  println(pin.toggle());
  println(board.pins.PA5.read());
  println(board.pins.PA5.number);
  return 0;
}
