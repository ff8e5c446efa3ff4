// hello: the smallest app; it greets on the console and exits with code 0.
import { boardName, print, println } from "anykernel";

export function main(): i32 {
  print("Hello from anykernel on ");
  println(boardName);
  return 0;
}
