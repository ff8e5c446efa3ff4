// hello-hil: hello written against the kernel's HIL, without the app API (the API's cost is
// measured against it): the smallest app; it greets on the console and exits with code 0.
import { println, print } from "../../../kernel/base/console";
import { BOARD_NAME } from "../../../kernel/base/board";

export function main(): i32 {
  print("Hello from anykernel on ");
  println(BOARD_NAME);
  return 0;
}
