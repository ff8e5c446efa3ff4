// Nordic nRF51 GPIO model, following QEMU's hw/gpio/nrf51_gpio.c: OUT with its SET/CLR aliases,
// DIR likewise, PIN_CNF[n] whose bit 0 is the pin's direction and bit 1 disconnects its input
// buffer; IN shows an output pin's level only while its input buffer is connected (RM 14.1), as in QEMU.
import type { AccessWidth, DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";

export function nrf51Gpio(_device: Device, _host: DeviceHost): DeviceModel {
  let out = 0;
  const cnf = new Array<number>(32).fill(0x2); // input buffer disconnected, as after reset
  const dir = () => cnf.reduce((bits, c, pin) => bits | ((c & 1) << pin), 0) >>> 0;
  const connected = () => cnf.reduce((bits, c, pin) => bits | ((((c >> 1) & 1) ^ 1) << pin), 0) >>> 0;
  const setDir = (bits: number) => cnf.forEach((c, pin) => (cnf[pin] = (c & ~1) | ((bits >>> pin) & 1)));
  return {
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x504:
        case 0x508:
        case 0x50c: return out >>> 0;
        case 0x510: return (out & dir() & connected()) >>> 0;
        case 0x514:
        case 0x518:
        case 0x51c: return dir();
        default:
          if (offset >= 0x700 && offset < 0x780) return cnf[(offset - 0x700) >> 2];
          return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x504: out = value >>> 0; break;
        case 0x508: out = (out | value) >>> 0; break;
        case 0x50c: out = (out & ~value) >>> 0; break;
        case 0x514: setDir(value); break;
        case 0x518: setDir(dir() | value); break;
        case 0x51c: setDir(dir() & ~value); break;
        default:
          if (offset >= 0x700 && offset < 0x780) cnf[(offset - 0x700) >> 2] = value & 0x3070f;
      }
    },
  };
}
