// What a real serial line does to a UART's output, so that a missing bring-up step shows here as it
// would on a desk: a TX signal not routed to the wired pin reaches nobody, and a baud rate more than
// 2 % from the terminal's arrives as garbage (framing errors), as a real terminal shows it.
import type { Device, DeviceHost } from "./host.js";

/** The largest baud mismatch a UART tolerates: about half a bit over the ten bits of a frame, with margin. */
export const BAUD_TOLERANCE = 0.02;

/** A byte as a terminal at the wrong rate receives it: deterministic, never the byte sent, never plain ASCII. */
export function garble(byte: number): number {
  return ((byte * 37 + 0x5b) & 0x7f) | 0x80;
}

/** Sends bytes from a UART whose registers program `baud` (undefined: no rate programmed at all). */
export function sendOnLine(host: DeviceHost, device: Device, bytes: Uint8Array, baud: number | undefined): void {
  if (!host.routed(device, "tx")) return;
  const off = baud === undefined || !Number.isFinite(baud) || Math.abs(baud - host.terminalBaud) / host.terminalBaud > BAUD_TOLERANCE;
  host.console.write(off ? bytes.map(garble) : bytes);
}
