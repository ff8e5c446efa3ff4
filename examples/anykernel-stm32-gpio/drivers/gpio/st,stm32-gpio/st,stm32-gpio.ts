// STM32F4 GPIO port (RM0090 8.4): MODER holds two bits a pin (0b01: output); BSRR sets a pin with
// its low half and clears it with its high half in one write, so no read-modify-write races the
// other pins; IDR reads the levels. 16 pins a port.
import { mmio_read32, mmio_write32 } from "anykernel/abi/gen/kernel";
import { Gpio } from "anykernel/hil/gpio";

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
    const shift = pin * 2;
    mmio_write32(this.base + MODER, (mmio_read32(this.base + MODER) & ~(<u32>0b11 << shift)) | (MODE_OUTPUT << shift));
    mmio_write32(this.base + BSRR, level ? <u32>1 << pin : <u32>1 << (pin + 16));
  }

  read(pin: u32): bool {
    return (mmio_read32(this.base + IDR) & (<u32>1 << pin)) != 0;
  }

  pinCount(): u32 {
    return 16;
  }
}
