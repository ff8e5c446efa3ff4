// anyk bench (npm run bench): the AOT engine against native C, MMIO through the hypercall path
// against a volatile access, the toolchain's times and hello's size, in one table from one run.
import path from "node:path";
import type { Command } from "../lib/command.js";
import { boardOption } from "../lib/options.js";
import { expectPositionals } from "../lib/command.js";
import { emulated, loadBoard } from "../lib/boards.js";
import { writeFileAtomic } from "../lib/atomic.js";
import { BUILD_DIR, ROOT, shown } from "../lib/paths.js";
import { formatTable } from "../lib/table.js";
import { runCpuBench, runEchoBench, runSizeBench, runToolchainBench, type BenchResult } from "../lib/bench/run.js";
import { runNetBench } from "../lib/bench/net.js";

/** The CPU targets of ../shared/DESIGN.md: geometric mean within 1.1x of C, the worst within 1.25x. */
const TARGET_GEOMEAN = 1.1;
const TARGET_WORST = 1.25;

/** The CPU and MMIO rows of one board: the workloads, AOT against C. */
function cpuRows(r: Pick<BenchResult, "optimize" | "workloads" | "geomean" | "worst" | "mmio" | "mmio_read" | "sort_moves">): string[][] {
  const rows: string[][] = [];
  for (const w of r.workloads) rows.push([`${w.name} (instructions)`, `${w.aot}`, `${w.native} (C -O2)`, `${w.ratio.toFixed(2)}x`]);
  const sort = r.workloads.find((w) => w.name === "sort");
  if (sort && r.sort_moves) rows.push([`sort per element moved (${r.sort_moves} moves, the same on both sides)`, (sort.aot / r.sort_moves).toFixed(2), `${(sort.native / r.sort_moves).toFixed(2)} (C -O2)`, ""]);
  rows.push(["geometric mean", "", `target ${TARGET_GEOMEAN}x`, `${r.geomean.toFixed(2)}x`]);
  rows.push(["worst", "", `target ${TARGET_WORST}x`, `${r.worst.toFixed(2)}x`]);
  rows.push(["MMIO write (instructions each)", `${r.mmio.hypercall}`, `${r.mmio.native} (volatile store)`, `${r.mmio.ratio.toFixed(2)}x`]);
  rows.push(["MMIO read (instructions each)", `${r.mmio_read.hypercall}`, `${r.mmio_read.native} (volatile load)`, `${r.mmio_read.ratio.toFixed(2)}x`]);
  return rows;
}

/** The table's header: the AOT column says what the kernel was compiled for. */
function cpuHeader(r: Pick<BenchResult, "optimize">): string[] {
  return ["figure", `anykernel (for ${r.optimize})`, "baseline", "ratio"];
}

/** The other boards' CPU tables, each under a line naming the board and its core. */
function otherTables(r: BenchResult): string {
  return (r.others ?? []).map((o) => `\n${o.board} (${o.cpu}):\n${formatTable([cpuHeader(o), ...cpuRows(o)])}`).join("");
}

export function benchTable(r: BenchResult): string {
  const rows = [cpuHeader(r), ...cpuRows(r)];
  if (r.toolchain) {
    rows.push(["cold build of hello", `${r.toolchain.cold_build_ms} ms`, "", ""]);
    rows.push(["warm build of hello (median of 5)", `${r.toolchain.warm_build_ms} ms`, "target 1500 ms", ""]);
    rows.push(["anyk boot to first console byte (median of 5)", `${r.toolchain.boot_to_first_byte_ms} ms`, "target 500 ms", ""]);
    rows.push(["workloads in userspace, Node (median of 3)", `${r.toolchain.userspace_run_ms} ms`, "", ""]);
  }
  if (r.net) {
    rows.push([`httpd GET / on ${r.net.board} in QEMU (req/s, median of ${r.net.runs} x ${r.net.requests})`, `${r.net.boot_rps}`, "no C reference", ""]);
    rows.push([`httpd GET / on ${r.net.board} in userspace (req/s, median of ${r.net.runs} x ${r.net.requests})`, `${r.net.run_rps}`, "", ""]);
  }
  for (const w of r.workloads) if (w.interp) rows.push([`${w.name} interpreted (instructions)`, `${w.interp}`, `${w.aot} AOT, ${w.native} C`, `${(w.interp / w.native).toFixed(1)}x of C`]);
  if (r.engine) {
    rows.push(["the interpreter's own code (flash)", `${r.engine.flash} B`, "goal 12288 B", ""]);
    rows.push(["the interpreter's own static RAM / its arena (interp_arena)", `${r.engine.ram} B / ${r.engine.arena} B`, "goal 1024 B", ""]);
    rows.push([`hello on ${r.board} interpreted: flash / RAM`, `${r.engine.hello_interp.flash} B / ${r.engine.hello_interp.ram} B`, `${r.engine.hello_aot.flash} B / ${r.engine.hello_aot.ram} B AOT`, ""]);
  }
  if (r.echo) {
    rows.push([`echo on ${r.echo.board}: flash / RAM`, `${r.echo.anykernel.flash} B / ${r.echo.anykernel.ram} B`, `${r.echo.c.flash} B / ${r.echo.c.ram} B (C echo)`, `${(r.echo.anykernel.flash / r.echo.c.flash).toFixed(2)}x`]);
  }
  for (const s of r.size ?? []) rows.push([`hello on ${s.board}: flash / RAM`, `${s.flash} B / ${s.ram} B`, s.board === "lm3s6965evb" ? "target 2048 B / 2048 B" : "", ""]);
  return formatTable(rows) + otherTables(r);
}

