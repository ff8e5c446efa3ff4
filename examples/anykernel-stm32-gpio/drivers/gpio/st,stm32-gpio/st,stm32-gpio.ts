// A package's driver built on the toolchain's: the toolchain's st,stm32-gpio (RM0090 8.4) with its
// outputs open-drain (GPIOx_OTYPER, RM0090 8.4.2), for pins that only ever pull a line low: an LED
// wired to 3.3 V, or a line other devices share. Its component has the toolchain driver's name, so
// a project that installs this package binds it in the toolchain's place.
import { mmio_read32, mmio_write32 } from "anykernel/abi/gen/kernel";
import { Stm32Gpio } from "anykernel/drivers/gpio/st,stm32-gpio/st,stm32-gpio";

const OTYPER: u32 = 0x04;

export class Stm32GpioOpenDrain extends Stm32Gpio {
  constructor(private readonly port: u32) {
    super(port);
  }

  setOutput(pin: u32, level: bool): void {
    // Open-drain first, so the pin never drives high, then the toolchain's level and mode.
    mmio_write32(this.port + OTYPER, mmio_read32(this.port + OTYPER) | (<u32>1 << pin));
    super.setOutput(pin, level);
  }
}
