// Outputs are written to a temporary path beside their target and renamed, so a failed or
// interrupted build never leaves a half-written file where a finished one is expected.
import fs from "node:fs";
import path from "node:path";

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** Writes several files so that either all of them are replaced or none is: all go to temporaries first. */
export function writeFilesAtomic(files: ReadonlyArray<readonly [string, string | Uint8Array]>): void {
  const temps: string[] = [];
  try {
    for (const [target, data] of files) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}.tmp-${process.pid}`;
      temps.push(temp);
      fs.writeFileSync(temp, data);
    }
  } catch (err) {
    for (const temp of temps) fs.rmSync(temp, { force: true });
    throw err;
  }
  files.forEach(([target], i) => fs.renameSync(temps[i], target));
}
