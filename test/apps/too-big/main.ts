// Claims a heap larger than the micro:bit's RAM: anyk size must still print its table and fail.
import { println } from "../../../kernel/base/console";

export function main(): i32 {
  println("too-big: never fits a micro:bit");
  return 0;
}
