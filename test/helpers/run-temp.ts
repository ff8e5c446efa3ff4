// vitest's global setup: one temporary folder for the whole run, under which test files make their
// build folders (tempBuildDir), removed when the run ends so that runs do not fill /tmp.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-test-run-"));
  // Test workers are started after this and inherit it.
  process.env.ANYK_TEST_TMP = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
