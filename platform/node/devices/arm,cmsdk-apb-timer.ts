// Arm CMSDK APB timer model, following QEMU's hw/timer/cmsdk-apb-timer.c: a down-counter that
// interrupts (when IRQEN) as it goes from 1 to 0, holds 0 for one count and reloads, so a period
// is RELOAD + 1 counts; the first expiry comes VALUE counts after enabling.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { Alarm, countsToNs, nsToCounts } from "./alarm.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const CTRL_EN = 1 << 0;
const CTRL_IRQEN = 1 << 3;

export function cmsdkTimer(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  let ctrl = 0, reload = 0, value = 0, intstatus = 0;
  /** When the counter last held `value`, while it runs. */
  let valueAt = 0n;
  const update = () => host.setIrqLevel(line, intstatus !== 0);
  const ns = (counts: number) => countsToNs(BigInt(counts), device.clockHz);
  const alarm: Alarm = new Alarm(host, (at) => {
    if (ctrl & CTRL_IRQEN) intstatus = 1;
    if (reload === 0) {
      value = 0;
      valueAt = at;
    } else {
      // 0 for one count, then reload: the next 1-to-0 is RELOAD + 1 counts on.
      value = reload;
      valueAt = at + ns(1);
      alarm.set(at + ns(reload + 1));
    }
    update();
  });
  const current = (): number => {
    if (!(ctrl & CTRL_EN)) return value;
    const gone = Number(nsToCounts(host.now > valueAt ? host.now - valueAt : 0n, device.clockHz));
    return Math.max(0, value - gone);
  };
  const run = () => {
    valueAt = host.now;
    if (ctrl & CTRL_EN && value > 0) alarm.set(host.now + ns(value));
    else alarm.cancel();
  };
  return {
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x0: return ctrl;
        case 0x4: return current();
        case 0x8: return reload;
        case 0xc: return intstatus;
        default: return 0;
      }
    },
    write(offset: number, v: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x0:
          value = current();
          ctrl = v & 0xf;
          run();
          break;
        case 0x4:
          value = v >>> 0;
          run();
          break;
        case 0x8:
          // Writing RELOAD also sets the counter, as in QEMU.
          reload = v >>> 0;
          value = reload;
          run();
          break;
        case 0xc: intstatus &= ~(v & 1); break;
        default: break;
      }
      update();
    },
  };
}
