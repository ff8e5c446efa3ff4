// STM32F4 GPIO port (RM0090 rev 19, section 8.4): 16 pins. A pin's level is set or cleared through
// BSRR, so that one pin changes without a read-modify-write of ODR; MODER's two bits a pin make it
// an output. The stub has already opened the port's clock gate (RCC_AHB1ENR, from the chip file).
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Gpio } from "../../../hil/gpio";

const MODER: u32 = 0x00;
const IDR: u32 = 0x10;
const BSRR: u32 = 0x18;
const MODE_OUTPUT: u32 = 0b01;

export class Stm32Gpio extends Gpio {
  constructor(private readonly base: u32) {
    super();
  }

  service(line: u32): void {}

  setOutput(pin: u32, level: bool): void {
    // The level first (BSRR's low half sets, its high half resets), then the mode, so the pin
    // never drives the old level.
    mmio_write32(this.base + BSRR, level ? 1 << pin : 1 << (pin + 16));
    const shift = pin * 2;
    const modes = mmio_read32(this.base + MODER);
    mmio_write32(this.base + MODER, (modes & ~(3 << shift)) | (MODE_OUTPUT << shift));
  }

  read(pin: u32): bool {
    // IDR samples every pin, an output's too (RM0090 8.3.10).
    return (mmio_read32(this.base + IDR) & (1 << pin)) != 0;
  }

  pinCount(): u32 {
    return 16;
  }
}
