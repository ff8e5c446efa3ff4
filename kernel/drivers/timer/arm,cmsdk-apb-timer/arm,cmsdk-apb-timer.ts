// Arm CMSDK APB timer (DDI 0479C, 4.4): a 32-bit down-counter that interrupts as it goes from 1
// to 0 and reloads from RELOAD on the next count.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Timer } from "../../../hil/timer";

const CTRL: u32 = 0x0;
const VALUE: u32 = 0x4;
const RELOAD: u32 = 0x8;
/** INTSTATUS when read, INTCLEAR (write 1) when written. */
const INTCLEAR: u32 = 0xc;

const CTRL_EN: u32 = 1 << 0;
const CTRL_IRQEN: u32 = 1 << 3;

export class CmsdkTimer extends Timer {
  constructor(private readonly base: u32, private readonly clockHz: u32, irq: u32) {
    super();
  }

  service(line: u32): void {
    // Only an expiry the timer reports counts: a line can be serviced with nothing to do.
    if ((mmio_read32(this.base + INTCLEAR) & 1) == 0) return;
    mmio_write32(this.base + INTCLEAR, 1);
    this.counted();
  }

  start(periodUs: u32): void {
    const counts = this.hardwarePeriod(periodUs, this.clockHz, 0x1_0000_0000);
    mmio_write32(this.base + CTRL, 0);
    // RELOAD, then 0 for one count: a period of RELOAD + 1 counts.
    mmio_write32(this.base + RELOAD, <u32>(counts - 1));
    mmio_write32(this.base + VALUE, <u32>(counts - 1));
    mmio_write32(this.base + INTCLEAR, 1);
    mmio_write32(this.base + CTRL, CTRL_EN | CTRL_IRQEN);
  }

  stop(): void {
    mmio_write32(this.base + CTRL, 0);
    mmio_write32(this.base + INTCLEAR, 1);
  }
}
