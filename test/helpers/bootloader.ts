// A board's bootloader running in QEMU with its console on a pseudo-terminal and QEMU's monitor on
// a Unix socket (system_reset), for the flashing tests.
import { expect } from "vitest";
import { anyk } from "./cli.js";
import { startOnPty, type PtyBoot } from "./pty.js";

export { openConsole, PTY_SETTLE_MS, sleep, startOnPty } from "./pty.js";
export type BootloaderSession = PtyBoot;

export async function startBootloader(board: string, env: Record<string, string>): Promise<BootloaderSession> {
  return startOnPty(["--bootloader", "--board", board], env);
}

/** anyk build <app> --image (with more arguments, such as --engine or --sign): the image file's path. */
export async function imageOf(app: string, board: string, env: Record<string, string>, more: string[] = []): Promise<string> {
  const r = await anyk(["build", app, "--board", board, "--image", "--json", ...more], { env, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).outputs.image;
}
