// The board as the app API shows it: import { board } from "anykernel/board". board.name is the
// board file's name; board.led is its first LED (the board file's leds[0]) on the GPIO device the
// build bound.
import { BOARD_NAME, LED_PIN } from "../../base/board";
import { gpio } from "../dev/registry";

export class Led {
  private state: bool = false;

  /** Whether the app last turned it on. */
  get lit(): bool {
    return this.state;
  }

  set(on: bool): void {
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
}

export const board = new Board();
