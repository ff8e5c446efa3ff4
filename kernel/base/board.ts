// Facts about the image and the board it is built for. `anyk build` supplies this file's content
// for each image (see scripts/lib/entry.ts); this copy on disk only serves editors and type checks.

/** The name of the board, as in boards/<name>/board.json. */
export const BOARD_NAME: string = "(no board)";

/** Heap bytes the image may allocate: the sum of its components' `heap` budgets. */
export const HEAP_CAP: u32 = 0;

/** The part of HEAP_CAP the heap's runtime takes for itself (TLSF's root). */
export const HEAP_RUNTIME_BYTES: u32 = 0;

/** The pin of the board's first LED on the bound GPIO device. */
export const LED_PIN: u32 = 0;

/** Whether the board file names an LED on the bound GPIO device (board.led panics without one). */
export const HAS_LED: bool = false;

/** The register window of the bound GPIO device, 0 when the image has none. */
export const GPIO_BASE: u32 = 0;
