// The interface's configuration: its IPv4 address, mask and gateway, from the image's settings or DHCP.
import { put32 } from "./bytes";

export let address: u32 = 0;
export let mask: u32 = 0;
export let gateway: u32 = 0;

export function configure(ip: u32, netmask: u32, router: u32): void {
  address = ip;
  mask = netmask;
  gateway = router;
}

/** Writes this interface's address at at, in network order. */
export function putAddress(at: usize): void {
  put32(at, address);
}
