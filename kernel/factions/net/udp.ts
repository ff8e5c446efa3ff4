// UDP (RFC 768): datagrams for a bound port go to its callback as a Datagram (a view over the
// frame received, valid until the callback returns); datagrams of our own are built in the
// outgoing frame. The checksum is checked when the sender gave one, and always sent.
import { Line, firstBytes } from "../api/index";
import { get16, get32, put16, transportChecksum } from "./bytes";
import { countBadChecksum, countClosedPort, countTruncated } from "./counters";
import { PAYLOAD, PROTOCOL_UDP, ipv4Header, ipv4Send, takeUdp } from "./ipv4";
import { outgoingFrame } from "./ethernet";

const HEADER: u32 = 8;
/** The largest payload one Ethernet frame carries without fragmenting (1500 - 20 - 8). */
export const UDP_MAX_PAYLOAD: u32 = 1472;

/** A datagram received: its bytes (a Line view), where it came from and the port it came to. */
export class Datagram extends Line {
  source: u32 = 0;
  sourcePort: u32 = 0;
  port: u32 = 0;

  constructor() {
    super(0, 0);
  }

  /** Sends bytes (the first length of them, or all) back to where this datagram came from. */
  reply(bytes: Uint8Array, length: i32 = -1): bool {
    return udpSend(this.source, this.sourcePort, this.port, bytes.dataStart, firstBytes(bytes, length));
  }

  /** Sends the datagram's own bytes back, as they are now (an echo). */
  echo(): bool {
    return udpSend(this.source, this.sourcePort, this.port, this.pointer, this.length);
  }
}

class Binding {
  constructor(readonly port: u32, readonly callback: (datagram: Datagram) => void, readonly next: Binding | null) {}
}

let bindings: Binding | null = null;
let received: Datagram | null = null;

/** Calls callback with each datagram that arrives for port. */
export function udpBind(port: u32, callback: (datagram: Datagram) => void): void {
  bindings = new Binding(port, callback, bindings);
  if (received === null) received = new Datagram();
  takeUdp(udpInput);
}

function udpInput(ip: usize, headerLength: u32, total: u32): void {
  const udp = ip + <usize>headerLength;
  const available = total - headerLength;
  const length = available >= HEADER ? get16(udp + 4) : 0;
  if (length < HEADER || length > available) {
    countTruncated();
    return;
  }
  if (get16(udp + 6) != 0 && transportChecksum(ip, udp, length, PROTOCOL_UDP) != 0) {
    countBadChecksum();
    return;
  }
  const port = get16(udp + 2);
  for (let b: Binding | null = bindings; b !== null; b = b!.next) {
    if (b.port != port) continue;
    const datagram = received!;
    datagram.view(udp + HEADER, length - HEADER);
    datagram.source = get32(ip + 12);
    datagram.sourcePort = get16(udp);
    datagram.port = port;
    const callback = b.callback;
    callback(datagram);
    return;
  }
  countClosedPort();
}

/**
 * Sends length bytes at data from sourcePort to destination:port; false when it could not go now,
 * or when length passes UDP_MAX_PAYLOAD (there is no fragmentation).
 */
export function udpSend(destination: u32, port: u32, sourcePort: u32, data: usize, length: u32): bool {
  if (length > UDP_MAX_PAYLOAD) return false;
  const udp = outgoingFrame() + PAYLOAD;
  memory.copy(udp + HEADER, data, length);
  put16(udp, sourcePort);
  put16(udp + 2, port);
  put16(udp + 4, HEADER + length);
  put16(udp + 6, 0);
  const ip = ipv4Header(destination, PROTOCOL_UDP, HEADER + length);
  const sum = transportChecksum(ip, udp, HEADER + length, PROTOCOL_UDP);
  put16(udp + 6, sum == 0 ? 0xffff : sum); // 0 would mean "no checksum"
  return ipv4Send(destination, HEADER + length);
}
