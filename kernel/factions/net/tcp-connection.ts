// TCP connections (RFC 9293): a fixed pool of them, each with a send buffer in static memory that
// holds what the app wrote until the peer acknowledges it; retransmission with a timer (go-back-N
// from the oldest unacknowledged byte, backing off), window probes when the peer's window is 0,
// FIN in both directions, and a short TIME-WAIT whose slot a new connection may take.
import { Line, Timer, firstBytes } from "../api/index";
import { schedule, cancel } from "../../base/timers";
import { clock_monotonic } from "../../../abi/gen/kernel";
import { ACK, FIN, PSH, RST, SYN, payloadArea, sendSegment } from "./tcp-segment";
import { countResetSent, countRetransmit, countTimeout, countZeroWindow } from "./counters";

export const CLOSED: u32 = 0;
export const SYN_SENT: u32 = 1;
export const ESTABLISHED: u32 = 2;
export const FIN_WAIT_1: u32 = 3;
export const FIN_WAIT_2: u32 = 4;
export const CLOSING: u32 = 5;
export const TIME_WAIT: u32 = 6;
export const CLOSE_WAIT: u32 = 7;
export const LAST_ACK: u32 = 8;

/** Connections at once; a flood of SYNs takes none (SYN cookies). */
export const CONNECTIONS: u32 = 8;
/** Bytes each connection may have written and not yet acknowledged (a power of two). */
export const SEND_BUFFER: u32 = 2048;
const RTO_FIRST_MS: u64 = 1000;
const RTO_MAX_MS: u64 = 16000;
/** Retransmissions of one segment before the connection is given up (reset). */
const MAX_RETRIES: u32 = 8;
/** TIME-WAIT is 2 s, not 2 MSL (minutes): slots are few, and a new connection may take one anyway. */
const TIME_WAIT_MS: u64 = 2000;
const NS_PER_MS: u64 = 1000000;
/** A new connection's peer window until its first segment tells it: so that a first window of 0 counts as closing. */
const WINDOW_UNKNOWN: u32 = 0xffffffff;

function sendBuffers(): usize {
  return memory.data(<i32>(CONNECTIONS * SEND_BUFFER));
}

/** Sequence numbers compare modulo 2^32 (RFC 9293 3.4). */
// @ts-ignore: decorator
@inline
export function before(a: u32, b: u32): bool {
  return <i32>(a - b) < 0;
}

export class Connection {
  state: u32 = CLOSED;
  remote: u32 = 0;
  /** Our port << 16 | the peer's port, as our segments carry them. */
  ports: u32 = 0;
  sendUnacked: u32 = 0;
  sendNext: u32 = 0;
  /** The highest sequence number sent: after going back, a late ACK may still reach it. */
  sendMax: u32 = 0;
  /** Our FIN has gone out at least once, as the last sequence number sent (sendMax - 1); finSent is cleared when going back to send it again. */
  finEverSent: bool = false;
  receiveNext: u32 = 0;
  peerWindow: u32 = 0;
  peerMss: u32 = 536;
  /** Bytes written from sendUnacked on, and where the first of them is in the buffer. */
  buffered: u32 = 0;
  bufferStart: u32 = 0;
  /** The app closed its side: a FIN follows the data written. */
  closeAsked: bool = false;
  finSent: bool = false;
  ackOwed: bool = false;
  probe: bool = false;
  notified: bool = false;
  deadline: u64 = 0;
  rtoMs: u64 = RTO_FIRST_MS;
  retries: u32 = 0;
  /** The app's own word, for what it keeps per connection (callbacks have no closures). */
  tag: u32 = 0;
  onData: ((connection: Connection, data: Line) => void) | null = null;
  onWritable: ((connection: Connection) => void) | null = null;
  onClose: ((connection: Connection) => void) | null = null;
  /** For tcp.connect: called once the handshake is done. */
  onOpen: ((connection: Connection) => void) | null = null;

  constructor(readonly slot: u32, readonly next: Connection | null) {}

  get localPort(): u32 {
    return this.ports >>> 16;
  }

  get remotePort(): u32 {
    return this.ports & 0xffff;
  }

  /** Whether the connection is open for writing. */
  get open(): bool {
    return (this.state == ESTABLISHED || this.state == CLOSE_WAIT) && !this.closeAsked;
  }

  /** Bytes write() would take now. */
  get writable(): u32 {
    return this.open ? SEND_BUFFER - this.buffered : 0;
  }

  // Writes are queued, not sent: what a callback writes goes out together once it returns (after
  // the segment that called it, or on run()'s next turn), in as few segments as the window allows.

  /** Queues the first length bytes of bytes (or all) to send; returns how many fit (see writable, onWritable). */
  write(bytes: Uint8Array, length: i32 = -1): u32 {
    return this.writeBytes(bytes.dataStart, firstBytes(bytes, length));
  }

