// What every driver is to the dev faction: something that services its interrupt lines.
export abstract class Device {
  /** Services the device after interrupt line `line` fired; the line is unmasked afterwards. */
  abstract service(line: u32): void;
}
