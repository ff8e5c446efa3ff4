// MPS2 FPGA I/O model, following QEMU's hw/misc/mps2-fpgaio.c: the LED0 register keeps the LED
// bits; the free-running counters read as the clock makes them.
import type { AccessWidth, DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";

const LED_MASK = 0x3; // AN385: two user LEDs

export function fpgaio(_device: Device, host: DeviceHost): DeviceModel {
  let led0 = 0, prescale = 0, misc = 0;
  const ticks = (hz: bigint) => Number(((host.now * hz) / 1_000_000_000n) & 0xffffffffn);
  return {
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x00: return led0;
        case 0x08: return 0; // buttons: none pressed
        case 0x10: return ticks(1n);
        case 0x14: return ticks(100n);
        case 0x18: return ticks(25_000_000n);
        case 0x1c: return prescale;
        case 0x4c: return misc;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      if (offset === 0x00) led0 = value & LED_MASK;
      else if (offset === 0x1c) prescale = value;
      else if (offset === 0x4c) misc = value;
    },
  };
}
