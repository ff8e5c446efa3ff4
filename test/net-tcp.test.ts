// TCP against bad and hostile traffic, in QEMU and in userspace: httpd's board on a link of the
// test's own (anyk boot/run --net-udp), the test being the network, its segments built from RFC 9293. The kernel
// must count and drop what is wrong, never trap, and keep serving: bad checksums, truncated
// segments, an unknown protocol, a flood of 1,000 SYNs, a peer whose window is 0, a lost segment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempBuildDir } from "./helpers/cli.js";
import { RunningBoard } from "./helpers/net-clients.js";
import { RawLink, RawTcp, TCP, ipv4, tcpSegment } from "./helpers/raw-link.js";

const BASE = 58000 + (process.pid % 2000) * 4;
const REQUEST = Buffer.from("GET / HTTP/1.1\r\nHost: board\r\n\r\n");

/** A GET over a raw connection, taken in full: the response's text. */
async function rawGet(link: RawLink, port: number, path = "/"): Promise<string> {
  const tcp = new RawTcp(link, port);
  await tcp.connect();
  tcp.listen(() => 8192);
  tcp.send(TCP.ACK | TCP.PSH, Buffer.from(`GET ${path} HTTP/1.1\r\nHost: board\r\n\r\n`));
  await tcp.until(() => tcp.finReceived, 10_000);
  tcp.send(TCP.ACK | TCP.FIN);
  tcp.stop();
  return tcp.received.toString("latin1");
}

function stats(text: string): Record<string, number> {
  return Object.fromEntries(text.split("\r\n\r\n")[1].trim().split("\n").map((l) => [l.split(" ")[0], Number(l.split(" ")[1])]));
}

