// IPv4 (RFC 791): headers checked (version, length, checksum, destination); fragments are dropped
// and counted, not reassembled; ICMP goes on to icmp.ts. Replies swap the addresses in place.
import { checksum, get16, get32, put16, put32 } from "./bytes";
import { address } from "./config";
import { countBadChecksum, countFragment, countNotForUs, countTruncated, countUnknownProtocol } from "./counters";
import { HEADER } from "./ethernet";
import { icmpInput } from "./icmp";

const PROTOCOL_ICMP: u32 = 1;
const MORE_FRAGMENTS: u32 = 0x2000;
const OFFSET_MASK: u32 = 0x1fff;

export function ipv4Input(frame: usize, length: u32): void {
  const ip = frame + HEADER;
  const available = length - HEADER;
  if (available < 20) {
    countTruncated();
    return;
  }
  const versionAndLength = <u32>load<u8>(ip);
  const headerLength = (versionAndLength & 0xf) * 4;
  const total = get16(ip + 2);
  if (versionAndLength >> 4 != 4 || headerLength < 20 || total < headerLength || total > available) {
    countTruncated();
    return;
  }
  if (checksum(ip, headerLength) != 0) {
    countBadChecksum();
    return;
  }
  const destination = get32(ip + 16);
  if (destination != address && destination != 0xffffffff) {
    countNotForUs();
    return;
  }
  const fragment = get16(ip + 6);
  if (fragment & (MORE_FRAGMENTS | OFFSET_MASK)) {
    countFragment();
    return;
  }
  if (<u32>load<u8>(ip + 9) == PROTOCOL_ICMP) icmpInput(frame, headerLength, total);
  else countUnknownProtocol();
}

/** Turns the datagram at ip round: back to its source, from us, with a fresh TTL and checksum. */
export function ipv4Reply(ip: usize, headerLength: u32): void {
  put32(ip + 16, get32(ip + 12));
  put32(ip + 12, address);
  store<u8>(ip + 8, 64);
  put16(ip + 10, 0);
  put16(ip + 10, checksum(ip, headerLength));
}
