// STM32 USART model, following QEMU's hw/char/stm32f2xx_usart.c: writes are synchronous, so TXE
// (and TC after a write) stay set; one received byte is held in DR until it is read. Input is
// taken only while the USART is enabled (QEMU drops bytes that arrive before; here none arrive).
import type { AccessWidth, DeviceModel } from "./bus.js";
import { sendOnLine } from "./line.js";
import { lineOf, type Device, type DeviceHost } from "./host.js";

const SR_RXNE = 1 << 5, SR_TC = 1 << 6, SR_TXE = 1 << 7;
const CR1_RE = 1 << 2, CR1_TE = 1 << 3, CR1_RXNEIE = 1 << 5, CR1_TCIE = 1 << 6, CR1_TXEIE = 1 << 7, CR1_UE = 1 << 13;

export function stm32Usart(device: Device, host: DeviceHost): DeviceModel {
  const line = lineOf(device);
  let sr = SR_TXE | SR_TC, dr = 0, brr = 0, cr1 = 0, cr2 = 0, cr3 = 0, gtpr = 0;
  const update = () =>
    host.setIrqLevel(line, Boolean((cr1 & CR1_TXEIE && sr & SR_TXE) || (cr1 & CR1_TCIE && sr & SR_TC) || (cr1 & CR1_RXNEIE && sr & SR_RXNE)));
  const pump = (): number => {
    if ((cr1 & (CR1_UE | CR1_RE)) !== (CR1_UE | CR1_RE) || sr & SR_RXNE) return 0;
    const bytes = host.console.read(1);
    if (bytes.length === 0) return 0;
    dr = bytes[0];
    sr |= SR_RXNE;
    update();
    return 1;
  };
  host.addInputSink(pump);

  // RM0090 30.6.3 (OVER8 = 0): the rate is f_PCLK / BRR, BRR being USARTDIV with 4 fraction bits; 0 stops the line.
  const baud = () => (brr === 0 ? undefined : device.clockHz / brr);
  return {
    transmit: (bytes) => sendOnLine(host, device, bytes, baud()),
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x00: return sr;
        case 0x04: {
          sr &= ~SR_RXNE;
          const b = dr;
          update();
          pump();
          return b;
        }
        case 0x08: return brr;
        case 0x0c: return cr1;
        case 0x10: return cr2;
        case 0x14: return cr3;
        case 0x18: return gtpr;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x00: sr = (value & 0x3ff) | SR_TXE; break;
        case 0x04:
          if ((cr1 & (CR1_UE | CR1_TE)) === (CR1_UE | CR1_TE)) {
            sendOnLine(host, device, Uint8Array.of(value & 0xff), baud());
            sr |= SR_TC;
          }
          break;
        case 0x08: brr = value & 0xffff; break;
        case 0x0c: cr1 = value & 0xffff; pump(); break;
        case 0x10: cr2 = value & 0xffff; break;
        case 0x14: cr3 = value & 0xffff; break;
        case 0x18: gtpr = value & 0xffff; break;
        default: return;
      }
      update();
    },
  };
}
