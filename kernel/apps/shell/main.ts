// shell: a line-oriented command shell on the console UART, the app API's showcase. Each line read
// is echoed after the prompt, so a transcript reads like a terminal session; the commands:
//   help         lists the commands
//   led on|off   drives the board's first LED
//   uptime       seconds since boot
//   rand         a pseudo-random number (the same sequence on every boot)
//   mem          kernel heap in use and the image's heap cap
//   exit         ends the shell with exit code 0
import { Line, heapCap, heapUsed, millis, print, println, random, run, stop } from "anykernel";
import { board } from "anykernel/board";
import { uart } from "anykernel/uart";

const PROMPT = "> ";

function help(): void {
  println("commands: help, led on|off, uptime, rand, mem, exit");
}

function command(line: Line): void {
  if (line.length == 0) return;
  if (line.is("help")) help();
  else if (line.is("led on") || line.is("led off")) {
    board.led.set(line.is("led on"));
    println(board.led.lit ? "led: on" : "led: off");
  } else if (line.is("uptime")) {
    print("uptime: ");
    print(millis() / 1000);
    println(" s");
  } else if (line.is("rand")) println(random());
  else if (line.is("mem")) {
    print("heap: ");
    print(heapUsed());
    print(" of ");
    print(heapCap);
    println(" bytes in use");
  } else if (line.is("exit")) {
    println("bye");
    stop(0);
    return;
  } else {
    print("unknown command: ");
    print(line);
    println("; try help");
  }
}

function onLine(line: Line): void {
  println(line);
  command(line);
  if (!line.is("exit")) print(PROMPT);
}

export function main(): i32 {
  print("anykernel shell on ");
  println(board.name);
  help();
  print(PROMPT);
  uart.onLine(onLine);
  return run();
}
