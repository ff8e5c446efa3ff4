// One alarm on the userspace platform's clock, for device models that count time (timers, the
// RNG): setting it again or cancelling it takes the earlier event back, so a stale event can
// neither fire nor carry virtual time forward to its moment.
import type { DeviceHost } from "./host.js";

export class Alarm {
  private unschedule: (() => void) | undefined;

  constructor(private readonly host: DeviceHost, private readonly fire: (at: bigint) => void) {}

  /** Fires at `at` (ns), replacing any earlier setting. */
  set(at: bigint): void {
    this.cancel();
    this.unschedule = this.host.schedule(at, () => {
      this.unschedule = undefined;
      this.fire(at);
    });
  }

  cancel(): void {
    this.unschedule?.();
    this.unschedule = undefined;
  }
}

/** Nanoseconds of `counts` periods of a clock of `hz`, rounded to the nearest. */
export function countsToNs(counts: bigint, hz: number): bigint {
  return (counts * 1_000_000_000n + BigInt(hz) / 2n) / BigInt(hz);
}

/** Whole periods of a clock of `hz` in `ns`. */
export function nsToCounts(ns: bigint, hz: number): bigint {
  return (ns * BigInt(hz)) / 1_000_000_000n;
}
