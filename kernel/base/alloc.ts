// The kernel heap under the image's runtime (anykernel.json's "runtime"): by default the kernel's
// bump allocator (base/runtime/bump.ts), which never frees and panics past the image's heap cap;
// or AssemblyScript's TLSF allocator, with its garbage collector (incremental) or without (minimal),
// limited to the same cap. The build sums the `heap` budgets of the image's components into HEAP_CAP.
import { HEAP_CAP } from "./board";
import { panic } from "./panic";
import { printU32, print, newline } from "./console";

// The header before each block (BLOCK_OVERHEAD in AssemblyScript's rt/common.ts).
const BLOCK_HEADER: usize = 4;
const BUMP_RUNTIME = ASC_RUNTIME == 0;

/** Bytes of zeroed heap memory, 16-byte aligned; panics when the image's heap cap would be passed. */
// @ts-ignore: decorator
@unsafe
export function allocate(bytes: usize): usize {
  const ptr = __alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** The address the heap may not pass. */
export function heapLimit(): usize {
  return __heap_base + <usize>HEAP_CAP;
}

/** Panics naming the heap end an allocation needed and the cap. */
export function heapExhausted(end: usize): void {
  print("heap: ");
  printU32(<u32>(end - __heap_base));
  print(" bytes needed, cap ");
  printU32(HEAP_CAP);
  newline();
  panic("heap cap exhausted: raise 'heap' in a component.json or anykernel.json");
}

/** Heap bytes in use: the bump allocator's top, or the TLSF blocks not free, headers included. */
export function heapUsed(): u32 {
  if (BUMP_RUNTIME) {
    // Asked without moving it: freeing the last block takes it back.
    const probe = __alloc(0);
    __free(probe);
    return <u32>(probe - BLOCK_HEADER - __heap_base);
  }
  return tlsfUsed();
}

// TLSF's memory, as AssemblyScript's rt/tlsf.ts lays it out (0.28, 32-bit): after the root, one run of
// blocks, each a size word with FREE in bit 0, ended by a zero-size tail block.
const TLSF_ROOT_SIZE: usize = 1572;
const FREE: usize = 1;
const TAGS: usize = 3;

function tlsfUsed(): u32 {
  const probe = __alloc(0); // makes sure TLSF is initialised
  __free(probe);
  const rootEnd = ((__heap_base + 15) & ~15) + TLSF_ROOT_SIZE;
  let block = ((rootEnd + BLOCK_HEADER + 15) & ~15) - BLOCK_HEADER;
  let used: u32 = 0;
  for (;;) {
    const info = load<usize>(block);
    const size = info & ~TAGS;
    if (size == 0) break;
    if (!(info & FREE)) used += <u32>(size + BLOCK_HEADER);
    block += BLOCK_HEADER + size;
  }
  return used;
}
