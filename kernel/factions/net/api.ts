// The network as the app API shows it: import { net, udp, tcp } from "anykernel/net". The interface
// takes its address from anykernel.json or the board file; run() hands frames to the protocols on
// each turn, and the protocols call the app back: a Datagram, a new Connection, data on it.
import { firstBytes, print, pollEachTurn } from "../api/index";
import { address as configuredAddress, configure } from "./config";
import { pollFrame } from "./ethernet";
import { echoesAnswered, onEchoAnswered } from "./icmp";
import { Datagram, udpBind, udpSend } from "./udp";
import { CONNECTIONS, Connection, flushConnections } from "./tcp-connection";
import { tcpConnect, tcpListen } from "./tcp";
import { NET_ADDRESS, NET_DHCP, NET_GATEWAY, NET_MASK } from "./settings";
import { startDhcp } from "../net-dhcp/dhcp";
import * as counters from "./counters";

export { Datagram, Connection, counters };

/** What each turn does after the frames: TCP sends what callbacks wrote (set once TCP is used). */
let afterFrames: (() => void) | null = null;

/**
 * Handles every frame waiting: the MAC interrupts once for frames that arrive together, so one
 * left behind would wait for the next frame to be noticed. Then TCP sends what callbacks wrote.
 */
function poll(): void {
  while (pollFrame()) {}
  if (afterFrames !== null) afterFrames!();
}

let started = false;
let whenConfigured: ((address: u32) => void) | null = null;

function configuredByDhcp(address: u32): void {
  if (whenConfigured !== null) whenConfigured!(address);
}

export namespace net {
  /**
   * Brings the interface up (once; udp and tcp do it themselves): with its static address, or, where
   * the board file or anykernel.json says "dhcp": true, by asking a DHCP server for one.
   */
  export function start(): void {
    if (started) return;
    started = true;
    pollEachTurn(1, poll);
    if (NET_DHCP) startDhcp(configuredByDhcp);
    else configure(NET_ADDRESS, NET_MASK, NET_GATEWAY);
  }

  /** This interface's IPv4 address, packed as ipv4() packs one; 0 until DHCP has given one. */
  export function address(): u32 {
    return configuredAddress;
  }

  /** Calls fn with the interface's address once it has one: at once for a static address, after DHCP's answer otherwise. */
  export function onConfigured(fn: (address: u32) => void): void {
    whenConfigured = fn;
    start();
    if (!NET_DHCP) fn(configuredAddress);
  }

  /** An address a.b.c.d packed big-endian into a u32, e.g. ipv4(10, 0, 2, 2). */
  export function ipv4(a: u32, b: u32, c: u32, d: u32): u32 {
    return (a << 24) | (b << 16) | (c << 8) | d;
  }

  /** Prints an address as a.b.c.d. */
  export function printAddress(address: u32): void {
    for (let shift: i32 = 24; shift >= 0; shift -= 8) {
      print((address >>> shift) & 0xff);
      if (shift > 0) print(".");
    }
  }

  /** Calls fn after each ping (ICMP echo request) answered, with the count so far. */
  export function onPing(fn: (answered: u32) => void): void {
    start();
    onEchoAnswered(fn);
  }

  /** Pings answered so far. */
  export function pingsAnswered(): u32 {
    return echoesAnswered();
  }
}

export namespace udp {
  /** Calls fn with each datagram that arrives for port (a view, valid until fn returns). */
  export function bind(port: u32, fn: (datagram: Datagram) => void): void {
    net.start();
    udpBind(port, fn);
  }

  /** Sends bytes (the first length of them, or all) from fromPort to to:port; false when it could not go now. */
  export function send(to: u32, port: u32, fromPort: u32, bytes: Uint8Array, length: i32 = -1): bool {
    net.start();
    return udpSend(to, port, fromPort, bytes.dataStart, firstBytes(bytes, length));
  }
}

export namespace tcp {
  /** Connections open at once at most; Connection.slot numbers them 0 up to this. */
  export const slots: u32 = CONNECTIONS;

  /** Calls fn with each connection a peer opens to port; set its onData, onWritable and onClose there. */
  export function listen(port: u32, fn: (connection: Connection) => void): void {
    net.start();
    afterFrames = flushConnections;
    tcpListen(port, fn);
  }

  /** Opens a connection to to:port; fn runs once it is open. Null when every connection slot is busy. */
  export function connect(to: u32, port: u32, fn: (connection: Connection) => void): Connection | null {
    net.start();
    afterFrames = flushConnections;
    return tcpConnect(to, port, fn);
  }
}
