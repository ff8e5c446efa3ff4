// TCP input (RFC 9293 3.10.7): segments checked (length, offset, checksum), matched to their
// connection, or answered statelessly: a SYN to a listening port with a SYN cookie, the ACK that
// returns a valid cookie with a new connection, anything else with a reset. Only in-order
// segments are taken; the peer retransmits the rest. Active opens (tcpConnect) start in SYN-SENT.
import { Line } from "../api/index";
import { clock_monotonic } from "../../../abi/gen/kernel";
import { get16, get32, transportChecksum } from "./bytes";
import { address } from "./config";
import { countBadChecksum, countBadCookie, countClosedPort, countNoSlot, countNotForUs, countOutOfOrder, countResetReceived, countResetSent, countSynAnswered, countTruncated } from "./counters";
import { PROTOCOL_TCP, takeTcp } from "./ipv4";
import { ACK, FIN, RST, SYN, sendSegment } from "./tcp-segment";
import { checkCookie, makeCookie } from "./tcp-cookie";
import {
  CLOSED, CLOSE_WAIT, CLOSING, Connection, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, LAST_ACK, SYN_SENT, TIME_WAIT,
  acknowledged, before, begin, enterTimeWait, finAcked, findConnection, freeConnection, output, release, watch, windowUpdate,
} from "./tcp-connection";

class Listener {
  constructor(readonly port: u32, readonly callback: (connection: Connection) => void, readonly next: Listener | null) {}
}

let listeners: Listener | null = null;
let received: Line | null = null;
let nextEphemeral: u32 = 0;

/** Calls callback with each connection a peer opens to port, once it is established. */
export function tcpListen(port: u32, callback: (connection: Connection) => void): void {
  listeners = new Listener(port, callback, listeners);
  takeTcp(tcpInput);
}

/** Opens a connection to remote:port; onOpen runs once it is established. Null when every slot is busy. */
export function tcpConnect(remote: u32, port: u32, onOpen: (connection: Connection) => void): Connection | null {
  takeTcp(tcpInput);
  const c = freeConnection();
  if (c === null) return null;
  // Ephemeral ports from 49152 (RFC 6335), and an initial sequence number from the clock.
  const local = 49152 + (nextEphemeral++ & 0x3fff);
  const initial = <u32>(clock_monotonic() >> 12);
  begin(c, remote, (local << 16) | port, SYN_SENT, initial, 0);
  c.onOpen = onOpen;
  sendSegment(remote, c.ports, initial, 0, SYN, 0);
  c.sendNext = initial + 1;
  c.sendMax = c.sendNext;
  watch(c);
  return c;
}

/** The MSS option of a SYN, or 536 (RFC 9293 3.7.1) when it has none. */
function peerMss(tcp: usize, offset: u32): u32 {
  let at: u32 = 20;
  while (at < offset) {
    const kind = <u32>load<u8>(tcp + <usize>at);
    if (kind == 0) break;
    if (kind == 1) {
      at++;
      continue;
    }
    const length = at + 1 < offset ? <u32>load<u8>(tcp + <usize>at + 1) : 0;
    if (length < 2) break;
    if (kind == 2 && length == 4 && at + 4 <= offset) return get16(tcp + <usize>at + 2);
    at += length;
  }
  return 536;
}

/** A reset for a segment that has no connection (RFC 9293 3.10.7.1). */
function reset(remote: u32, ports: u32, seq: u32, ack: u32, flags: u32, length: u32): void {
  if (flags & ACK) sendSegment(remote, ports, ack, 0, RST, 0);
  else sendSegment(remote, ports, 0, seq + length, RST | ACK, 0);
  countResetSent();
}