/** What each of echo's size rows is, for the comparison with the C echo (docs/bench.md). */
const ECHO_ROWS: Record<string, string> = {
  base: "rings, the console's line assembly and printing, time and panic: echo.c's rings and line handling, in general form",
  hil: "the UART contract's shared transmit logic",
  dev: "device binding and interrupt dispatch from the event loop: echo.c calls its one service directly",
  api: "the app API (run, stop, println, Line)",
  "uart/arm,pl011": "the PL011 driver: what echo.c's register code is",
  "api-uart": "uart.onLine: the callback per line",
  echo: "the app itself",
  "entry (generated)": "the image's entry: instantiating the bound driver, component init in order",
  "wasm runtime": "wasm2c's runtime (platform/cortex-m/runtime.c): memory, tables, traps",
  "assemblyscript runtime": "AssemblyScript's heap (bump) and its string support",
  stub: "the stub: reset, vectors, bring-up, console, clock, hypercalls with their grant checks; the C echo links the same stub",
  newlib: "memcpy and memset",
  padding: "alignment",
};

function echoSection(r: BenchResult): string {
  const e = r.echo;
  if (!e) return "";
  const rows = e.anykernel.rows.filter((row) => row.rom > 0).map((row) => `| ${row.name} | ${row.rom} B | ${ECHO_ROWS[row.name] ?? ""} |`);
  return `
## echo against a C echo

\`test/bench/echo/echo.c\` does what echo does, the same way: a greeting, each line upper-cased,
"quit" says goodbye and exits 0; an interrupt-driven PL011 with 64-byte receive and transmit rings;
the stub's wait for interrupts. It is built with the same stub, \`-Oz -flto\`, and the bench runs it in
QEMU and checks its output before it weighs it. On ${e.board}: echo takes ${e.anykernel.flash} B of flash
and ${e.anykernel.ram} B of RAM, the C echo ${e.c.flash} B and ${e.c.ram} B (both with the 1 KiB
stack). Nearly all of the C echo is the stub. Where echo's flash goes, by \`anyk size\`'s rows:

| row | flash | what it is |
| --- | ---: | --- |
${rows.join("\n")}

The C echo is the same stub and a few hundred bytes of its own (its loop is inlined into the reset code). Echo's extra ${e.anykernel.flash - e.c.flash} B are
general code that a one-app C program leaves out: the component machinery (dev, entry), the app
API with its callbacks and strings (api, api-uart, base's console), and the two runtimes. They are
the price of drivers and apps as components.
`;
}

