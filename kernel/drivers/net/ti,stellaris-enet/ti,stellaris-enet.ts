// TI Stellaris Ethernet MAC (LM3S6965 datasheet, Ethernet Controller chapter). Frames move through
// one 32-bit FIFO register, DATA, in both directions:
// - transmit: the first word's low half is the frame's length without its 14-byte header, its high
//   half the first two header bytes; the rest of the frame follows packed; TR.NEWTX sends it.
// - receive: the first word's low half is the frame's length plus 6 (the two length bytes and the
//   FCS), then the frame from its third byte on; NP counts the frames waiting.
// The receive interrupt only wakes the event loop: frames stay in the MAC's 2 KiB FIFO until taken.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Netif } from "../../../hil/netif";

const RIS: u32 = 0x00; // read: raw interrupt status; write: IACK
const IM: u32 = 0x04;
const RCTL: u32 = 0x08;
const TCTL: u32 = 0x0c;
const DATA: u32 = 0x10;
const IA0: u32 = 0x14;
const IA1: u32 = 0x18;
const NP: u32 = 0x34;
const TR: u32 = 0x38;

const INT_RX: u32 = 1 << 0;
const INT_ALL: u32 = 0x7f; // RXINT, TXER, TXEMP, FOV, RXER, MDINT, PHYINT
const RCTL_RXEN: u32 = 1 << 0;
const RCTL_BADCRC: u32 = 1 << 3;
const RCTL_RSTFIFO: u32 = 1 << 4;
const TCTL_TXEN: u32 = 1 << 0;
const TCTL_PADEN: u32 = 1 << 1;
const TCTL_CRC: u32 = 1 << 2;
const TR_NEWTX: u32 = 1 << 0;
const HEADER: u32 = 14;
const FIFO_BYTES: u32 = 2032; // the largest frame data the transmit FIFO takes (its 2 KiB less header and length)

export class StellarisEnet extends Netif {
  constructor(private readonly base: u32, irq: u32) {
    super();
    // Receive: flush the FIFO, drop frames with a bad FCS, then enable; transmit with padding to 60
    // bytes and the FCS added by the MAC.
    mmio_write32(base + RCTL, RCTL_RSTFIFO);
    mmio_write32(base + RCTL, RCTL_BADCRC | RCTL_RXEN);
    mmio_write32(base + TCTL, TCTL_PADEN | TCTL_CRC | TCTL_TXEN);
    mmio_write32(base + RIS, INT_ALL);
    mmio_write32(base + IM, INT_RX);
  }

  service(line: u32): void {
    // Acknowledged only: the interrupt's work is to wake the loop, which takes the frames.
    mmio_write32(this.base + RIS, mmio_read32(this.base + RIS));
  }

  receive(buffer: usize, capacity: u32): i32 {
    if (mmio_read32(this.base + NP) == 0) return -1;
    const first = mmio_read32(this.base + DATA);
    const total = first & 0xffff; // length bytes + frame + FCS
    const frameLength: u32 = total < 6 ? 0 : total - 6;
    // The first word carries the frame's first two bytes; every word after carries four.
    let at: u32 = 0;
    let word = first >>> 16;
    let inWord: u32 = 2;
    for (let read: u32 = 4; ; ) {
      for (let i: u32 = 0; i < inWord; i++) {
        if (at < frameLength && at < capacity) store<u8>(buffer + <usize>at, <u8>(word >>> (i * 8)));
        at++;
      }
      if (read >= total) break;
      word = mmio_read32(this.base + DATA);
      read += 4;
      inWord = 4;
    }
    return <i32>(frameLength < capacity ? frameLength : capacity);
  }

  send(frame: usize, length: u32): bool {
    if (length < HEADER || length - HEADER > FIFO_BYTES) return true; // not a frame the MAC can carry: dropped
    // NEWTX stays set until the previous frame has left.
    if (mmio_read32(this.base + TR) & TR_NEWTX) return false;
    mmio_write32(this.base + DATA, (length - HEADER) | (<u32>load<u16>(frame) << 16));
    for (let at: u32 = 2; at < length; at += 4) {
      let word: u32 = 0;
      for (let i: u32 = 0; i < 4 && at + i < length; i++) word |= <u32>load<u8>(frame + <usize>(at + i)) << (i * 8);
      mmio_write32(this.base + DATA, word);
    }
    mmio_write32(this.base + TR, TR_NEWTX);
    return true;
  }

  macAddress(into: usize): void {
    const low = mmio_read32(this.base + IA0);
    const high = mmio_read32(this.base + IA1);
    store<u32>(into, low);
    store<u16>(into + 4, <u16>high);
  }

  linkUp(): bool {
    // The PHY's link state is behind the MII management interface, which QEMU does not model.
    return true;
  }
}
