// app-api: the app API ("anykernel"): print and println of each kind of value, a one-shot and a
// periodic timer as callbacks, and run() until a callback stops it with exit code 7.
import { after, every, println, print, run, stop } from "anykernel";

let ticks: i32 = 0;

function tick(): void {
  ticks++;
  print("tick ");
  println(ticks);
  if (ticks == 3) stop(7);
}

function hello(): void {
  println("after 50 ms");
}

export function main(): i32 {
  println("api test");
  println(true);
  println(<i64>-1234567890123);
  println(<u8>200);
  every(100, tick);
  after(50, hello);
  return run();
}