function docsPage(r: BenchResult): string {
  return `# anyk bench

Written by \`npm run bench\` (\`anyk bench\`) from one run on ${r.board} under QEMU 7.2 with \`-icount
shift=0\`, so that one nanosecond of guest time is one guest instruction. Each figure sits beside its baseline.

- The CPU workloads are \`test/bench/native/workloads.c\` (compiled with \`-O2\`, linked with the stub)
  and \`test/bench/aot/main.ts\` (AssemblyScript through wasm2c). The bench app's component.json says
  \`"optimize": "speed"\`, so its kernel.c is compiled with \`-O2 -fpeel-loops\` (see "Speed or size"
  below); every other image, echo and hello included, is built for size (\`-Oz\`), the default.
  They run the same algorithm on the same data; each run's checksums must agree, or the bench fails.
  sort, matmul, parse and filter take turns in one scratch area, each filling it (untimed) just
  before it runs, so that the bench fits the micro:bit's 16 KiB of RAM.
- \`crc16\` (CRC-16/CCITT-FALSE) and \`sha256\` (FIPS 180-4) were added untuned, as yardsticks nobody
  optimised for; both SHA-256s must give FIPS 180-4's digests of its \`abc\` and 448-bit examples.
- MMIO is a loop of 1000 and of 2000 accesses to the bound GPIO's first register, whose address
  both sides read from memory at run time, as a driver has its device's base. The difference over
  1000 is the cost of one access with its share of the loop.
- Sizes are the ELF's loaded segments (\`anyk size\`); RAM includes the 1 KiB reserved stack.
- The same bench app also runs under the interpreter (\`--engine interp\`, [interp.md](interp.md)), whose
  results must equal the AOT engine's. Its rows give its instructions as a multiple of C's. The
  engine's own flash is hello's interpreted firmware, less kernel.wasm, less what the AOT firmware
  has beyond its kernel code; its own RAM is what the interpreted firmware has beyond the AOT one,
  the arena (\`interp_arena\`) apart.

\`\`\`
${benchTable(r).trimEnd()}
\`\`\`

The last two tables are the same bench on a Cortex-M0 (microbit) and a Cortex-M4 (netduinoplus2),
AOT against C only. The micro:bit's clock is a 1 MHz timer, so its figures are whole thousands of
instructions and its MMIO figures come from a difference of two such counts (one instruction's
resolution). netduinoplus2 runs the same Thumb-2 instruction set as lm3s6965evb, built for the M4
and with its own clock; its figures are within 4% of lm3s6965evb's except sort, where GCC's code
for the M4 differs (8.12 instructions per element moved against 7.12, see below).

## Speed or size

An app's component.json may say \`"optimize": "speed"\` (or \`anyk build\` and \`anyk boot\` take
\`--optimize speed\`). kernel.c is then compiled alone, with \`-O2 -fpeel-loops
--param=builtin-expect-probability=100\`, and linked with the \`-Oz\` stub through link-time
optimisation. The default stays size: most of a kernel is not a hot loop. Two more choices
differ by goal and core:

- **The stack check reads \`sp\`** (an \`asm\`) instead of \`__builtin_frame_address\`, which kept r7 as
  a frame pointer in every kernel function. At \`-Oz\` that cost an MMIO read 1.18x -> 1.23x (see
  below); at \`-O2\` nothing got slower, and the micro:bit's sha256 went 1.04x -> 0.97x and filter
  0.55x -> 0.44x (r7 is one of the M0's eight low registers), lm3s6965evb's filter 0.59x -> 0.57x.
  \`platform/cortex-m/wasm-rt.h\` chooses by \`__OPTIMIZE_SIZE__\`.
- **\`-fno-gcse\` on the Thumb-2 cores** (M3, M4). With GCSE, sort's inner loop reloaded the array's
  start from the literal pool on every pass, to compare the pointer against it; without, the start
  stays in a register: 7.12 instructions per element moved on lm3s6965evb (from 8.11) and 8.12 on
  netduinoplus2 (from 9.11). On the M0 the same flag took sort from 9.12 to 11.15, so it keeps GCSE.

The \`builtin-expect-probability\` parameter is the finding that made \`-O2\` pay. wasm2c marks each bounds, stack and divide
trap \`UNLIKELY\`, and GCC reads \`__builtin_expect\` as 90% sure. Each trap test inside a loop
then cost the loop a tenth of its estimated count on every pass. In the bench's main (all seven
workloads inlined into it), GCC's estimate fell from 2^30 at the entry to 0 by the fourth workload
(\`-fdump-tree-ivopts-details\`), so it optimised filter, crc16 and sha256 as code that never runs:
its ivopts costed filter's tap loop for size and kept the counter. At 100%, a trap path is never
expected, which is the truth, and the counts stay whole. The flag alone, at \`-O2\`: filter 1.16x
-> 0.98x, sha256 0.99x, parse 0.90x, MMIO read 1.00x (the earlier "\`-O2\` for kernel.c alone"
below was measured without it). \`-fpeel-loops\` then unrolls the loops whose count is a small
constant: the 8 bits of a CRC byte, matmul's 16-step dot product, filter's 16 taps.

That last part is a flag C -O2 does not get. Compiled with the same flags (\`ANYK_CFLAGS=-fpeel-loops\`
adds it to both sides; C keeps GCSE), the kernel is still ahead: crc32 0.97x, sort 0.87x, matmul
1.01x, parse 0.90x, filter and crc16 1.00x, sha256 0.98x, geometric mean 0.96x. The 0.69x above is
the engine with peeling against C without it, which is what the issue's target compares.

The same bench built for size (\`-Oz\`, the app's "optimize" removed), measured the same day:
crc32 1.00x, sort 0.75x, matmul 0.98x, parse 0.96x, filter 1.15x, crc16 1.03x, sha256 1.06x,
geometric mean 0.98x; MMIO write 1.00x, read 1.18x. What speed costs in flash on lm3s6965evb: the
bench image 7,804 -> 9,360 B, echo 6,772 -> 7,128 B (text), hello 1,728 -> 1,792 B; on the
micro:bit echo 8,360 -> 8,648 B and hello 1,992 -> 2,048 B.

Every trap still traps at \`-O2\`: \`test/boot.test.ts\` runs the trap app built with
\`--optimize speed\` on every board (each kind of trap, one byte past linear memory, the last word
and byte inside it).

## Where each ratio comes from (issue 17, read from the ARM code)

For speed (the table above, lm3s6965evb):

- **crc32 0.61x, crc16 0.60x, matmul 0.50x, filter 0.54x.** Their inner loops have a constant count
  (8 bits, 16 products, 16 taps), and \`-fpeel-loops\` unrolls them whole: no counter, compare or
  branch per step, and filter's taps are loaded at fixed offsets. C at \`-O2\` keeps the loops.
  With the same flag on both sides they are within 3% of C (matmul 1.01x, crc32 0.97x).
- **sort, 0.88x.** At \`-O2\` GCC copies the inner loop's header as it does for C. The kernel's loop
  is 7 instructions a move (\`cmp; str; beq\` then \`mov; ldr r5, [r1, #-4]!; cmp; bcc\`): it tests
  \`j > 0\` as a pointer compare against the array's start, kept in a register, and folds the step
  into the load. C's is 8: it counts \`j\` down in a register of its own beside the pointer.
  7.12 against 8.13 per element moved (at \`-Oz\` it was 6.10, see below).
- **parse, 0.90x.** A digit is 8 instructions (\`ldrb; sub; cmp #9; bls\` then \`add; cmp; add; beq\`)
  against C's 9: C narrows the digit test to a byte (\`uxtb\`) and the kernel's widened loads keep it
  from doing so. A comma is 10 (an \`ittt eq\` block for the sum, the count and the reset) against 12.
- **sha256, 0.99x.** A round is 35 instructions on both sides, six register moves included. The 16
  word loads of each block keep one bounds check each (\`cmp; beq\` to the trap), which C does not have.
- **MMIO write 0.78x, read 1.00x.** The write loop is \`str; adds; cmp; bne\`: the store is an \`asm\`
  that writes no memory, so the device base stays in a register, where C reloads it after each
  volatile store (5). The read loop is C's 5.
- **On the other boards.** netduinoplus2 (M4) runs sort at 1.00x, 8.12 instructions per element
  moved against C's 8.13: built with \`-mcpu=cortex-m4\`, GCC loads the previous element with
  \`ldr r1, [lr, #-4]\` and steps the pointer with a \`sub\` and a \`mov\` of their own, where for
  the M3 it folds the step into the load. The micro:bit (M0) runs sha256 at 0.97x: a round is 68
  Thumb-1 instructions against C's 70 and a schedule step 31 against 32, while each of the 16
  byte-swapping loads of a block is 17 against 14 (its bounds check, and a branch around the far
  jump to the trap).

For size (\`-Oz\`, every image by default), from the same bench built for size:

- **crc32, 1.00x, and matmul, 0.98x.** The loops cost the same on both sides: crc32's counts are
  equal, and matmul's C is 625 instructions longer over 29,000.
- **crc16, 1.03x.** The bit loop is the same 7 instructions on both sides (\`lsrs; negs; ands; eor;
  subs; uxth; bne\`). Per byte, kernel.c keeps the byte pointer on the stack: \`main\` inlines every
  workload, and its other loops take the registers. That is a load and a store a byte: 2 x 4096
  bytes is 8,192 of the 8,250 between them. (Before the scratch area it also branched into the bit
  loop where C falls in: 12,288 of 12,375, 1.05x.)
- **sha256, 1.06x.** About 194 instructions a block more, over 65 blocks. The message schedule
  (48 steps) keeps its counter \`t\` in a register of its own (\`adds r5, #1; cmp r5, #64\`) where
  C compares a pointer: 96. The 64 rounds keep one more value on the stack (\`ldr sl, [r7, #4]\`
  and a store each round) and leave the loop through a branch to the register moves: about 1.5 a
  round, 96. The 16 byte-swapping loads carry a bounds check, which C does not have.
- **filter, 1.15x.** No bounds check is left in either loop: GCC proves the addresses in range.
  The inner loop is 6 instructions against C's 5: GCC turns C's tap counter into a pointer
  comparison (\`cmp r1, r6\`), while in kernel.c the counter stays a register of its own
  (\`add ip, #1; cmp ip, #16\`). 16 taps x 2032 samples x 1 instruction is 32,512. Since the
  workloads share a scratch area, C's filter costs 2,125 more than before (about one instruction a
  sample in its outer loop), so 30,500 separate them. (In an earlier build kernel.c's outer loop
  counter was also spilled to the stack, a load and a store a sample, 4,064 more: 1.18x.)
- **parse, 0.96x.** A digit costs 8 instructions in kernel.c against C's 9. GCC narrowed the digit
  test to a byte (\`uxtb\`, then \`cmp #9\`) on both sides; the kernel's byte loads now pass their
  widened value through an empty \`asm\` (\`scripts/lib/memory-access.ts\`), so GCC knows only what
  \`ldrb\` made it and compares it as it is. Before that change a digit cost 9 there too (1.06x). A
  comma still costs 2 more in kernel.c: GCC moves its branch out of line, so it is taken twice (out
  and back) where C falls through.
- **sort, 0.75x.** The same insertion sort on the same 400 words, with the same comparisons (the
  checksums agree). Each element moved costs 6 instructions in kernel.c's loop and 8 in C's:
  GCC at \`-O2\` tests \`j > 0\` with a compare and branch of its own at the top of the inner loop and
  copies \`j\` each step for the store after it, while binaryen's rewrite of the wasm loop lets GCC
  fold the test into the decrement's flags (\`subs r6, #1; bne\`). Measured, 6.10 and 8.13 instructions per
  element moved (the outer loop adds the rest): the figure is C's loop being worse, not the kernel's being better than C can be. The bench checks
  the premise on every run: both sides sort the input again, untimed, counting the elements moved,
  and the counts and the whole sorted arrays must agree ("sort per element moved" in the table).
- **On the Cortex-M0 (for size).** wasm allows a load or store at any address, so wasm2c copies each access
  with \`memcpy\`; where the core takes misaligned words (M3, M4) GCC makes that one instruction, but
  ARMv6-M faults on them, and at \`-Oz\` the copy was an out-of-line call through bytes and shifts:
  sort ran at 11.2x, matmul 7.3x, sha256 3.3x and an MMIO access (its base read from memory) at
  10.6x. \`scripts/lib/memory-access.ts\` now tests the address's low bits and makes an aligned access
  one load or store, sending a misaligned one to a cold helper (\`test/apps/misaligned\` checks every
  width at every offset against Node's engine). That costs flash at every access site: echo on the
  micro:bit grew by 384 B (8,392 -> 8,776 B). What is left: **crc32, 1.59x**: with eight low
  registers, main's bit loop keeps its counter on the stack (\`ldr; subs; str\`) and makes its two
  constants again each bit (\`movs r0, #1; mov r0, ip\`), 13 instructions a bit against C's 8: 5 x
  32,768 bits is 163,840 of the 172,000 between them. **parse, 1.35x**, the same way: each
  character makes -48 again through \`ip\` (\`movs; negs; mov; add; mov\`) and the loop's bound
  4096 (\`movs; lsls\`), so a digit costs 17 instructions against C's 13, and a comma 20 against
  13, as its branch goes out of line and back: 2,963 digits x 4 and 1,133 commas x 7 is about
  19,800, against the 19,000 measured (the micro:bit's counts are whole thousands).

## Experiments that did not pay (issue 17)

All but the last were measured before the profile finding of "Speed or size", on lm3s6965evb with
the seven workloads built for size, against the table of that day (crc16 1.07x,
sha256 1.06x, parse 1.06x, filter 1.18x, geometric mean 1.01x):

- **\`-O2\` for the kernel's C** instead of \`-Oz\` (\`ANYK_CFLAGS=-O2\`): crc16 1.07x -> 1.02x and
  sha256 1.06x -> 1.00x, but parse 1.06x -> 1.13x; filter stays 1.18x and the geometric mean 1.01x.
- **Dropping wasm2c's forced reads** (an empty \`asm\` that makes every loaded value live, so that
  a load traps through a guard page even when its value is unused; here every access has an explicit
  bounds check before it, so the load is not needed for the trap): matmul 0.98x, filter 1.16x,
  crc16 1.05x and an MMIO read 1.00x, but parse 1.13x and sha256 1.10x; the geometric mean 1.02x,
  echo 36 B smaller on lm3s6965evb and 132 B larger on the micro:bit's Cortex-M0.

- **Rotating wasm2c's loops** (\`label: cond; if (c) { body; goto label; }\` into a test at the
  bottom, which GCC's \`-Oz\` does not do itself, as it copies no loop headers): 33 loops of the
  bench kernel rotated, no workload faster, sha256 1.06x -> 1.09x. The MMIO read loop keeps its
  second branch (6 instructions against C's 5, 1.20x): GCC places the cold refusal block between
  the loop and its exit, so the loop cannot fall out of its last branch.
- **Other block orderings and flags for the kernel** (\`-freorder-blocks-algorithm=stc\`,
  \`-fno-shrink-wrap\`, \`-fno-crossjumping\`, \`-O3\`, \`-O2 -funroll-loops\`): the best gave an MMIO read
  of 1.17x; \`-O2 -funroll-loops\` took sha256 to 0.84x but left filter at 1.19x and parse at 1.13x.

- **Reading the stack pointer for the stack check** (\`mov %0, sp\` in an \`asm\`) instead of
  \`__builtin_frame_address\`, which keeps r7 as a frame pointer in every kernel function: echo 12 B
  smaller, but an MMIO read 1.23x, as the read loop's registers moved.

Measured later, against the table above (the stack check already without a depth counter):

- **\`#pragma GCC optimize("O2")\` over kernel.c**: geometric mean 1.14x, matmul 1.44x, filter 1.51x.
  A function optimised differently from the \`-Oz\` reset code is no longer inlined into it, and
  linear memory is then addressed through a base spilled to the stack.
- **\`-O2\` for kernel.c alone** (the stub stays \`-Oz\`): crc16 and sha256 1.00x, MMIO read 1.00x
  and write 0.83x, but parse 1.13x, filter 1.18x and matmul 1.02x; geometric mean 1.00x, 252 B more.
  \`-O3\` gave the same ratios for 1.1 KB more; \`-O2 -funroll-loops\` sha256 0.84x and MMIO 0.45x/0.50x
  for 2.6 KB more, with filter and parse as at \`-O2\`.
- **AssemblyScript's \`shrinkLevel\`** 0 (from 2): parse 1.13x; 1: the same ratios, 96 B smaller.
- **The workloads called through a table**, so that binaryen inlines none into main: at \`-Oz\`
  crc16 1.00x and the rest unchanged; at \`-O2\` filter 0.98x, parse 1.03x, crc16 0.98x and sha256
  1.00x, but matmul 1.09x.
- **Flags for the MMIO read's layout** (\`-fno-reorder-blocks\`, \`-fno-thread-jumps\`,
  \`-fno-if-conversion\`, \`-fno-tree-vrp\`, \`-fno-tree-ch\`, \`-fno-tree-tail-merge\`,
  \`-fno-split-paths\`, \`-fno-unswitch-loops\`, \`-fno-guess-branch-probability\`,
  \`-freorder-blocks-and-partition\`): none reached 5 instructions. When optimising for size GCC
  orders blocks with its "simple" algorithm (the trace algorithm runs only for speed), and keeps the
  cold refusal between the loop and its exit, so the loop ends \`beq exit; b loop\`.
- **The refusal as a conditional trap in the access's \`asm\`** (\`cmp; it eq; udfeq\`, no cold block):
  the loops fall out of their last branch, but a volatile \`asm\` cannot leave the loop, and the grant
  becomes a 0 or 1 in a register first: MMIO write 1.40x, read 1.60x (bench image 140 B smaller).
- **Loop-optimisation flags for filter** (\`-fno-ivopts\`: geometric mean 1.13x; \`-fno-tree-loop-optimize\`:
  1.17x; \`-fpeel-loops\`, \`-fprefetch-loop-arrays\`: no change). filter's inner loop at \`-Oz\` is 6
  instructions: two post-incremented loads, the multiply-add and a tap counter with its compare,
  where C's has no counter and compares a pointer.

- **Another compiler for kernel.c: clang 14** (Debian's \`clang-14\`, \`--target=thumbv7m-none-eabi\`,
  linked with the GCC-built stub, so without link-time optimisation across them and with the MMIO
  accessors called), in instructions against C \`-O2\`: at \`-Oz\` crc32 1.41x, sort 1.39x, filter
  1.99x (geometric mean about 1.35x); at \`-O2\` crc32 0.78x and crc16 0.65x, but sort 1.39x, parse
  1.38x and filter 1.47x (about 1.04x), and a 3.2 KB larger image. On this C, LLVM's defaults do
  not beat GCC's.
- **Tuning for another core** (\`-mtune=cortex-m0|m4|m7|a8|r4\`) and ivopts' parameters
  (\`--param=iv-always-prune-cand-set-bound=0\`, \`--param=iv-consider-all-candidates-bound=1000\`,
  \`-fno-tree-loop-ivcanon\`, \`-fno-tree-scev-cprop\`): no workload faster. GCC's ivopts dump
  (\`-fdump-tree-ivopts-details\`) shows why filter keeps its counter: it picks the counter and two
  pointers at a cost of 46, and by the costs it lists, the two pointers alone, the exit testing the
  taps' pointer, also come to 46; on a tie it keeps the first set it found.

None is taken: each trades one workload for another, or changes nothing. filter and parse need
loops optimised for speed (see "Where each ratio comes from"), and no flag or per-function setting
tried here gives that without costing another workload.

A warning for whoever tunes next: the figures move with the code around them. Adding the untimed
sort check at the end of the AOT app first made it call its data generator twice, so GCC stopped
inlining it into main, and crc32 went from 1.02x to 1.37x with not one line of crc32 changed;
replaying the generator in a function of its own put crc32 back at 1.00x. At \`-Oz\`, inlining and
register allocation over one large main decide several workloads at once.

## The network

\`httpd GET /\` is requests per second from Node's http client on the host, each a fresh TCP
connection (httpd answers one request per connection and closes), 200 one after another, five
times; the median is shown. In QEMU (\`anyk boot --net\`) the guest runs under \`-icount shift=0\`,
so its time counts instructions and follows the host's clock only while the CPU sleeps; in
userspace (\`anyk run --net\`) the same image runs in Node against the device models. Both reach
the board through QEMU's user network (slirp), which is in the path of every figure: the host's
connection ends at slirp, and slirp opens its own to the board. There is no C reference: no C
TCP/IP stack (lwIP, uIP) is packaged for this machine, and one written for the bench would be a
second stack to trust, not a baseline.

## How the gap to C closed

The first run measured a geometric mean of 3.46x and a worst case of 6.77x (matmul), with sort
at 6.57x. wasm2c reaches linear memory through the instance: every access loaded the memory's
base and size, added in 64 bits, and compared against the variable size. At \`-Oz\`, GCC also kept
the bounds-checked load and store helpers out of line, so each access was a call.

On a board, the linear memory is one static array whose size never changes, because
\`memory.grow\` always fails. \`scripts/lib/memory-access.ts\` specialises the generated kernel.c
for that:

- each access indexes the array directly;
- each access compares its address against the array's constant size, and still traps outside;
- wasm2c's helpers are forced inline, so a trap's program counter names the kernel function.

That took the geometric mean to 0.99x and the worst case to 1.18x (filter). The images also got
smaller: hello 1992 -> 1924 B, echo 8340 -> 8052 B on lm3s6965evb. \`test/boot.test.ts\` checks,
on every board, that the last word and byte of linear memory are readable and one byte past
traps. The other trap tests pass unchanged.

Ideas not needed for the target, and so not taken:

- masking with a power-of-two size (it confines accesses instead of trapping them);
- the MPU;
- hoisting checks out of loops.

Later, the stack check lost wasm2c's depth counter. wasm2c counts calls in a global (a load and two
stores a call, and a register holding the old count through every function, which a large
function's loops miss). The prologue now compares the frame address with the stack's guard line,
and the epilogue is an empty volatile \`asm\`. Without a statement after each call, GCC turns an
endless recursion with an accumulator into an endless loop, which would hang where wasm traps.
The stack-exhaustion trap tests still pass on every board. The bench image went from 8,184 to
7,828 B, echo from 7,196 to 6,772 B and hello from 1,816 to 1,724 B on lm3s6965evb (echo on
the micro:bit from 8,776 to 8,352 B); no workload moved by more than 0.2%.

Then the byte and halfword loads passed their widened value through an empty \`asm\`, so that GCC
stopped narrowing parse's digit test to a byte (1.06x -> 0.96x at \`-Oz\`, the bench image 24 B
smaller). Word loads keep wasm2c's input-only \`asm\`: the same treatment for them kept a device's
base from being hoisted out of a loop (MMIO write 1.20x, read 1.38x).

Last, the bench app asked for speed, and the profile estimate was repaired (see "Speed or size"):
geometric mean 0.98x -> 0.72x, worst 1.15x -> 1.00x, MMIO 0.78x and 1.00x on lm3s6965evb.
At \`-O2\` the stack check then read \`sp\` and the Thumb-2 cores dropped GCSE (see "Speed or size"):
0.72x -> 0.69x, sort 1.00x -> 0.88x; the micro:bit's worst 1.04x -> 0.99x, netduinoplus2's
1.12x -> 1.00x.

## MMIO

An earlier version of this bench wrote to a constant address. GCC then specialised the
out-of-line hypercall for that one address and dropped its grant check, so the bench reported
1.47x for a write and 2.04x for a read. A driver's registers are at its device's base plus an
offset, known only at run time. Both sides now read the register's address from memory for every
access, as a driver reads its device's base from its state. Measured that way, the out-of-line
hypercall cost 19.8 instructions a write (4.67x) and 20.8 a read (5.10x). That is a call, a push,
the alignment test, two compares per window, and the return.

Two changes closed that gap. Both are in \`platform/cortex-m/stub.c\`:

- **One test per window.** A window that is a naturally aligned power of two is checked by masking
  the address down to the window and its misaligned low bits, then comparing with the window's
  base. Every device window of the four boards is one. Another window is checked by rotating the
  offset into it right by log2 of the access size and comparing with the window size over the
  access size: a misaligned offset becomes huge and fails like one past the end. Board files must
  give windows of whole words, and they are checked for it.
- **Inline, with the refusal out of line.** The accessors are always inlined into the kernel's
  functions, through link-time optimisation across kernel.c and the stub. The refusal is a cold
  function that takes its own return address, so the panic report still names the kernel
  function that made the access. \`test/grants.test.ts\` (now with a misaligned read inside a
  window) and the MMIO traps of \`test/boot.test.ts\` pass unchanged.

A write then cost 3 instructions more than a volatile store (a load of the mask and the base
stays outside the loop; and, compare and branch inside). A read costs 1 more: GCC also hoists the
address load, because a volatile read cannot change memory.

The price is flash where drivers
touch many registers, since every access site carries its check (about 14 B). On lm3s6965evb,
echo grew by 56 B, the timer test app by 332 B (9416 -> 9748 B), and blinky shrank by 44 B. On
the other boards, echo changed by +20 to +56 B and blinky by -76 to +32 B. A bootloader checks
the windows its image's header names at run time, and keeps the rotate test only.

A third change took the write to the store's cost (8 -> 5 instructions, 1.00x): the bus access is
an \`asm\` statement whose register is a memory *input*. A volatile C store may write any memory,
so GCC reloaded the device's base from linear memory after each write and checked it again. The
statement instead tells GCC that it reads memory it cannot tell from linear memory, so every
earlier store still happens first (a device may read RAM), and that it writes none, so the base
and its check stay in registers, outside the loop. That claim is true because grants are device
windows, never RAM: a board file whose device window overlaps a memory region is refused. A
register a driver call touches again and again is now checked once per call; registers at
different offsets keep one check each (and, compare, branch), since GCC cannot tell that the base
plus another offset stays inside the window. Echo's flash did not grow (7,200 -> 7,196 B on
lm3s6965evb). Built for size, the read stays near 1.2x (5.9 to 6 instructions measured): its loop
is 6 instructions against C's 5, because GCC places the cold refusal block between the loop and its
exit (see the experiments above). Built for speed, GCC orders the blocks for speed and the read
loop is C's 5 instructions (1.00x), the write 4 (0.78x).

${echoSection(r)}
The machine-readable form is \`npm run bench -- --json\`. Its fields: \`workloads\` (\`{ name, native,
aot, ratio }\`), \`geomean\`, \`worst\`, \`mmio\` (\`{ native, hypercall, ratio }\` for writes), \`mmio_read\`,
\`sort_moves\`, \`toolchain\`, \`size\`, \`net\` (\`{ board, requests, runs, boot_rps, run_rps }\`) and \`engine\`
(\`{ flash, ram, arena, hello_aot, hello_interp }\`) and \`echo\` (\`{ board, anykernel: { flash, ram, rows }, c: { flash, ram } }\`);
each workload also has \`interp\`, its instructions under the interpreter. \`others\` holds the other
boards' tables (\`{ board, cpu, optimize, workloads, geomean, worst, mmio, mmio_read, sort_moves }\`, no \`interp\`).
`;
}

