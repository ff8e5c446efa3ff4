// STM32F4 general-purpose timer model (RM0090 ch. 18), upcounting: the counter runs at
// clock / (PSC + 1) from 0 to ARR and wraps with an update event (SR.UIF, an interrupt when
// DIER.UIE). PSC takes effect at the next update or at EGR.UG, which also restarts the count.
// QEMU 7.2's stm32f2xx_timer adds the absolute time of the last PSC/CNT/EGR write to every
// period; this model keeps to the manual, so only the manual's behaviour is tested here.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { Alarm, countsToNs, nsToCounts } from "./alarm.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const CR1_CEN = 1 << 0;
const DIER_UIE = 1 << 0;
const SR_UIF = 1 << 0;
const EGR_UG = 1 << 0;

export function stm32Timer(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  let cr1 = 0, dier = 0, sr = 0, psc = 0, activePsc = 0, arr = 0xffff_ffff;
  /** The counter value at `since` (ns); it advances from there while CEN is set. */
  let counter = 0, since = 0n;
  const hz = () => device.clockHz / (activePsc + 1);
  const update = () => host.setIrqLevel(line, (sr & SR_UIF) !== 0 && (dier & DIER_UIE) !== 0);
  const current = (): number => {
    if (!(cr1 & CR1_CEN)) return counter;
    const gone = nsToCounts(host.now - since, hz());
    return Number((BigInt(counter) + gone) % (BigInt(arr) + 1n));
  };
  const rearm = () => {
    if (!(cr1 & CR1_CEN)) return alarm.cancel();
    alarm.set(since + countsToNs(BigInt(arr) + 1n - BigInt(counter), hz()));
  };
  const restart = (value: number) => {
    counter = value;
    since = host.now;
    rearm();
  };
  const alarm: Alarm = new Alarm(host, (at) => {
    sr |= SR_UIF;
    activePsc = psc;
    counter = 0;
    since = at;
    rearm();
    update();
  });
  return {
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x00: return cr1;
        case 0x0c: return dier;
        case 0x10: return sr;
        case 0x24: return current();
        case 0x28: return psc;
        case 0x2c: return arr;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x00: {
          const at = current();
          cr1 = value & 0x3ff;
          restart(at);
          break;
        }
        case 0x0c: dier = value & 0x5f5f; break;
        case 0x10: sr &= value; break; // rc_w0: writing 0 clears, 1 keeps
        case 0x14:
          if (value & EGR_UG) {
            activePsc = psc;
            restart(0);
          }
          break;
        case 0x24: restart(value >>> 0); break;
        case 0x28: psc = value & 0xffff; break;
        case 0x2c: {
          const at = current();
          arr = value >>> 0;
          restart(Math.min(at, arr));
          break;
        }
        default: break;
      }
      update();
    },
  };
}
