// ARM CMSDK APB UART (DDI 0479), interrupt-driven with separate RX and TX lines. It holds one byte
// each way; the receive ring takes every byte at its RX interrupt.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Uart } from "../../../hil/uart";
import { ringFill, ringWrite } from "../../../hil/ring-uart";

const DATA: u32 = 0x00;
const STATE: u32 = 0x04;
const CTRL: u32 = 0x08;
const INTCLEAR: u32 = 0x0c;

const STATE_TX_FULL: u32 = 1 << 0;
const STATE_RX_FULL: u32 = 1 << 1;
const CTRL_TX_RX_EN: u32 = (1 << 0) | (1 << 1);
const CTRL_TX_INT: u32 = 1 << 2;
const CTRL_RX_INT: u32 = 1 << 3;
const INT_TX: u32 = 1 << 0;
const INT_RX: u32 = 1 << 1;

export class CmsdkUart extends Uart {
  constructor(private readonly base: u32, private readonly rxLine: u32, txLine: u32) {
    super();
    mmio_write32(base + CTRL, CTRL_TX_RX_EN | CTRL_RX_INT);
    // The RX interrupt comes when a byte arrives, not for one already held: a byte typed before
    // this (the stub's console had RX on) would sit there, and QEMU sends no more until it is read.
    this.drain();
  }

  private drain(): void {
    while (mmio_read32(this.base + STATE) & STATE_RX_FULL) this.rx.push(<u8>mmio_read32(this.base + DATA));
  }

  service(line: u32): void {
    if (line == this.rxLine) {
      mmio_write32(this.base + INTCLEAR, INT_RX);
      this.drain();
    } else {
      mmio_write32(this.base + INTCLEAR, INT_TX);
    }
    ringFill<CmsdkUart>(this);
  }

  writeByte(b: u8): bool {
    return ringWrite<CmsdkUart>(this, b);
  }

  // @ts-ignore: decorator
  @inline txReady(): bool {
    return !(mmio_read32(this.base + STATE) & STATE_TX_FULL);
  }

  // @ts-ignore: decorator
  @inline txPut(b: u8): void {
    mmio_write32(this.base + DATA, b);
  }

  // @ts-ignore: decorator
  @inline txInterrupt(on: bool): void {
    mmio_write32(this.base + CTRL, on ? CTRL_TX_RX_EN | CTRL_RX_INT | CTRL_TX_INT : CTRL_TX_RX_EN | CTRL_RX_INT);
  }
}
