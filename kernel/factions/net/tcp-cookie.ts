// SYN cookies: the passive open keeps no state until the handshake's last ACK, so a flood of
// SYNs costs nothing but the answers. The initial sequence number we answer a SYN with is the
// cookie: a 28-bit MAC of the connection's addresses, ports, the peer's ISN and a 64 s time slot,
// beside the slot (2 bits) and the index of the peer's MSS (2 bits). Not a cryptographic MAC: the
// secret comes from the clock at the first listen; a board with an RNG could do better.
import { clock_monotonic } from "../../../abi/gen/kernel";

/** The MSS values a cookie can carry, indexed by 2 bits; a peer gets the largest not above its own. */
const MSS_CHOICES: StaticArray<u32> = [536, 1220, 1440, 1460];
const SLOT_SHIFT: u64 = 36; // 2^36 ns is about 68.7 s

let secret: u32 = 0;

function mix(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

function slotNow(): u32 {
  return <u32>(clock_monotonic() >> SLOT_SHIFT) & 3;
}

function authenticator(remote: u32, ports: u32, peerIsn: u32, slot: u32): u32 {
  if (secret == 0) secret = mix(<u32>clock_monotonic() | 1) | 1;
  return mix(mix(mix(remote ^ secret) ^ ports) ^ peerIsn ^ (slot * 0x9e3779b9)) & 0xfffffff0;
}

/** The cookie for a SYN from remote with ports (theirs << 16 | ours), peer ISN and MSS. */
export function makeCookie(remote: u32, ports: u32, peerIsn: u32, peerMss: u32): u32 {
  let index: u32 = 0;
  while (index < 3 && MSS_CHOICES[index + 1] <= peerMss) index++;
  const slot = slotNow();
  return authenticator(remote, ports, peerIsn, slot) | (slot << 2) | index;
}

/** The peer's MSS when cookie is one we made for these values in this slot or the one before; else 0. */
export function checkCookie(cookie: u32, remote: u32, ports: u32, peerIsn: u32): u32 {
  const slot = (cookie >> 2) & 3;
  const now = slotNow();
  if (slot != now && slot != ((now - 1) & 3)) return 0;
  if (authenticator(remote, ports, peerIsn, slot) != (cookie & 0xfffffff0)) return 0;
  return MSS_CHOICES[cookie & 3];
}
