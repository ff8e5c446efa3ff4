// Time in the kernel: the monotonic clock of the platform, in nanoseconds since boot.
import { clock_monotonic, wait } from "../../abi/gen/kernel";

export const NS_PER_US: u64 = 1_000;
export const NS_PER_MS: u64 = 1_000_000;

/** Nanoseconds since boot. */
// @ts-ignore: decorator
@inline
export function now(): u64 {
  return clock_monotonic();
}

/** Blocks until the monotonic clock reaches deadline (ns) or an interrupt is pending; returns its line or -1. */
export function sleepUntil(deadline: u64): i32 {
  while (clock_monotonic() < deadline) {
    const irq = wait(deadline);
    if (irq >= 0) return irq;
  }
  return -1;
}

export function sleepMs(ms: u32): i32 {
  return sleepUntil(clock_monotonic() + <u64>ms * NS_PER_MS);
}
