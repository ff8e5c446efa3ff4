// The network interface contract: whole Ethernet II frames (destination MAC first, no FCS) in and
// out. Received frames wait in the device's own receive FIFO (or a driver's ring) until taken.
import { Device } from "./device";

export abstract class Netif extends Device {
  /** Copies the next received frame into buffer (at most capacity bytes); its length, or -1 when none waits. */
  abstract receive(buffer: usize, capacity: u32): i32;
  /** Sends length bytes at frame; false when the device cannot take it now (try again). */
  abstract send(frame: usize, length: u32): bool;
  /** The interface's MAC address, 6 bytes, written at into. */
  abstract macAddress(into: usize): void;
  /** Whether the link is up. */
  abstract linkUp(): bool;
}
