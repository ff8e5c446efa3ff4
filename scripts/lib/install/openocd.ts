// anyk flash --probe openocd: OpenOCD with the board file's interface and target configuration,
// its `program` command erasing, writing, verifying and resetting in one run.
import type { Board } from "../boards.js";
import { UserError } from "../errors.js";
import type { FailurePattern, ToolCommand } from "./external.js";

export function openocdCommand(board: Board, elf: string): ToolCommand {
  const configs = board.install.openocd;
  if (!configs?.length) throw new UserError(`${board.name}: the board file names no OpenOCD configuration (install.openocd); ${board.name === "mps2-an385" ? "an MPS2 loads images from its SD card (docs/boards.md)" : "add its interface and target .cfg files"}`);
  // OpenOCD's command language takes braces as quotes, so a path with spaces survives.
  return { tool: "openocd", debianPackage: "openocd", args: [...configs.flatMap((c) => ["-f", c]), "-c", `program {${elf}} verify reset exit`] };
}

export const OPENOCD_FAILURES: FailurePattern[] = [
  { pattern: /unable to find (a matching )?CMSIS-DAP|no CMSIS-DAP device|open failed|unable to open ftdi device|no J-Link device|couldn't find|libusb_open\(\) failed|Error: No .* found/i, message: "no probe found: is the board plugged in over USB, and may this user open it (udev rules, or the plugdev group)?" },
  { pattern: /UNEXPECTED idcode|expected \d+ of \d+: 0x[0-9a-f]+|Invalid ACK|target .* not examined|Cannot identify target/i, message: "wrong chip ID or no answer from the chip: is this the board the configuration names, powered, and not held in reset?" },
  { pattern: /verify failed|checksum mismatch|Verify Failed/i, message: "verify failed: the flash does not hold what was written (write-protected, or the wrong flash bank)" },
  { pattern: /Can't find .*\.cfg|couldn't open .*\.cfg/i, message: "a configuration file of the board is not in this OpenOCD's scripts (an older OpenOCD? Debian's openocd 0.12 has them)" },
];
