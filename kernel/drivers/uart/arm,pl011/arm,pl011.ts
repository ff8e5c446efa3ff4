// ARM PrimeCell PL011 UART (DDI 0183), interrupt-driven: RX and RX-timeout interrupts fill the
// receive ring; the TX interrupt is enabled only while the transmit ring holds bytes.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Uart } from "../../../hil/uart";
import { ringFill, ringWrite } from "../../../hil/ring-uart";

const DR: u32 = 0x000;
const FR: u32 = 0x018;
const LCR_H: u32 = 0x02c;
const CR: u32 = 0x030;
const IMSC: u32 = 0x038;
const ICR: u32 = 0x044;

const FR_RXFE: u32 = 1 << 4;
const FR_TXFF: u32 = 1 << 5;
const LCR_H_FEN_WLEN8: u32 = (1 << 4) | (3 << 5);
const CR_UARTEN_TXE_RXE: u32 = (1 << 0) | (1 << 8) | (1 << 9);
const INT_RX: u32 = 1 << 4;
const INT_TX: u32 = 1 << 5;
const INT_RT: u32 = 1 << 6;

export class Pl011 extends Uart {
  constructor(private readonly base: u32, irq: u32) {
    super();
    mmio_write32(base + LCR_H, LCR_H_FEN_WLEN8);
    mmio_write32(base + CR, CR_UARTEN_TXE_RXE);
    mmio_write32(base + IMSC, INT_RX | INT_RT);
  }

  service(line: u32): void {
    mmio_write32(this.base + ICR, INT_RX | INT_RT | INT_TX);
    while (!(mmio_read32(this.base + FR) & FR_RXFE)) this.rx.push(<u8>mmio_read32(this.base + DR));
    ringFill<Pl011>(this);
  }

  writeByte(b: u8): bool {
    return ringWrite<Pl011>(this, b);
  }

  // @ts-ignore: decorator
  @inline txReady(): bool {
    return !(mmio_read32(this.base + FR) & FR_TXFF);
  }

  // @ts-ignore: decorator
  @inline txPut(b: u8): void {
    mmio_write32(this.base + DR, b);
  }

  // @ts-ignore: decorator
  @inline txInterrupt(on: bool): void {
    mmio_write32(this.base + IMSC, on ? INT_RX | INT_RT | INT_TX : INT_RX | INT_RT);
  }
}
