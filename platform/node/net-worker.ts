// The userspace network's thread: a UDP socket carrying one Ethernet frame per datagram, as QEMU's
// socket netdev does. Frames that arrive go into the inbound ring for the platform's NIC model;
// frames the model sends come through the outbound ring and leave as datagrams.
import dgram from "node:dgram";
import { parentPort, workerData } from "node:worker_threads";
import { FRAME_RING, FrameRing } from "./frame-ring.js";

const { inbound, outbound, bindPort, peerPort } = workerData as { inbound: SharedArrayBuffer; outbound: SharedArrayBuffer; bindPort: number; peerPort: number };
const toBoard = new FrameRing(inbound);
const fromBoard = new FrameRing(outbound);
const socket = dgram.createSocket("udp4");

socket.on("message", (frame: Buffer) => toBoard.write(frame));
socket.on("error", (err) => parentPort!.postMessage({ error: err.message }));
socket.bind(bindPort, "127.0.0.1", () => parentPort!.postMessage({ port: socket.address().port }));

// Node 20 has Atomics.waitAsync; TypeScript's ES2022 library does not describe it yet.
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { value: Promise<unknown> | string } }).waitAsync;

/** Sends what the board has sent, then waits (without blocking this thread) for more. */
async function pump(): Promise<void> {
  for (;;) {
    for (let frame = fromBoard.peek(); frame; frame = fromBoard.peek()) {
      fromBoard.take();
      socket.send(frame, peerPort, "127.0.0.1");
    }
    const signal = Atomics.load(fromBoard.header, FRAME_RING.signal);
    if (fromBoard.peek()) continue;
    await waitAsync(fromBoard.header, FRAME_RING.signal, signal).value;
  }
}
void pump();
