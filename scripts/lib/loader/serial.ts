// Serial ports through the npm package serialport, with errors a person can act on: a missing
// port lists the ones there are, a busy one says so. Listing never throws (udev may be missing).
import type { SerialPort } from "serialport";
import { UserError } from "../errors.js";
import type { Link } from "./flasher.js";

// Loaded when a port is used: its native binding takes about 80 ms to load, which every other
// command (and anyk boot's time to the first console byte) need not pay.
const serialport = () => import("serialport");

export async function listPorts(): Promise<string[]> {
  try {
    const { SerialPort } = await serialport();
    return (await SerialPort.list()).map((p) => p.path);
  } catch {
    return [];
  }
}

export async function openPort(path: string, baudRate: number): Promise<SerialPort> {
  const { SerialPort } = await serialport();
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    const message = (err as Error).message;
    if (/ENOENT|No such file/i.test(message)) {
      const ports = await listPorts();
      throw new UserError(`serial port ${path} does not exist (${ports.length ? `ports here: ${ports.join(", ")}` : "no serial ports were found"})`);
    }
    if (/lock|busy|EBUSY|EAGAIN|temporarily unavailable/i.test(message)) throw new UserError(`serial port ${path} is busy: another program has it open`);
    if (/EACCES|permission/i.test(message)) throw new UserError(`serial port ${path}: permission denied (add yourself to the dialout group, or run with access to it)`);
    throw new UserError(`cannot open serial port ${path}: ${message}`);
  }
  return port;
}

export function linkOf(port: SerialPort): Link {
  return {
    write: (bytes) => void port.write(bytes),
    onData: (listener) => (port.on("data", listener), () => void port.off("data", listener)),
    // A hung-up pty shows as "close", or as an error (EIO) on the next read or write.
    onClose: (listener) => {
      port.on("close", listener).on("error", listener);
      return () => void port.off("close", listener).off("error", listener);
    },
  };
}

export function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.drain(() => port.close(() => resolve())) : resolve()));
}

export function parseBaud(value: string | undefined, command: string): number {
  if (value === undefined) return 115200;
  const baud = Number(value);
  if (!Number.isInteger(baud) || baud < 1200 || baud > 4000000) throw new UserError(`anyk ${command}: --baud must be a whole number of bits per second from 1200 to 4000000, got '${value}'`);
  return baud;
}
