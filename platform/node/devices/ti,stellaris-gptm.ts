// Stellaris general-purpose timer model, following QEMU's hw/timer/stellaris-gptm.c: only the
// 32-bit periodic and one-shot modes of timer A (CFG 0). Where QEMU and the datasheet differ, QEMU
// wins: a period is TAILR counts (the datasheet says TAILR + 1).
import type { AccessWidth, DeviceModel } from "./bus.js";
import { Alarm, countsToNs } from "./alarm.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const CTL_TAEN = 1;
const RIS_TATO = 1;
const TAMR_ONE_SHOT = 1;

export function stellarisGptm(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  let config = 0, modeA = 0, control = 0, mask = 0, raw = 0, load = 0;
  const update = () => host.setIrqLevel(line, (raw & mask) !== 0);
  const period = () => countsToNs(BigInt(load >>> 0), device.clockHz);
  const alarm: Alarm = new Alarm(host, (at) => {
    raw |= RIS_TATO;
    if (modeA & TAMR_ONE_SHOT) control &= ~CTL_TAEN;
    else alarm.set(at + period());
    update();
  });
  return {
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x00: return config;
        case 0x04: return modeA;
        case 0x0c: return control;
        case 0x18: return mask;
        case 0x1c: return raw;
        case 0x20: return raw & mask;
        case 0x28: return load >>> 0;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x00: config = value; break;
        case 0x04: modeA = value; break;
        case 0x0c: {
          const was = control;
          control = value;
          if ((was ^ value) & CTL_TAEN) {
            if (value & CTL_TAEN && config === 0) alarm.set(host.now + period());
            else alarm.cancel();
          }
          break;
        }
        case 0x18: mask = value & 0x77; break;
        case 0x24: raw &= ~value; break;
        case 0x28: load = value >>> 0; break;
        default: break;
      }
      update();
    },
  };
}
