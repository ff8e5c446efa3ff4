// The hardware timer contract: a periodic tick counted by interrupts.
import { Device } from "./device";

export abstract class Timer extends Device {
  /** Starts periodic expiry every periodUs microseconds. */
  abstract start(periodUs: u32): void;
  /** Stops the timer; the expiry count is kept. */
  abstract stop(): void;
  /** Expiries counted by the interrupt service since start. */
  abstract expiries(): u32;
}
