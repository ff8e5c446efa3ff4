// trap: reads one command byte from the console and fails the way it names, so that tests can
// check the panic report of every kind of failure on every platform.
//   u unreachable   o out-of-bounds load   d divide by zero   s stack exhaustion
//   m MMIO write outside the grants   r MMIO read outside the grants
//   a kernel panic (abort)   i irq_unmask of a line no device owns   w wait forever with nothing to wake
//   c console_write of a range outside linear memory
//   e the last word and byte of linear memory (they work)   E a word straddling its end   b the byte just past it
// (On a board linear memory is the image's static data plus its heap cap; in Node it is whole 64 KiB pages.)
import { clock_monotonic, console_read, console_write, irq_unmask, mmio_read32, mmio_write32, wait, ANYK_DEADLINE_NEVER } from "../../../abi/gen/kernel";
import { println, print, printI32 } from "../../../kernel/base/console";
import { panic } from "../../../kernel/base/panic";
import { HEAP_CAP } from "../../../kernel/base/board";

const POLL_NS: u64 = 1_000_000;
// An address no board grants: the top of the System region's vendor space.
const UNGRANTED: u32 = 0xe00ff000;

function readCommand(): u32 {
  const buffer = memory.data(1);
  while (console_read(buffer, 1) != 1) wait(clock_monotonic() + POLL_NS);
  return <u32>load<u8>(buffer);
}

function divide(a: i32, b: i32): i32 {
  return a / b;
}

function recurse(depth: i32): i32 {
  return recurse(depth + 1) + depth;
}

/** Where the board's linear memory ends: static data rounded to 8 bytes, then the heap cap. */
function linearEnd(): usize {
  return ((__heap_base + 7) & ~7) + <usize>HEAP_CAP;
}

export function main(): i32 {
  println("trap: ready");
  const command = readCommand();
  // Values derived from the input keep the optimiser from folding the failures away.
  const zero = <i32>command - <i32>command;
  switch (command) {
    case 0x75: unreachable(); break;
    case 0x6f: printI32(load<i32>(<usize>(0xfffffff0 + zero))); break;
    case 0x64: printI32(divide(<i32>command, zero)); break;
    case 0x73: printI32(recurse(zero)); break;
    case 0x6d: mmio_write32(UNGRANTED + <u32>zero, 1); break;
    case 0x72: printI32(<i32>mmio_read32(UNGRANTED + <u32>zero)); break;
    case 0x61: panic("deliberate panic from the trap app"); break;
    case 0x69: irq_unmask(200 + <u32>zero); break;
    case 0x77: wait(ANYK_DEADLINE_NEVER); break;
    case 0x63: console_write(<usize>(0xfffffff0 + zero), 32); break;
    case 0x65:
      printI32(<i32>load<u32>(linearEnd() - 4 + zero));
      printI32(<i32>load<u8>(linearEnd() - 1 + zero));
      println("");
      break;
    case 0x45: printI32(<i32>load<u32>(linearEnd() - 3 + zero)); break;
    case 0x62: printI32(<i32>load<u8>(linearEnd() + zero)); break;
    default:
      print("trap: unknown command ");
      printI32(<i32>command);
      println("");
      return 2;
  }
  println("trap: survived");
  return 0;
}
