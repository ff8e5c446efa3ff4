// The rest of the network, written in the test from the RFCs: a link to a board's Ethernet as UDP
// datagrams (anyk boot/run --net-udp PORT: the board takes frames on PORT and sends to PORT + 1),
// Ethernet, ARP, IPv4 and a TCP client that does only what each test asks of it.
import dgram from "node:dgram";

export const HOST_MAC = Buffer.from([0x02, 0, 0, 0, 0, 1]);
export const HOST_IP = [10, 0, 2, 2];
export const BOARD_IP = [10, 0, 2, 15];
const IP_TCP = 6;

/** RFC 1071's Internet checksum. */
export function internetChecksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += bytes.readUInt16BE(i);
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An IPv4 datagram (RFC 791) from source to the board, with a correct header checksum. */
export function ipv4(protocol: number, payload: Buffer, source = HOST_IP): Buffer {
  const ip = Buffer.concat([Buffer.from([0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, protocol, 0, 0]), Buffer.from(source), Buffer.from(BOARD_IP)]);
  ip.writeUInt16BE(20 + payload.length, 2);
  ip.writeUInt16BE(internetChecksum(ip), 10);
  return Buffer.concat([ip, payload]);
}

export interface SegmentFields {
  sourcePort: number;
  port: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  data?: Buffer;
  /** An MSS option (SYNs). */
  mss?: number;
  source?: number[];
}

export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

/** A TCP segment (RFC 9293 3.1) with its checksum over the pseudo-header. */
export function tcpSegment(f: SegmentFields): Buffer {
  const options = f.mss === undefined ? Buffer.alloc(0) : Buffer.from([2, 4, f.mss >> 8, f.mss & 0xff]);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(f.sourcePort, 0);
  header.writeUInt16BE(f.port, 2);
  header.writeUInt32BE(f.seq >>> 0, 4);
  header.writeUInt32BE((f.ack ?? 0) >>> 0, 8);
  header[12] = ((20 + options.length) / 4) << 4;
  header[13] = f.flags;
  header.writeUInt16BE(f.window ?? 8192, 14);
  const segment = Buffer.concat([header, options, f.data ?? Buffer.alloc(0)]);
  const pseudo = Buffer.concat([Buffer.from(f.source ?? HOST_IP), Buffer.from(BOARD_IP), Buffer.from([0, IP_TCP, segment.length >> 8, segment.length & 0xff])]);
  segment.writeUInt16BE(internetChecksum(Buffer.concat([pseudo, segment])), 16);
  return segment;
}

export interface ReceivedSegment {
  sourcePort: number;
  port: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  data: Buffer;
  checksumOk: boolean;
}

function parseSegment(frame: Buffer): ReceivedSegment | undefined {
  if (frame.length < 34 || frame.readUInt16BE(12) !== 0x0800) return undefined;
  const ip = frame.subarray(14);
  if (ip[9] !== IP_TCP) return undefined;
  const total = ip.readUInt16BE(2);
  const headerLength = (ip[0] & 0xf) * 4;
  const segment = ip.subarray(headerLength, total);
  const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, IP_TCP, segment.length >> 8, segment.length & 0xff])]);
  return {
    sourcePort: segment.readUInt16BE(0),
    port: segment.readUInt16BE(2),
    seq: segment.readUInt32BE(4),
    ack: segment.readUInt32BE(8),
    flags: segment[13],
    window: segment.readUInt16BE(14),
    data: Buffer.from(segment.subarray((segment[12] >> 4) * 4)),
    checksumOk: internetChecksum(Buffer.concat([pseudo, segment])) === 0,
  };
}

/** The board's Ethernet as datagrams; answers the board's ARP requests for the host's address. */
export class RawLink {
  boardMac = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  private readonly socket = dgram.createSocket("udp4");
  private listeners: Array<(frame: Buffer) => void> = [];

  constructor(private readonly port: number) {
    this.socket.on("message", (frame: Buffer) => {
      if (frame.readUInt16BE(12) === 0x0806 && frame.readUInt16BE(20) === 1 && frame.subarray(38, 42).equals(Buffer.from(HOST_IP))) {
        this.send(Buffer.concat([frame.subarray(6, 12), HOST_MAC, Buffer.from([8, 6, 0, 1, 8, 0, 6, 4, 0, 2]), HOST_MAC, Buffer.from(HOST_IP), frame.subarray(22, 32)]));
        return;
      }
      for (const listener of [...this.listeners]) listener(frame);
    });
  }

  open(): Promise<void> {
    return new Promise((resolve) => this.socket.bind(this.port + 1, "127.0.0.1", resolve));
  }

  close(): void {
    this.socket.close();
  }

  send(frame: Buffer): void {
    this.socket.send(frame, this.port, "127.0.0.1");
  }

