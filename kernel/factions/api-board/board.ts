// The board as the app API shows it: import { board } from "anykernel/board". board.name is the
// board file's name; board.led is its first LED (the board file's leds[0]) on the GPIO device the
// build bound; board.pins has the device's pins by name.
import { BOARD_NAME, HAS_LED, LED_PIN } from "../../base/board";
import { panic } from "../../base/panic";
import { gpio } from "../dev/registry";
import { Pins } from "./pins";

export { Pin } from "./pin";

export class Led {
  private state: bool = false;

  /** Whether the app last turned it on. */
  get lit(): bool {
    return this.state;
  }

  set(on: bool): void {
    // A constant: the check folds away on a board with an LED.
    if (!HAS_LED) panic("board.led: the board has no LED (its board file names none on the bound GPIO device)");
    this.state = on;
    gpio().setOutput(LED_PIN, on);
  }

  on(): void {
    this.set(true);
  }

  off(): void {
    this.set(false);
  }

  /** Turns it the other way; returns whether it is now on. */
  toggle(): bool {
    this.set(!this.state);
    return this.state;
  }
}

export class Board {
  readonly name: string = BOARD_NAME;
  readonly led: Led = new Led();

  /** The bound GPIO device's pins by name: the chip's (P0_13, PF0) and the board file's gpio_pins. */
  get pins(): Pins {
    // No fields and unmanaged: a static address serves as the one instance.
    return changetype<Pins>(memory.data(4));
  }
}

export const board = new Board();
