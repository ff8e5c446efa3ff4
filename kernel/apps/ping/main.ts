// ping: the smallest networked image: answers ARP and ICMP echo requests at 10.0.2.15/24 (the
// guest address of QEMU's user network), printing a line for each echo it answers.
import { print, println } from "anykernel";
import { configure, echoesAnswered, ipv4, pollFrame } from "../../factions/net/index";
import { step } from "../../factions/dev/loop";

export function main(): i32 {
  configure(ipv4(10, 0, 2, 15), ipv4(255, 255, 255, 0), ipv4(10, 0, 2, 2));
  println("ping: answering at 10.0.2.15");
  let answered: u32 = 0;
  for (;;) {
    while (pollFrame()) {
      if (echoesAnswered() != answered) {
        answered = echoesAnswered();
        print("echo ");
        println(answered);
      }
    }
    step();
  }
  return 0;
}
