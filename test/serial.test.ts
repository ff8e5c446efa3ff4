// anyk boot --serial pty: the console on a real pseudo-terminal, opened with serialport.
import { expect, it } from "vitest";
import { tempBuildDir } from "./helpers/cli.js";
import { bootOnPty, PTY_SETTLE_MS, sleep } from "./helpers/pty.js";

it("puts the console on a pseudo-terminal whose path it prints", async () => {
  // bootOnPty fails unless anyk boot prints "anyk: console on /dev/pts/N".
  const session = await bootOnPty(["test/apps/trap", "--board", "lm3s6965evb"], { ANYK_BUILD_DIR: tempBuildDir("serial") });
  // QEMU drops console output until it notices the pty is open, which it checks once a second:
  // wait for that before the app is made to print and exit at once.
  await sleep(PTY_SETTLE_MS);
  // The app polls the console for one command byte; 'a' makes it panic with a known message.
  session.write("a");
  const { code } = await session.closed;
  expect(session.received()).toMatch(/panic: abort: deliberate panic from the trap app \(pc 0x[0-9A-F]{8}\)/);
  expect(code).toBe(101);
}, 120_000);
