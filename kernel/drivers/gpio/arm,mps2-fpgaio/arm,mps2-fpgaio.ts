// The MPS2 FPGA I/O block's user LEDs (AN385: two LEDs in bits [1:0] of LED0) as GPIO outputs.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Gpio } from "../../../hil/gpio";

const LED0: u32 = 0x000;
const LED_COUNT: u32 = 2;

export class FpgaioLeds extends Gpio {
  constructor(private readonly base: u32) {
    super();
  }

  service(line: u32): void {}

  setOutput(pin: u32, level: bool): void {
    const leds = mmio_read32(this.base + LED0);
    mmio_write32(this.base + LED0, level ? leds | (1 << pin) : leds & ~(1 << pin));
  }

  read(pin: u32): bool {
    return (mmio_read32(this.base + LED0) & (1 << pin)) != 0;
  }

  pinCount(): u32 {
    return LED_COUNT;
  }
}
