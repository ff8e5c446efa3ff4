// ping on a link of the test's own (anyk boot/run --net-udp), the test being the rest of the
// network: frames built here from the RFCs (ARP 826, IPv4 791, ICMP 792). The board must answer ARP
// and every echo, and count and drop bad traffic without stopping, in QEMU and in userspace alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempBuildDir } from "./helpers/cli.js";
import { RunningBoard } from "./helpers/net-clients.js";
import { BOARD_IP, HOST_IP, HOST_MAC, RawLink, internetChecksum, ipv4 } from "./helpers/raw-link.js";

const BASE = 40000 + (process.pid % 2000) * 8;
const RUNS = [
  { board: "lm3s6965evb", command: "boot", where: "in QEMU" },
  { board: "mps2-an385", command: "boot", where: "in QEMU" },
  { board: "lm3s6965evb", command: "run", where: "in userspace" },
  { board: "mps2-an385", command: "run", where: "in userspace" },
];

function echoRequest(sequence: number, payload: Buffer): Buffer {
  const icmp = Buffer.concat([Buffer.from([8, 0, 0, 0, 0x12, 0x34, sequence >> 8, sequence & 0xff]), payload]);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  return ipv4(1, icmp);
}

describe.each(RUNS.map((r, i) => ({ ...r, port: BASE + i * 2 })))("ping on $board $where, over UDP datagrams", ({ board: name, command, port }) => {
  let board: RunningBoard;
  let link: RawLink;

  beforeAll(async () => {
    link = new RawLink(port);
    await link.open();
    board = new RunningBoard([command, "ping", "--board", name, "--net-udp", String(port), "--timeout", "120"], { ANYK_BUILD_DIR: tempBuildDir(`net-${name}`) });
    await board.ready("ping: answering at 10.0.2.15");
  }, 120_000);

  afterAll(() => {
    board?.stop();
    link?.close();
  });

  /** Sends an IPv4 datagram and waits for the board's next IPv4 frame, or undefined after ms. */
  async function exchange(datagram: Buffer, ms = 3000): Promise<Buffer | undefined> {
    const reply = link.next((f) => f.readUInt16BE(12) === 0x0800, ms);
    link.sendIp(datagram);
    return reply;
  }

  it("answers an ARP request for its address with its MAC", async () => {
    await link.resolve();
    expect(link.boardMac.length).toBe(6);
    expect(link.boardMac.equals(Buffer.alloc(6, 0xff))).toBe(false);
  }, 30_000);

  it("answers 20 echo requests with the same identifier, sequence and data, and correct checksums", async () => {
    for (let sequence = 1; sequence <= 20; sequence++) {
      const payload = Buffer.from(`anykernel echo ${sequence} `.repeat(sequence % 4 + 1));
      const reply = await exchange(echoRequest(sequence, payload));
      expect(reply, `echo ${sequence}`).toBeDefined();
      expect(reply!.subarray(0, 6)).toEqual(HOST_MAC);
      expect(reply!.subarray(6, 12)).toEqual(link.boardMac);
      const ip = reply!.subarray(14);
      expect([...ip.subarray(12, 16)]).toEqual(BOARD_IP);
      expect([...ip.subarray(16, 20)]).toEqual(HOST_IP);
      expect(internetChecksum(ip.subarray(0, 20))).toBe(0);
      const icmp = ip.subarray(20, ip.readUInt16BE(2));
      expect(icmp[0]).toBe(0); // echo reply
      expect(internetChecksum(icmp)).toBe(0);
      expect(icmp.readUInt16BE(4)).toBe(0x1234);
      expect(icmp.readUInt16BE(6)).toBe(sequence);
      expect(icmp.subarray(8)).toEqual(payload);
    }
    // The board prints after it has sent the reply: give its console a moment.
    for (let i = 0; i < 50 && !board.output().includes("echo 20\n"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(board.output()).toContain("echo 20\n");
  }, 60_000);

  it("drops a truncated frame, a bad IP checksum, a bad ICMP checksum, an unknown EtherType and a fragment, and keeps answering", async () => {
    const frame = (datagram: Buffer) => Buffer.concat([link.boardMac, HOST_MAC, Buffer.from([8, 0]), datagram]);
    const good = echoRequest(100, Buffer.from("still here"));
    const badIp = Buffer.from(good);
    badIp[10] ^= 0xff;
    const badIcmp = Buffer.from(good);
    badIcmp[20 + 8] ^= 0xff;
    const unknownType = frame(good);
    unknownType.writeUInt16BE(0x88b5, 12);
    const fragment = echoRequest(101, Buffer.from("first part"));
    fragment.writeUInt16BE(0x2000, 6); // more fragments
    fragment.writeUInt16BE(0, 10);
    fragment.writeUInt16BE(internetChecksum(fragment.subarray(0, 20)), 10);
    for (const bad of [frame(good).subarray(0, 20), frame(badIp), frame(badIcmp), unknownType, frame(fragment)]) {
      const reply = link.next((f) => f.readUInt16BE(12) === 0x0800, 500);
      link.send(bad);
      expect(await reply).toBeUndefined();
    }
    const reply = await exchange(good);
    expect(reply?.subarray(14 + 20)[0]).toBe(0);
    expect(board.output()).not.toMatch(/panic/);
  }, 60_000);
});
