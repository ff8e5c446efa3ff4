// A DHCP client (RFC 2131, options from RFC 2132): DISCOVER, take the first OFFER, REQUEST it, and
// on the ACK configure the interface (address, mask, router). Messages go out as broadcasts with
// the BROADCAST flag set, so that the server's answers reach an interface with no address yet. A
// DISCOVER or REQUEST unanswered goes again after 2 s, then 4 s, up to 16 s; the lease is renewed
// by starting over at half its time (T1), which keeps the code small and the address the same.
import { clock_monotonic } from "../../../abi/gen/kernel";
import { schedule } from "../../base/timers";
import { Timer } from "../api/index";
import { get32, put16, put32 } from "../net/bytes";
import { configure } from "../net/config";
import { ourMac } from "../net/ethernet";
import { Datagram, udpBind, udpSend } from "../net/udp";

const SERVER_PORT: u32 = 67;
const CLIENT_PORT: u32 = 68;
/** A BOOTP message's fixed part (236 bytes), the magic cookie and our options fit in 300, BOOTP's minimum. */
const MESSAGE: u32 = 300;
const OPTIONS: u32 = 240;
const MAGIC: u32 = 0x63825363;
const DISCOVER: u32 = 1, OFFER: u32 = 2, REQUEST: u32 = 3, ACK: u32 = 5, NAK: u32 = 6;
const OPTION_MASK: u32 = 1, OPTION_ROUTER: u32 = 3, OPTION_REQUESTED: u32 = 50, OPTION_LEASE: u32 = 51;
const OPTION_TYPE: u32 = 53, OPTION_SERVER: u32 = 54, OPTION_PARAMETERS: u32 = 55, OPTION_END: u32 = 255;
const NS_PER_S: u64 = 1000000000;
const FIRST_WAIT_S: u64 = 2;
const LAST_WAIT_S: u64 = 16;

const SELECTING: u32 = 0, REQUESTING: u32 = 1, BOUND: u32 = 2;

let state: u32 = SELECTING;
let transaction: u32 = 0;
let offered: u32 = 0;
let server: u32 = 0;
let waitS: u64 = FIRST_WAIT_S;
let configured: ((address: u32) => void) | null = null;

function message(): usize {
  return memory.data(<i32>MESSAGE);
}

function timerFired(): void {
  if (state == BOUND) {
    state = SELECTING; // T1: renew by starting over
    waitS = FIRST_WAIT_S;
  } else if (waitS < LAST_WAIT_S) waitS *= 2;
  send();
}

// A callback timer: a TimerTask subclass's fire() would be linked into every image with timers.
let timer: Timer | null = null;

/** Sends the message the state calls for, and sets the timer for its answer. */
function send(): void {
  const m = message();
  memory.fill(m, 0, MESSAGE);
  store<u8>(m, 1); // BOOTREQUEST
  store<u8>(m + 1, 1); // Ethernet
  store<u8>(m + 2, 6);
  put32(m + 4, transaction);
  put16(m + 10, 0x8000); // BROADCAST
  memory.copy(m + 28, ourMac(), 6);
  put32(m + 236, MAGIC);
  let at = m + OPTIONS;
  store<u8>(at, <u8>OPTION_TYPE);
  store<u8>(at + 1, 1);
  store<u8>(at + 2, <u8>(state == SELECTING ? DISCOVER : REQUEST));
  at += 3;
  if (state == REQUESTING) {
    store<u8>(at, <u8>OPTION_REQUESTED);
    store<u8>(at + 1, 4);
    put32(at + 2, offered);
    store<u8>(at + 6, <u8>OPTION_SERVER);
    store<u8>(at + 7, 4);
    put32(at + 8, server);
    at += 12;
  }
  store<u8>(at, <u8>OPTION_PARAMETERS);
  store<u8>(at + 1, 3);
  store<u8>(at + 2, <u8>OPTION_MASK);
  store<u8>(at + 3, <u8>OPTION_ROUTER);
  store<u8>(at + 4, <u8>OPTION_LEASE);
  store<u8>(at + 5, <u8>OPTION_END);
  udpSend(0xffffffff, SERVER_PORT, CLIENT_PORT, m, MESSAGE);
  schedule(timer!, clock_monotonic() + waitS * NS_PER_S);
}

/** The value of a 4-byte option in the options at (length bytes), or fallback. */
function option32(options: usize, length: u32, code: u32, fallback: u32): u32 {
  let at: u32 = 0;
  while (at < length) {
    const c = <u32>load<u8>(options + <usize>at);
    if (c == OPTION_END) break;
    if (c == 0) {
      at++;
      continue;
    }
    if (at + 1 >= length) break;
    const size = <u32>load<u8>(options + <usize>at + 1);
    if (at + 2 + size > length) break;
    if (c == code && size >= 4) return get32(options + <usize>at + 2);
    if (c == code && size == 1) return <u32>load<u8>(options + <usize>at + 2);
    at += 2 + size;
  }
  return fallback;
}

function answered(d: Datagram): void {
  const m = d.pointer;
  if (d.length < OPTIONS || load<u8>(m) != 2 || get32(m + 4) != transaction || get32(m + 236) != MAGIC) return;
  const options = m + OPTIONS;
  const length = d.length - OPTIONS;
  const type = option32(options, length, OPTION_TYPE, 0);
  if (state == SELECTING && type == OFFER) {
    offered = get32(m + 16);
    server = option32(options, length, OPTION_SERVER, d.source);
    state = REQUESTING;
    waitS = FIRST_WAIT_S;
    send();
  } else if (state == REQUESTING && type == ACK) {
    const address = get32(m + 16);
    configure(address, option32(options, length, OPTION_MASK, 0xffffff00), option32(options, length, OPTION_ROUTER, 0));
    state = BOUND;
    const lease = <u64>option32(options, length, OPTION_LEASE, 86400);
    schedule(timer!, clock_monotonic() + (lease / 2 > 10 ? lease / 2 : 10) * NS_PER_S);
    if (configured !== null) configured!(address);
  } else if (state == REQUESTING && type == NAK) {
    state = SELECTING;
    waitS = FIRST_WAIT_S;
    send();
  }
}

/** Starts asking for an address; onConfigured runs with it once a server has given one. */
export function startDhcp(onConfigured: ((address: u32) => void) | null): void {
  configured = onConfigured;
  if (timer !== null) return;
  timer = new Timer(timerFired, 0);
  transaction = <u32>(clock_monotonic() >> 10) ^ 0x5a17c0de;
  udpBind(CLIENT_PORT, answered);
  send();
}
