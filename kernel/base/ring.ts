// A byte ring buffer of fixed capacity, the queue between a driver's interrupt service and the
// code that reads or writes the device. One producer, one consumer, one CPU: no locks needed.
import { allocate } from "./alloc";

export class ByteRing {
  private readonly storage: usize;
  private readonly mask: u32;
  private head: u32 = 0; // next byte to pop
  private tail: u32 = 0; // next free slot
  /** Bytes refused because the ring was full. */
  dropped: u32 = 0;

  /** capacity must be a power of two. */
  constructor(readonly capacity: u32) {
    this.storage = allocate(<usize>capacity);
    this.mask = capacity - 1;
  }

  get length(): u32 {
    return this.tail - this.head;
  }

  get isEmpty(): bool {
    return this.tail == this.head;
  }

  get isFull(): bool {
    return this.tail - this.head == this.capacity;
  }

  /** Appends b; when full, counts it as dropped and returns false. */
  push(b: u8): bool {
    if (this.isFull) {
      this.dropped++;
      return false;
    }
    store<u8>(this.storage + <usize>(this.tail & this.mask), b);
    this.tail++;
    return true;
  }

  /** The oldest byte, removed; -1 when empty. */
  pop(): i32 {
    if (this.isEmpty) return -1;
    const b = load<u8>(this.storage + <usize>(this.head & this.mask));
    this.head++;
    return <i32>b;
  }
}
