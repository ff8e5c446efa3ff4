// Nordic nRF51 TIMER model, following QEMU's hw/timer/nrf51_timer.c: in timer mode a counter of
// BITMODE width (16, 8, 24 or 32 bits) runs at 16 MHz / 2^PRESCALER, wraps at its width, and sets
// EVENTS_COMPARE[n] when it reaches CC[n]; SHORTS bit n clears it there, bit n + 8 stops it.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { Alarm, countsToNs, nsToCounts } from "./alarm.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const BITS = [16, 8, 24, 32];
const COMPARES = 4;

export function nrf51Timer(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  const cc = [0, 0, 0, 0];
  const events = [0, 0, 0, 0];
  let running = false, mode = 0, bitmode = 0, prescaler = 0, shorts = 0, inten = 0;
  /** The counter value at `since` (ns); it advances from there while running. */
  let counter = 0n, since = 0n;
  const hz = () => device.clockHz / 2 ** prescaler;
  const range = () => 1n << BigInt(BITS[bitmode]);
  const update = () => host.setIrqLevel(line, events.some((e, i) => e !== 0 && (inten & (1 << (16 + i))) !== 0));
  /** Brings counter up to `at`, whole counts only, keeping `since` on the last count. */
  const sync = (at: bigint) => {
    if (!running) return;
    const ticks = nsToCounts(at - since, hz());
    counter = (counter + ticks) % range();
    since += countsToNs(ticks, hz());
  };
  const rearm = () => {
    if (!running) return alarm.cancel();
    let soonest: bigint | undefined;
    for (let i = 0; i < COMPARES; i++) {
      if (events[i]) continue;
      let left = (BigInt(cc[i]) - counter + range()) % range();
      if (left === 0n) left = range();
      if (soonest === undefined || left < soonest) soonest = left;
    }
    if (soonest === undefined) alarm.cancel();
    else alarm.set(since + countsToNs(soonest, hz()));
  };
  const alarm: Alarm = new Alarm(host, (at) => {
    sync(at);
    let stop = false;
    for (let i = 0; i < COMPARES; i++) {
      if (BigInt(cc[i]) !== counter || events[i]) continue;
      events[i] = 1;
      if (shorts & (1 << i)) {
        counter = 0n;
        since = at;
      }
      if (shorts & (1 << (i + 8))) stop = true;
    }
    if (stop) running = false;
    rearm();
    update();
  });
  return {
    read(offset: number, _width: AccessWidth): number {
      if (offset >= 0x140 && offset < 0x150) return events[(offset - 0x140) >> 2];
      if (offset >= 0x540 && offset < 0x550) return cc[(offset - 0x540) >> 2];
      switch (offset) {
        case 0x200: return shorts;
        case 0x304:
        case 0x308: return inten;
        case 0x504: return mode;
        case 0x508: return bitmode;
        case 0x510: return prescaler;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      const now = host.now;
      sync(now);
      if (offset >= 0x140 && offset < 0x150) {
        if (value === 0) events[(offset - 0x140) >> 2] = 0;
      } else if (offset >= 0x040 && offset < 0x050) {
        if (value === 1) cc[(offset - 0x040) >> 2] = Number(counter);
      } else if (offset >= 0x540 && offset < 0x550) {
        cc[(offset - 0x540) >> 2] = Number(BigInt(value >>> 0) % range());
      } else {
        switch (offset) {
          case 0x000:
            if (value === 1 && mode === 0 && !running) {
              running = true;
              since = now;
            }
            break;
          case 0x004:
          case 0x010: if (value === 1) running = false; break;
          case 0x00c:
            if (value === 1) {
              counter = 0n;
              since = now;
            }
            break;
          case 0x200: shorts = value & 0x0f0f; break;
          case 0x304: inten |= value & 0xf0000; break;
          case 0x308: inten &= ~(value & 0xf0000); break;
          case 0x504: mode = value & 1; break;
          case 0x508: bitmode = value & 3; break;
          case 0x510: prescaler = value & 0xf; break;
          default: break;
        }
      }
      rearm();
      update();
    },
  };
}
