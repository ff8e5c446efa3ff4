// clock-wraps: waits 10 ms forty times and reads the clock back to back in between, so that a
// clock whose counter wraps often (the nRF51 timebase built with 16 bits: every 65.5 ms) crosses
// several wraps. Reports the elapsed time, the latest wake-up and any reading that went backwards.
import { clock_monotonic, wait } from "../../../abi/gen/kernel";
import { print, printU64, printU32, newline } from "../../../kernel/base/console";

const MS: u64 = 1_000_000;
const WAITS: u32 = 40;
const READS: u32 = 2000;

export function main(): i32 {
  const start = clock_monotonic();
  let previous = start;
  let backwards: u32 = 0;
  let early: u32 = 0;
  let latest: u64 = 0;
  for (let i: u32 = 0; i < WAITS; i++) {
    const deadline = clock_monotonic() + 10 * MS;
    wait(deadline);
    const woke = clock_monotonic();
    if (woke < deadline) early++;
    else if (woke - deadline > latest) latest = woke - deadline;
    for (let r: u32 = 0; r < READS; r++) {
      const t = clock_monotonic();
      if (t < previous) backwards++;
      previous = t;
    }
  }
  print("elapsed "); printU64((clock_monotonic() - start) / 1000); print(" us, latest wake-up "); printU64(latest / 1000);
  print(" us late, early "); printU32(early); print(", backwards "); printU32(backwards); newline();
  return backwards == 0 && early == 0 ? 0 : 1;
}
