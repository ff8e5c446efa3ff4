// The interface's static configuration: its IPv4 address, mask and gateway, set by the app.
import { put32 } from "./bytes";

export let address: u32 = 0;
export let mask: u32 = 0;
export let gateway: u32 = 0;

/** Addresses as a.b.c.d packed big-endian into a u32, e.g. ipv4(10, 0, 2, 15). */
export function ipv4(a: u32, b: u32, c: u32, d: u32): u32 {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

export function configure(ip: u32, netmask: u32, router: u32): void {
  address = ip;
  mask = netmask;
  gateway = router;
}

/** Writes this interface's address at at, in network order. */
export function putAddress(at: usize): void {
  put32(at, address);
}
