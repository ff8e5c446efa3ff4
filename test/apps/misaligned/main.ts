// misaligned: loads and stores of every width at every offset within a word of linear memory. Wasm
// allows them anywhere; a Cortex-M0 faults on a misaligned word access, so its firmware takes them
// byte by byte (scripts/lib/memory-access.ts). Prints what each load read, in hex, one per line.
import { newline, print, printHex32, printU32 } from "../../../kernel/base/console";

const buffer = memory.data(32);
// The offsets come from memory, so that neither binaryen nor GCC can see the alignment.
const offsets = memory.data<u8>([0, 1, 2, 3, 5, 6, 7]);

function hex(value: u32): void {
  printHex32(value);
  print(" ");
}

export function main(): i32 {
  for (let i: u32 = 0; i < 7; i++) {
    const at = buffer + <usize>load<u8>(offsets + i);
    memory.fill(buffer, 0, 32);
    store<u16>(at, 0xa1b2);
    hex(load<u16>(at));
    store<u32>(at + 2, 0xc3d4e5f6);
    hex(load<u32>(at + 2));
    hex(load<u32>(at + 1));
    store<u64>(at + 8, 0x0123456789abcdef);
    const wide = load<u64>(at + 8);
    hex(<u32>(wide >>> 32));
    hex(<u32>wide);
    store<f32>(at + 4, 1.5);
    hex(reinterpret<u32>(load<f32>(at + 4)));
    store<f64>(at + 16, -2.25);
    hex(<u32>(reinterpret<u64>(load<f64>(at + 16)) >>> 32));
    hex(<u32>load<i16>(at + 3));
    printU32(load<u8>(at + 1));
    newline();
  }
  return 0;
}
