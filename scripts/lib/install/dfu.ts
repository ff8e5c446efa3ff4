// anyk flash --dfu: the STM32's ROM DFU bootloader (AN3156) through dfu-util; BOOT0 high at reset
// puts the chip there. ":leave" asks it to start the new firmware.
import type { Board } from "../boards.js";
import { hex } from "../boards.js";
import { UserError } from "../errors.js";
import type { FailurePattern, ToolCommand } from "./external.js";

export function dfuCommand(board: Board, bin: string): ToolCommand {
  const dfu = board.install.dfu;
  if (!dfu) throw new UserError(`${board.name}: the board file names no DFU bootloader (install.dfu), so --dfu cannot be used`);
  return { tool: "dfu-util", debianPackage: "dfu-util", args: ["-d", dfu.device, "-a", String(dfu.alt), "-s", `${hex(dfu.address)}:leave`, "-D", bin] };
}

export const DFU_FAILURES: FailurePattern[] = [
  { pattern: /No DFU capable USB device available/i, message: "no DFU device found: hold BOOT0 high (Netduino Plus 2: the on-board button) while resetting or plugging in, then try again" },
  { pattern: /Cannot open DFU device|LIBUSB_ERROR_ACCESS/i, message: "the DFU device cannot be opened: add a udev rule for 0483:df11 or run as a user in plugdev" },
  { pattern: /More than one DFU capable USB device/i, message: "more than one DFU device is attached; unplug the others" },
  { pattern: /Verify|does not match/i, message: "verify failed after the download" },
];
