// A ring of Ethernet frames in shared memory between two threads: one writes whole frames (a
// 2-byte length, then the bytes), the other reads them; a full ring drops the frame, as a NIC's
// full FIFO does. Indexes only grow; positions are taken modulo the data size.
export const FRAME_RING = {
  /** Int32 words before the data: write index, read index, wake-up counter, frames dropped. */
  headerWords: 4,
  writeIndex: 0,
  readIndex: 1,
  signal: 2,
  dropped: 3,
  dataBytes: 256 * 1024,
} as const;

export class FrameRing {
  readonly header: Int32Array;
  private readonly data: Uint8Array;

  constructor(readonly shared: SharedArrayBuffer) {
    this.header = new Int32Array(shared, 0, FRAME_RING.headerWords);
    this.data = new Uint8Array(shared, FRAME_RING.headerWords * 4);
  }

  static create(): FrameRing {
    return new FrameRing(new SharedArrayBuffer(FRAME_RING.headerWords * 4 + FRAME_RING.dataBytes));
  }

  /** Appends a frame and wakes the reader; false (and counted) when it does not fit. */
  write(frame: Uint8Array): boolean {
    const w = Atomics.load(this.header, FRAME_RING.writeIndex);
    const used = w - Atomics.load(this.header, FRAME_RING.readIndex);
    if (frame.length > 0xffff || used + 2 + frame.length > this.data.length) {
      Atomics.add(this.header, FRAME_RING.dropped, 1);
      return false;
    }
    this.put(w, frame.length & 0xff);
    this.put(w + 1, frame.length >> 8);
    for (let i = 0; i < frame.length; i++) this.put(w + 2 + i, frame[i]);
    Atomics.store(this.header, FRAME_RING.writeIndex, w + 2 + frame.length);
    Atomics.add(this.header, FRAME_RING.signal, 1);
    Atomics.notify(this.header, FRAME_RING.signal);
    return true;
  }

  /** The oldest frame, left in the ring (take() removes it), or undefined. */
  peek(): Uint8Array | undefined {
    const r = Atomics.load(this.header, FRAME_RING.readIndex);
    if (r === Atomics.load(this.header, FRAME_RING.writeIndex)) return undefined;
    const length = this.get(r) | (this.get(r + 1) << 8);
    const frame = new Uint8Array(length);
    for (let i = 0; i < length; i++) frame[i] = this.get(r + 2 + i);
    return frame;
  }

  /** Removes the oldest frame. */
  take(): void {
    const r = Atomics.load(this.header, FRAME_RING.readIndex);
    if (r === Atomics.load(this.header, FRAME_RING.writeIndex)) return;
    Atomics.store(this.header, FRAME_RING.readIndex, r + 2 + (this.get(r) | (this.get(r + 1) << 8)));
  }

  /** Blocks for up to ms until a frame is written (or one already waits). */
  waitForFrame(ms: number): void {
    const signal = Atomics.load(this.header, FRAME_RING.signal);
    if (Atomics.load(this.header, FRAME_RING.readIndex) !== Atomics.load(this.header, FRAME_RING.writeIndex)) return;
    Atomics.wait(this.header, FRAME_RING.signal, signal, ms);
  }

  private put(index: number, byte: number): void {
    this.data[index % this.data.length] = byte;
  }

  private get(index: number): number {
    return this.data[index % this.data.length];
  }
}
