// Nordic nRF51 UART model, following QEMU's hw/char/nrf51_uart.c: a 6-byte receive FIFO that
// fills only after STARTRX, RXDRDY set while bytes wait, TXDRDY set as soon as TXD is written.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { sendOnLine } from "./line.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const FIFO_LENGTH = 6;
const EVENTS: Record<number, number> = { 0x100: 0, 0x104: 1, 0x108: 2, 0x11c: 7, 0x124: 9, 0x144: 17 };

export function nrf51Uart(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  const rx: number[] = [];
  const events = new Map<number, number>();
  let inten = 0, enable = 0, rxStarted = false, txStarted = false, baudrate = 0x04000000;
  const update = () => {
    let level = false;
    for (const [offset, bit] of Object.entries(EVENTS)) if (events.get(Number(offset)) && inten & (1 << bit)) level = true;
    host.setIrqLevel(line, level);
  };
  const pump = (): number => {
    if (!rxStarted || rx.length >= FIFO_LENGTH) return 0;
    const bytes = host.console.read(FIFO_LENGTH - rx.length);
    rx.push(...bytes);
    if (bytes.length) {
      events.set(0x108, 1);
      update();
    }
    return bytes.length;
  };
  host.addInputSink(pump);

  // nRF51 RM 29.9.11: BAUDRATE is the rate x 2^32 / 16 MHz; PSELTXD 0xFFFFFFFF (reset) is no pin.
  const baud = () => (baudrate * 16_000_000) / 2 ** 32;
  let pselTxd = 0xffffffff, pselRxd = 0xffffffff;
  return {
    transmit: (bytes) => sendOnLine(host, device, bytes, baud()),
    selectedPin: (role) => (role === "tx" ? pselTxd : role === "rx" ? pselRxd : undefined),
    read(offset: number, _width: AccessWidth): number {
      if (offset in EVENTS) return events.get(offset) ?? 0;
      switch (offset) {
        case 0x300:
        case 0x304:
        case 0x308: return inten;
        case 0x500: return enable;
        case 0x518: {
          const b = rxStarted ? rx.shift() ?? 0 : 0;
          if (rx.length > 0) events.set(0x108, 1);
          update();
          pump();
          return b;
        }
        case 0x524: return baudrate;
        case 0x50c: return pselTxd;
        case 0x514: return pselRxd;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      if (offset in EVENTS) {
        events.set(offset, value & 1);
        update();
        return;
      }
      switch (offset) {
        case 0x000: if (value) { rxStarted = true; pump(); } break;
        case 0x004: if (value) rxStarted = false; break;
        case 0x008: if (value) txStarted = true; break;
        case 0x00c: if (value) txStarted = false; break;
        case 0x300: inten = value; break;
        case 0x304: inten |= value; break;
        case 0x308: inten &= ~value; break;
        case 0x500: enable = value & 0xf; break;
        case 0x51c:
          if (txStarted) {
            sendOnLine(host, device, Uint8Array.of(value & 0xff), baud());
            events.set(0x11c, 1);
          }
          break;
        case 0x524: baudrate = value; break;
        case 0x50c: pselTxd = value >>> 0; break;
        case 0x514: pselRxd = value >>> 0; break;
        default: return;
      }
      update();
    },
  };
}
