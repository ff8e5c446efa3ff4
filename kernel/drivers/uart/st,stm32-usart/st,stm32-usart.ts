// STM32F4 USART (RM0090, ch. 30), interrupt-driven: RXNE fills the receive ring; the TXE interrupt
// is enabled only while the transmit ring holds bytes.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Uart } from "../../../hil/uart";
import { ringFill, ringWrite } from "../../../hil/ring-uart";

const SR: u32 = 0x00;
const DR: u32 = 0x04;
const CR1: u32 = 0x0c;

const SR_RXNE: u32 = 1 << 5;
const SR_TXE: u32 = 1 << 7;
const CR1_ENABLED: u32 = (1 << 13) | (1 << 3) | (1 << 2); // UE, TE, RE
const CR1_RXNEIE: u32 = 1 << 5;
const CR1_TXEIE: u32 = 1 << 7;

export class Stm32Usart extends Uart {
  constructor(private readonly base: u32, irq: u32) {
    super();
    mmio_write32(base + CR1, CR1_ENABLED | CR1_RXNEIE);
    // QEMU (before 8.2) raises the interrupt when a byte arrives, not when RXNEIE is set with one
    // already held: a byte typed before this (the stub's console had RE on) would sit there, and
    // QEMU sends no more until it is read.
    this.drain();
  }

  service(line: u32): void {
    this.drain();
    ringFill<Stm32Usart>(this);
  }

  private drain(): void {
    while (mmio_read32(this.base + SR) & SR_RXNE) this.rx.push(<u8>mmio_read32(this.base + DR));
  }

  writeByte(b: u8): bool {
    return ringWrite<Stm32Usart>(this, b);
  }

  // @ts-ignore: decorator
  @inline txReady(): bool {
    return (mmio_read32(this.base + SR) & SR_TXE) != 0;
  }

  // @ts-ignore: decorator
  @inline txPut(b: u8): void {
    mmio_write32(this.base + DR, b);
  }

  // @ts-ignore: decorator
  @inline txInterrupt(on: bool): void {
    mmio_write32(this.base + CR1, on ? CR1_ENABLED | CR1_RXNEIE | CR1_TXEIE : CR1_ENABLED | CR1_RXNEIE);
  }
}
