// tcp-client: the active open. The first console line is a port; the app connects to the gateway
// on it, writes "hello from <board>\n", prints each piece of data that arrives as "got: <data>",
// and stops with exit code 0 when the server has closed and the connection is done.
import { Line, boardName, print, println, run, stop } from "anykernel";
import { uart } from "anykernel/uart";
import { net, tcp, Connection } from "anykernel/net";

let port: u32 = 0;

function opened(c: Connection): void {
  println("connected");
  c.onData = received;
  c.onClose = closed;
  c.print("hello from ");
  c.print(boardName);
  c.print("\n");
}

function received(c: Connection, data: Line): void {
  print("got: ");
  println(data);
}

function closed(c: Connection): void {
  println("closed");
  stop(0);
}

function portLine(line: Line): void {
  if (port != 0) return;
  for (let i: u32 = 0; i < line.length; i++) port = port * 10 + <u32>(line.byteAt(i) - 0x30);
  print("connecting to port ");
  println(port);
  if (tcp.connect(net.ipv4(10, 0, 2, 2), port, opened) === null) {
    println("no free connection");
    stop(1);
  }
}

export function main(): i32 {
  println("tcp-client: port?");
  uart.onLine(portLine);
  return run();
}
