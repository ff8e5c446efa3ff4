// IPv4 (RFC 791): headers checked (version, length, checksum, destination); fragments are dropped
// and counted, not reassembled; ICMP, UDP and TCP go on to their own files. Replies swap the
// addresses in place; datagrams of our own are built in the outgoing frame and sent to the next hop.
import { checksum, get16, get32, put16, put32 } from "./bytes";
import { address, gateway, putAddress } from "./config";
import { countBadChecksum, countFragment, countNoRoute, countNotForUs, countTruncated, countUnknownProtocol } from "./counters";
import { HEADER, TYPE_IPV4, outgoingFrame, sendFrame } from "./ethernet";
import { arpRequest, broadcastMac, learnSender, lookup, onLink } from "./arp";
import { icmpInput } from "./icmp";

const PROTOCOL_ICMP: u32 = 1;
export const PROTOCOL_TCP: u32 = 6;
export const PROTOCOL_UDP: u32 = 17;
/** Where a datagram of our own starts its payload in the outgoing frame: we send no IP options. */
export const PAYLOAD: usize = 14 + 20; // the Ethernet header, then ours
const DONT_FRAGMENT: u32 = 0x4000;
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
  learnSender(get32(ip + 12), frame + 6);
  const protocol = <u32>load<u8>(ip + 9);
  if (protocol == PROTOCOL_ICMP) icmpInput(frame, headerLength, total);
  else if (protocol == PROTOCOL_UDP && udpHandler !== null) udpHandler!(ip, headerLength, total);
  else if (protocol == PROTOCOL_TCP && tcpHandler !== null) tcpHandler!(ip, headerLength, total);
  else countUnknownProtocol();
}

/** What takes a transport's datagrams: the IPv4 header at ip, its length, the datagram's total. */
export type TransportInput = (ip: usize, headerLength: u32, total: u32) => void;

// UDP and TCP hand themselves in when first used, so an image without them does not carry them.
let udpHandler: TransportInput | null = null;
let tcpHandler: TransportInput | null = null;

export function takeUdp(input: TransportInput): void {
  udpHandler = input;
}

export function takeTcp(input: TransportInput): void {
  tcpHandler = input;
}

let identification: u32 = 0;

/**
 * Writes the IPv4 header of a datagram of our own (payloadLength bytes at PAYLOAD of the outgoing
 * frame) to destination; returns the header, whose addresses the UDP and TCP checksums cover.
 */
export function ipv4Header(destination: u32, protocol: u32, payloadLength: u32): usize {
  const ip = outgoingFrame() + HEADER;
  store<u8>(ip, 0x45);
  store<u8>(ip + 1, 0);
  put16(ip + 2, 20 + payloadLength);
  put16(ip + 4, identification++ & 0xffff);
  put16(ip + 6, DONT_FRAGMENT);
  store<u8>(ip + 8, 64);
  store<u8>(ip + 9, <u8>protocol);
  put16(ip + 10, 0);
  putAddress(ip + 12);
  put32(ip + 16, destination);
  put16(ip + 10, checksum(ip, 20));
  return ip;
}

/**
 * Sends the datagram ipv4Header wrote to its next hop: false when the hop's MAC is not yet known
 * (an ARP request goes out instead; TCP's retransmission tries again) or the MAC stayed busy.
 */
export function ipv4Send(destination: u32, payloadLength: u32): bool {
  const frame = outgoingFrame();
  let mac = broadcastMac();
  if (destination != 0xffffffff) {
    const hop = onLink(destination) ? destination : gateway;
    mac = lookup(hop);
    if (mac == 0) {
      countNoRoute();
      arpRequest(hop);
      return false;
    }
  }
  return sendFrame(frame, mac, TYPE_IPV4, <u32>PAYLOAD + payloadLength);
}

/** Turns the datagram at ip round: back to its source, from us, with a fresh TTL and checksum. */
export function ipv4Reply(ip: usize, headerLength: u32): void {
  put32(ip + 16, get32(ip + 12));
  put32(ip + 12, address);
  store<u8>(ip + 8, 64);
  put16(ip + 10, 0);
  put16(ip + 10, checksum(ip, headerLength));
}
