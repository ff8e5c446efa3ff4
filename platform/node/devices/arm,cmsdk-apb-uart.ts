// ARM CMSDK APB UART model, following QEMU's hw/char/cmsdk-apb-uart.c: one byte each way,
// instantaneous transmission, separate TX and RX interrupt lines driven by INTSTATUS.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { sendOnLine } from "./line.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const STATE_RX_FULL = 1 << 1;
const CTRL_TX_EN = 1 << 0, CTRL_RX_EN = 1 << 1, CTRL_TX_INT = 1 << 2, CTRL_RX_INT = 1 << 3;
const INT_TX = 1 << 0, INT_RX = 1 << 1;

export function cmsdkUart(device: Device, host: DeviceHost): DeviceModel {
  const rxLine = lineOf(device, "rx");
  const txLine = lineOf(device, "tx");
  let rxbuf = 0, state = 0, ctrl = 0, intstatus = 0, bauddiv = 0;
  const update = () => {
    host.setIrqLevel(txLine, (intstatus & INT_TX) !== 0);
    host.setIrqLevel(rxLine, (intstatus & INT_RX) !== 0);
  };
  const pump = (): number => {
    if (!(ctrl & CTRL_RX_EN) || state & STATE_RX_FULL) return 0;
    const bytes = host.console.read(1);
    if (bytes.length === 0) return 0;
    rxbuf = bytes[0];
    state |= STATE_RX_FULL;
    if (ctrl & CTRL_RX_INT) intstatus |= INT_RX;
    update();
    return 1;
  };
  host.addInputSink(pump);

  // CMSDK TRM, APB UART: one bit per BAUDDIV clocks; below 16 the UART does not run.
  const baud = () => (bauddiv < 16 ? undefined : device.clockHz / bauddiv);
  return {
    transmit: (bytes) => sendOnLine(host, device, bytes, baud()),
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x00: {
          state &= ~STATE_RX_FULL;
          const b = rxbuf;
          pump();
          return b;
        }
        case 0x04: return state;
        case 0x08: return ctrl;
        case 0x0c: return intstatus;
        case 0x10: return bauddiv;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x00:
          if (ctrl & CTRL_TX_EN) {
            sendOnLine(host, device, Uint8Array.of(value & 0xff), baud());
            if (ctrl & CTRL_TX_INT) intstatus |= INT_TX;
          }
          break;
        case 0x04: state &= ~(value & 0xc); break; // overrun flags are write-1-to-clear
        case 0x08: ctrl = value & 0x7f; pump(); break;
        case 0x0c: intstatus &= ~value; break;
        case 0x10: bauddiv = value & 0xfffff; break;
        default: return;
      }
      update();
    },
  };
}
