// STM32F4 GPIO port, as far as pin routing needs it (RM0090 8.4): MODER's two bits per pin select
// input, output, alternate function (0b10) or analog; AFRL/AFRH's four bits select the function.
import type { DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";
import { registerFile } from "./register-file.js";

export function stm32Gpio(device: Device, _host: DeviceHost): DeviceModel {
  // Port A's reset MODER puts PA13-15 on the debug port (RM0090 8.4.1); the others reset to input.
  const regs = registerFile(device.name === "gpioa" ? { 0x00: 0xa8000000 } : {});
  return {
    ...regs,
    pinMode: (pin) => ({
      alternate: ((regs.value(0x00) >>> (pin * 2)) & 3) === 2,
      af: (regs.value(pin < 8 ? 0x20 : 0x24) >>> ((pin % 8) * 4)) & 0xf,
    }),
  };
}
