// Uses more stack and heap than hello, so anyk size's measured high-water marks have something to
// show: a recursion whose frames wasm2c keeps on the C stack, and a few heap allocations.
import { println, printU32, newline, print } from "../../../kernel/base/console";
import { allocate } from "../../../kernel/base/alloc";

/** Sums 1..n the slow way: every level is a frame on the C stack. */
function deep(n: u32, a: u32, b: u32, c: u32): u32 {
  if (n == 0) return a ^ b ^ c;
  return n + deep(n - 1, a + n, b * 3 + n, c ^ (a << 1)) + (a & 1);
}

export function main(): i32 {
  let blocks: u32 = 0;
  for (let i = 0; i < 6; i++) {
    const p = allocate(48);
    store<u32>(p, i);
    blocks += load<u32>(p) + 1;
  }
  print("stack-hungry: ");
  printU32(deep(24, 1, 2, 3));
  print(" ");
  printU32(blocks);
  newline();
  println("done");
  return 0;
}
