// The kernel heap's high-water mark, read from linear memory after a run. AssemblyScript's stub
// runtime (0.28) is a bump allocator that never frees: each block is a 4-byte header holding its
// payload size, then the payload, the first placed so its payload is 16-byte aligned past the
// static data; the blocks chain up to the first header still zero. The stub walks the same chain
// on a board (platform/cortex-m/runtime.c).

const BLOCK_HEADER = 4;
const ALIGN = 16;

/** Bytes from the heap base to the end of the last block handed out. */
export function heapHighWater(memory: Uint8Array, heapBase: number): number {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  let block = Math.ceil((heapBase + BLOCK_HEADER) / ALIGN) * ALIGN - BLOCK_HEADER;
  const first = block;
  while (block + BLOCK_HEADER <= memory.byteLength) {
    const payload = view.getUint32(block, true);
    if (payload === 0) break;
    block += BLOCK_HEADER + payload;
  }
  return block === first ? 0 : block - heapBase;
}
