// The kernel heap: AssemblyScript's stub runtime (a bump allocator that never frees) under a
// fixed cap. The build sums the `heap` budgets of the image's components into HEAP_CAP; boards
// size linear memory to the static data plus that cap, so the cap is the same on every platform.
import { HEAP_CAP } from "./board";
import { panic } from "./panic";
import { printU32, print, newline } from "./console";

/** Bytes of zeroed heap memory, 16-byte aligned; panics when the image's heap cap would be passed. */
// @ts-ignore: decorator
@unsafe
export function allocate(bytes: usize): usize {
  const ptr = __alloc(bytes);
  checkHeap(ptr + bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/**
 * Panics when the heap has grown past its cap; `end` is the highest heap address in use. Without
 * an argument it asks the runtime's bump pointer through __alloc(0), which itself takes 16 bytes:
 * call it once, after start-up, not in a loop.
 */
export function checkHeap(end: usize = __alloc(0)): void {
  if (end <= __heap_base + <usize>HEAP_CAP) return;
  print("heap: ");
  printU32(<u32>(end - __heap_base));
  print(" bytes needed, cap ");
  printU32(HEAP_CAP);
  newline();
  panic("heap cap exhausted: raise 'heap' in the component.json of the component that allocates");
}
