// ARP for IPv4 over Ethernet (RFC 826): requests for our address are answered in place, and the
// sender of every ARP packet on our network is remembered in a small cache for replies to come.
import { get16, get32 } from "./bytes";
import { address, mask, putAddress } from "./config";
import { countTruncated, countNotForUs, countUnknownProtocol } from "./counters";
import { HEADER, ourMac, replyFrame } from "./ethernet";

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
  if ((ip & mask) != (address & mask)) return;
  let entry = lookup(ip);
  if (entry == 0) {
    entry = cacheTable() + <usize>(nextSlot * ENTRY) + 4;
    store<u32>(entry - 4, ip);
    nextSlot = (nextSlot + 1) % CACHE_ENTRIES;
  }
  memory.copy(entry, mac, 6);
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