  /** An IPv4 datagram to the board, in a frame. */
  sendIp(datagram: Buffer): void {
    this.send(Buffer.concat([this.boardMac, HOST_MAC, Buffer.from([8, 0]), datagram]));
  }

  /** Learns the board's MAC with an ARP request (RFC 826). */
  async resolve(): Promise<void> {
    const reply = this.next((f) => f.readUInt16BE(12) === 0x0806 && f.readUInt16BE(20) === 2, 3000);
    this.send(Buffer.concat([Buffer.alloc(6, 0xff), HOST_MAC, Buffer.from([8, 6, 0, 1, 8, 0, 6, 4, 0, 1]), HOST_MAC, Buffer.from(HOST_IP), Buffer.alloc(6), Buffer.from(BOARD_IP)]));
    const frame = await reply;
    if (!frame) throw new Error("the board did not answer ARP");
    this.boardMac = Buffer.from(frame.subarray(22, 28));
  }

  /** The next frame that matches, or undefined after ms. */
  next(match: (frame: Buffer) => boolean, ms: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const listener = (frame: Buffer) => {
        if (!match(frame)) return;
        done(frame);
      };
      const timer = setTimeout(() => done(undefined), ms);
      const done = (frame: Buffer | undefined) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(frame);
      };
      this.listeners.push(listener);
    });
  }

  /** Every TCP segment the board sends to port, as it arrives. */
  onSegment(port: number, fn: (s: ReceivedSegment) => void): () => void {
    const listener = (frame: Buffer) => {
      const s = parseSegment(frame);
      if (s && s.port === port) fn(s);
    };
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  /** The next segment to port that matches, or undefined after ms. */
  async nextSegment(port: number, ms: number, match: (s: ReceivedSegment) => boolean = () => true): Promise<ReceivedSegment | undefined> {
    const frame = await this.next((f) => {
      const s = parseSegment(f);
      return s !== undefined && s.port === port && match(s);
    }, ms);
    return frame && parseSegment(frame);
  }
}

/** One client connection, driven by hand: the test says when to ACK and with what window. */
export class RawTcp {
  readonly isn = Math.floor(Math.random() * 0xffffffff);
  serverNext = 0;
  received = Buffer.alloc(0);
  finReceived = false;
  private stopListening: (() => void) | undefined;
  /** Data segments as they came, even those not taken. */
  readonly segments: ReceivedSegment[] = [];

  constructor(private readonly link: RawLink, readonly port: number, readonly serverPort = 80) {}

  /** Our next sequence number: what we send goes there, and moves it on. */
  ourNext = (this.isn + 1) >>> 0;

  send(flags: number, data?: Buffer, window = 8192): void {
    this.link.sendIp(ipv4(IP_TCP, tcpSegment({ sourcePort: this.port, port: this.serverPort, seq: this.ourNext, ack: this.serverNext, flags, window, data })));
    this.ourNext = (this.ourNext + (data?.length ?? 0) + (flags & TCP.FIN ? 1 : 0)) >>> 0;
  }

  /** The three-way handshake; the final ACK announces window. */
  async connect(window = 8192): Promise<void> {
    const answer = this.link.nextSegment(this.port, 3000, (s) => (s.flags & (TCP.SYN | TCP.ACK)) === (TCP.SYN | TCP.ACK));
    this.link.sendIp(ipv4(IP_TCP, tcpSegment({ sourcePort: this.port, port: this.serverPort, seq: this.isn, flags: TCP.SYN, mss: 1460 })));
    const synAck = await answer;
    if (!synAck) throw new Error(`no SYN-ACK to port ${this.port}`);
    if (synAck.ack !== ((this.isn + 1) >>> 0)) throw new Error(`SYN-ACK acknowledges ${synAck.ack}, not ${this.isn + 1}`);
    this.serverNext = (synAck.seq + 1) >>> 0;
    this.send(TCP.ACK, undefined, window);
  }

  /**
   * Takes the board's data as it comes: in-order bytes are kept and acknowledged with window
   * (window 0: nothing is taken, the ACK repeats what was expected); a FIN is acknowledged.
   */
  listen(window: () => number): void {
    this.stopListening = this.link.onSegment(this.port, (s) => {
      if (s.data.length > 0) this.segments.push(s);
      const open = window();
      if (s.seq === this.serverNext && open > 0 && s.data.length > 0) {
        this.received = Buffer.concat([this.received, s.data]);
        this.serverNext = (this.serverNext + s.data.length) >>> 0;
      }
      if (s.flags & TCP.FIN && s.seq + s.data.length === this.serverNext && open > 0) {
        this.serverNext = (this.serverNext + 1) >>> 0;
        this.finReceived = true;
      }
      if (s.data.length > 0 || s.flags & TCP.FIN) this.send(TCP.ACK, undefined, open);
    });
  }

  stop(): void {
    this.stopListening?.();
  }

  async until(condition: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return condition();
  }
}
