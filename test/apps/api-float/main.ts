// api-float: must not compile: the app API prints no floats.
import { println } from "anykernel";

export function main(): i32 {
  println(<f64>1.5);
  return 0;
}
