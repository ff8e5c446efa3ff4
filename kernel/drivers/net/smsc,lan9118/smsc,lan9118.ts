// SMSC LAN9118 Ethernet controller (datasheet DS00002266, section 5: system control and status
// registers; 5.4: the MAC's own registers, reached through MAC_CSR_CMD and MAC_CSR_DATA). Frames
// pass through FIFO ports, little-endian words:
// - receive: RX_FIFO_INF counts the status words waiting; each RX_STATUS word gives a frame's
//   length (FCS included) and an error bit, then that many bytes come from RX_DATA, whole words.
// - transmit: TX command A (first and last segment, byte count), TX command B (a tag and the frame
//   length), then the frame's words, once TX_FIFO_INF says they fit.
// The board's bring-up has already checked BYTE_TEST and waited for PMT_CTRL.READY (datasheet 3.11).
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Netif } from "../../../hil/netif";

const RX_DATA: u32 = 0x00;
const TX_DATA: u32 = 0x20;
const RX_STATUS: u32 = 0x40;
const IRQ_CFG: u32 = 0x54;
const INT_STS: u32 = 0x58;
const INT_EN: u32 = 0x5c;
const TX_CFG: u32 = 0x70;
const RX_FIFO_INF: u32 = 0x7c;
const TX_FIFO_INF: u32 = 0x80;
const MAC_CSR_CMD: u32 = 0xa4;
const MAC_CSR_DATA: u32 = 0xa8;

// IRQ_CFG: the IRQ pin enabled, push-pull and active high, as the NVIC input wants it.
const IRQ_EN: u32 = 1 << 8;
const IRQ_POL: u32 = 1 << 4;
const IRQ_TYPE: u32 = 1 << 0;
const INT_RSFL: u32 = 1 << 3; // the receive status FIFO holds more than FIFO_INT's level (0)
const INT_ALL: u32 = 0x83bfefff; // every defined bit of INT_STS (5.3.3)
// TX_CFG: transmitter on; the TX status FIFO may overrun, so nobody has to empty it.
const TX_ON: u32 = 1 << 1;
const TXSAO: u32 = 1 << 2;
const CSR_BUSY: u32 = 1 << 31;
const CSR_READ: u32 = 1 << 30;
// The MAC's registers (5.4) and MAC_CR's bits.
const MAC_CR: u32 = 1;
const MAC_ADDRH: u32 = 2;
const MAC_ADDRL: u32 = 3;
const MAC_CR_TXEN: u32 = 1 << 3;
const MAC_CR_RXEN: u32 = 1 << 2;
const STATUS_ERROR: u32 = 1 << 15;
const FIRST_SEGMENT: u32 = 1 << 13;
const LAST_SEGMENT: u32 = 1 << 12;
const MAX_FRAME: u32 = 1514;
/** Polls of a busy MAC CSR before it is taken as gone. */
const CSR_POLLS: u32 = 100000;

export class Lan9118 extends Netif {
  constructor(private readonly base: u32, irq: u32) {
    super();
    // The MAC passes our address and broadcasts only (reset leaves it promiscuous), both ways on.
    this.writeMac(MAC_CR, MAC_CR_TXEN | MAC_CR_RXEN);
    mmio_write32(base + TX_CFG, TX_ON | TXSAO);
    mmio_write32(base + INT_STS, INT_ALL);
    mmio_write32(base + INT_EN, INT_RSFL);
    mmio_write32(base + IRQ_CFG, IRQ_EN | IRQ_POL | IRQ_TYPE);
  }

  private waitCsr(): void {
    for (let i: u32 = 0; i < CSR_POLLS && (mmio_read32(this.base + MAC_CSR_CMD) & CSR_BUSY) != 0; i++) {}
  }

  private writeMac(register: u32, value: u32): void {
    this.waitCsr();
    mmio_write32(this.base + MAC_CSR_DATA, value);
    mmio_write32(this.base + MAC_CSR_CMD, CSR_BUSY | register);
    this.waitCsr();
  }

  private readMac(register: u32): u32 {
    this.waitCsr();
    mmio_write32(this.base + MAC_CSR_CMD, CSR_BUSY | CSR_READ | register);
    this.waitCsr();
    return mmio_read32(this.base + MAC_CSR_DATA);
  }

  service(line: u32): void {
    // Acknowledged only: the interrupt's work is to wake the loop, which takes the frames.
    mmio_write32(this.base + INT_STS, mmio_read32(this.base + INT_STS));
  }

  receive(buffer: usize, capacity: u32): i32 {
    if (((mmio_read32(this.base + RX_FIFO_INF) >>> 16) & 0xff) == 0) return -1;
    const status = mmio_read32(this.base + RX_STATUS);
    const length = (status >>> 16) & 0x3fff; // with the 4-byte FCS
    const frameLength = length > 4 ? length - 4 : 0;
    const keep = frameLength < capacity ? frameLength : capacity;
    // Every word of the frame is read, kept or not, so that the next frame starts on its own.
    const words = (length + 3) >> 2;
    for (let i: u32 = 0; i < words; i++) {
      const word = mmio_read32(this.base + RX_DATA);
      const at = i << 2;
      for (let b: u32 = 0; b < 4; b++) if (at + b < keep) store<u8>(buffer + <usize>(at + b), <u8>(word >>> (b * 8)));
    }
    if (status & STATUS_ERROR) return 0; // a bad frame (FCS, runt, too long): taken, and empty
    return <i32>keep;
  }

  send(frame: usize, length: u32): bool {
    if (length < 14 || length > MAX_FRAME) return true; // not a frame the MAC can carry: dropped
    const words = (length + 3) >> 2;
    if ((mmio_read32(this.base + TX_FIFO_INF) & 0xffff) < (words << 2) + 8) return false;
    mmio_write32(this.base + TX_DATA, FIRST_SEGMENT | LAST_SEGMENT | length);
    mmio_write32(this.base + TX_DATA, (length << 16) | length); // tag, then length
    for (let i: u32 = 0; i < words; i++) {
      const at = i << 2;
      let word: u32 = 0;
      for (let b: u32 = 0; b < 4 && at + b < length; b++) word |= <u32>load<u8>(frame + <usize>(at + b)) << (b * 8);
      mmio_write32(this.base + TX_DATA, word);
    }
    return true;
  }

  macAddress(into: usize): void {
    store<u32>(into, this.readMac(MAC_ADDRL));
    store<u16>(into + 4, <u16>this.readMac(MAC_ADDRH));
  }

  linkUp(): bool {
    // The PHY's link state is behind the MII management registers; QEMU completes autonegotiation at once.
    return true;
  }
}
