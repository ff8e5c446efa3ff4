// The userspace MMIO bus: routes register accesses to the simulated device models of a board.
// An address no model claims is refused, the way the board stub refuses ungranted addresses.
import { faultMmioRefused } from "../../../abi/gen/hypercall.js";

export type AccessWidth = 8 | 16 | 32;

/** What a device model offers the bus; offsets are relative to the device's register window. */
export interface DeviceModel {
  read(offset: number, width: AccessWidth): number;
  write(offset: number, value: number, width: AccessWidth): void;
  /** A GPIO port: whether a pin is handed to a peripheral, and which alternate function it takes. */
  pinMode?(pin: number): { alternate: boolean; af?: number };
  /** A device with its own pin-select registers (nRF51 UART): the pin a signal is routed to. */
  selectedPin?(role: string): number | undefined;
  /** A UART: what the platform's console writes go through, so the line checks apply to them too. */
  transmit?(bytes: Uint8Array): void;
}

export interface MappedDevice {
  name: string;
  base: number;
  size: number;
  model: DeviceModel;
  /** Set for a device the kernel may not touch: a clock controller or GPIO port only bring-up uses. */
  platformOnly?: boolean;
  /** The bit that must be set before the device answers, as on the real chip. */
  gate?: { reg: number; bit: number };
  /** For reports: "uart0 (arm,pl011)". */
  label?: string;
}

/** An access to a device whose clock gate is off: a real LM3S6965 bus-faults, a real STM32 ignores it. */
export class GateOff extends Error {
  constructor(readonly device: MappedDevice, readonly address: number) {
    super(`${device.label ?? device.name} at ${hex32(address)} accessed with its clock gate off (bit ${device.gate!.bit} of ${hex32(device.gate!.reg)} is clear): the board's bring-up must set it first`);
  }
}

export class MmioRefused extends Error {
  constructor(readonly address: number, readonly access: string) {
    super(faultMmioRefused(access, address).detail);
  }
}

export function hex32(n: number): string {
  return "0x" + (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** One register access as it happened, for a trace (anyk run --trace-mmio). */
export interface MmioAccess {
  write: boolean;
  address: number;
  width: AccessWidth;
  value: number;
  /** The platform's own access (bring-up), not the kernel's. */
  platform: boolean;
}

export class MmioBus {
  private readonly devices: MappedDevice[] = [];
  /** Told of every access that reached a device. */
  onAccess: ((access: MmioAccess) => void) | undefined;

  map(device: MappedDevice): void {
    const clash = this.devices.find((d) => device.base < d.base + d.size && d.base < device.base + device.size);
    if (clash) throw new Error(`device ${device.name} at ${hex32(device.base)} overlaps ${clash.name} at ${hex32(clash.base)}`);
    this.devices.push(device);
  }

  get windows(): ReadonlyArray<MappedDevice> {
    return this.devices;
  }

  /** The device mapped under a name, for models that ask about another (a UART about its GPIO port). */
  named(name: string): MappedDevice | undefined {
    return this.devices.find((d) => d.name === name);
  }

  private find(address: number, width: AccessWidth, access: string, platform: boolean): MappedDevice {
    const bytes = width / 8;
    // Misaligned is refused as the board refuses it: the same fault as outside every window.
    if (address % bytes !== 0) throw new MmioRefused(address, access);
    const device = this.devices.find((d) => address >= d.base && address + bytes <= d.base + d.size && (platform || !d.platformOnly));
    if (!device) throw new MmioRefused(address, access);
    if (!this.gateOpen(device)) throw new GateOff(device, address);
    return device;
  }

  /** Whether a device's clock gate is set (read through the gate register's own model, which has no read side effects). */
  gateOpen(device: MappedDevice): boolean {
    if (!device.gate) return true;
    const owner = this.devices.find((d) => device.gate!.reg >= d.base && device.gate!.reg < d.base + d.size);
    // No model of the gate register: nothing can set it, so nothing may be checked against it.
    if (!owner) return true;
    return ((owner.model.read(device.gate.reg - owner.base, 32) >>> device.gate.bit) & 1) === 1;
  }

  /** A kernel's access: granted devices only. */
  read(address: number, width: AccessWidth, platform = false): number {
    address >>>= 0;
    const device = this.find(address, width, `mmio_read${width}`, platform);
    const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
    const value = (device.model.read(address - device.base, width) & mask) >>> 0;
    this.onAccess?.({ write: false, address, width, value, platform });
    return value;
  }

  write(address: number, value: number, width: AccessWidth, platform = false): void {
    address >>>= 0;
    const device = this.find(address, width, `mmio_write${width}`, platform);
    const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
    this.onAccess?.({ write: true, address, width, value: (value & mask) >>> 0, platform });
    device.model.write(address - device.base, (value & mask) >>> 0, width);
  }
}
