// ARP for IPv4 over Ethernet (RFC 826): requests for our address are answered in place, and the
// sender of every ARP packet on our network is remembered in a small cache for replies to come.
import { get16, get32, put16, put32 } from "./bytes";
import { address, gateway, mask, putAddress } from "./config";
import { countTruncated, countNotForUs, countUnknownProtocol } from "./counters";
import { HEADER, TYPE_ARP, outgoingFrame, ourMac, replyFrame, sendFrame } from "./ethernet";

const PACKET: u32 = 28;
const REQUEST: u32 = 1;
const REPLY: u32 = 2;
const CACHE_ENTRIES: u32 = 4;
const ENTRY: u32 = 12; // address (4), MAC (6), padding (2)

function cacheTable(): usize {
  return memory.data(<i32>(CACHE_ENTRIES * ENTRY));
}
let nextSlot: u32 = 0;

/** The MAC cached for ip, or 0 when unknown. */
export function lookup(ip: u32): usize {
  if (ip == 0) return 0; // an empty slot's address
  const table = cacheTable();
  for (let i: u32 = 0; i < CACHE_ENTRIES; i++) {
    const entry = table + <usize>(i * ENTRY);
    if (load<u32>(entry) == ip) return entry + 4;
  }
  return 0;
}

function remember(ip: u32, mac: usize): void {
  if (!onLink(ip)) return;
  let entry = lookup(ip);
  if (entry == 0) {
    entry = cacheTable() + <usize>(nextSlot * ENTRY) + 4;
    store<u32>(entry - 4, ip);
    nextSlot = (nextSlot + 1) % CACHE_ENTRIES;
  }
  memory.copy(entry, mac, 6);
}

/** The Ethernet broadcast address, ff:ff:ff:ff:ff:ff. */
export function broadcastMac(): usize {
  return memory.data<u8>([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
}

/** Whether ip is on our own network, reached without the gateway. */
export function onLink(ip: u32): bool {
  return (ip & mask) == (address & mask);
}

/**
 * Remembers the MAC an IPv4 datagram from ip came from: ip's own when it is on our network, else
 * the gateway's, which forwarded it. Replies then rarely need an ARP request.
 */
export function learnSender(ip: u32, mac: usize): void {
  remember(onLink(ip) ? ip : gateway, mac);
}

/** Asks the network who has ip (a broadcast request); the reply fills the cache. */
export function arpRequest(ip: u32): void {
  const frame = outgoingFrame();
  const arp = frame + HEADER;
  put16(arp, 1);
  put16(arp + 2, 0x0800);
  store<u8>(arp + 4, 6);
  store<u8>(arp + 5, 4);
  put16(arp + 6, REQUEST);
  memory.copy(arp + 8, ourMac(), 6);
  putAddress(arp + 14);
  memory.fill(arp + 18, 0, 6);
  put32(arp + 24, ip);
  sendFrame(frame, broadcastMac(), TYPE_ARP, HEADER + PACKET);
}

export function arpInput(frame: usize, length: u32): void {
  if (length < HEADER + PACKET) {
    countTruncated();
    return;
  }
  const arp = frame + HEADER;
  // Ethernet hardware (1), IPv4 protocol, 6-byte and 4-byte addresses: nothing else is ours.
  if (get16(arp) != 1 || get16(arp + 2) != 0x0800 || load<u8>(arp + 4) != 6 || load<u8>(arp + 5) != 4) {
    countUnknownProtocol();
    return;
  }
  const senderIp = get32(arp + 14);
  remember(senderIp, arp + 8);
  if (get16(arp + 6) != REQUEST || get32(arp + 24) != address || address == 0) {
    countNotForUs();
    return;
  }
  // The reply: the target becomes the requester, the sender us.
  store<u8>(arp + 7, <u8>REPLY);
  memory.copy(arp + 18, arp + 8, 10);
  memory.copy(arp + 8, ourMac(), 6);
  putAddress(arp + 14);
  replyFrame(frame, HEADER + PACKET);
}
