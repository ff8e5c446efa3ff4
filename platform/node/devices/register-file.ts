// A block of plain registers that hold what is written, with their reset values: enough for a clock
// controller (gate bits) or a GPIO port's mode registers, whose effect other models read.
import type { AccessWidth, DeviceModel } from "./bus.js";

export function registerFile(resets: Record<number, number> = {}): DeviceModel & { value(offset: number): number } {
  const regs = new Map<number, number>(Object.entries(resets).map(([k, v]) => [Number(k), v >>> 0]));
  const value = (offset: number) => regs.get(offset & ~3) ?? 0;
  return {
    value,
    read: (offset: number, _width: AccessWidth) => value(offset) >>> ((offset & 3) * 8),
    write(offset: number, v: number, width: AccessWidth): void {
      const shift = (offset & 3) * 8;
      const mask = (width === 32 ? 0xffffffff : ((1 << width) - 1) << shift) >>> 0;
      regs.set(offset & ~3, ((value(offset) & ~mask) | ((v << shift) & mask)) >>> 0);
    },
  };
}
