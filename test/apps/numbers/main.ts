// numbers: prints edge values through the console's number printing, one per line, so a test can
// compare them with what JavaScript's own formatting says. The values come through a load from
// linear memory so that the optimiser cannot fold the printing away.
import { newline, printI32, printU32, printU64 } from "../../../kernel/base/console";

const cell = memory.data(8);

function u64Of(value: u64): u64 {
  store<u64>(cell, value);
  return load<u64>(cell);
}

export function main(): i32 {
  printU32(<u32>u64Of(0)); newline();
  printU32(<u32>u64Of(9)); newline();
  printU32(<u32>u64Of(10)); newline();
  printU32(<u32>u64Of(u32.MAX_VALUE)); newline();
  printU64(u64Of(<u64>u32.MAX_VALUE)); newline();
  printU64(u64Of(<u64>u32.MAX_VALUE + 1)); newline();
  printU64(u64Of(10_000_000_000)); newline();
  printU64(u64Of(u64.MAX_VALUE)); newline();
  printI32(<i32>u64Of(0)); newline();
  printI32(<i32>u64Of(<u64><u32>-1)); newline();
  printI32(<i32>u64Of(<u64><u32>i32.MIN_VALUE)); newline();
  printI32(<i32>u64Of(<u64>i32.MAX_VALUE)); newline();
  return 0;
}
