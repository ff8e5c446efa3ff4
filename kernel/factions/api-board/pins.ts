// anyk build writes this file for each image: a getter per pin of the bound GPIO device, named as
// the chip's manual and the board file name them (board.pins.P0_13, board.pins.BUTTON_A). This copy
// on disk, with microbit's first pins, only serves editors and type checks.
import { Pin } from "./pin";

// @ts-ignore: decorator
@unmanaged
export class Pins {
  /** Pin 13 of gpio. */
  get P0_13(): Pin {
    return changetype<Pin>(memory.data<u32>([13]));
  }
}