export const benchCommand: Command = {
  name: "bench",
  summary: "benchmarks: the AOT engine against native C, MMIO cost, toolchain times, sizes",
  args: "",
  options: {
    board: boardOption("the board to run the CPU and MMIO benchmarks on (default lm3s6965evb)"),
    json: { type: "boolean", help: "print the figures as one JSON object instead of the table" },
    "no-toolchain": { type: "boolean", help: "skip the build and boot timings (the slow part)" },
    "no-size": { type: "boolean", help: "skip hello's size on every board" },
    "no-net": { type: "boolean", help: "skip httpd's requests per second (QEMU and userspace)" },
    "no-docs": { type: "boolean", help: "do not rewrite docs/bench.md" },
    others: { type: "string", value: "b1,b2", help: "other boards whose CPU and MMIO tables are printed too, AOT against C (default microbit,netduinoplus2: a Cortex-M0 and a Cortex-M4; 'none' for none)" },
  },
  details: ["Also writes build/bench/bench.json and, unless --no-docs, docs/bench.md.", "Benchmarks are figures, not pass/fail: the targets are printed beside them."],
  async run(positionals, values) {
    expectPositionals(this, positionals, []);
    // The workloads run in QEMU: its view of the board (the same as the chip's but on netduinoplus2).
    const board = emulated(loadBoard((values.board as string | undefined) ?? "lm3s6965evb"));
    const progress = (line: string) => process.stderr.write(`anyk bench: ${line}\n`);
    const others = ((values.others as string | undefined) ?? "microbit,netduinoplus2").split(",").filter((name) => name !== "" && name !== "none" && name !== board.name);
    const otherBoards = others.map((name) => emulated(loadBoard(name)));
    const result: BenchResult = await runCpuBench(board, progress);
    for (const other of otherBoards) {
      // Without the interpreter there is no engine row: the table is the CPU and MMIO figures alone.
      (result.others ??= []).push({ ...(await runCpuBench(other, progress, { interp: false })), cpu: other.cpu });
    }
    if (!values["no-toolchain"]) result.toolchain = await runToolchainBench(board, progress);
    if (!values["no-size"]) {
      result.size = await runSizeBench(progress);
      if (board.devices.find((d) => d.name === board.console)?.compatible === "arm,pl011") result.echo = await runEchoBench(board, progress);
    }
    if (!values["no-net"]) result.net = await runNetBench("lm3s6965evb", progress);
    const json = JSON.stringify(result);
    writeFileAtomic(path.join(BUILD_DIR, "bench", "bench.json"), json + "\n");
    if (!values["no-docs"]) {
      const docs = path.join(ROOT, "docs", "bench.md");
      writeFileAtomic(docs, docsPage(result));
      progress(`wrote ${shown(docs)}`);
    }
    process.stdout.write(values.json ? json + "\n" : benchTable(result));
    return 0;
  },
};
