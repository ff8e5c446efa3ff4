// tcp-discard: the discard service (RFC 863) over TCP: takes connections on port 9 and drops what
// they send. The smallest image with TCP, for measuring what TCP costs over ping.
import { Line, println, run } from "anykernel";
import { tcp, Connection } from "anykernel/net";

function discard(c: Connection, data: Line): void {}

function accepted(c: Connection): void {
  c.onData = discard;
}

export function main(): i32 {
  tcp.listen(9, accepted);
  println("tcp-discard: port 9");
  return run();
}
