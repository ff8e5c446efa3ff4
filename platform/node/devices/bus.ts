// The userspace MMIO bus: routes register accesses to the simulated device models of a board.
// An address no model claims is refused, the way the board stub refuses ungranted addresses.
import { faultMmioRefused } from "../../../abi/gen/hypercall.js";

export type AccessWidth = 8 | 16 | 32;

/** What a device model offers the bus; offsets are relative to the device's register window. */
export interface DeviceModel {
  read(offset: number, width: AccessWidth): number;
  write(offset: number, value: number, width: AccessWidth): void;
}

export interface MappedDevice {
  name: string;
  base: number;
  size: number;
  model: DeviceModel;
}

export class MmioRefused extends Error {
  constructor(readonly address: number, readonly access: string) {
    super(faultMmioRefused(access, address).detail);
  }
}

export function hex32(n: number): string {
  return "0x" + (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

export class MmioBus {
  private readonly devices: MappedDevice[] = [];

  map(device: MappedDevice): void {
    const clash = this.devices.find((d) => device.base < d.base + d.size && d.base < device.base + device.size);
    if (clash) throw new Error(`device ${device.name} at ${hex32(device.base)} overlaps ${clash.name} at ${hex32(clash.base)}`);
    this.devices.push(device);
  }

  get windows(): ReadonlyArray<MappedDevice> {
    return this.devices;
  }

  private find(address: number, width: AccessWidth, access: string): MappedDevice {
    const bytes = width / 8;
    // Misaligned is refused as the board refuses it: the same fault as outside every window.
    if (address % bytes !== 0) throw new MmioRefused(address, access);
    const device = this.devices.find((d) => address >= d.base && address + bytes <= d.base + d.size);
    if (!device) throw new MmioRefused(address, access);
    return device;
  }

  read(address: number, width: AccessWidth): number {
    address >>>= 0;
    const device = this.find(address, width, `mmio_read${width}`);
    const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
    return (device.model.read(address - device.base, width) & mask) >>> 0;
  }

  write(address: number, value: number, width: AccessWidth): void {
    address >>>= 0;
    const device = this.find(address, width, `mmio_write${width}`);
    const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
    device.model.write(address - device.base, (value & mask) >>> 0, width);
  }
}
