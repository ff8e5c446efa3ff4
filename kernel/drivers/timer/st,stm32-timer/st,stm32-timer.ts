// STM32F4 general-purpose timer (RM0090 ch. 18), upcounting with the update interrupt. The
// prescaler makes a 1 MHz count where the input clock allows; 16-bit reloads keep TIM3/TIM4 (16-bit
// counters) as right as TIM2/TIM5.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Timer } from "../../../hil/timer";

const CR1: u32 = 0x00;
const DIER: u32 = 0x0c;
const SR: u32 = 0x10;
const EGR: u32 = 0x14;
const CNT: u32 = 0x24;
const PSC: u32 = 0x28;
const ARR: u32 = 0x2c;

const CR1_CEN: u32 = 1 << 0;
const DIER_UIE: u32 = 1 << 0;
const SR_UIF: u32 = 1 << 0;
// RM0090 18.4.5: SR's flags (UIF, CC1-4IF, TIF, CC1-4OF); the reserved bits must be written 0.
const SR_FLAGS: u32 = 0x1e5f;
const EGR_UG: u32 = 1 << 0;

export class Stm32Timer extends Timer {
  constructor(private readonly base: u32, private readonly clockHz: u32, irq: u32) {
    super();
  }

  service(line: u32): void {
    // Only an update the timer reports counts: a line can be serviced with nothing to do.
    if ((mmio_read32(this.base + SR) & SR_UIF) == 0) return;
    // SR flags are cleared by writing 0 and kept by writing 1.
    mmio_write32(this.base + SR, SR_FLAGS & ~SR_UIF);
    this.counted();
  }

  start(periodUs: u32): void {
    let divider: u32 = this.clockHz >= 1_000_000 ? this.clockHz / 1_000_000 : 1;
    if (divider > 0x10000) divider = 0x10000;
    const counts = this.hardwarePeriod(periodUs, this.clockHz / divider, 0x10000);
    mmio_write32(this.base + CR1, 0);
    mmio_write32(this.base + PSC, divider - 1);
    mmio_write32(this.base + CNT, 0);
    mmio_write32(this.base + EGR, EGR_UG); // loads the prescaler now, not at the next update
    mmio_write32(this.base + SR, SR_FLAGS & ~SR_UIF);
    mmio_write32(this.base + DIER, DIER_UIE);
    mmio_write32(this.base + CR1, CR1_CEN);
    // ARR last: QEMU's model (7.2) arms its alarm when ARR is written, and only keeps it armed
    // while CEN and UIE are already set.
    mmio_write32(this.base + ARR, <u32>(counts - 1));
  }

  stop(): void {
    mmio_write32(this.base + CR1, 0);
    mmio_write32(this.base + DIER, 0);
    mmio_write32(this.base + SR, SR_FLAGS & ~SR_UIF);
  }
}
