// dhcp: waits for the interface's address, prints what it got, and ends.
import { print, println, run, stop } from "anykernel";
import { net } from "anykernel/net";

function configured(address: u32): void {
  print("dhcp: address ");
  net.printAddress(address);
  println("");
  stop(0);
}

export function main(): i32 {
  println("dhcp: asking");
  net.onConfigured(configured);
  return run();
}
