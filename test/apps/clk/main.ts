import { now, NS_PER_US } from "../../../kernel/base/time";
import { print, printU64, newline } from "../../../kernel/base/console";
export function main(): i32 {
  const cell = memory.data(4);
  const a = now();
  for (let i: u32 = 0; i < 1_000_000; i++) store<u32>(cell, load<u32>(cell) * 3 + i);
  const b = now();
  print("loop "); printU64((b - a) / NS_PER_US); print(" "); printU64(<u64>load<u32>(cell)); newline();
  return 0;
}
