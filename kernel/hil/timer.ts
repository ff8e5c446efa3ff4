// The hardware timer contract: a periodic expiry counted by interrupts. A period longer than the
// hardware counter can hold is split into equal hardware periods, counted here, so every driver
// handles counter wrap the same way.
import { Device } from "./device";

export abstract class Timer extends Device {
  private expired: u32 = 0;
  private interruptsPerExpiry: u32 = 1;
  private interruptsLeft: u32 = 1;

  /** Starts periodic expiry every periodUs microseconds (1 or more), counting from zero again. */
  abstract start(periodUs: u32): void;
  /** Stops the timer; the expiry count is kept. */
  abstract stop(): void;

  /** Expiries counted by the interrupt service since the first start. */
  expiries(): u32 {
    return this.expired;
  }

  /**
   * The hardware period, in input-clock counts, for a period of periodUs on a clock of clockHz and
   * a counter that holds at most maxCounts: the period split into as few equal parts as fit.
   */
  protected hardwarePeriod(periodUs: u32, clockHz: u32, maxCounts: u64): u64 {
    let counts = (<u64>periodUs * <u64>clockHz) / 1_000_000;
    if (counts == 0) counts = 1;
    const parts = (counts + maxCounts - 1) / maxCounts;
    this.interruptsPerExpiry = <u32>parts;
    this.interruptsLeft = <u32>parts;
    return counts / parts;
  }

  /** Called by the driver once per hardware period; every interruptsPerExpiry-th is an expiry. */
  protected counted(): void {
    if (--this.interruptsLeft == 0) {
      this.expired++;
      this.interruptsLeft = this.interruptsPerExpiry;
    }
  }
}
