// echo-api: echo written in the app API: each line from the UART comes back upper-cased through
// a callback; "quit" stops the loop with exit code 0.
import { Line, println, run, stop } from "anykernel";
import { onLine } from "anykernel/lines";

function echo(line: Line): void {
  if (line.is("quit")) {
    stop(0);
    return;
  }
  println(line.upper());
}

export function main(): i32 {
  println("echo: ready");
  onLine(echo);
  const code = run();
  println("echo: bye");
  return code;
}
