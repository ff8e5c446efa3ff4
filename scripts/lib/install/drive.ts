// anyk flash --drive: the micro:bit's DAPLink interface shows a USB drive (MICROBIT); a .hex copied
// onto it is flashed, and the drive comes back with FAIL.TXT when that failed (DAPLink's own report).
import fs from "node:fs";
import path from "node:path";
import type { Board } from "../boards.js";
import { UserError } from "../errors.js";

/** Mount points from /proc/mounts text whose folder is named label (escapes like \040 undone). */
export function mountsNamed(mountsText: string, label: string): string[] {
  return mountsText
    .split("\n")
    .map((line) => line.split(" ")[1])
    .filter((m): m is string => m !== undefined)
    .map((m) => m.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter((m) => path.basename(m) === label);
}

/** The drive to copy to: the one given, or the one mounted under the board's label. */
export function findDrive(board: Board, given: string, mountsText: string | undefined): string {
  const label = board.install.drive;
  if (!label) throw new UserError(`${board.name}: the board file names no USB drive (install.drive), so --drive cannot be used`);
  if (given !== "auto") {
    if (!fs.existsSync(given) || !fs.statSync(given).isDirectory()) throw new UserError(`--drive ${given}: no such folder; give the mounted ${label} drive's path, or --drive auto`);
    return given;
  }
  const found = mountsText === undefined ? [] : mountsNamed(mountsText, label);
  if (found.length === 0) throw new UserError(`no ${label} drive is mounted: plug the board in over USB (its interface chip shows a drive named ${label}) and mount it, or give --drive PATH`);
  if (found.length > 1) throw new UserError(`${found.length} ${label} drives are mounted (${found.join(", ")}); give --drive PATH`);
  return found[0];
}

/** Copies the hex onto the drive, flushed to the device, then reads DAPLink's verdict. */
export async function copyToDrive(hexFile: string, drive: string, settleMs: number): Promise<{ file: string; bytes: number }> {
  const target = path.join(drive, path.basename(hexFile));
  const data = fs.readFileSync(hexFile);
  // No temp file and rename here: DAPLink flashes whatever .hex file is written, so a rename would flash twice.
  const fd = fs.openSync(target, "w");
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const fail = path.join(drive, "FAIL.TXT");
  if (fs.existsSync(fail)) throw new UserError(`the board's interface chip refused the image: ${fs.readFileSync(fail, "utf8").trim().split("\n")[0]} (${fail})`);
  return { file: target, bytes: data.length };
}
