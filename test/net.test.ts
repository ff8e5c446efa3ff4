// The net faction in QEMU: lm3s6965evb's Stellaris MAC connected to this test by UDP datagrams
// (anyk boot --net-udp), the test being the rest of the network. Frames are built here from the
// RFCs (ARP 826, IPv4 791, ICMP 792); the board must answer ARP and every echo, and count and drop
// bad traffic without stopping.
import dgram from "node:dgram";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANYK, ROOT, tempBuildDir } from "./helpers/cli.js";

const env = { ...process.env, ANYK_BUILD_DIR: tempBuildDir("net") };
const PORT = 40000 + (process.pid % 10000) * 2;
const HOST_MAC = Buffer.from([0x02, 0, 0, 0, 0, 1]);
const HOST_IP = [10, 0, 2, 2];
const BOARD_IP = [10, 0, 2, 15];

/** RFC 1071's Internet checksum, written here. */
function internetChecksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += bytes.readUInt16BE(i);
  if (bytes.length & 1) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function echoRequest(boardMac: Buffer, sequence: number, payload: Buffer): Buffer {
  const icmp = Buffer.concat([Buffer.from([8, 0, 0, 0, 0x12, 0x34, sequence >> 8, sequence & 0xff]), payload]);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  const ip = Buffer.concat([Buffer.from([0x45, 0, 0, 0, 0, sequence & 0xff, 0, 0, 64, 1, 0, 0]), Buffer.from(HOST_IP), Buffer.from(BOARD_IP)]);
  ip.writeUInt16BE(20 + icmp.length, 2);
  ip.writeUInt16BE(internetChecksum(ip), 10);
  return Buffer.concat([boardMac, HOST_MAC, Buffer.from([8, 0]), ip, icmp]);
}

describe("ping on lm3s6965evb in QEMU, over UDP datagrams", () => {
  let board: ChildProcess;
  let socket: dgram.Socket;
  let console_ = "";
  const frames: Buffer[] = [];
  let waiting: (() => void) | undefined;

  beforeAll(async () => {
    socket = dgram.createSocket("udp4");
    socket.on("message", (m) => {
      frames.push(m);
      waiting?.();
    });
    await new Promise<void>((resolve) => socket.bind(PORT + 1, "127.0.0.1", resolve));
    board = spawn(process.execPath, [ANYK, "boot", "ping", "--board", "lm3s6965evb", "--net-udp", String(PORT), "--timeout", "120"], { cwd: ROOT, env });
    board.stdout!.on("data", (d) => (console_ += d));
    board.stderr!.on("data", (d) => (console_ += d));
    const deadline = Date.now() + 90_000;
    while (!console_.includes("ping: answering") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(console_).toContain("ping: answering at 10.0.2.15");
  }, 120_000);

  afterAll(() => {
    board?.kill();
    socket?.close();
  });

  /** Sends frame and waits for the next frame the board sends, or undefined after ms. */
  async function exchange(frame: Buffer, ms = 3000): Promise<Buffer | undefined> {
    frames.length = 0;
    const arrived = new Promise<void>((resolve) => (waiting = resolve));
    socket.send(frame, PORT, "127.0.0.1");
    await Promise.race([arrived, new Promise((r) => setTimeout(r, ms))]);
    waiting = undefined;
    return frames.shift();
  }

  let boardMac: Buffer;

  it("answers an ARP request for its address with its MAC", async () => {
    const request = Buffer.concat([Buffer.alloc(6, 0xff), HOST_MAC, Buffer.from([8, 6, 0, 1, 8, 0, 6, 4, 0, 1]), HOST_MAC, Buffer.from(HOST_IP), Buffer.alloc(6), Buffer.from(BOARD_IP)]);
    const reply = await exchange(request);
    expect(reply).toBeDefined();
    expect(reply!.subarray(0, 6)).toEqual(HOST_MAC);
    expect(reply!.readUInt16BE(12)).toBe(0x0806);
    expect(reply!.readUInt16BE(20)).toBe(2); // a reply
    boardMac = reply!.subarray(22, 28);
    expect(reply!.subarray(6, 12)).toEqual(boardMac);
    expect([...reply!.subarray(28, 32)]).toEqual(BOARD_IP);
    expect(reply!.subarray(32, 38)).toEqual(HOST_MAC);
  }, 30_000);

  it("answers 20 echo requests with the same identifier, sequence and data, and correct checksums", async () => {
    for (let sequence = 1; sequence <= 20; sequence++) {
      const payload = Buffer.from(`anykernel echo ${sequence} `.repeat(sequence % 4 + 1));
      const reply = await exchange(echoRequest(boardMac, sequence, payload));
      expect(reply, `echo ${sequence}`).toBeDefined();
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
    for (let i = 0; i < 50 && !console_.includes("echo 20\n"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(console_).toContain("echo 20\n");
  }, 60_000);

  it("drops a truncated frame, a bad IP checksum, a bad ICMP checksum, an unknown EtherType and a fragment, and keeps answering", async () => {
    const good = echoRequest(boardMac, 100, Buffer.from("still here"));
    const badIp = Buffer.from(good);
    badIp[14 + 10] ^= 0xff;
    const badIcmp = Buffer.from(good);
    badIcmp[14 + 20 + 8] ^= 0xff;
    const unknownType = Buffer.from(good);
    unknownType.writeUInt16BE(0x88b5, 12);
    const fragment = echoRequest(boardMac, 101, Buffer.from("first part"));
    fragment.writeUInt16BE(0x2000, 14 + 6); // more fragments
    fragment.writeUInt16BE(0, 14 + 10);
    fragment.writeUInt16BE(internetChecksum(fragment.subarray(14, 34)), 14 + 10);
    for (const bad of [good.subarray(0, 20), badIp, badIcmp, unknownType, fragment]) expect(await exchange(bad, 500)).toBeUndefined();
    const reply = await exchange(good);
    expect(reply?.subarray(14 + 20)[0]).toBe(0);
    expect(board.exitCode).toBeNull();
  }, 60_000);
});
