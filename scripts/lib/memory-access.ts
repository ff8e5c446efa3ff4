// Specialises wasm2c's memory accesses in kernel.c for a fixed linear memory. wasm2c reaches
// memory through the instance (`mem->data`, `mem->size`, a 64-bit bounds check); on a board the
// linear memory is one static array whose size never changes (memory.grow always fails), so its
// base and size are link-time constants. Every access keeps its bounds check (an access outside
// traps as before); only the loads of base and size, and the 64-bit arithmetic on a variable size,
// go. The stack check becomes a test of the stack pointer alone (below). The patterns are wabt
// 1.0.39's; another wasm2c fails the build here instead of running slow.
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
  // ARMv6-M has no unaligned loads or stores, so a memcpy of unknown alignment there is bytes and
  // shifts, out of line at -Oz: an aligned access (as AssemblyScript's fields and typed arrays are)
  // becomes one instruction behind a test of the address's low bits, and only a misaligned one goes
  // to a cold helper (test/apps/misaligned checks every width at every offset against Node).
  ["  static inline t3 name##_unchecked(wasm_rt_memory_t* mem, u64 addr) { \\", "  static inline __attribute__((always_inline)) t3 name##_unchecked(wasm_rt_memory_t* mem, u64 addr) { \\"],
  ["    wasm_rt_memcpy(&result, MEM_ADDR_MEMOP(mem, addr, sizeof(t1)),     \\\n                   sizeof(t1));                                        \\", "    ANYK_LOAD(t1, result, MEM_ADDR_MEMOP(mem, addr, sizeof(t1)));      \\"],
  // A byte or halfword load widens in the load instruction itself (ldrb, ldrsh): the widened value
  // passes through an empty asm, so GCC does not test a range on the narrow type (parse's digit test
  // became (uint8_t)(c - 48) <= 9, a uxtb a character). Word loads keep wasm2c's input-only asm,
  // so a device base loaded in a loop can still be hoisted out of it.
  ["    force_read(result);                                                \\\n    return (t3)(t2)result;                                             \\", "    t3 value_ = (t3)(t2)result;                                        \\\n    if (sizeof(t1) < sizeof(t3)) ANYK_WIDENED(value_);                 \\\n    else force_read(value_);                                           \\\n    return value_;                                                     \\"],
  ["  static inline void name##_unchecked(wasm_rt_memory_t* mem, u64 addr, \\", "  static inline __attribute__((always_inline)) void name##_unchecked(wasm_rt_memory_t* mem, u64 addr, \\"],
  ["    wasm_rt_memcpy(MEM_ADDR_MEMOP(mem, addr, sizeof(t1)), &wrapped,    \\\n                   sizeof(t1));                                        \\", "    ANYK_STORE(t1, MEM_ADDR_MEMOP(mem, addr, sizeof(t1)), wrapped);    \\"],
  // Stack exhaustion is a test of the stack pointer against the guard line (wasm-rt.h), with no
  // depth counter: the counter cost a load and two stores a call and held a register through
  // every function (its old value, restored on return), which the loops of a large one miss.
  // The epilogue stays a statement after every call (an empty volatile asm, no code): without it
  // GCC turns endless recursion into an endless loop (tail recursion with an accumulator), which
  // would hang where wasm traps.
  [
    "#define FUNC_PROLOGUE                                            \\\n  if (++wasm_rt_call_stack_depth > WASM_RT_MAX_CALL_STACK_DEPTH) \\\n    TRAP(EXHAUSTION);\n\n#define FUNC_EPILOGUE --wasm_rt_call_stack_depth",
    "#define FUNC_PROLOGUE if (UNLIKELY(ANYK_STACK_EXHAUSTED())) TRAP(EXHAUSTION);\n#define FUNC_EPILOGUE __asm__ volatile(\"\")",
  ],
];

/** The prelude the replacements need: the array (runtime.c) and its size (anyk_board.h). */
const PRELUDE = `#include "anyk_board.h"
/* The kernel's linear memory: a static array in runtime.c (see scripts/lib/memory-access.ts). */
extern uint8_t linear_memory[] __attribute__((aligned(8)));
/* A value GCC may not narrow again: what the load made it is all it knows. */
#define ANYK_WIDENED(var) __asm__("" : "+r"(var))
/* One access of type t between linear memory at \`at\` and the variable var. */
#ifdef __ARM_FEATURE_UNALIGNED
#define ANYK_LOAD(t, var, at) __builtin_memcpy(&(var), (at), sizeof(t))
#define ANYK_STORE(t, at, var) __builtin_memcpy((at), &(var), sizeof(t))
#else
#define ANYK_ALIGNED(t, at) (sizeof(t) == 1u || __builtin_expect(((uintptr_t)(at) & (sizeof(t) - 1u)) == 0u, 1))
/* The misaligned path, out of line, one helper a width (no size to pass): little-endian bytes. Wider accesses copy inline. */
__attribute__((noinline, cold)) static uint32_t anyk_load_misaligned2(const uint8_t* at) {
  return (uint32_t)at[0] | (uint32_t)at[1] << 8;
}
__attribute__((noinline, cold)) static uint32_t anyk_load_misaligned4(const uint8_t* at) {
  return anyk_load_misaligned2(at) | anyk_load_misaligned2(at + 2) << 16;
}
__attribute__((noinline, cold)) static void anyk_store_misaligned2(uint8_t* at, uint32_t bits) {
  at[0] = (uint8_t)bits;
  at[1] = (uint8_t)(bits >> 8);
}
__attribute__((noinline, cold)) static void anyk_store_misaligned4(uint8_t* at, uint32_t bits) {
  anyk_store_misaligned2(at, bits);
  anyk_store_misaligned2(at + 2, bits >> 16);
}
#define ANYK_LOAD(t, var, at)                                                               \\
  do {                                                                                      \\
    typedef t __attribute__((may_alias)) anyk_alias_t;                                      \\
    if (ANYK_ALIGNED(t, at)) (var) = *(const anyk_alias_t*)(at);                            \\
    else if (sizeof(t) > 4u) __builtin_memcpy(&(var), (at), sizeof(t));                     \\
    else {                                                                                  \\
      uint32_t bits_ = sizeof(t) == 2u ? anyk_load_misaligned2((const uint8_t*)(at)) : anyk_load_misaligned4((const uint8_t*)(at)); \\
      __builtin_memcpy(&(var), &bits_, sizeof(t));                                          \\
    }                                                                                       \\
  } while (0)
#define ANYK_STORE(t, at, var)                                                              \\
  do {                                                                                      \\
    typedef t __attribute__((may_alias)) anyk_alias_t;                                      \\
    if (ANYK_ALIGNED(t, at)) *(anyk_alias_t*)(at) = (var);                                  \\
    else if (sizeof(t) > 4u) __builtin_memcpy((at), &(var), sizeof(t));                     \\
    else {                                                                                  \\
      uint32_t bits_ = 0;                                                                   \\
      __builtin_memcpy(&bits_, &(var), sizeof(t));                                          \\
      if (sizeof(t) == 2u) anyk_store_misaligned2((uint8_t*)(at), bits_);                   \\
      else anyk_store_misaligned4((uint8_t*)(at), bits_);                                   \\
    }                                                                                       \\
  } while (0)
#endif
`;

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
