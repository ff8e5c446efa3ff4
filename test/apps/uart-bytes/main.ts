// uart-bytes: the app API's bytes and strings: every 10 ms it moves the bytes waiting on the UART
// into a Uint8Array of its own (uart.read) and writes them back (write), counting them; a '.' ends
// it, printing the count and what toString, toBytes and startsWith made of a line it built.
import { Line, after, every, print, println, run, stop, write } from "anykernel";
import { uart } from "anykernel/uart";

const buffer = new Uint8Array(16);
let total: i32 = 0;

function pump(): void {
  const count = uart.read(buffer);
  write(buffer, count);
  total += count;
  for (let i = 0; i < count; i++) if (buffer[i] == 0x2e) stop(0);
}

function strings(): void {
  const text = memory.data<u8>([0x61, 0x6e, 0x79, 0x6b]); // "anyk"
  const line = new Line(text, 4);
  const s = line.toString();
  println(s + "ernel " + s.length.toString());
  const bytes = line.toBytes();
  println(bytes.length);
  println(bytes[3]);
  println(line.startsWith("any"));
  println(line.startsWith("anykernel"));
}

export function main(): i32 {
  after(1, strings);
  every(10, pump);
  const code = run();
  print("\nbytes: ");
  println(total);
  return code;
}
