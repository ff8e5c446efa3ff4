// rng: reads 64 bytes from the random number generator, waiting for each, and prints them in hex,
// 16 to a line, followed by how many distinct byte values it saw.
import { rng } from "../../../kernel/factions/dev/registry";
import { step } from "../../../kernel/factions/dev/loop";
import { print, printHex8, printU32, newline } from "../../../kernel/base/console";

const COUNT: i32 = 64;

export function main(): i32 {
  const r = rng();
  const seen = memory.data(256);
  let distinct: u32 = 0;
  for (let i = 0; i < COUNT; i++) {
    let b = r.readByte();
    while (b < 0) {
      step();
      b = r.readByte();
    }
    if (load<u8>(seen + <usize>b) == 0) distinct++;
    store<u8>(seen + <usize>b, 1);
    printHex8(<u32>b);
    if (i % 16 == 15) newline();
  }
  print("distinct ");
  printU32(distinct);
  newline();
  return 0;
}
