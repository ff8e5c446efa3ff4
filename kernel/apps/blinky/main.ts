// blinky: the board's LED toggled every 100 ms by a timer callback, 10 times, each state printed;
// then stop.
import { every, println, run, stop } from "anykernel";
import { board } from "anykernel/board";

const TOGGLES: i32 = 10;
let toggles: i32 = 0;

function blink(): void {
  println(board.led.toggle() ? "led on" : "led off");
  if (++toggles == TOGGLES) stop(0);
}

export function main(): i32 {
  every(100, blink);
  return run();
}
