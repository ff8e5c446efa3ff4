// TCP segments of our own (RFC 9293 3.1): the header, an MSS option on SYNs, the payload, the
// checksum over the pseudo-header, built in the outgoing frame and sent to the next hop.
import { put16, put32, transportChecksum } from "./bytes";
import { PAYLOAD, PROTOCOL_TCP, ipv4Header, ipv4Send } from "./ipv4";
import { outgoingFrame } from "./ethernet";

export const FIN: u32 = 0x01;
export const SYN: u32 = 0x02;
export const RST: u32 = 0x04;
export const PSH: u32 = 0x08;
export const ACK: u32 = 0x10;

/** The MSS we announce: a full Ethernet frame's worth (1500 - 20 - 20). */
export const OUR_MSS: u32 = 1460;
/** The receive window we always announce: data is handed to the app as it arrives, never queued. */
export const OUR_WINDOW: u32 = 1460;

/** Where a segment's payload goes in the outgoing frame, for the segment about to be sent (after its header). */
export function payloadArea(flags: u32): usize {
  return outgoingFrame() + PAYLOAD + headerLength(flags);
}

function headerLength(flags: u32): u32 {
  return flags & SYN ? 24 : 20;
}

/**
 * Sends a segment whose payload (length bytes) is already at payloadArea(flags): from our port to
 * remote's, with seq, ack and flags; false when it could not go now (TCP retransmits).
 */
export function sendSegment(remote: u32, ports: u32, seq: u32, ack: u32, flags: u32, length: u32): bool {
  const tcp = outgoingFrame() + PAYLOAD;
  const header = headerLength(flags);
  put32(tcp, ports);
  put32(tcp + 4, seq);
  put32(tcp + 8, flags & ACK ? ack : 0);
  store<u8>(tcp + 12, <u8>((header / 4) << 4));
  store<u8>(tcp + 13, <u8>flags);
  put16(tcp + 14, OUR_WINDOW);
  put32(tcp + 16, 0); // checksum and urgent pointer
  if (flags & SYN) {
    put16(tcp + 20, 0x0204); // kind 2 (MSS), length 4
    put16(tcp + 22, OUR_MSS);
  }
  const ip = ipv4Header(remote, PROTOCOL_TCP, header + length);
  put16(tcp + 16, transportChecksum(ip, tcp, header + length, PROTOCOL_TCP));
  return ipv4Send(remote, header + length);
}
