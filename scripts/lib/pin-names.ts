// GPIO pins by name, for the app API's board.pins: the chip's naming (from its reference manual)
// and the names a board file gives its wiring (gpio_pins: LED, BUTTON_A).
import type { Board } from "./boards.js";

/** Pins per GPIO port device under each pin multiplexing scheme, and how the manual names pin n. */
const CHIP_NAMING: Record<string, { pins: number; name(port: string, pin: number): string } | undefined> = {
  // nRF51 RM 14: one port of 32 pins, P0.00 to P0.31.
  nrf51: { pins: 32, name: (_port, pin) => `P0_${String(pin).padStart(2, "0")}` },
  // LM3S6965 datasheet 8: ports A to G of 8 pins, PA0 to PG7.
  stellaris: { pins: 8, name: (port, pin) => `P${port.slice(-1).toUpperCase()}${pin}` },
  // STM32F405 RM0090 8: ports A to I of 16 pins, PA0 to PI15.
  stm32: { pins: 16, name: (port, pin) => `P${port.slice(-1).toUpperCase()}${pin}` },
  none: undefined,
};

/** The names of the pins of one GPIO device: the chip's, then the board's own, in that order. */
export function pinNames(board: Board, device: string): Array<{ name: string; pin: number }> {
  const names: Array<{ name: string; pin: number }> = [];
  const naming = CHIP_NAMING[board.pinmux];
  if (naming) for (let pin = 0; pin < naming.pins; pin++) names.push({ name: naming.name(device, pin), pin });
  for (const [name, ref] of Object.entries(board.gpioPins)) {
    if (ref.port !== device) continue;
    const clash = names.findIndex((n) => n.name === name);
    if (clash >= 0) names.splice(clash, 1);
    names.push({ name, pin: ref.pin });
  }
  return names;
}
