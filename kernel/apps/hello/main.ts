// hello: the smallest app; it greets on the console and exits with code 0.
import { println, print } from "../../base/console";
import { BOARD_NAME } from "../../base/board";

export function main(): i32 {
  print("Hello from anykernel on ");
  println(BOARD_NAME);
  return 0;
}
