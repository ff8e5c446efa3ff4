// anyk flash --stm32flash PORT: the STM32's ROM USART bootloader (AN3155) through stm32flash:
// write, verify (-v), and start the firmware (-g) at its flash address.
import type { Board } from "../boards.js";
import { hex } from "../boards.js";
import { UserError } from "../errors.js";
import type { FailurePattern, ToolCommand } from "./external.js";

export function stm32flashCommand(board: Board, bin: string, port: string, baud: number): ToolCommand {
  const rom = board.install.stm32flash;
  if (!rom) throw new UserError(`${board.name}: the board file names no STM32 ROM bootloader (install.stm32flash), so --stm32flash cannot be used`);
  return { tool: "stm32flash", debianPackage: "stm32flash", args: ["-b", String(baud), "-w", bin, "-v", "-S", hex(rom.address), "-g", hex(rom.address), port] };
}

export const STM32FLASH_FAILURES: FailurePattern[] = [
  { pattern: /Failed to init device|Failed to open port|No such file or directory/i, message: "no answer from the ROM bootloader: is the port right, BOOT0 high at reset, and RX/TX crossed to the chip's USART1 (PA9/PA10)?" },
  { pattern: /Unknown\/unsupported device \(Device ID: (0x[0-9a-f]+)\)/i, message: "wrong chip ID: the ROM bootloader answered, but not as an STM32F405 (device ID 0x413)" },
  { pattern: /Failed to verify|verify: .* differ/i, message: "verify failed: the flash does not hold what was written (read-out protection on?)" },
];
