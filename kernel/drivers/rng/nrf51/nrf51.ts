// Nordic nRF51 RNG (reference manual ch. 21): one random byte per VALRDY event, interrupt-driven
// into a small ring. The generator stops while the ring is full and starts again as it drains.
import { mmio_read32, mmio_write32 } from "../../../../hypercall/kernel";
import { Rng } from "../../../hil/rng";
import { ByteRing } from "../../../base/ring";

const TASKS_START: u32 = 0x000;
const TASKS_STOP: u32 = 0x004;
const EVENTS_VALRDY: u32 = 0x100;
const INTENSET: u32 = 0x304;
const CONFIG: u32 = 0x504;
const VALUE: u32 = 0x508;

const INT_VALRDY: u32 = 1 << 0;
/** Bias correction: slower, but every bit is equally likely 0 or 1. */
const CONFIG_DERCEN: u32 = 1 << 0;

export class Nrf51Rng extends Rng {
  private readonly ready: ByteRing = new ByteRing(16);
  private running: bool = false;

  constructor(private readonly base: u32, irq: u32) {
    super();
    mmio_write32(base + CONFIG, CONFIG_DERCEN);
    mmio_write32(base + EVENTS_VALRDY, 0);
    mmio_write32(base + INTENSET, INT_VALRDY);
    this.run();
  }

  service(line: u32): void {
    if (mmio_read32(this.base + EVENTS_VALRDY) == 0) return;
    mmio_write32(this.base + EVENTS_VALRDY, 0);
    this.ready.push(<u8>mmio_read32(this.base + VALUE));
    if (this.ready.isFull) {
      mmio_write32(this.base + TASKS_STOP, 1);
      this.running = false;
    }
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
