// anyk boot --serial pty: the console on a real pseudo-terminal, opened with serialport.
// (Output over the pty is checked by the echo tests in drivers.test.ts and the flashing tests,
// which read replies while QEMU is still running.)
import fs from "node:fs";
import { expect, it } from "vitest";
import { tempBuildDir } from "./helpers/cli.js";
import { bootOnPty, PTY_SETTLE_MS, sleep, startOnPty } from "./helpers/pty.js";

/** The child processes of a process, from /proc. */
function childrenOf(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
}

/** Whether a process still runs: it exists and is not a zombie (its exit not yet collected). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

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

it("takes QEMU down with it when anyk boot is killed outright (SIGKILL, which it cannot catch)", async () => {
  const boot = await startOnPty(["--bootloader", "--board", "lm3s6965evb"], { ANYK_BUILD_DIR: tempBuildDir("serial-kill") });
  const qemu = childrenOf(boot.pid);
  expect(qemu).toHaveLength(1);
  expect(fs.readFileSync(`/proc/${qemu[0]}/cmdline`, "utf8")).toMatch(/^qemu-system-arm\0/);
  expect(running(qemu[0])).toBe(true);
  boot.kill();
  await boot.closed;
  const until = Date.now() + 5000;
  while (running(qemu[0]) && Date.now() < until) await sleep(50);
  expect(running(qemu[0])).toBe(false);
}, 120_000);
