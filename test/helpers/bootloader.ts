// A board's bootloader running in QEMU with its console on a pseudo-terminal and QEMU's monitor on
// a Unix socket (system_reset), for the flashing tests.
import { startOnPty, type PtyBoot } from "./pty.js";

export { openConsole, PTY_SETTLE_MS, sleep, startOnPty } from "./pty.js";
export type BootloaderSession = PtyBoot;

export async function startBootloader(board: string, env: Record<string, string>): Promise<BootloaderSession> {
  return startOnPty(["--bootloader", "--board", board], env);
}
