// Facts about the board the image is built for. `anyk build` supplies this file's content for
// each image (see scripts/lib/entry.ts); this copy on disk only serves editors and type checks.

/** The name of the board, as in boards/<name>/board.json. */
export const BOARD_NAME: string = "(no board)";
