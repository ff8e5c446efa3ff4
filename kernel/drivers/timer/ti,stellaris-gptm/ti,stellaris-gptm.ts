// Stellaris general-purpose timer module (LM3S6965 datasheet ch. 10), timer A as one 32-bit
// periodic down-counter with its time-out interrupt. (On a real chip SYSCTL RCGC1 must clock the
// timer first; the stub does not do that yet, and QEMU does not need it.)
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Timer } from "../../../hil/timer";

const CFG: u32 = 0x00;
const TAMR: u32 = 0x04;
const CTL: u32 = 0x0c;
const IMR: u32 = 0x18;
const MIS: u32 = 0x20;
const ICR: u32 = 0x24;
const TAILR: u32 = 0x28;

const CFG_32_BIT: u32 = 0;
const TAMR_PERIODIC: u32 = 2;
const CTL_TAEN: u32 = 1;
const INT_TATO: u32 = 1;

export class Gptm extends Timer {
  constructor(private readonly base: u32, private readonly clockHz: u32, irq: u32) {
    super();
  }

  service(line: u32): void {
    // Only a time-out the timer reports counts: a line can be serviced with nothing to do.
    if ((mmio_read32(this.base + MIS) & INT_TATO) == 0) return;
    mmio_write32(this.base + ICR, INT_TATO);
    this.counted();
  }

  start(periodUs: u32): void {
    const counts = this.hardwarePeriod(periodUs, this.clockHz, 0x1_0000_0000);
    mmio_write32(this.base + CTL, 0);
    mmio_write32(this.base + CFG, CFG_32_BIT);
    mmio_write32(this.base + TAMR, TAMR_PERIODIC);
    // The counter runs from TAILR down to 0 and reloads: a period of TAILR + 1 counts.
    mmio_write32(this.base + TAILR, <u32>(counts - 1));
    mmio_write32(this.base + ICR, INT_TATO);
    mmio_write32(this.base + IMR, INT_TATO);
    mmio_write32(this.base + CTL, CTL_TAEN);
  }

  stop(): void {
    mmio_write32(this.base + CTL, 0);
    mmio_write32(this.base + IMR, 0);
  }
}
