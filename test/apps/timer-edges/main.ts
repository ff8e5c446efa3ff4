// timer-edges: the hardware timer through the Timer contract. Each line "<period us> <count>"
// starts the timer, reports each expiry with the monotonic time since the start, stops it, and
// reports how many more expiries came in the three periods after stop (there must be none).
// "q" exits 0. Periods longer than the hardware counter holds exercise the drivers' wrap handling.
import { timer } from "../../../kernel/factions/dev/registry";
import { sleepUntil, step } from "../../../kernel/factions/dev/loop";
import { readLine, writeLine } from "../../../kernel/factions/console/lines";
import { now, NS_PER_US } from "../../../kernel/base/time";
import { print, printU32, printU64, newline } from "../../../kernel/base/console";

const LINE_CAPACITY: u32 = 32;

/** The decimal number at *at in the line, advancing *at past it and one separator. */
function number(line: usize, length: u32, cursor: usize): u32 {
  let at = load<u32>(cursor);
  let n: u32 = 0;
  while (at < length) {
    const c = <u32>load<u8>(line + <usize>at);
    at++;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  store<u32>(cursor, at);
  return n;
}

export function main(): i32 {
  const t = timer();
  const line = memory.data(<i32>LINE_CAPACITY);
  const cursor = memory.data(4);
  writeLine("timer-edges: ready");
  for (;;) {
    const length = readLine(line, LINE_CAPACITY);
    if (length == 0) continue;
    if (load<u8>(line) == 0x71) return 0; // q
    store<u32>(cursor, 0);
    const periodUs = number(line, length, cursor);
    const count = number(line, length, cursor);
    const before = t.expiries();
    const start = now();
    t.start(periodUs);
    for (let i: u32 = 1; i <= count; i++) {
      while (t.expiries() - before < i) step();
      print("expiry ");
      printU32(i);
      print(" at ");
      printU64((now() - start) / NS_PER_US);
      print(" us");
      newline();
    }
    t.stop();
    const stopped = t.expiries();
    sleepUntil(now() + 3 * <u64>periodUs * NS_PER_US);
    print("after stop ");
    printU32(t.expiries() - stopped);
    newline();
  }
  return 0;
}
