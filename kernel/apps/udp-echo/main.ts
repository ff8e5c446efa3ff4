// udp-echo: the echo service of RFC 862 over UDP: every datagram to port 7 goes back to its sender
// as it came. Prints a line when it starts; nothing per datagram (that would slow the echo).
import { print, println, run } from "anykernel";
import { net, udp, Datagram } from "anykernel/net";

const ECHO_PORT: u32 = 7;

function echo(datagram: Datagram): void {
  datagram.echo();
}

export function main(): i32 {
  udp.bind(ECHO_PORT, echo);
  print("udp-echo: port 7 at ");
  net.printAddress(net.address());
  println("");
  return run();
}
