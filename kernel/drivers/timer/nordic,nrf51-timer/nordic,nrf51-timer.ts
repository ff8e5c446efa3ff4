// Nordic nRF51 TIMER (reference manual ch. 18) in timer mode: a 32-bit up-counter at
// 16 MHz / 2^PRESCALER, compared with CC[0]; the COMPARE0_CLEAR short restarts it from 0.
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Timer } from "../../../hil/timer";

const TASKS_START: u32 = 0x000;
const TASKS_STOP: u32 = 0x004;
const TASKS_CLEAR: u32 = 0x00c;
const EVENTS_COMPARE0: u32 = 0x140;
const SHORTS: u32 = 0x200;
const INTENSET: u32 = 0x304;
const INTENCLR: u32 = 0x308;
const MODE: u32 = 0x504;
const BITMODE: u32 = 0x508;
const PRESCALER: u32 = 0x510;
const CC0: u32 = 0x540;

const MODE_TIMER: u32 = 0;
const BITMODE_32: u32 = 3;
const SHORT_COMPARE0_CLEAR: u32 = 1 << 0;
const INT_COMPARE0: u32 = 1 << 16;
/** The largest prescaler: the slowest count, 16 MHz / 512. */
const MAX_PRESCALER: u32 = 9;

export class Nrf51Timer extends Timer {
  constructor(private readonly base: u32, private readonly clockHz: u32, irq: u32) {
    super();
  }

  service(line: u32): void {
    // Only a compare event the timer reports counts: a line can be serviced with nothing to do.
    if (mmio_read32(this.base + EVENTS_COMPARE0) == 0) return;
    mmio_write32(this.base + EVENTS_COMPARE0, 0);
    this.counted();
  }

  start(periodUs: u32): void {
    // The fastest count whose 32-bit range holds the period keeps the most resolution.
    let prescaler: u32 = 0;
    while (prescaler < MAX_PRESCALER && (<u64>periodUs * <u64>(this.clockHz >> prescaler)) / 1_000_000 > 0xffff_ffff) prescaler++;
    const counts = this.hardwarePeriod(periodUs, this.clockHz >> prescaler, 0xffff_ffff);
    mmio_write32(this.base + TASKS_STOP, 1);
    mmio_write32(this.base + TASKS_CLEAR, 1);
    mmio_write32(this.base + MODE, MODE_TIMER);
    mmio_write32(this.base + BITMODE, BITMODE_32);
    mmio_write32(this.base + PRESCALER, prescaler);
    mmio_write32(this.base + CC0, <u32>counts);
    mmio_write32(this.base + SHORTS, SHORT_COMPARE0_CLEAR);
    mmio_write32(this.base + EVENTS_COMPARE0, 0);
    mmio_write32(this.base + INTENSET, INT_COMPARE0);
    mmio_write32(this.base + TASKS_START, 1);
  }

  stop(): void {
    mmio_write32(this.base + TASKS_STOP, 1);
    mmio_write32(this.base + INTENCLR, INT_COMPARE0);
    mmio_write32(this.base + EVENTS_COMPARE0, 0);
  }
}
