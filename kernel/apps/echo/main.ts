// echo: each line from the UART comes back upper-cased through an onLine callback; "quit" stops
// the loop with exit code 0.
import { Line, println, run, stop } from "anykernel";
import { uart } from "anykernel/uart";

function echo(line: Line): void {
  if (line.is("quit")) {
    stop(0);
    return;
  }
  println(line.upper());
}

export function main(): i32 {
  println("echo: ready");
  uart.onLine(echo);
  const code = run();
  println("echo: bye");
  return code;
}
