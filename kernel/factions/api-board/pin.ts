// One GPIO pin of the bound GPIO device, as board.pins.<NAME> gives it. A Pin lives in 4 bytes of
// static memory holding its number (see the generated pins.ts): unmanaged, so getting one never
// allocates and no garbage collector ever traces it.
import { gpio } from "../dev/registry";

// @ts-ignore: decorator
@unmanaged
export class Pin {
  readonly number: u32 = 0;

  /** Makes it an output driving level (true = high). */
  set(level: bool): void {
    gpio().setOutput(this.number, level);
  }

  high(): void {
    this.set(true);
  }

  low(): void {
    this.set(false);
  }

  /** Its level: the one it drives when an output, the one it reads when an input. */
  read(): bool {
    return gpio().read(this.number);
  }

  /** Drives the other level; returns the new one. */
  toggle(): bool {
    const level = !this.read();
    this.set(level);
    return level;
  }
}
