// TI Stellaris Ethernet MAC model, following QEMU's hw/net/stellaris_enet.c and the LM3S6965
// datasheet: frames through the DATA FIFO register (transmit: a length word, then the frame packed,
// sent by TR.NEWTX; receive: a length word counting the two length bytes and the FCS, then the
// frame), up to 31 received frames waiting (NP), RIS/IACK/IM for the interrupt. On the run's network
// (anyk run --net, --net-udp) when it has one; frames wait there while the receive FIFO is full.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { crc32 } from "./crc32.js";
import { connectNic, lineOf, type Device, type DeviceHost, type NicModel } from "./host.js";

const INT_RX = 0x01;
const INT_TXER = 0x02;
const INT_TXEMP = 0x04;
const INT_FOV = 0x08;
const RCTL_RXEN = 0x01;
const RCTL_RSTFIFO = 0x10;
const TCTL_PADEN = 0x02;
const MAX_FRAMES = 31;
const FIFO_BYTES = 2048;

export type EnetModel = DeviceModel & NicModel;

export function stellarisEnet(device: Device, host: DeviceHost): EnetModel {
  const line = lineOf(device);
  let ris = 0, im = 0x7f, rctl = 0x08, tctl = 0, thr = 0x3f, mctl = 0, mdv = 0x80;
  const mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]; // QEMU's default NIC address
  const rx: Uint8Array[] = [];
  let rxOffset = 0;
  let tx: number[] = [];
  const update = () => host.setIrqLevel(line, (ris & im) !== 0);
  const send = () => {
    let length = (tx[0] | (tx[1] << 8)) + 14;
    if (tctl & TCTL_PADEN && length < 60) length = 60;
    const frame = Uint8Array.from({ length }, (_, i) => tx[i + 2] ?? 0);
    tx = [];
    host.network?.send(frame);
    ris |= INT_TXEMP;
    update();
  };
  const model: EnetModel = {
    canReceive: () => (rctl & RCTL_RXEN) !== 0 && rx.length < MAX_FRAMES,
    deliver(frame: Uint8Array): void {
      if (frame.length >= FIFO_BYTES - 6) {
        ris |= INT_FOV;
        update();
        return;
      }
      const stored = new Uint8Array(Math.ceil((frame.length + 6) / 4) * 4);
      stored[0] = (frame.length + 6) & 0xff;
      stored[1] = (frame.length + 6) >> 8;
      stored.set(frame, 2);
      new DataView(stored.buffer).setUint32(2 + frame.length, crc32(frame), true);
      rx.push(stored);
      ris |= INT_RX;
      update();
    },
    read(offset: number, _width: AccessWidth): number {
      switch (offset) {
        case 0x00: return ris;
        case 0x04: return im;
        case 0x08: return rctl;
        case 0x0c: return tctl;
        case 0x10: {
          const frame = rx[0];
          if (!frame) return 0;
          const word = new DataView(frame.buffer).getUint32(rxOffset, true);
          rxOffset += 4;
          if (rxOffset >= (frame[0] | (frame[1] << 8))) {
            rx.shift();
            rxOffset = 0;
          }
          return word >>> 0;
        }
        case 0x14: return (mac[0] | (mac[1] << 8) | (mac[2] << 16) | (mac[3] << 24)) >>> 0;
        case 0x18: return mac[4] | (mac[5] << 8);
        case 0x1c: return thr;
        case 0x20: return mctl;
        case 0x24: return mdv;
        case 0x34: return rx.length;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      switch (offset) {
        case 0x00:
          ris &= ~value;
          if (value & INT_TXER) tx = [];
          update();
          break;
        case 0x04: im = value & 0x7f; update(); break;
        case 0x08:
          rctl = value & 0x1f;
          if (value & RCTL_RSTFIFO) {
            rx.length = 0;
            rxOffset = 0;
            update();
          }
          break;
        case 0x0c: tctl = value & 0x1f; break;
        case 0x10:
          if (tx.length === 0 && (value & 0xffff) > 2032) {
            ris |= INT_TXER;
            update();
            break;
          }
          if (tx.length + 4 <= FIFO_BYTES) tx.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
          break;
        case 0x14: mac.splice(0, 4, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24); break;
        case 0x18: mac.splice(4, 2, value & 0xff, (value >>> 8) & 0xff); break;
        case 0x1c: thr = value & 0x3f; break;
        case 0x20: mctl = value & ~1; break;
        case 0x24: mdv = value & 0xff; break;
        case 0x38: if (value & 1) send(); break;
      }
    },
  };
  connectNic(host, model);
  return model;
}
