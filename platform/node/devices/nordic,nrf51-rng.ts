// Nordic nRF51 RNG model, following QEMU's hw/misc/nrf51_rng.c: while started, a new byte in VALUE
// every 167 us (660 us with bias correction, CONFIG bit 0), each setting EVENTS_VALRDY; the
// VALRDY_STOP short stops it after one. Bytes come from the host's generator, or from a seeded
// one when the run asks for repeatable values (tuning rngSeed), as QEMU's -seed does.
import { randomBytes } from "node:crypto";
import type { AccessWidth, DeviceModel } from "./bus.js";
import { Alarm } from "./alarm.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const PERIOD_NS = 167_000n;
const PERIOD_FILTERED_NS = 660_000n;

/** A small seeded generator (xorshift32): repeatable bytes for tests, not for secrets. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state & 0xff;
  };
}

export function nrf51Rng(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  const nextByte = host.tuning.rngSeed !== undefined ? seeded(host.tuning.rngSeed) : () => randomBytes(1)[0];
  let active = false, valrdy = 0, stopOnReady = false, inten = false, filtered = false, value = 0;
  const update = () => host.setIrqLevel(line, inten && valrdy !== 0);
  const arm = (from: bigint) => (active ? alarm.set(from + (filtered ? PERIOD_FILTERED_NS : PERIOD_NS)) : alarm.cancel());
  const alarm: Alarm = new Alarm(host, (at) => {
    value = nextByte();
    valrdy = 1;
    if (stopOnReady) active = false;
    arm(at);
    update();
  });
  return {
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x100: return valrdy;
        case 0x200: return stopOnReady ? 1 : 0;
        case 0x300:
        case 0x304:
        case 0x308: return inten ? 1 : 0;
        case 0x504: return filtered ? 1 : 0;
        case 0x508: return value;
        default: return 0;
      }
    },
    write(offset: number, v: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x000: if (v === 1) { active = true; arm(host.now); } break;
        case 0x004: if (v === 1) { active = false; arm(host.now); } break;
        case 0x100: if (v === 0) valrdy = 0; break;
        case 0x200: stopOnReady = (v & 1) !== 0; break;
        case 0x300: inten = (v & 1) !== 0; break;
        case 0x304: if (v & 1) inten = true; break;
        case 0x308: if (v & 1) inten = false; break;
        case 0x504: filtered = (v & 1) !== 0; break;
        default: break;
      }
      update();
    },
  };
}
