// grants: probes MMIO addresses named on the console. "r 4000C000" reads that word and answers
// "ok 0x4000C000"; an address outside the image's grants ends in the platform's panic report.
// "q" exits 0. Build it with --with device:<class> to grant device windows.
import { mmio_read32 } from "../../../abi/gen/kernel";
import { readLine, writeLine } from "../../../kernel/factions/console/lines";
import { print, printHex32 } from "../../../kernel/base/console";

const LINE_CAPACITY: u32 = 32;

function hexDigit(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  return -1;
}

export function main(): i32 {
  const line = memory.data(<i32>LINE_CAPACITY);
  writeLine("grants: ready");
  while (true) {
    const length = readLine(line, LINE_CAPACITY);
    if (length == 0) continue;
    const command = load<u8>(line);
    if (command == 0x71) return 0; // q
    if (command != 0x72 || length < 3) {
      writeLine("? r <hex address> | q");
      continue;
    }
    let address: u32 = 0;
    for (let i: u32 = 2; i < length; i++) address = (address << 4) | <u32>hexDigit(load<u8>(line + <usize>i));
    mmio_read32(address);
    print("ok ");
    printHex32(address);
    writeLine("");
  }
  return 0;
}