  /** Queues text (its ASCII / Latin-1 characters, one byte each); returns how many fit. */
  print(text: string): u32 {
    const room = this.writable;
    const count = <u32>text.length < room ? <u32>text.length : room;
    const buffer = this.sendBuffer;
    for (let i: u32 = 0; i < count; i++) {
      store<u8>(buffer + <usize>((this.bufferStart + this.buffered + i) & (SEND_BUFFER - 1)), <u8>text.charCodeAt(<i32>i));
    }
    this.buffered += count;
    return count;
  }

  /** Queues length bytes at data; returns how many fit. */
  writeBytes(data: usize, length: u32): u32 {
    const room = this.writable;
    const count = length < room ? length : room;
    const at = (this.bufferStart + this.buffered) & (SEND_BUFFER - 1);
    const first = count < SEND_BUFFER - at ? count : SEND_BUFFER - at;
    memory.copy(this.sendBuffer + <usize>at, data, first);
    memory.copy(this.sendBuffer, data + <usize>first, count - first);
    this.buffered += count;
    return count;
  }

  /** This connection's send buffer, a ring in static memory. */
  // @ts-ignore: decorator
  @inline
  get sendBuffer(): usize {
    return sendBuffers() + <usize>(this.slot * SEND_BUFFER);
  }

  /** Closes our side once what was written is sent; onClose follows when the peer has closed too. */
  close(): void {
    if (this.state == CLOSED || this.state == SYN_SENT) {
      release(this);
      return;
    }
    this.closeAsked = true;
  }

  /** Drops the connection at once with a reset. */
  abort(): void {
    if (this.state != CLOSED && this.state != TIME_WAIT) {
      sendSegment(this.remote, this.ports, this.sendNext, 0, RST, 0);
      countResetSent();
    }
    release(this);
  }
}

let pool: Connection | null = null;

/** The connection slots, made on first use (a TCP-less image has none). */
export function connections(): Connection | null {
  if (pool === null) for (let i: u32 = 0; i < CONNECTIONS; i++) pool = new Connection(i, pool);
  return pool;
}

/** The connection of remote with these ports (ours << 16 | theirs), or null. */
export function findConnection(remote: u32, ports: u32): Connection | null {
  for (let c: Connection | null = connections(); c !== null; c = c!.next) {
    if (c.state != CLOSED && c.remote == remote && c.ports == ports) return c;
  }
  return null;
}

/** A free slot, else the TIME-WAIT one nearest its end, else null. */
export function freeConnection(): Connection | null {
  let waiting: Connection | null = null;
  for (let c: Connection | null = connections(); c !== null; c = c!.next) {
    if (c.state == CLOSED) return c;
    if (c.state == TIME_WAIT && (waiting === null || c.deadline < waiting.deadline)) waiting = c;
  }
  if (waiting !== null) waiting.state = CLOSED;
  return waiting;
}

/** Sets a slot up for a new connection. */
export function begin(c: Connection, remote: u32, ports: u32, state: u32, sendNext: u32, receiveNext: u32): void {
  c.state = state;
  c.remote = remote;
  c.ports = ports;
  c.sendUnacked = sendNext;
  c.sendNext = sendNext;
  c.sendMax = sendNext;
  c.finEverSent = false;
  c.receiveNext = receiveNext;
  c.peerWindow = WINDOW_UNKNOWN;
  c.buffered = 0;
  c.bufferStart = 0;
  c.closeAsked = false;
  c.finSent = false;
  c.ackOwed = false;
  c.probe = false;
  c.notified = false;
  c.deadline = 0;
  c.rtoMs = RTO_FIRST_MS;
  c.retries = 0;
  c.tag = 0;
  c.onData = null;
  c.onWritable = null;
  c.onClose = null;
  c.onOpen = null;
}

/** Frees the slot, telling the app once. */
export function release(c: Connection): void {
  c.state = CLOSED;
  c.deadline = 0;
  notifyClosed(c);
}

/** Tells the app its connection has ended (TIME-WAIT or closed), once. */
export function notifyClosed(c: Connection): void {
  if (c.notified) return;
  c.notified = true;
  const callback = c.onClose;
  if (callback !== null) callback(c);
}

export function enterTimeWait(c: Connection): void {
  c.state = TIME_WAIT;
  c.deadline = clock_monotonic() + TIME_WAIT_MS * NS_PER_MS;
  notifyClosed(c);
  rearm();
}

/** The peer acknowledged up to ack (already checked to be new and not beyond what we sent). */
export function acknowledged(c: Connection, ack: u32): void {
  let count = ack - c.sendUnacked;
  if (c.state == SYN_SENT) count--; // the SYN's sequence number
  const data = count < c.buffered ? count : c.buffered;
  c.buffered -= data;
  c.bufferStart = (c.bufferStart + data) & (SEND_BUFFER - 1);
  c.sendUnacked = ack;
  // A late ACK for what was sent before going back: what it covers need not go again.
  if (before(c.sendNext, ack)) c.sendNext = ack;
  if (c.finEverSent && ack == c.sendMax) c.finSent = true;
  c.retries = 0;
  c.rtoMs = RTO_FIRST_MS;
  c.deadline = 0;
  if (data > 0) {
    const callback = c.onWritable;
    if (callback !== null && c.open) callback(c);
  }
}

