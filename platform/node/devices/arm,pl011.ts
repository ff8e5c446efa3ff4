// ARM PL011 UART model, following QEMU's hw/char/pl011.c: transmission is instantaneous (unless
// tests set tuning.uartByteNs), a received byte raises RX at once (trigger level 1), and the FIFO
// holds 16 bytes with FEN set, else 1.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";
import { sendOnLine } from "./line.js";

const FR_BUSY = 1 << 3, FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;
const INT_RX = 1 << 4, INT_TX = 1 << 5;
const LCR_FEN = 1 << 4;
const CR_UARTEN = 1 << 0, CR_TXE = 1 << 8, CR_RXE = 1 << 9;
const ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export function pl011(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  const rx: number[] = [];
  let lcr = 0, cr = 0x300, imsc = 0, ris = 0, ibrd = 0, fbrd = 0, ifls = 0x12;
  let txBusyUntil = 0n;
  const byteNs = BigInt(host.tuning.uartByteNs ?? 0);
  const capacity = () => (lcr & LCR_FEN ? 16 : 1);
  const update = () => host.setIrqLevel(line, (ris & imsc) !== 0);
  const pump = (): number => {
    const room = capacity() - rx.length;
    if (room <= 0) return 0;
    const bytes = host.console.read(room);
    rx.push(...bytes);
    if (bytes.length) {
      ris |= INT_RX;
      update();
    }
    return bytes.length;
  };
  host.addInputSink(pump);
  const txBusy = () => host.now < txBusyUntil;
  // PL011 TRM 3.3.6: the baud clock is UARTCLK / (16 x (IBRD + FBRD/64)); IBRD 0 stops the line.
  const baud = () => (ibrd === 0 ? undefined : (device.clockHz * 4) / (ibrd * 64 + fbrd));

  return {
    transmit: (bytes) => sendOnLine(host, device, bytes, baud()),
    read(offset: number, _width: AccessWidth): number {
      if (offset >= 0xfe0 && offset < 0x1000) return ID[(offset - 0xfe0) >> 2];
      switch (offset) {
        case 0x000: {
          const b = rx.shift() ?? 0;
          if (rx.length === 0) ris &= ~INT_RX;
          update();
          pump();
          return b;
        }
        case 0x018: {
          let fr = rx.length === 0 ? FR_RXFE : 0;
          if (rx.length >= capacity()) fr |= FR_RXFF;
          fr |= txBusy() ? FR_TXFF | FR_BUSY : FR_TXFE;
          return fr;
        }
        case 0x024: return ibrd;
        case 0x028: return fbrd;
        case 0x02c: return lcr;
        case 0x030: return cr;
        case 0x034: return ifls;
        case 0x038: return imsc;
        case 0x03c: return ris;
        case 0x040: return ris & imsc;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x000:
          if ((cr & (CR_UARTEN | CR_TXE)) === (CR_UARTEN | CR_TXE)) {
            sendOnLine(host, device, Uint8Array.of(value & 0xff), baud());
            if (byteNs > 0n) {
              // A slow line for tests: the FIFO is full until the byte has gone, then TX fires.
              txBusyUntil = host.now + byteNs;
              host.schedule(txBusyUntil, () => {
                ris |= INT_TX;
                update();
              });
            } else ris |= INT_TX;
          }
          break;
        case 0x024: ibrd = value & 0xffff; break;
        case 0x028: fbrd = value & 0x3f; break;
        case 0x02c: lcr = value & 0xff; break;
        case 0x030: cr = value & 0xffff; break;
        case 0x034: ifls = value & 0x3f; break;
        case 0x038: imsc = value & 0x7ff; break;
        case 0x044: ris &= ~value; break;
        default: return;
      }
      update();
    },
  };
}
