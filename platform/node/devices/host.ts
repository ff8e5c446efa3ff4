// What a simulated device sees of the userspace platform: its interrupt lines, the clock, timed
// events, and the console a UART model is wired to.
import type { DeviceModel } from "./bus.js";

/** Console input and output of the platform. */
export interface ConsoleIo {
  write(bytes: Uint8Array): void;
  /** Up to max bytes that have already arrived; never blocks. */
  read(max: number): Uint8Array;
  /** Blocks for real until input arrives or ms pass (realtime mode only). */
  sleep(ms: number): void;
  /** Blocks for real until input has arrived or the input has ended. */
  waitForInput(): void;
  /** True once the input has ended and everything in it was read. */
  inputEnded(): boolean;
}

/** A board device as the models see it: what the board file says of it. */
export interface Device {
  name: string;
  compatible: string;
  base: number;
  size: number;
  /** Interrupt lines by role; a device with one line has the role "irq". */
  irqs: Record<string, number>;
  /** The device's input clock, Hz. */
  clockHz: number;
  /** The alternate function its pins take (STM32). */
  af?: number;
}

export interface DeviceHost {
  /** Drives a level-triggered interrupt line. */
  setIrqLevel(line: number, asserted: boolean): void;
  /** The monotonic clock, ns. */
  readonly now: bigint;
  /** Runs fn when the clock reaches at (ns); the function returned takes the event back. */
  schedule(at: bigint, run: () => void): () => void;
  /** Registers a model that takes console input; pump moves what fits, returning how many bytes. */
  addInputSink(pump: () => number): void;
  console: ConsoleIo;
  /** Device-model options set by tests (e.g. a UART's time per transmitted byte). */
  tuning: Record<string, number>;
  /** The baud rate of the terminal on the board's serial line. */
  terminalBaud: number;
  /** Whether a device's signal ("tx") reaches the pin the board wires to the terminal, as the chip routes it now. */
  routed(device: Device, role: string): boolean;
  /** The network the board's Ethernet port is on, when the run has one. */
  network?: NetworkPort;
}

/** Makes the model of one board device. */
export type ModelFactory = (device: Device, host: DeviceHost) => DeviceModel;

/** The interrupt line of a device for a role, or a clear error when the board file lacks it. */
export function lineOf(device: Device, role = "irq"): number {
  const line = device.irqs[role];
  if (line === undefined) throw new Error(`device ${device.name} (${device.compatible}) has no '${role}' interrupt line in its board file`);
  return line;
}

/** A network as a NIC model sees it: frames out, and frames in that wait until the NIC has room. */
export interface NetworkPort {
  send(frame: Uint8Array): void;
  /** The oldest frame that arrived, left waiting until take(). */
  peek(): Uint8Array | undefined;
  take(): void;
}

/** A NIC model: what connectNic needs of it. */
export interface NicModel {
  /** Whether the MAC would take a frame now (receiver on, FIFO room); if not, frames wait on the network. */
  canReceive(): boolean;
  /** A frame arriving from the network (no FCS). */
  deliver(frame: Uint8Array): void;
}

/** Moves frames waiting on the host's network into the NIC while it has room, each time the platform looks for input. */
export function connectNic(host: DeviceHost, nic: NicModel): void {
  const network = host.network;
  if (!network) return;
  host.addInputSink(() => {
    let moved = 0;
    for (let frame = network.peek(); frame && nic.canReceive(); frame = network.peek()) {
      network.take();
      nic.deliver(frame);
      moved++;
    }
    return moved;
  });
}
