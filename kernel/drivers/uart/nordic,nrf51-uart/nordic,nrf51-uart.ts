// Nordic nRF51 UART (nRF51 Series Reference Manual, ch. 29), interrupt-driven on the RXDRDY and
// TXDRDY events. TXD takes one byte at a time: the next goes when TXDRDY says the last has left.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Uart } from "../../../hil/uart";

const TASKS_STARTRX: u32 = 0x000;
const TASKS_STARTTX: u32 = 0x008;
const EVENTS_RXDRDY: u32 = 0x108;
const EVENTS_TXDRDY: u32 = 0x11c;
const INTENSET: u32 = 0x304;
const ENABLE: u32 = 0x500;
const RXD: u32 = 0x518;
const TXD: u32 = 0x51c;

const ENABLE_UART: u32 = 4;
const INT_RXDRDY: u32 = 1 << 2;
const INT_TXDRDY: u32 = 1 << 7;

export class Nrf51Uart extends Uart {
  /** A byte is in TXD and its TXDRDY has not been serviced yet. */
  private sending: bool = false;

  constructor(private readonly base: u32, irq: u32) {
    super();
    mmio_write32(base + ENABLE, ENABLE_UART);
    mmio_write32(base + TASKS_STARTTX, 1);
    mmio_write32(base + TASKS_STARTRX, 1);
    mmio_write32(base + INTENSET, INT_RXDRDY | INT_TXDRDY);
  }

  service(line: u32): void {
    while (mmio_read32(this.base + EVENTS_RXDRDY) != 0) {
      mmio_write32(this.base + EVENTS_RXDRDY, 0);
      this.rx.push(<u8>mmio_read32(this.base + RXD));
    }
    if (mmio_read32(this.base + EVENTS_TXDRDY) != 0) {
      mmio_write32(this.base + EVENTS_TXDRDY, 0);
      this.sending = false;
      if (!this.tx.isEmpty) this.send(<u8>this.tx.pop());
    }
  }

  private send(b: u8): void {
    this.sending = true;
    mmio_write32(this.base + TXD, b);
  }

  /** TXD takes one byte at a time (no FIFO to fill), so the shared ring logic does not apply. */
  writeByte(b: u8): bool {
    if (!this.sending) {
      this.send(b);
      return true;
    }
    return this.tx.push(b);
  }

  txPending(): u32 {
    return this.tx.length + (this.sending ? 1 : 0);
  }
}