function tcpHostileTraffic(title: string, start: (port: number) => RunningBoard, basePort: number): void {
  describe(title, () => {
    let board: RunningBoard;
    let link: RawLink;
    let nextPort = 20000;

    beforeAll(async () => {
      link = new RawLink(basePort);
      await link.open();
      board = start(basePort);
      await board.ready("httpd: listening on 10.0.2.15:80");
      await link.resolve();
    }, 240_000);

    afterAll(() => {
      board?.stop();
      link?.close();
    });

    it("serves a GET over a connection of the test's own, with FIN both ways", async () => {
      const text = await rawGet(link, nextPort++);
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).toContain("<h1>anykernel on");
    }, 30_000);

    it("drops a SYN with a bad checksum, a truncated segment and an unknown protocol, and counts them", async () => {
      const port = nextPort++;
      const syn = tcpSegment({ sourcePort: port, port: 80, seq: 1, flags: TCP.SYN });
      syn[16] ^= 0x55; // the checksum
      link.sendIp(ipv4(6, syn));
      expect(await link.nextSegment(port, 1000)).toBeUndefined();
      link.sendIp(ipv4(6, tcpSegment({ sourcePort: port, port: 80, seq: 1, flags: TCP.SYN }).subarray(0, 12)));
      link.sendIp(ipv4(253, Buffer.from("an experimental protocol (RFC 3692)")));
      expect(await link.nextSegment(port, 500)).toBeUndefined();
      const counted = stats(await rawGet(link, nextPort++, "/stats"));
      expect(counted.bad_checksum).toBeGreaterThanOrEqual(1);
      expect(counted.truncated).toBeGreaterThanOrEqual(1);
      expect(counted.unknown_protocol).toBeGreaterThanOrEqual(1);
    }, 30_000);

    it("answers a port nobody listens on, and a stray ACK, with a reset", async () => {
      const port = nextPort++;
      const reset = link.nextSegment(port, 3000, (s) => (s.flags & TCP.RST) !== 0);
      link.sendIp(ipv4(6, tcpSegment({ sourcePort: port, port: 81, seq: 7, flags: TCP.SYN })));
      const r = await reset;
      expect(r?.ack).toBe(8);
      // Stray ACKs whose cookie bits name each of the four time slots (bits 2-3 of ack - 1): none
      // is a cookie the board made, so each is reset, whichever slot is the current one.
      for (let k = 0; k < 4; k++) {
        const ack = 12345 + 4 * k;
        const stray = link.nextSegment(port, 3000, (s) => (s.flags & TCP.RST) !== 0);
        link.sendIp(ipv4(6, tcpSegment({ sourcePort: port, port: 80, seq: 100, ack, flags: TCP.ACK })));
        expect((await stray)?.seq, `ack ${ack}`).toBe(ack);
      }
    }, 30_000);

    it("survives a flood of 1,000 SYNs from 1,000 ports and keeps serving", async () => {
      for (let i = 0; i < 1000; i++) {
        const source = [10, 0, 2, 100 + (i % 100)];
        link.sendIp(ipv4(6, tcpSegment({ sourcePort: 30000 + i, port: 80, seq: i * 7919, flags: TCP.SYN, source }), source));
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 500));
      const text = await rawGet(link, nextPort++);
      expect(text).toContain("<h1>anykernel on");
      const counted = stats(await rawGet(link, nextPort++, "/stats"));
      // Every SYN the MAC took was answered statelessly; none took a connection slot.
      expect(counted.syns_answered).toBeGreaterThan(100);
      expect(counted.no_slot).toBe(0);
    }, 60_000);

    it("holds its response while the peer's window is 0, probes it, and sends all once it opens", async () => {
      const tcp = new RawTcp(link, nextPort++);
      let window = 0;
      await tcp.connect(0);
      tcp.listen(() => window);
      tcp.send(TCP.ACK | TCP.PSH, REQUEST, 0);
      await new Promise((r) => setTimeout(r, 2500));
      // Nothing but window probes of one byte each while the window is shut.
      expect(tcp.received.length).toBe(0);
      expect(tcp.segments.every((s) => s.data.length === 1)).toBe(true);
      expect(tcp.segments.length).toBeGreaterThanOrEqual(1);
      window = 8192;
      tcp.send(TCP.ACK, undefined, window);
      expect(await tcp.until(() => tcp.finReceived, 10_000)).toBe(true);
      tcp.send(TCP.ACK | TCP.FIN);
      tcp.stop();
      expect(tcp.received.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*<\/html>\n$/);
      expect(stats(await rawGet(link, nextPort++, "/stats")).zero_windows).toBeGreaterThanOrEqual(1);
    }, 30_000);

    it("retransmits a segment that was not acknowledged, after its timer, and is done once the peer acknowledges it", async () => {
      const tcp = new RawTcp(link, nextPort++);
      await tcp.connect();
      const first = link.nextSegment(tcp.port, 3000, (s) => s.data.length > 0);
      tcp.send(TCP.ACK | TCP.PSH, REQUEST);
      const lost = await first;
      expect(lost).toBeDefined();
      // Not acknowledged: the same bytes come again, about a second later.
      const started = Date.now();
      const again = await link.nextSegment(tcp.port, 5000, (s) => s.seq === lost!.seq && s.data.length > 0);
      expect(again?.data.subarray(0, 16)).toEqual(lost!.data.subarray(0, 16));
      expect(Date.now() - started).toBeGreaterThan(500);
      // Now an ACK for all of it, FIN included: the board stops resending and takes our FIN.
      tcp.serverNext = (lost!.seq + lost!.data.length + (lost!.flags & TCP.FIN ? 1 : 0)) >>> 0;
      expect(lost!.flags & TCP.FIN).toBe(TCP.FIN); // httpd's response and its close fit one segment
      tcp.send(TCP.ACK);
      const afterOurFin = (tcp.ourNext + 1) >>> 0;
      const finAck = link.nextSegment(tcp.port, 3000, (s) => (s.flags & TCP.ACK) !== 0 && s.ack === afterOurFin);
      tcp.send(TCP.ACK | TCP.FIN);
      expect(await finAck).toBeDefined();
      // Nothing more is resent once all was acknowledged.
      expect(await link.nextSegment(tcp.port, 2500, (s) => s.data.length > 0)).toBeUndefined();
      expect(stats(await rawGet(link, nextPort++, "/stats")).retransmits).toBeGreaterThanOrEqual(1);
    }, 30_000);

    it("never trapped: the board still runs", () => {
      expect(board.output()).not.toMatch(/panic|trap/);
    });
  });
}

const RUNS = [
  { board: "lm3s6965evb", command: "boot", where: "in QEMU" },
  { board: "mps2-an385", command: "boot", where: "in QEMU" },
  { board: "lm3s6965evb", command: "run", where: "in userspace" },
];

describe.each(RUNS.map((r, i) => ({ ...r, port: BASE + i * 2 })))("$board $where", ({ board, command, where, port }) => {
  const env = { ANYK_BUILD_DIR: tempBuildDir(`net-tcp-${board}`) };
  tcpHostileTraffic(`httpd ${where} on ${board}, on a link of the test's own`, (p) => new RunningBoard([command, "httpd", "--board", board, "--net-udp", String(p), "--timeout", "300"], env), port);
});