/** Whether our FIN has been sent and acknowledged. */
export function finAcked(c: Connection): bool {
  return c.finSent && c.sendUnacked == c.sendNext;
}

/** Sends what every connection has written and may send: run() calls it each turn. */
export function flushConnections(): void {
  for (let c: Connection | null = pool; c !== null; c = c!.next) output(c!);
}

/** Sends what the window allows of what was written (and the FIN after it), or an ACK that is owed. */
export function output(c: Connection): void {
  if (c.state == CLOSED || c.state == SYN_SENT) return;
  const buffer = c.sendBuffer;
  while (!c.finSent) {
    const inFlight = c.sendNext - c.sendUnacked;
    const unsent = c.buffered - inFlight;
    let window = c.peerWindow > inFlight ? c.peerWindow - inFlight : 0;
    if (c.probe && window == 0 && unsent > 0) window = 1; // a window probe (RFC 9293 3.8.6.1)
    c.probe = false;
    let count = unsent < window ? unsent : window;
    if (count > c.peerMss) count = c.peerMss;
    const fin = c.closeAsked && count == unsent;
    if (count == 0 && !fin) break;
    const flags = ACK | (count > 0 ? PSH : 0) | (fin ? FIN : 0);
    const payload = payloadArea(flags);
    const at = (c.bufferStart + inFlight) & (SEND_BUFFER - 1);
    const first = count < SEND_BUFFER - at ? count : SEND_BUFFER - at;
    memory.copy(payload, buffer + <usize>at, first);
    memory.copy(payload + <usize>first, buffer, count - first);
    sendSegment(c.remote, c.ports, c.sendNext, c.receiveNext, flags, count);
    c.ackOwed = false;
    c.sendNext += count;
    if (fin) {
      c.finEverSent = true;
      c.sendNext++;
      c.finSent = true;
      if (c.state == ESTABLISHED) c.state = FIN_WAIT_1;
      else if (c.state == CLOSE_WAIT) c.state = LAST_ACK;
    }
    if (before(c.sendMax, c.sendNext)) c.sendMax = c.sendNext;
  }
  if (c.ackOwed) {
    sendSegment(c.remote, c.ports, c.sendNext, c.receiveNext, ACK, 0);
    c.ackOwed = false;
  }
  // Something unacknowledged, or written and held back by a closed window: the timer watches it.
  if (c.sendNext != c.sendUnacked || (c.buffered > 0 && c.peerWindow == 0)) watch(c);
}

/** Starts c's retransmission timer, one RTO from now, unless it is running. */
export function watch(c: Connection): void {
  if (c.deadline != 0) return;
  c.deadline = clock_monotonic() + c.rtoMs * NS_PER_MS;
  rearm();
}

/** A window of 0 from the peer: counted each time it closes. When it opens, a probe's byte goes again with the rest. */
export function windowUpdate(c: Connection, window: u32): void {
  if (window == 0 && c.peerWindow != 0) countZeroWindow();
  if (window != 0 && c.peerWindow == 0 && !c.finSent) c.sendNext = c.sendUnacked;
  c.peerWindow = window;
}

function expired(c: Connection, now: u64): void {
  c.deadline = 0;
  if (c.state == TIME_WAIT) {
    c.state = CLOSED;
    return;
  }
  // A shut window is probed for as long as the peer answers (RFC 9293 3.8.6.1), not given up on.
  const probing = c.peerWindow == 0 && c.buffered > 0 && !c.finSent;
  if (!probing && ++c.retries > MAX_RETRIES) {
    countTimeout();
    c.abort();
    return;
  }
  c.rtoMs = c.rtoMs * 2 < RTO_MAX_MS ? c.rtoMs * 2 : RTO_MAX_MS;
  if (c.state == SYN_SENT) {
    sendSegment(c.remote, c.ports, c.sendUnacked, 0, SYN, 0);
    c.deadline = now + c.rtoMs * NS_PER_MS;
    return;
  }
  // Go back to the oldest unacknowledged byte (a probe's byte too); a FIN in flight goes again after the data.
  if (probing) c.probe = true;
  else countRetransmit();
  c.sendNext = c.sendUnacked;
  c.finSent = false;
  output(c);
}

function retransmitTimerFired(): void {
  const now = clock_monotonic();
  for (let c = connections(); c !== null; c = c!.next) {
    if (c!.deadline != 0 && c!.deadline <= now) expired(c!, now);
  }
  rearm();
}

// A callback timer, not a TimerTask subclass of TCP's own: a subclass's fire() would be linked into
// every image that runs timers (the queue calls fire() virtually), TCP or not.
let timer: Timer | null = null;

/** Schedules the one kernel timer TCP uses at the earliest deadline of any connection. */
export function rearm(): void {
  if (timer === null) timer = new Timer(retransmitTimerFired, 0);
  let earliest: u64 = 0;
  for (let c = connections(); c !== null; c = c!.next) {
    if (c!.deadline != 0 && (earliest == 0 || c!.deadline < earliest)) earliest = c!.deadline;
  }
  if (earliest == 0) cancel(timer!);
  else schedule(timer!, earliest);
}
