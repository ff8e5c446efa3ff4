// Network byte order (big-endian) loads and stores, and the Internet checksum (RFC 1071).

// @ts-ignore: decorator
@inline
export function get16(at: usize): u32 {
  return (<u32>load<u8>(at) << 8) | <u32>load<u8>(at + 1);
}

// @ts-ignore: decorator
@inline
export function put16(at: usize, value: u32): void {
  store<u8>(at, <u8>(value >> 8));
  store<u8>(at + 1, <u8>value);
}

export function get32(at: usize): u32 {
  return (get16(at) << 16) | get16(at + 2);
}

export function put32(at: usize, value: u32): void {
  put16(at, value >> 16);
  put16(at + 2, value & 0xffff);
}

/** The ones' complement sum of length bytes at at, folded to 16 bits, not yet complemented. */
export function sum16(at: usize, length: u32): u32 {
  let sum: u32 = 0;
  let i: u32 = 0;
  for (; i + 1 < length; i += 2) sum += get16(at + <usize>i);
  if (i < length) sum += <u32>load<u8>(at + <usize>i) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

/** The Internet checksum of length bytes: 0 over data that carries a correct one. */
export function checksum(at: usize, length: u32): u32 {
  return ~sum16(at, length) & 0xffff;
}

/**
 * The UDP or TCP checksum (RFC 768, RFC 9293 3.1): over the pseudo-header (the IPv4 header at ip
 * gives the addresses) and length bytes of segment; 0 over a segment that carries a correct one.
 */
export function transportChecksum(ip: usize, segment: usize, length: u32, protocol: u32): u32 {
  let sum = sum16(ip + 12, 8) + protocol + length + sum16(segment, length);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}
