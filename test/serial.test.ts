// anyk boot --serial pty: the console on a real pseudo-terminal, opened with serialport.
// (Output over the pty is checked by the echo tests in drivers.test.ts and the flashing tests,
// which read replies while QEMU is still running.)
import { expect, it } from "vitest";
import { tempBuildDir } from "./helpers/cli.js";
import { bootOnPty, PTY_SETTLE_MS, sleep } from "./helpers/pty.js";

it("puts the console on a pseudo-terminal whose path it prints, and takes input from it", async () => {
  // bootOnPty fails unless anyk boot prints "anyk: console on /dev/pts/N".
  const session = await bootOnPty(["test/apps/trap", "--board", "lm3s6965evb"], { ANYK_BUILD_DIR: tempBuildDir("serial") });
  // QEMU takes input from a newly opened pty only once it has noticed it (it polls once a second).
  await sleep(PTY_SETTLE_MS);
  // The app polls the console for one command byte; 'a' makes it panic: exit code 101, where
  // without the byte it would wait until anyk boot's timeout. The panic line itself is not
  // checked here: QEMU exits the moment the kernel does, and the pty's hangup can discard what the
  // port has not read yet (the boot tests check its text through stdio).
  session.write("a");
  const { code } = await session.closed;
  expect(code).toBe(101);
}, 120_000);
