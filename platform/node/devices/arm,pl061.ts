// ARM PL061 GPIO model (Stellaris variant), following QEMU's hw/gpio/pl061.c: data reads and
// writes are masked by address bits [9:2]; outputs are the data bits of pins set as outputs.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const ID = [0x00, 0x00, 0x00, 0x00, 0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export function pl061(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  let data = 0, dir = 0, is = 0, ibe = 0, iev = 0, im = 0, ris = 0, afsel = 0, den = 0;
  const regs: Record<number, [() => number, (v: number) => void]> = {
    0x400: [() => dir, (v) => (dir = v & 0xff)],
    0x404: [() => is, (v) => (is = v & 0xff)],
    0x408: [() => ibe, (v) => (ibe = v & 0xff)],
    0x40c: [() => iev, (v) => (iev = v & 0xff)],
    0x410: [() => im, (v) => (im = v & 0xff)],
    0x414: [() => ris, () => {}],
    0x418: [() => ris & im, () => {}],
    0x41c: [() => 0, (v) => (ris &= ~v)],
    0x420: [() => afsel, (v) => (afsel = v & 0xff)],
    0x51c: [() => den, (v) => (den = v & 0xff)],
  };
  const update = () => host.setIrqLevel(line, (ris & im) !== 0);
  return {
    // LM3S6965 datasheet, GPIO: a pin is the peripheral's with its AFSEL bit set, and digital at all only with DEN.
    pinMode: (pin) => ({ alternate: ((afsel & den) >> pin & 1) === 1 }),
    read(offset: number, _width: AccessWidth): number {
      if (offset < 0x400) return data & (offset >> 2);
      if (offset >= 0xfd0) return ID[(offset - 0xfd0) >> 2] ?? 0;
      return regs[offset]?.[0]() ?? 0;
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      if (offset < 0x400) {
        const mask = (offset >> 2) & dir;
        data = (data & ~mask) | (value & mask);
      } else regs[offset]?.[1](value);
      update();
    },
  };
}
