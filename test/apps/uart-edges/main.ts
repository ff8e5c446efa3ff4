// uart-edges: driver edge cases through the Uart contract. The first input byte picks the case:
//   'o' RX overrun: sleep 100 ms without reading while input arrives, then count what the ring kept;
//   't' TX ring full: queue 200 bytes without waiting and count how many the driver accepted.
import { uart } from "../../../kernel/factions/dev/registry";
import { sleepUntil, step } from "../../../kernel/factions/dev/loop";
import { now, NS_PER_MS } from "../../../kernel/base/time";
import { print, printU32, newline } from "../../../kernel/base/console";

function firstByte(): i32 {
  const u = uart();
  let b = u.readByte();
  while (b < 0) {
    step();
    b = u.readByte();
  }
  return b;
}

function report(label: string, value: u32): void {
  print(label);
  print(" ");
  printU32(value);
  newline();
}

export function main(): i32 {
  const u = uart();
  const command = firstByte();
  if (command == 0x6f) {
    sleepUntil(now() + 100 * NS_PER_MS);
    let kept: u32 = 0;
    while (u.readByte() >= 0) kept++;
    report("kept", kept);
    report("overruns", u.rxOverruns());
    return 0;
  }
  if (command == 0x74) {
    let accepted: u32 = 0;
    for (let i = 0; i < 200; i++) if (u.writeByte(0x2e)) accepted++;
    while (u.txPending() != 0) step();
    newline();
    report("accepted", accepted);
    return 0;
  }
  return 2;
}
