// STM32F4 RCC, as far as bring-up needs it: the AHB1/APB1/APB2 enable registers whose bits gate
// each peripheral's clock (RM0090 7.3.10-7.3.14). With a gate off a real STM32 ignores the
// peripheral's registers; this model is stricter and faults.
import type { DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";
import { registerFile } from "./register-file.js";

export function stm32Rcc(_device: Device, _host: DeviceHost): DeviceModel {
  // RCC_CR: HSI on and ready; RCC_AHB1ENR: CCMDATARAMEN at reset (RM0090 7.3.1, 7.3.10).
  return registerFile({ 0x00: 0x00000083, 0x30: 0x00100000 });
}
