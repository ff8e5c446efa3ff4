// The boards the tests run on, read from boards/ as the toolchain reads them, so a board added
// there is tested without editing a list here.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./cli.js";

const BOARDS_DIR = path.join(ROOT, "boards");

/** Every board folder with a board.json, sorted. */
export const BOARDS: string[] = fs
  .readdirSync(BOARDS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(BOARDS_DIR, e.name, "board.json")))
  .map((e) => e.name)
  .sort();

/** The boards whose board file has a loader section (serial bootloader and anyk flash). */
export const LOADER_BOARDS: string[] = BOARDS.filter((b) => JSON.parse(fs.readFileSync(path.join(BOARDS_DIR, b, "board.json"), "utf8")).loader !== undefined);

/** A board file with its chip's fields written in (the chip's devices first, the board's amending
 *  or adding by name), read as data: the tests' own reading of boards/ and chips/. */
export function boardData(name: string): Record<string, any> {
  const board = JSON.parse(fs.readFileSync(path.join(BOARDS_DIR, name, "board.json"), "utf8"));
  if (board.inherits === undefined) return board;
  const chip = JSON.parse(fs.readFileSync(path.join(ROOT, "chips", `${board.inherits}.json`), "utf8"));
  const devices: Array<Record<string, unknown>> = (chip.devices ?? []).map((d: object) => ({ ...d }));
  for (const d of board.devices ?? []) {
    const at = devices.findIndex((x) => x.name === d.name);
    if (at >= 0) devices[at] = { ...devices[at], ...d };
    else devices.push(d);
  }
  return { ...chip, ...board, devices };
}
