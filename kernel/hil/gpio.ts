// The GPIO contract: numbered output pins (LEDs included) and input levels.
import { Device } from "./device";

export abstract class Gpio extends Device {
  /** Makes pin an output driving level (true = high / LED on). */
  abstract setOutput(pin: u32, level: bool): void;
  /** Reads the level of pin (output or input). */
  abstract read(pin: u32): bool;
  /** Number of pins the device has. */
  abstract pinCount(): u32;
}
