// ping: the smallest networked image: answers ARP and ICMP echo requests at the address
// anykernel.json or the board file gives (QEMU's user network: 10.0.2.15), printing a line for
// each echo it answers.
import { print, println, run } from "anykernel";
import { net } from "anykernel/net";

function answered(count: u32): void {
  print("echo ");
  println(count);
}

export function main(): i32 {
  net.onPing(answered);
  print("ping: answering at ");
  net.printAddress(net.address());
  println("");
  return run();
}
