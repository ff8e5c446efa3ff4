// STM32F4 GPIO port (RM0090 8.4): MODER's two bits per pin select input, output, alternate function
// (0b10) or analog; AFRL/AFRH's four bits select the function. BSRR (write-only, reads 0) sets ODR
// bits with its low half and clears them with its high half, set winning (8.4.7); IDR is read-only
// and shows each pin's level: an output's ODR bit, an undriven input's 0 (no pull modelled).
import type { AccessWidth, DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";
import { registerFile } from "./register-file.js";

const MODER = 0x00, IDR = 0x10, ODR = 0x14, BSRR = 0x18;

export function stm32Gpio(device: Device, _host: DeviceHost): DeviceModel {
  // Port A's reset MODER puts PA13-15 on the debug port (RM0090 8.4.1); the others reset to input.
  const regs = registerFile(device.name === "gpioa" ? { [MODER]: 0xa8000000 } : {});
  const outputs = () => {
    let mask = 0;
    for (let pin = 0; pin < 16; pin++) if (((regs.value(MODER) >>> (pin * 2)) & 3) === 1) mask |= 1 << pin;
    return mask;
  };
  return {
    read(offset: number, width: AccessWidth): number {
      if ((offset & ~3) === IDR) return (regs.value(ODR) & outputs()) >>> ((offset & 3) * 8);
      if ((offset & ~3) === BSRR) return 0;
      return regs.read(offset, width);
    },
    write(offset: number, value: number, width: AccessWidth): void {
      if ((offset & ~3) === IDR) return;
      if ((offset & ~3) === BSRR) {
        if (width !== 32 || offset !== BSRR) {
          // Halfword writes reach one half; keep to the word form the driver uses.
          const whole = (value << ((offset & 3) * 8)) >>> 0;
          return this.write(BSRR, whole, 32);
        }
        const set = value & 0xffff, reset = (value >>> 16) & 0xffff;
        regs.write(ODR, ((regs.value(ODR) & ~reset) | set) & 0xffff, 32);
        return;
      }
      regs.write(offset, value, width);
    },
    pinMode: (pin) => ({
      alternate: ((regs.value(MODER) >>> (pin * 2)) & 3) === 2,
      af: (regs.value(pin < 8 ? 0x20 : 0x24) >>> ((pin % 8) * 4)) & 0xf,
    }),
  };
}
