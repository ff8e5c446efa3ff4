// Stellaris System Control, as far as bring-up needs it: RCGC0-2 hold the clock-gate bits
// (LM3S6965 datasheet, System Control: all gates off at reset) that the bus checks on every access.
import type { DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";
import { registerFile } from "./register-file.js";

export function stellarisSysctl(_device: Device, _host: DeviceHost): DeviceModel {
  // RCC's reset value: the 12 MHz internal oscillator, PLL bypassed (datasheet, register 8).
  return registerFile({ 0x060: 0x078e3ad1 });
}
