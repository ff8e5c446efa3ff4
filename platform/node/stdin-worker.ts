// Reads the process's stdin on its own thread and fills a shared ring, so that the kernel's
// console_read never blocks the thread the image runs on.
import fs from "node:fs";
import { workerData } from "node:worker_threads";
import { RING } from "./stdin-ring.js";

const shared = workerData as SharedArrayBuffer;
const header = new Int32Array(shared, 0, RING.headerWords);
const data = new Uint8Array(shared, RING.headerWords * 4);
const chunk = Buffer.alloc(4096);

for (;;) {
  let n = 0;
  try {
    n = fs.readSync(0, chunk, 0, chunk.length, null);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
      Atomics.wait(header, RING.signal, Atomics.load(header, RING.signal), 10);
      continue;
    }
    n = 0;
  }
  if (n === 0) break;
  for (let i = 0; i < n; i++) {
    // Wait while the ring is full; the reader moves its index and notifies.
    while (Atomics.load(header, RING.writeIndex) - Atomics.load(header, RING.readIndex) >= data.length) {
      Atomics.wait(header, RING.readIndex, Atomics.load(header, RING.readIndex), 100);
    }
    const w = Atomics.load(header, RING.writeIndex);
    data[w % data.length] = chunk[i];
    Atomics.store(header, RING.writeIndex, w + 1);
  }
  Atomics.add(header, RING.signal, 1);
  Atomics.notify(header, RING.signal);
}
Atomics.store(header, RING.eof, 1);
Atomics.add(header, RING.signal, 1);
Atomics.notify(header, RING.signal);
