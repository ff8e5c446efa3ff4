// Nordic nRF51 RNG (reference manual ch. 21): one random byte per VALRDY event, interrupt-driven
// into a small ring. The VALRDY_STOP short stops the generator after each byte and the service
// starts it again while the ring has room: a byte is never overwritten before it is read, so the
// bytes seen do not depend on how late the service comes (and QEMU's -seed repeats them exactly).
import { mmio_read32, mmio_write32 } from "../../../../abi/gen/kernel";
import { Rng } from "../../../hil/rng";
import { ByteRing } from "../../../base/ring";

const TASKS_START: u32 = 0x000;
const EVENTS_VALRDY: u32 = 0x100;
const SHORTS: u32 = 0x200;
const INTENSET: u32 = 0x304;
const CONFIG: u32 = 0x504;
const VALUE: u32 = 0x508;

const SHORT_VALRDY_STOP: u32 = 1 << 0;
const INT_VALRDY: u32 = 1 << 0;
/** Bias correction: slower, but every bit is equally likely 0 or 1. */
const CONFIG_DERCEN: u32 = 1 << 0;

export class Nrf51Rng extends Rng {
  private readonly ready: ByteRing = new ByteRing(16);
  private running: bool = false;

  constructor(private readonly base: u32, irq: u32) {
    super();
    mmio_write32(base + CONFIG, CONFIG_DERCEN);
    mmio_write32(base + SHORTS, SHORT_VALRDY_STOP);
    mmio_write32(base + EVENTS_VALRDY, 0);
    mmio_write32(base + INTENSET, INT_VALRDY);
    this.run();
  }

  service(line: u32): void {
    if (mmio_read32(this.base + EVENTS_VALRDY) == 0) return;
    mmio_write32(this.base + EVENTS_VALRDY, 0);
    this.ready.push(<u8>mmio_read32(this.base + VALUE));
    // The short has stopped the generator; the next byte only once there is room for it.
    this.running = false;
    if (!this.ready.isFull) this.run();
  }

  private run(): void {
    this.running = true;
    mmio_write32(this.base + TASKS_START, 1);
  }

  readByte(): i32 {
    const b = this.ready.pop();
    if (!this.running) this.run();
    return b;
  }
}
