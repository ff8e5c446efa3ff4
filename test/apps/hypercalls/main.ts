// hypercalls: exercises the time and console hypercalls and reports what it saw, for tests on
// every platform. It echoes one line of input back and exits with code 3.
import { clock_monotonic, console_read, console_write, wait } from "../../../abi/gen/kernel";
import { flush, print, println, printI32, printU64, newline } from "../../../kernel/base/console";

const MS: u64 = 1_000_000;

export function main(): i32 {
  const t0 = clock_monotonic();
  const woke = wait(t0 + 5 * MS);
  const t1 = clock_monotonic();
  print("wait returned ");
  printI32(woke);
  print(" after ");
  printU64(t1 - t0);
  println(" ns");
  print("past deadline returned ");
  printI32(wait(t0));
  newline();

  const line = memory.data(80);
  let length: i32 = 0;
  for (;;) {
    const n = console_read(line + length, 1);
    if (n == 0) {
      wait(clock_monotonic() + MS);
      continue;
    }
    if (load<u8>(line + length) == 0x0a || length == 79) break;
    length += n;
  }
  print("read ");
  printI32(length);
  print(" bytes: ");
  flush();
  console_write(line, <u32>length);
  newline();
  return 3;
}
