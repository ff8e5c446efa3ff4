// The kernel's default runtime: a bump allocator that never frees, like AssemblyScript's stub
// runtime, that also holds the image's heap cap. An allocation past the cap panics naming what was
// needed and the cap, on every platform alike: bounds traps would not agree, since Node's memory is
// a whole 64 KiB page and a board's is exactly static data plus the cap.
//
// The build compiles it in place of the stub runtime (~lib/rt/stub), so that the compiler
// treats it as the stub (no garbage collector, no shadow stack). As a library file it reaches the
// kernel only through the aliases the build gives (--use): ANYK_HEAP_LIMIT and ANYK_HEAP_EXHAUSTED
// are base/alloc.ts's heapLimit and heapExhausted.
import { AL_MASK, BLOCK, BLOCK_OVERHEAD, OBJECT, OBJECT_OVERHEAD } from "./common";

// Blocks start so that their payload is 16-byte aligned, as AssemblyScript's layouts expect.
// @ts-ignore: decorator
@lazy let top: usize = ((__heap_base + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;

/** The payload size that keeps the next block's payload aligned too. */
// @ts-ignore: decorator
@inline function payloadFor(size: usize): usize {
  return ((size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
}

/** Moves the top to end, or panics when end passes the cap. */
function bumpTo(end: usize): void {
  // @ts-ignore: aliases the build gives
  if (end > ANYK_HEAP_LIMIT()) ANYK_HEAP_EXHAUSTED(end);
  top = end;
}

// @ts-ignore: decorator
@unsafe @global
export function __alloc(size: usize): usize {
  const payload = payloadFor(size);
  const block = top;
  bumpTo(block + BLOCK_OVERHEAD + payload);
  changetype<BLOCK>(block).mmInfo = payload;
  return block + BLOCK_OVERHEAD;
}

// @ts-ignore: decorator
@unsafe @global
export function __realloc(ptr: usize, size: usize): usize {
  const block = changetype<BLOCK>(ptr - BLOCK_OVERHEAD);
  const current = block.mmInfo;
  const last = ptr + current == top;
  const payload = payloadFor(size);
  if (last) {
    // The last block grows or shrinks where it is.
    bumpTo(ptr + payload);
    block.mmInfo = payload;
    return ptr;
  }
  if (size <= current) return ptr;
  const moved = __alloc(size);
  memory.copy(moved, ptr, current);
  return moved;
}

// @ts-ignore: decorator
@unsafe @global
export function __free(ptr: usize): void {
  // Only the last block comes back: enough for the probe of heapUsed() and short-lived temporaries.
  const block = ptr - BLOCK_OVERHEAD;
  if (ptr + changetype<BLOCK>(block).mmInfo == top) top = block;
}

// @ts-ignore: decorator
@unsafe @global
export function __new(size: usize, id: u32): usize {
  const ptr = __alloc(OBJECT_OVERHEAD + size);
  const object = changetype<OBJECT>(ptr - BLOCK_OVERHEAD);
  object.gcInfo = 0;
  object.gcInfo2 = 0;
  object.rtId = id;
  object.rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// @ts-ignore: decorator
@unsafe @global
export function __renew(oldPtr: usize, size: usize): usize {
  const ptr = __realloc(oldPtr - OBJECT_OVERHEAD, OBJECT_OVERHEAD + size);
  changetype<OBJECT>(ptr - BLOCK_OVERHEAD).rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// Nothing is collected, so nothing is traced, linked or pinned.
// @ts-ignore: decorator
@global @unsafe
export function __link(parentPtr: usize, childPtr: usize, expectMultiple: bool): void {}

// @ts-ignore: decorator
@global @unsafe
export function __pin(ptr: usize): usize {
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
export function __unpin(ptr: usize): void {}

// @ts-ignore: decorator
@global @unsafe
export function __visit(ptr: usize, cookie: u32): void {}

// @ts-ignore: decorator
@global @unsafe
export function __collect(): void {}
