/*
 * Running validated code in place. Blocks cost nothing on entry but a label; the end of a block
 * (or an if's else) is found only when a branch or a false condition needs it, by scanning
 * forward, and remembered in a small cache keyed by where the scan started. One C loop, no
 * recursion: wasm calls push frames in the arena, whose bounds were checked against each
 * function's validated heights before it is entered.
 */
#include "module.h"

#if ANYK_INTERP_FLOAT
#include <math.h>
#endif

enum { LABEL_BLOCK, LABEL_LOOP, LABEL_DONE, LABEL_FUNC };

/* The next unsigned immediate at pc, and pc past it (GCC statement expressions, gnu11). */
#define IMM() ({                    \
  uint32_t imm_ = *pc;              \
  if (imm_ < 0x80u) pc++;           \
  else {                            \
    imm_ = leb_u32(pc);             \
    pc = leb_skip(pc);              \
  }                                 \
  imm_;                             \
})
#define SKIP() (pc = *pc < 0x80u ? pc + 1 : leb_skip(pc))

const char* interp_trap_text(int trap) {
  static const char* const words[] = {
      [INTERP_OK] = "none",
      [INTERP_TRAP_UNREACHABLE] = "unreachable",
      [INTERP_TRAP_MEMORY] = "out-of-bounds memory access",
      [INTERP_TRAP_DIVIDE] = "integer divide by zero",
      [INTERP_TRAP_OVERFLOW] = "integer overflow",
      [INTERP_TRAP_CONVERSION] = "invalid conversion to integer",
      [INTERP_TRAP_INDIRECT] = "invalid indirect call",
      [INTERP_TRAP_STACK] = "call stack exhausted",
  };
  return trap >= 0 && trap <= INTERP_TRAP_STACK ? words[trap] : "unknown";
}

/* The instruction after the one at pc, in validated code. */
static const uint8_t* skip_instruction(const uint8_t* pc) {
  uint8_t op = *pc++;
  switch (op) {
    case 0x02: case 0x03: case 0x04:
      if (*pc == 0x40u || (*pc >= 0x7cu && *pc <= 0x7fu)) pc++;
      else SKIP();
      break;
    case 0x0c: case 0x0d: case 0x10: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x41: case 0x42:
      SKIP();
      break;
    case 0x0e: {
      uint32_t n = IMM();
      for (uint32_t i = 0; i <= n; i++) SKIP();
      break;
    }
    case 0x11: case 0x1c: SKIP(); pc++; break;
    case 0x3f: case 0x40: pc++; break;
    case 0x43: pc += 4; break;
    case 0x44: pc += 8; break;
    case 0xfc: {
      uint32_t sub = IMM();
      pc += sub == 10u ? 2 : sub == 11u ? 1 : 0;
      break;
    }
    default:
      if (op >= 0x28u && op <= 0x3eu) {
        SKIP();
        SKIP();
      }
  }
  return pc;
}

/* From a block's first instruction: just past its end, or past its else when it has one first. */
static const uint8_t* find_end(interp* vm, const uint8_t* from, int* is_else) {
  uint32_t key = (uint32_t)(from - vm->module);
  interp_jump* slot = &vm->jumps[(key ^ (key >> 5)) % INTERP_JUMP_CACHE];
  if (slot->from == key) {
    *is_else = (int)(slot->to & 1u);
    return vm->module + (slot->to >> 1);
  }
  unsigned depth = 0;
  const uint8_t* pc = from;
  for (;;) {
    uint8_t op = *pc;
    const uint8_t* next = skip_instruction(pc);
    pc = next;
    if (op == 0x0bu || (op == 0x05u && depth == 0u)) {
      if (depth == 0u) {
        *is_else = op == 0x05u;
        break;
      }
      depth--;
    } else if (op >= 0x02u && op <= 0x04u) {
      depth++;
    }
  }
  slot->from = key;
  slot->to = (uint32_t)(pc - vm->module) << 1 | (uint32_t)*is_else;
  return pc;
}

/* Just past a block's end, from its first instruction (an if's then-part runs on past its else). */
static const uint8_t* block_end(interp* vm, const uint8_t* from) {
  int is_else;
  const uint8_t* pc = find_end(vm, from, &is_else);
  return is_else ? find_end(vm, pc, &is_else) : pc;
}

