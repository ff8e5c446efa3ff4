// ARM PrimeCell PL061 GPIO as on the Stellaris parts (8 pins per port). A data write goes through
// the address mask: bits [9:2] of the offset select the pins the write may change.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Gpio } from "../../../hil/gpio";

const DATA_ALL: u32 = 0x3fc;
const DIR: u32 = 0x400;
const IM: u32 = 0x410;
const DEN: u32 = 0x51c; // Stellaris: digital enable

export class Pl061 extends Gpio {
  constructor(private readonly base: u32, irq: u32) {
    super();
    mmio_write32(base + IM, 0); // no pin interrupts until an input contract needs them
  }

  service(line: u32): void {}

  setOutput(pin: u32, level: bool): void {
    const bit: u32 = 1 << pin;
    mmio_write32(this.base + DEN, mmio_read32(this.base + DEN) | bit);
    mmio_write32(this.base + DIR, mmio_read32(this.base + DIR) | bit);
    mmio_write32(this.base + (bit << 2), level ? bit : 0);
  }

  read(pin: u32): bool {
    return (mmio_read32(this.base + DATA_ALL) & (1 << pin)) != 0;
  }

  pinCount(): u32 {
    return 8;
  }
}
