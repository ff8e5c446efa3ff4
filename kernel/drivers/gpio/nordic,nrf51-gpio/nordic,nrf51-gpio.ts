// Nordic nRF51 GPIO (reference manual ch. 14): 32 pins, set and cleared through OUTSET/OUTCLR so
// that one pin changes without a read-modify-write.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Gpio } from "../../../hil/gpio";

const OUT: u32 = 0x504;
const OUTSET: u32 = 0x508;
const OUTCLR: u32 = 0x50c;
const IN: u32 = 0x510;
const DIR: u32 = 0x514;
const DIRSET: u32 = 0x518;

export class Nrf51Gpio extends Gpio {
  constructor(private readonly base: u32) {
    super();
  }

  service(line: u32): void {}

  setOutput(pin: u32, level: bool): void {
    const bit: u32 = 1 << pin;
    mmio_write32(this.base + (level ? OUTSET : OUTCLR), bit);
    mmio_write32(this.base + DIRSET, bit);
  }

  read(pin: u32): bool {
    const bit: u32 = 1 << pin;
    // IN shows an output's level only with its input buffer connected (PIN_CNF.INPUT, RM 14.2.9),
    // which reset leaves off: an output reads back from OUT.
    const levels = mmio_read32(this.base + DIR) & bit ? OUT : IN;
    return (mmio_read32(this.base + levels) & bit) != 0;
  }

  pinCount(): u32 {
    return 32;
  }
}