/* A block type's arity, 0 or 1 (validation refused more), and pc past it. */
#define BLOCK_ARITY() ({                                               \
  unsigned arity_;                                                     \
  uint8_t type_ = *pc;                                                 \
  if (type_ == 0x40u) arity_ = 0u, pc++;                               \
  else if (type_ >= 0x7cu && type_ <= 0x7fu) arity_ = 1u, pc++;        \
  else arity_ = vm->types[leb_u32(pc)].result ? 1u : 0u, SKIP();       \
  arity_;                                                              \
})

#if ANYK_INTERP_FLOAT
static float min32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static float max32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static double min64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static double max64(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
#endif

/* Effective address of a load or store of `size` bytes at the top operand, or a memory trap. */
#define ACCESS(size)                                                         \
  SKIP();                                                             \
  uint32_t offset = IMM();                                           \
  uint32_t base = sp[-1].i32;                                                \
  if ((uint64_t)base + offset + (size) > vm->memory_bytes) goto trap_memory; \
  uint8_t* at = vm->memory + base + offset

#define LOAD(type, size, field, cast)     \
  {                                       \
    ACCESS(size);                         \
    type v;                               \
    __builtin_memcpy(&v, at, size);       \
    sp[-1].field = cast v;                \
    break;                                \
  }

#define STORE(type, size, field)          \
  {                                       \
    type v = (type)(--sp)->field;         \
    ACCESS(size);                         \
    __builtin_memcpy(at, &v, size);       \
    sp--;                                 \
    break;                                \
  }

#define BINARY(field, type, expr)                              \
  {                                                            \
    type b = (type)(--sp)->field, a = (type)sp[-1].field;      \
    sp[-1].field = (expr);                                     \
    break;                                                     \
  }

#define COMPARE(field, type, expr)                             \
  {                                                            \
    type b = (type)(--sp)->field, a = (type)sp[-1].field;      \
    sp[-1].i32 = (expr);                                       \
    break;                                                     \
  }

#define UNARY(field, type, expr) \
  {                              \
    type a = (type)sp[-1].field; \
    sp[-1].field = (expr);       \
    break;                       \
  }

#define CONVERT(from, ftype, to, expr) \
  {                                    \
    ftype a = (ftype)sp[-1].from;      \
    sp[-1].to = (expr);                \
    break;                             \
  }

/* Float to integer: a trap for NaN, another for a value outside (low, high), both exclusive. */
#define TRUNCATE(from, ftype, to, itype, low, high)                 \
  {                                                                 \
    ftype a = sp[-1].from;                                          \
    if (a != a) goto trap_conversion;                               \
    if (!(a > (ftype)(low) && a < (ftype)(high))) goto trap_overflow; \
    sp[-1].to = (itype)a;                                           \
    break;                                                          \
  }

/* Saturating: NaN is 0, the rest clamps to [min, max]. */
#define SATURATE(from, ftype, to, itype, low, high, min, max)       \
  {                                                                 \
    ftype a = sp[-1].from;                                          \
    sp[-1].to = a != a ? 0 : !(a > (ftype)(low)) ? (min) : !(a < (ftype)(high)) ? (max) : (itype)a; \
    break;                                                          \
  }

static int invoke(interp* vm, uint32_t entry) {
  interp_value* const stack = vm->stack;
  interp_value* sp = stack;
  interp_label* lp = vm->labels;
  interp_frame* fp = vm->frames; /* frames[0] stands for the caller outside the module */
  const uint8_t* const module = vm->module;
  const uint8_t* pc = 0;
  const uint8_t* at_op = 0;
  interp_value* locals = 0;
  uint32_t func = entry;
  uint32_t callee = entry;
  uint32_t depth;
  int trap;
  fp->resume = 0;
  goto call;

  for (;;) {
    at_op = pc;
    uint8_t op = *pc++;
    switch (op) {
      case 0x00: trap = INTERP_TRAP_UNREACHABLE; goto trapped;
      case 0x01: break;
      case 0x02: case 0x03: {
        unsigned arity = BLOCK_ARITY();
        lp->target = (uint32_t)(pc - module);
        lp->height = (uint32_t)(sp - stack);
        lp->arity = (uint8_t)(op == 0x03 ? 0u : arity);
        lp->kind = op == 0x03 ? LABEL_LOOP : LABEL_BLOCK;
        lp++;
        break;
      }
      case 0x04: {
        unsigned arity = BLOCK_ARITY();
        if (!(--sp)->i32) {
          int is_else;
          pc = find_end(vm, pc, &is_else);
          if (!is_else) break;
        }
        lp->target = (uint32_t)(pc - module);
        lp->height = (uint32_t)(sp - stack);
        lp->arity = (uint8_t)arity;
        lp->kind = LABEL_BLOCK;
        lp++;
        break;
      }
      case 0x05: depth = 0; goto branch; /* the then-part is done: on past the end */
      case 0x0b:
        if (lp[-1].kind == LABEL_FUNC) goto ret;
        lp--;
        break;
      case 0x0c: depth = IMM(); goto branch;
      case 0x0d:
        depth = IMM();
        if ((--sp)->i32) goto branch;
        break;
      case 0x0e: {
        uint32_t n = IMM();
        uint32_t i = (--sp)->i32;
        if (i > n) i = n;
        while (i--) SKIP();
        depth = IMM();
        goto branch;
      }
      case 0x0f: goto ret;
      case 0x10: callee = IMM(); goto call;
      case 0x11: {
        uint32_t type = IMM();
        pc++;
        uint32_t i = (--sp)->i32;
        if (i >= vm->table_size || vm->table[i] == UINT32_MAX || !same_type(vm, vm->funcs[vm->table[i]].type, type)) {
          trap = INTERP_TRAP_INDIRECT;
          goto trapped;
        }
        callee = vm->table[i];
        goto call;
      }
      case 0x1a: sp--; break;
      case 0x1b: case 0x1c: {
        if (op == 0x1c) {
          SKIP();
          pc++;
        }
        uint32_t c = (--sp)->i32;
        sp--;
        if (!c) sp[-1] = sp[0];
        break;
      }
      case 0x20: *sp++ = locals[IMM()]; break;
      case 0x21: locals[IMM()] = *--sp; break;
      case 0x22: locals[IMM()] = sp[-1]; break;
      case 0x23: *sp++ = vm->globals[IMM()]; break;
      case 0x24: vm->globals[IMM()] = *--sp; break;

      case 0x28: LOAD(uint32_t, 4, i32, )
      case 0x29: LOAD(uint64_t, 8, i64, )
#if ANYK_INTERP_FLOAT
      case 0x2a: LOAD(float, 4, f32, )
      case 0x2b: LOAD(double, 8, f64, )
#endif
      case 0x2c: LOAD(int8_t, 1, i32, (uint32_t)(int32_t))
      case 0x2d: LOAD(uint8_t, 1, i32, (uint32_t))
      case 0x2e: LOAD(int16_t, 2, i32, (uint32_t)(int32_t))
      case 0x2f: LOAD(uint16_t, 2, i32, (uint32_t))
      case 0x30: LOAD(int8_t, 1, i64, (uint64_t)(int64_t))
      case 0x31: LOAD(uint8_t, 1, i64, (uint64_t))
      case 0x32: LOAD(int16_t, 2, i64, (uint64_t)(int64_t))
      case 0x33: LOAD(uint16_t, 2, i64, (uint64_t))
      case 0x34: LOAD(int32_t, 4, i64, (uint64_t)(int64_t))
      case 0x35: LOAD(uint32_t, 4, i64, (uint64_t))
      case 0x36: STORE(uint32_t, 4, i32)
      case 0x37: STORE(uint64_t, 8, i64)
#if ANYK_INTERP_FLOAT
      case 0x38: STORE(float, 4, f32)
      case 0x39: STORE(double, 8, f64)
#endif
      case 0x3a: STORE(uint8_t, 1, i32)
      case 0x3b: STORE(uint16_t, 2, i32)
      case 0x3c: STORE(uint8_t, 1, i64)
      case 0x3d: STORE(uint16_t, 2, i64)
      case 0x3e: STORE(uint32_t, 4, i64)
      case 0x3f: pc++; (sp++)->i32 = vm->memory_pages; break;
      /* The linear memory is fixed when the image is built: growing always fails, as in the AOT engine. */
      case 0x40: pc++; sp[-1].i32 = UINT32_MAX; break;

      case 0x41: (sp++)->i32 = leb_s32(pc); pc = leb_skip(pc); break;
      case 0x42: (sp++)->i64 = leb_s64(pc); pc = leb_skip(pc); break;
#if ANYK_INTERP_FLOAT
      case 0x43: __builtin_memcpy(&sp->f32, pc, 4); sp++; pc += 4; break;
      case 0x44: __builtin_memcpy(&sp->f64, pc, 8); sp++; pc += 8; break;
#endif

      case 0x45: sp[-1].i32 = sp[-1].i32 == 0u; break;
      case 0x46: COMPARE(i32, uint32_t, a == b)
      case 0x47: COMPARE(i32, uint32_t, a != b)
      case 0x48: COMPARE(i32, int32_t, a < b)
      case 0x49: COMPARE(i32, uint32_t, a < b)
      case 0x4a: COMPARE(i32, int32_t, a > b)
      case 0x4b: COMPARE(i32, uint32_t, a > b)
      case 0x4c: COMPARE(i32, int32_t, a <= b)
      case 0x4d: COMPARE(i32, uint32_t, a <= b)
      case 0x4e: COMPARE(i32, int32_t, a >= b)
      case 0x4f: COMPARE(i32, uint32_t, a >= b)
      case 0x50: sp[-1].i32 = sp[-1].i64 == 0u; break;
      case 0x51: COMPARE(i64, uint64_t, a == b)
      case 0x52: COMPARE(i64, uint64_t, a != b)
      case 0x53: COMPARE(i64, int64_t, a < b)
      case 0x54: COMPARE(i64, uint64_t, a < b)
      case 0x55: COMPARE(i64, int64_t, a > b)
      case 0x56: COMPARE(i64, uint64_t, a > b)
      case 0x57: COMPARE(i64, int64_t, a <= b)
      case 0x58: COMPARE(i64, uint64_t, a <= b)
      case 0x59: COMPARE(i64, int64_t, a >= b)
      case 0x5a: COMPARE(i64, uint64_t, a >= b)
#if ANYK_INTERP_FLOAT
      case 0x5b: COMPARE(f32, float, a == b)
      case 0x5c: COMPARE(f32, float, a != b)
      case 0x5d: COMPARE(f32, float, a < b)
      case 0x5e: COMPARE(f32, float, a > b)
      case 0x5f: COMPARE(f32, float, a <= b)
      case 0x60: COMPARE(f32, float, a >= b)
      case 0x61: COMPARE(f64, double, a == b)
      case 0x62: COMPARE(f64, double, a != b)
      case 0x63: COMPARE(f64, double, a < b)
      case 0x64: COMPARE(f64, double, a > b)
      case 0x65: COMPARE(f64, double, a <= b)
      case 0x66: COMPARE(f64, double, a >= b)
#endif

      case 0x67: UNARY(i32, uint32_t, a ? (uint32_t)__builtin_clz(a) : 32u)
      case 0x68: UNARY(i32, uint32_t, a ? (uint32_t)__builtin_ctz(a) : 32u)
      case 0x69: UNARY(i32, uint32_t, (uint32_t)__builtin_popcount(a))
      case 0x6a: BINARY(i32, uint32_t, a + b)
      case 0x6b: BINARY(i32, uint32_t, a - b)
      case 0x6c: BINARY(i32, uint32_t, a * b)
      case 0x6d: {
        int32_t b = (int32_t)(--sp)->i32, a = (int32_t)sp[-1].i32;
        if (b == 0) goto trap_divide;
        if (a == INT32_MIN && b == -1) goto trap_overflow;
        sp[-1].i32 = (uint32_t)(a / b);
        break;
      }
      case 0x6e: {
        uint32_t b = (--sp)->i32;
        if (b == 0u) goto trap_divide;
        sp[-1].i32 /= b;
        break;
      }
      case 0x6f: {
        int32_t b = (int32_t)(--sp)->i32, a = (int32_t)sp[-1].i32;
        if (b == 0) goto trap_divide;
        sp[-1].i32 = b == -1 ? 0u : (uint32_t)(a % b);
        break;
      }
      case 0x70: {
        uint32_t b = (--sp)->i32;
        if (b == 0u) goto trap_divide;
        sp[-1].i32 %= b;
        break;
      }
      case 0x71: BINARY(i32, uint32_t, a & b)
      case 0x72: BINARY(i32, uint32_t, a | b)
      case 0x73: BINARY(i32, uint32_t, a ^ b)
      case 0x74: BINARY(i32, uint32_t, a << (b & 31u))
      case 0x75: BINARY(i32, uint32_t, (uint32_t)((int32_t)a >> (b & 31u)))
      case 0x76: BINARY(i32, uint32_t, a >> (b & 31u))
      case 0x77: BINARY(i32, uint32_t, (a << (b & 31u)) | (a >> ((32u - (b & 31u)) & 31u)))
      case 0x78: BINARY(i32, uint32_t, (a >> (b & 31u)) | (a << ((32u - (b & 31u)) & 31u)))

      case 0x79: UNARY(i64, uint64_t, a ? (uint64_t)__builtin_clzll(a) : 64u)
      case 0x7a: UNARY(i64, uint64_t, a ? (uint64_t)__builtin_ctzll(a) : 64u)
      case 0x7b: UNARY(i64, uint64_t, (uint64_t)__builtin_popcountll(a))
      case 0x7c: BINARY(i64, uint64_t, a + b)
      case 0x7d: BINARY(i64, uint64_t, a - b)
      case 0x7e: BINARY(i64, uint64_t, a * b)
      case 0x7f: {
        int64_t b = (int64_t)(--sp)->i64, a = (int64_t)sp[-1].i64;
        if (b == 0) goto trap_divide;
        if (a == INT64_MIN && b == -1) goto trap_overflow;
        sp[-1].i64 = (uint64_t)(a / b);
        break;
      }
      case 0x80: {
        uint64_t b = (--sp)->i64;
        if (b == 0u) goto trap_divide;
        sp[-1].i64 /= b;
        break;
      }
      case 0x81: {
        int64_t b = (int64_t)(--sp)->i64, a = (int64_t)sp[-1].i64;
        if (b == 0) goto trap_divide;
        sp[-1].i64 = b == -1 ? 0u : (uint64_t)(a % b);
        break;
      }
      case 0x82: {
        uint64_t b = (--sp)->i64;
        if (b == 0u) goto trap_divide;
        sp[-1].i64 %= b;
        break;
      }
      case 0x83: BINARY(i64, uint64_t, a & b)
      case 0x84: BINARY(i64, uint64_t, a | b)
      case 0x85: BINARY(i64, uint64_t, a ^ b)
      case 0x86: BINARY(i64, uint64_t, a << (b & 63u))
      case 0x87: BINARY(i64, uint64_t, (uint64_t)((int64_t)a >> (b & 63u)))
      case 0x88: BINARY(i64, uint64_t, a >> (b & 63u))
      case 0x89: BINARY(i64, uint64_t, (a << (b & 63u)) | (a >> ((64u - (b & 63u)) & 63u)))
      case 0x8a: BINARY(i64, uint64_t, (a >> (b & 63u)) | (a << ((64u - (b & 63u)) & 63u)))

#if ANYK_INTERP_FLOAT
      case 0x8b: sp[-1].i32 &= 0x7fffffffu; break;
      case 0x8c: sp[-1].i32 ^= 0x80000000u; break;
      case 0x8d: UNARY(f32, float, ceilf(a))
      case 0x8e: UNARY(f32, float, floorf(a))
      case 0x8f: UNARY(f32, float, truncf(a))
      case 0x90: UNARY(f32, float, rintf(a))
      case 0x91: UNARY(f32, float, sqrtf(a))
      case 0x92: BINARY(f32, float, a + b)
      case 0x93: BINARY(f32, float, a - b)
      case 0x94: BINARY(f32, float, a * b)
      case 0x95: BINARY(f32, float, a / b)
      case 0x96: BINARY(f32, float, min32(a, b))
      case 0x97: BINARY(f32, float, max32(a, b))
      case 0x98: sp--; sp[-1].i32 = (sp[-1].i32 & 0x7fffffffu) | (sp[0].i32 & 0x80000000u); break;
      case 0x99: sp[-1].i64 &= 0x7fffffffffffffffull; break;
      case 0x9a: sp[-1].i64 ^= 0x8000000000000000ull; break;
      case 0x9b: UNARY(f64, double, ceil(a))
      case 0x9c: UNARY(f64, double, floor(a))
      case 0x9d: UNARY(f64, double, trunc(a))
      case 0x9e: UNARY(f64, double, rint(a))
      case 0x9f: UNARY(f64, double, sqrt(a))
      case 0xa0: BINARY(f64, double, a + b)
      case 0xa1: BINARY(f64, double, a - b)
      case 0xa2: BINARY(f64, double, a * b)
      case 0xa3: BINARY(f64, double, a / b)
      case 0xa4: BINARY(f64, double, min64(a, b))
      case 0xa5: BINARY(f64, double, max64(a, b))
      case 0xa6: sp--; sp[-1].i64 = (sp[-1].i64 & 0x7fffffffffffffffull) | (sp[0].i64 & 0x8000000000000000ull); break;
#endif

      case 0xa7: sp[-1].i32 = (uint32_t)sp[-1].i64; break;
#if ANYK_INTERP_FLOAT
      case 0xa8: TRUNCATE(f32, float, i32, uint32_t, -2147483904.0f, 2147483648.0f)
      case 0xa9: TRUNCATE(f32, float, i32, uint32_t, -1.0f, 4294967296.0f)
      case 0xaa: TRUNCATE(f64, double, i32, uint32_t, -2147483649.0, 2147483648.0)
      case 0xab: TRUNCATE(f64, double, i32, uint32_t, -1.0, 4294967296.0)
#endif
      case 0xac: sp[-1].i64 = (uint64_t)(int64_t)(int32_t)sp[-1].i32; break;
      case 0xad: sp[-1].i64 = (uint64_t)sp[-1].i32; break;
#if ANYK_INTERP_FLOAT
      case 0xae: TRUNCATE(f32, float, i64, uint64_t, -9223373136366403584.0f, 9223372036854775808.0f)
      case 0xaf: TRUNCATE(f32, float, i64, uint64_t, -1.0f, 18446744073709551616.0f)
      case 0xb0: TRUNCATE(f64, double, i64, uint64_t, -9223372036854777856.0, 9223372036854775808.0)
      case 0xb1: TRUNCATE(f64, double, i64, uint64_t, -1.0, 18446744073709551616.0)
      case 0xb2: CONVERT(i32, int32_t, f32, (float)a)
      case 0xb3: CONVERT(i32, uint32_t, f32, (float)a)
      case 0xb4: CONVERT(i64, int64_t, f32, (float)a)
      case 0xb5: CONVERT(i64, uint64_t, f32, (float)a)
      case 0xb6: CONVERT(f64, double, f32, (float)a)
      case 0xb7: CONVERT(i32, int32_t, f64, (double)a)
      case 0xb8: CONVERT(i32, uint32_t, f64, (double)a)
      case 0xb9: CONVERT(i64, int64_t, f64, (double)a)
      case 0xba: CONVERT(i64, uint64_t, f64, (double)a)
      case 0xbb: CONVERT(f32, float, f64, (double)a)
      /* Reinterpretations: the slot already holds the bits. */
      case 0xbc: case 0xbd: case 0xbe: case 0xbf: break;
#endif
      case 0xc0: sp[-1].i32 = (uint32_t)(int32_t)(int8_t)sp[-1].i32; break;
      case 0xc1: sp[-1].i32 = (uint32_t)(int32_t)(int16_t)sp[-1].i32; break;
      case 0xc2: sp[-1].i64 = (uint64_t)(int64_t)(int8_t)sp[-1].i64; break;
      case 0xc3: sp[-1].i64 = (uint64_t)(int64_t)(int16_t)sp[-1].i64; break;
      case 0xc4: sp[-1].i64 = (uint64_t)(int64_t)(int32_t)sp[-1].i64; break;

      case 0xfc: {
        uint32_t sub = IMM();
        switch (sub) {
#if ANYK_INTERP_FLOAT
          case 0: SATURATE(f32, float, i32, uint32_t, -2147483904.0f, 2147483648.0f, 0x80000000u, 0x7fffffffu)
          case 1: SATURATE(f32, float, i32, uint32_t, -1.0f, 4294967296.0f, 0u, 0xffffffffu)
          case 2: SATURATE(f64, double, i32, uint32_t, -2147483649.0, 2147483648.0, 0x80000000u, 0x7fffffffu)
          case 3: SATURATE(f64, double, i32, uint32_t, -1.0, 4294967296.0, 0u, 0xffffffffu)
          case 4: SATURATE(f32, float, i64, uint64_t, -9223373136366403584.0f, 9223372036854775808.0f, 0x8000000000000000ull, 0x7fffffffffffffffull)
          case 5: SATURATE(f32, float, i64, uint64_t, -1.0f, 18446744073709551616.0f, 0u, 0xffffffffffffffffull)
          case 6: SATURATE(f64, double, i64, uint64_t, -9223372036854777856.0, 9223372036854775808.0, 0x8000000000000000ull, 0x7fffffffffffffffull)
          case 7: SATURATE(f64, double, i64, uint64_t, -1.0, 18446744073709551616.0, 0u, 0xffffffffffffffffull)
#endif
          case 10: {
            pc += 2;
            uint32_t n = (--sp)->i32, from = (--sp)->i32, to = (--sp)->i32;
            if ((uint64_t)from + n > vm->memory_bytes || (uint64_t)to + n > vm->memory_bytes) goto trap_memory;
            /* Overlapping copies go the way that reads each byte before it is overwritten (a loop: newlib's memmove is 252 B). */
            uint8_t* m = vm->memory;
            if (to <= from) for (uint32_t i = 0; i < n; i++) m[to + i] = m[from + i];
            else for (uint32_t i = n; i-- > 0;) m[to + i] = m[from + i];
            break;
          }
          case 11: {
            pc += 1;
            uint32_t n = (--sp)->i32, value = (--sp)->i32, to = (--sp)->i32;
            if ((uint64_t)to + n > vm->memory_bytes) goto trap_memory;
            for (uint32_t i = 0; i < n; i++) vm->memory[to + i] = (uint8_t)value;
            break;
          }
        }
        break;
      }
    }
    continue;

  branch: {
    interp_label* l = lp - 1 - depth;
    if (l->kind == LABEL_FUNC) goto ret;
    if (l->kind == LABEL_LOOP) {
      sp = stack + l->height;
      pc = module + l->target;
      lp = l + 1;
      continue;
    }
    if (l->kind == LABEL_BLOCK) {
      l->target = (uint32_t)(block_end(vm, module + l->target) - module);
      l->kind = LABEL_DONE;
    }
    if (l->arity) stack[l->height] = sp[-1];
    sp = stack + l->height + l->arity;
    pc = module + l->target;
    lp = l;
    continue;
  }

  ret: {
    interp_label* base = vm->labels + fp->labels;
    interp_value* results = stack + fp->locals;
    if (base->arity) *results++ = sp[-1];
    sp = results;
    lp = base;
    pc = module + fp->resume;
    fp--;
    if (fp == vm->frames) return INTERP_OK;
    locals = stack + fp->locals;
    func = fp->func;
    continue;
  }

  call: {
    const interp_func* f = &vm->funcs[callee];
    const interp_type* t = &vm->types[f->type];
    if (callee < vm->import_count) {
      sp -= t->params;
      vm->fault_func = func;
      vm->fault_at = (uint32_t)(at_op - module);
      uint64_t result = interp_hypercall(vm, f->body, sp);
      if (t->result) (sp++)->i64 = result;
      continue;
    }
    if (fp + 1 >= vm->frames_end || (uint32_t)(vm->stack_end - sp) < (uint32_t)f->locals + f->max_height || (uint32_t)(vm->labels_end - lp) < f->max_depth) {
      /* Reported at the callee's first instruction, as Node's engine does (its check is in the prologue). */
      func = callee;
      at_op = module + f->body;
      trap = INTERP_TRAP_STACK;
      goto trapped;
    }
    fp++;
    fp->resume = (uint32_t)(pc - module);
    fp->locals = (uint32_t)(sp - t->params - stack);
    fp->labels = (uint32_t)(lp - vm->labels);
    fp->func = callee;
    for (uint32_t i = 0; i < f->locals; i++) (sp++)->i64 = 0u;
    lp->target = 0;
    lp->height = (uint32_t)(sp - stack);
    lp->arity = t->result ? 1u : 0u;
    lp->kind = LABEL_FUNC;
    lp++;
    locals = stack + fp->locals;
    func = callee;
    pc = module + f->body;
    continue;
  }
  }

trap_memory:
  trap = INTERP_TRAP_MEMORY;
  goto trapped;
trap_divide:
  trap = INTERP_TRAP_DIVIDE;
  goto trapped;
trap_overflow:
  trap = INTERP_TRAP_OVERFLOW;
  goto trapped;
#if ANYK_INTERP_FLOAT
trap_conversion:
  trap = INTERP_TRAP_CONVERSION;
#endif
trapped:
  vm->fault_func = func;
  vm->fault_at = at_op ? (uint32_t)(at_op - module) : 0u;
  return trap;
}

int interp_run(interp* vm) {
  if (vm->start_func != UINT32_MAX) {
    int trap = invoke(vm, vm->start_func);
    if (trap != INTERP_OK) return trap;
  }
  return invoke(vm, vm->main_func);
}
