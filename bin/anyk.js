#!/usr/bin/env node
// The CLI is TypeScript compiled to dist/ by `npm install` (prepare); this shim only starts it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = fileURLToPath(new URL("../dist/scripts/cli.js", import.meta.url));
if (!existsSync(compiled)) {
  console.error("anyk: the CLI is not compiled yet (dist/scripts/cli.js missing); run `npm install` or `npx tsc -p .` in the project folder");
  process.exit(1);
}
let main;
try {
  ({ main } = await import(compiled));
} catch (err) {
  // A project file the toolchain reads as it loads (anykernel.json): its mistake in one line, as main reports others.
  if (err && typeof err.exitCode === "number") {
    console.error(`anyk: error: ${err.message}`);
    process.exit(err.exitCode);
  }
  throw err;
}
process.exitCode = await main(process.argv.slice(2));
