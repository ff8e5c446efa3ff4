// Specialises wasm2c's memory accesses in kernel.c for a fixed linear memory. wasm2c reaches
// memory through the instance (`mem->data`, `mem->size`, a 64-bit bounds check); on a board the
// linear memory is one static array whose size never changes (memory.grow always fails), so its
// base and size are link-time constants. Every access keeps its bounds check (an access outside
// traps as before); only the loads of base and size, and the 64-bit arithmetic on a variable size,
// go. The patterns are wabt 1.0.39's; another wasm2c fails the build here instead of running slow.
import { UserError } from "./errors.js";

const REPLACEMENTS: Array<[string, string]> = [
  // Inlined into the kernel function that makes the access, so a trap's program counter names it.
  ["  static inline return_type name##_default32(wasm_rt##shared##memory_t* mem, \\", "  static inline __attribute__((always_inline)) return_type name##_default32(wasm_rt##shared##memory_t* mem, \\"],
  [
    "#define MEM_ADDR(mem, addr, n) &((mem)->data[addr])",
    "#define MEM_ADDR(mem, addr, n) (&linear_memory[(uint32_t)(addr)])",
  ],
  [
    "  if (UNLIKELY(a + (uint64_t)sizeof(t) > mem->size)) \\",
    "  if (UNLIKELY((a) > (uint64_t)(ANYK_LINEAR_MEMORY_BYTES - sizeof(t)))) \\",
  ],
];

/** The prelude the replacements need: the array (runtime.c) and its size (anyk_board.h). */
const PRELUDE = '#include "anyk_board.h"\n/* The kernel\'s linear memory: a static array in runtime.c (see scripts/lib/memory-access.ts). */\nextern uint8_t linear_memory[];\n';

export function specialiseMemoryAccess(kernelC: string): string {
  let out = kernelC;
  for (const [from, to] of REPLACEMENTS) {
    if (!out.includes(from)) throw new UserError(`wasm2c's output is not what anyk expects (no '${from.trim()}'): the wabt version differs from the one in package-lock.json`);
    out = out.replaceAll(from, to);
  }
  const at = out.indexOf("\n", out.indexOf('#include "kernel.h"')) + 1;
  if (at <= 0) throw new UserError("wasm2c's output does not include kernel.h where anyk expects it");
  return out.slice(0, at) + PRELUDE + out.slice(at);
}
