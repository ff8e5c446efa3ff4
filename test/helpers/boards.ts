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
