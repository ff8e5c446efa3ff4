// The userspace network as the platform sees it: frames to and from a UDP port on 127.0.0.1, one
// frame per datagram, moved by a worker thread so that the kernel's thread never waits on a socket.
import { Worker } from "node:worker_threads";
import { FrameRing } from "./frame-ring.js";

export class FrameBridge {
  private constructor(private readonly worker: Worker, private readonly toBoard: FrameRing, private readonly fromBoard: FrameRing, readonly port: number) {}

  /** Takes frames on 127.0.0.1:bindPort (0: any free port) and sends to 127.0.0.1:peerPort. */
  static open(bindPort: number, peerPort: number): Promise<FrameBridge> {
    const toBoard = FrameRing.create();
    const fromBoard = FrameRing.create();
    const worker = new Worker(new URL("./net-worker.js", import.meta.url), { workerData: { inbound: toBoard.shared, outbound: fromBoard.shared, bindPort, peerPort } });
    return new Promise((resolve, reject) => {
      worker.once("message", (m: { port?: number; error?: string }) => {
        if (m.port === undefined) return reject(new Error(`the userspace network could not take UDP port ${bindPort} on 127.0.0.1: ${m.error}`));
        worker.unref();
        resolve(new FrameBridge(worker, toBoard, fromBoard, m.port));
      });
      worker.once("error", reject);
    });
  }

  /** A frame the board sent. */
  send(frame: Uint8Array): void {
    this.fromBoard.write(frame);
  }

  /** The oldest frame that arrived for the board, left waiting until take(). */
  peek(): Uint8Array | undefined {
    return this.toBoard.peek();
  }

  take(): void {
    this.toBoard.take();
  }

  /** Sleeps up to ms, waking at once when a frame arrives. */
  sleep(ms: number): void {
    this.toBoard.waitForFrame(ms);
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