function tcpInput(ip: usize, headerLength: u32, total: u32): void {
  const tcp = ip + <usize>headerLength;
  const length = total - headerLength;
  const offset = length >= 20 ? (<u32>load<u8>(tcp + 12) >> 4) * 4 : 0;
  if (offset < 20 || offset > length) {
    countTruncated();
    return;
  }
  if (transportChecksum(ip, tcp, length, PROTOCOL_TCP) != 0) {
    countBadChecksum();
    return;
  }
  if (get32(ip + 16) != address) {
    countNotForUs(); // TCP has no broadcasts
    return;
  }
  const remote = get32(ip + 12);
  const incoming = get32(tcp);
  const ports = (incoming << 16) | (incoming >>> 16);
  const seq = get32(tcp + 4);
  const ack = get32(tcp + 8);
  const flags = <u32>load<u8>(tcp + 13);
  const window = get16(tcp + 14);
  const dataLength = length - offset;
  const sequenceLength = dataLength + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
  let c = findConnection(remote, ports);
  if (c === null) {
    if (flags & RST) return;
    let listener = listeners;
    while (listener !== null && listener.port != (ports >>> 16)) listener = listener.next;
    if (listener === null) {
      countClosedPort();
      reset(remote, ports, seq, ack, flags, sequenceLength);
      return;
    }
    if ((flags & (SYN | ACK)) == SYN) {
      sendSegment(remote, ports, makeCookie(remote, incoming, seq, peerMss(tcp, offset)), seq + 1, SYN | ACK, 0);
      countSynAnswered();
      return;
    }
    const mss = flags & SYN ? 0 : checkCookie(ack - 1, remote, incoming, seq - 1);
    if (mss == 0) {
      countBadCookie();
      reset(remote, ports, seq, ack, flags, sequenceLength);
      return;
    }
    c = freeConnection();
    if (c === null) {
      countNoSlot(); // the peer sends again; a slot may be free by then
      return;
    }
    begin(c, remote, ports, ESTABLISHED, ack, seq);
    c.peerMss = mss;
    windowUpdate(c, window);
    const callback = listener.callback;
    callback(c);
  } else if (c.state == SYN_SENT) {
    synSent(c, tcp, offset, seq, ack, flags, window);
    return;
  }
  synchronized(c, tcp + <usize>offset, dataLength, sequenceLength, seq, ack, flags, window);
  output(c);
}

function synSent(c: Connection, tcp: usize, offset: u32, seq: u32, ack: u32, flags: u32, window: u32): void {
  if (flags & ACK && ack != c.sendNext) {
    if (!(flags & RST)) reset(c.remote, c.ports, seq, ack, flags, 0);
    return;
  }
  if (flags & RST) {
    if (flags & ACK) {
      countResetReceived(); // refused
      release(c);
    }
    return;
  }
  if ((flags & (SYN | ACK)) != (SYN | ACK)) return;
  c.receiveNext = seq + 1;
  acknowledged(c, ack);
  c.state = ESTABLISHED;
  c.peerMss = peerMss(tcp, offset);
  windowUpdate(c, window);
  c.ackOwed = true;
  const callback = c.onOpen;
  if (callback !== null) callback(c);
  output(c);
}

/** A segment for a connection past its handshake. */
function synchronized(c: Connection, data: usize, dataLength: u32, sequenceLength: u32, seq: u32, ack: u32, flags: u32, window: u32): void {
  if (seq != c.receiveNext) {
    // Out of order, or a copy of what we already have: say again what we expect, and drop it.
    if (sequenceLength > 0 && !(flags & RST)) {
      countOutOfOrder();
      c.ackOwed = true;
    }
    return;
  }
  if (flags & RST) {
    countResetReceived();
    release(c);
    return;
  }
  if (flags & SYN) {
    c.ackOwed = true; // a SYN inside a connection: a challenge ACK (RFC 5961 4)
    return;
  }
  if (!(flags & ACK)) return;
  if (before(c.sendMax, ack)) {
    c.ackOwed = true; // acknowledges what was never sent
    return;
  }
  if (before(c.sendUnacked, ack)) acknowledged(c, ack);
  windowUpdate(c, window);
  if (finAcked(c)) {
    if (c.state == FIN_WAIT_1) c.state = FIN_WAIT_2;
    else if (c.state == CLOSING) enterTimeWait(c);
    else if (c.state == LAST_ACK) {
      release(c);
      return;
    }
  }
  if (dataLength > 0 && (c.state == ESTABLISHED || c.state == FIN_WAIT_1 || c.state == FIN_WAIT_2)) {
    c.receiveNext += dataLength;
    c.ackOwed = true;
    const callback = c.onData;
    if (callback !== null) {
      if (received === null) received = new Line(0, 0);
      callback(c, received!.view(data, dataLength));
      if (c.state == CLOSED) return; // the app aborted it
    }
  }
  if (flags & FIN) {
    c.receiveNext++;
    c.ackOwed = true;
    if (c.state == ESTABLISHED) {
      // The peer is done sending; so are we, once what was written has gone.
      c.state = CLOSE_WAIT;
      c.closeAsked = true;
    } else if (c.state == FIN_WAIT_1) c.state = CLOSING;
    else if (c.state == FIN_WAIT_2) enterTimeWait(c);
  }
}
