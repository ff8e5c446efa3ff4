/*
 * Validation of function bodies, as the WebAssembly spec's algorithm (appendix "Validation
 * Algorithm"): a stack of operand types and a stack of blocks, checked instruction by instruction.
 * What passes cannot misuse the runtime's stacks: the heights and depths it records bound them.
 */
#include "module.h"

typedef struct {
  uint16_t height;
  uint8_t opcode; /* block, loop, if, else; 0 for the function itself */
  uint8_t result; /* 0 or a value type */
  uint8_t unreachable;
} block_check;

typedef struct {
  interp* vm;
  reader* r;
  uint8_t* types;
  uint32_t height, height_limit, max_height;
  block_check* blocks;
  uint32_t depth, depth_limit, max_depth;
  /* Locals: the function's params (module bytes), then its declarations from decls on. */
  const interp_type* sig;
  const uint8_t* decls;
  uint32_t decl_runs, local_count;
} checker;

static void fail(checker* c, const char* why) {
  reader_fail(c->r, why);
}

static void push(checker* c, uint8_t type) {
  if (c->height >= c->height_limit) {
    fail(c, "a function's operand stack is deeper than the engine allows");
    return;
  }
  c->types[c->height++] = type;
  if (c->height > c->max_height) c->max_height = c->height;
}

static uint8_t pop(checker* c, uint8_t expect) {
  if (c->depth == 0u) return T_ANY;
  block_check* b = &c->blocks[c->depth - 1u];
  if (c->height == b->height) {
    if (!b->unreachable) fail(c, "an instruction takes an operand the stack does not have");
    return expect;
  }
  uint8_t got = c->types[--c->height];
  if (expect != T_ANY && got != T_ANY && got != expect) fail(c, "an operand has the wrong type");
  return got == T_ANY ? expect : got;
}

static void pop_push(checker* c, uint8_t in, unsigned count, uint8_t out) {
  while (count--) pop(c, in);
  if (out != T_ANY) push(c, out);
}

static void enter(checker* c, uint8_t opcode, uint8_t result) {
  if (c->depth >= c->depth_limit) {
    fail(c, "blocks are nested deeper than the engine allows");
    return;
  }
  block_check* b = &c->blocks[c->depth++];
  b->height = (uint16_t)c->height;
  b->opcode = opcode;
  b->result = result;
  b->unreachable = 0;
  if (c->depth > c->max_depth) c->max_depth = c->depth;
}

static void unreachable_rest(checker* c) {
  block_check* b = &c->blocks[c->depth - 1u];
  c->height = b->height;
  b->unreachable = 1;
}

/* The end of a block's instructions: its result on top, nothing under it. */
static void close_block(checker* c, block_check* b) {
  if (b->result) pop(c, b->result);
  if (c->height != b->height) fail(c, "a block leaves more values on the stack than its type says");
}

/* The values a branch to a block carries: a loop's none (no params here), else its result. */
static uint8_t label_type(checker* c, uint32_t depth) {
  if (depth >= c->depth) {
    fail(c, "a branch targets a block that does not enclose it");
    return 0;
  }
  block_check* b = &c->blocks[c->depth - 1u - depth];
  return b->opcode == 0x03 ? 0 : b->result;
}

static uint8_t block_type(checker* c) {
  reader* r = c->r;
  if (r->at < r->end && (*r->at == 0x40u || is_value_type(*r->at))) {
    uint8_t t = read_byte(r);
    return t == 0x40u ? 0 : t;
  }
  int64_t index = (int64_t)read_leb(r, 33u, 1);
  if (index < 0 || (uint64_t)index >= c->vm->type_count) {
    fail(c, index < 0 ? TEXT_BAD_TYPE : "a block names a type that does not exist");
    return 0;
  }
  const interp_type* t = &c->vm->types[index];
  if (t->params) fail(c, "a block takes parameters (multi-value), which the engine does not run");
  return t->result;
}

static uint8_t local_type(checker* c, uint32_t index) {
  if (index >= c->local_count) {
    fail(c, "a local index is out of range");
    return 0;
  }
  if (index < c->sig->params) return c->vm->module[c->sig->params_at + index];
  index -= c->sig->params;
  reader decls = {c->decls, c->r->end, 0};
  for (uint32_t i = 0; i < c->decl_runs; i++) {
    uint32_t n = read_u32(&decls);
    uint8_t t = read_byte(&decls);
    if (index < n) return t;
    index -= n;
  }
  return 0;
}

static void memory_op(checker* c, unsigned natural_align) {
  uint32_t align = read_u32(c->r);
  read_u32(c->r);
  if (c->vm->memory_pages == UINT32_MAX) fail(c, "a memory instruction in a module without memory");
  if (align > natural_align) fail(c, "an access is aligned beyond its size");
}

/* Numeric instructions 0x45..0xc4: operand and result types, and how many operands. */
static void numeric(checker* c, uint8_t op) {
  static const uint8_t conversions[][2] = {
      /* 0xa7 */ {T_I64, T_I32}, {T_F32, T_I32}, {T_F32, T_I32}, {T_F64, T_I32}, {T_F64, T_I32},
      /* 0xac */ {T_I32, T_I64}, {T_I32, T_I64}, {T_F32, T_I64}, {T_F32, T_I64}, {T_F64, T_I64}, {T_F64, T_I64},
      /* 0xb2 */ {T_I32, T_F32}, {T_I32, T_F32}, {T_I64, T_F32}, {T_I64, T_F32}, {T_F64, T_F32},
      /* 0xb7 */ {T_I32, T_F64}, {T_I32, T_F64}, {T_I64, T_F64}, {T_I64, T_F64}, {T_F32, T_F64},
      /* 0xbc */ {T_F32, T_I32}, {T_F64, T_I64}, {T_I32, T_F32}, {T_I64, T_F64},
      /* 0xc0 */ {T_I32, T_I32}, {T_I32, T_I32}, {T_I64, T_I64}, {T_I64, T_I64}, {T_I64, T_I64},
  };
  uint8_t in, out;
  unsigned count;
  if (op == 0x45u || op == 0x50u) in = op == 0x45u ? T_I32 : T_I64, out = T_I32, count = 1;
  else if (op <= 0x4fu) in = T_I32, out = T_I32, count = 2;
  else if (op <= 0x5au) in = T_I64, out = T_I32, count = 2;
  else if (op <= 0x60u) in = T_F32, out = T_I32, count = 2;
  else if (op <= 0x66u) in = T_F64, out = T_I32, count = 2;
  else if (op <= 0x69u) in = out = T_I32, count = 1;
  else if (op <= 0x78u) in = out = T_I32, count = 2;
  else if (op <= 0x7bu) in = out = T_I64, count = 1;
  else if (op <= 0x8au) in = out = T_I64, count = 2;
  else if (op <= 0x91u) in = out = T_F32, count = 1;
  else if (op <= 0x98u) in = out = T_F32, count = 2;
  else if (op <= 0x9fu) in = out = T_F64, count = 1;
  else if (op <= 0xa6u) in = out = T_F64, count = 2;
  else in = conversions[op - 0xa7u][0], out = conversions[op - 0xa7u][1], count = 1;
  if (!is_value_type(in) || !is_value_type(out)) fail(c, TEXT_BAD_TYPE);
  pop_push(c, in, count, out);
}

static void misc(checker* c) {
  uint32_t sub = read_u32(c->r);
  static const uint8_t saturating[][2] = {
      {T_F32, T_I32}, {T_F32, T_I32}, {T_F64, T_I32}, {T_F64, T_I32},
      {T_F32, T_I64}, {T_F32, T_I64}, {T_F64, T_I64}, {T_F64, T_I64},
  };
  if (sub <= 7u) {
    if (!is_value_type(saturating[sub][0])) fail(c, TEXT_BAD_TYPE);
    pop_push(c, saturating[sub][0], 1, saturating[sub][1]);
  } else if (sub == 10u || sub == 11u) {
    /* memory.copy: two memory indices; memory.fill: one. */
    if (read_byte(c->r) != 0u || (sub == 10u && read_byte(c->r) != 0u)) fail(c, "a memory index other than 0");
    if (c->vm->memory_pages == UINT32_MAX) fail(c, "a memory instruction in a module without memory");
    pop_push(c, T_I32, 3, T_ANY);
  } else {
    fail(c, "an instruction the engine does not run (0xfc prefix)");
  }
}

static void call_with(checker* c, const interp_type* t) {
  for (uint32_t i = t->params; i-- > 0;) pop(c, c->vm->module[t->params_at + i]);
  if (t->result) push(c, t->result);
}

/* One instruction; returns 0 when it was the function's final end. */
static int instruction(checker* c) {
  reader* r = c->r;
  interp* vm = c->vm;
  uint8_t op = read_byte(r);
  if (r->error) return 0;
  switch (op) {
    case 0x00: unreachable_rest(c); break;
    case 0x01: break;
    case 0x02: case 0x03: enter(c, op, block_type(c)); break;
    case 0x04: pop(c, T_I32); enter(c, op, block_type(c)); break;
    case 0x05: {
      block_check* b = &c->blocks[c->depth - 1u];
      if (b->opcode != 0x04) { fail(c, "an else outside an if"); break; }
      close_block(c, b);
      b->opcode = 0x05;
      b->unreachable = 0;
      break;
    }
    case 0x0b: {
      block_check* b = &c->blocks[c->depth - 1u];
      close_block(c, b);
      if (b->opcode == 0x04 && b->result) fail(c, "an if with a result has no else");
      uint8_t result = b->result;
      c->depth--;
      if (c->depth == 0u) {
        if (r->at != r->end) fail(c, "code follows the function's end");
        return 0;
      }
      if (result) push(c, result);
      break;
    }
    case 0x0c: { uint8_t t = label_type(c, read_u32(r)); if (t) pop(c, t); unreachable_rest(c); break; }
    case 0x0d: {
      uint32_t depth = read_u32(r);
      pop(c, T_I32);
      uint8_t t = label_type(c, depth);
      if (t) { pop(c, t); push(c, t); }
      break;
    }
    case 0x0e: {
      uint32_t n = read_count(r, 1);
      uint8_t t = 0;
      for (uint32_t i = 0; i <= n && !r->error; i++) {
        uint8_t ti = label_type(c, read_u32(r));
        if (i == 0u) t = ti;
        else if (ti != t) fail(c, "br_table's targets take different values");
      }
      pop(c, T_I32);
      if (t) pop(c, t);
      unreachable_rest(c);
      break;
    }
    case 0x0f: if (c->sig->result) pop(c, c->sig->result); unreachable_rest(c); break;
    case 0x10: {
      uint32_t f = read_u32(r);
      if (f >= vm->func_count) { fail(c, "a call to a function that does not exist"); break; }
      call_with(c, &vm->types[vm->funcs[f].type]);
      break;
    }
    case 0x11: {
      uint32_t t = read_u32(r);
      if (read_byte(r) != 0u || vm->table == 0) fail(c, "call_indirect without table 0");
      if (t >= vm->type_count) { fail(c, "call_indirect names a type that does not exist"); break; }
      pop(c, T_I32);
      call_with(c, &vm->types[t]);
      break;
    }
    case 0x1a: pop(c, T_ANY); break;
    case 0x1b: case 0x1c: {
      uint8_t want = T_ANY;
      if (op == 0x1c) {
        if (read_u32(r) != 1u) fail(c, "select with a type list not of one type");
        want = read_byte(r);
        if (!is_value_type(want)) fail(c, TEXT_BAD_TYPE);
      }
      pop(c, T_I32);
      uint8_t a = pop(c, want);
      uint8_t b = pop(c, a);
      push(c, a != T_ANY ? a : b);
      break;
    }
    case 0x20: push(c, local_type(c, read_u32(r))); break;
    case 0x21: pop(c, local_type(c, read_u32(r))); break;
    case 0x22: { uint8_t t = local_type(c, read_u32(r)); pop(c, t); push(c, t); break; }
    case 0x23: case 0x24: {
      uint32_t g = read_u32(r);
      if (g >= vm->global_count) { fail(c, "a global index is out of range"); break; }
      uint8_t t = vm->global_types[g];
      if (op == 0x23) push(c, t & 0x7fu);
      else if (!(t & 0x80u)) fail(c, "global.set of an immutable global");
      else pop(c, t & 0x7fu);
      break;
    }
    case 0x3f: case 0x40:
      if (read_byte(r) != 0u) fail(c, "a memory index other than 0");
      if (vm->memory_pages == UINT32_MAX) fail(c, "a memory instruction in a module without memory");
      if (op == 0x40) pop(c, T_I32);
      push(c, T_I32);
      break;
    case 0x41: read_leb(r, 32u, 1); push(c, T_I32); break;
    case 0x42: read_leb(r, 64u, 1); push(c, T_I64); break;
#if ANYK_INTERP_FLOAT
    case 0x43: for (int i = 0; i < 4; i++) read_byte(r); push(c, T_F32); break;
    case 0x44: for (int i = 0; i < 8; i++) read_byte(r); push(c, T_F64); break;
#endif
    case 0xfc: misc(c); break;
    default:
      if (op >= 0x28u && op <= 0x3eu) {
        /* Loads then stores: the value type, and log2 of the access size. */
        static const uint8_t access[][2] = {
            {T_I32, 2}, {T_I64, 3}, {T_F32, 2}, {T_F64, 3}, {T_I32, 0}, {T_I32, 0}, {T_I32, 1}, {T_I32, 1},
            {T_I64, 0}, {T_I64, 0}, {T_I64, 1}, {T_I64, 1}, {T_I64, 2}, {T_I64, 2},
            {T_I32, 2}, {T_I64, 3}, {T_F32, 2}, {T_F64, 3}, {T_I32, 0}, {T_I32, 1}, {T_I64, 0}, {T_I64, 1}, {T_I64, 2},
        };
        const uint8_t* a = access[op - 0x28u];
        if (!is_value_type(a[0])) { fail(c, TEXT_BAD_TYPE); break; }
        memory_op(c, a[1]);
        if (op <= 0x35u) pop_push(c, T_I32, 1, a[0]);
        else { pop(c, a[0]); pop(c, T_I32); }
      } else if (op >= 0x45u && op <= 0xc4u) {
        numeric(c, op);
      } else {
        fail(c, "an instruction the engine does not know");
      }
  }
  return !r->error;
}

void validate_body(interp* vm, reader* r, uint32_t index, uint8_t* scratch, uint32_t scratch_bytes) {
  interp_func* f = &vm->funcs[vm->import_count + index];
  const interp_type* sig = &vm->types[f->type];
  checker c = {vm, r, scratch, 0, 0, 0, 0, 0, 0, 0, sig, r->at, 0, sig->params};
  c.height_limit = scratch_bytes / 2u < INTERP_MAX_HEIGHT ? scratch_bytes / 2u : INTERP_MAX_HEIGHT;
  uint32_t rest = scratch_bytes - c.height_limit;
  c.blocks = (block_check*)(scratch + ((c.height_limit + 3u) & ~3u));
  c.depth_limit = rest / sizeof(block_check) > 4u ? rest / sizeof(block_check) - 4u : 0u;
  if (c.depth_limit > INTERP_MAX_DEPTH) c.depth_limit = INTERP_MAX_DEPTH;

  c.decl_runs = read_count(r, 2);
  c.decls = r->at;
  for (uint32_t i = 0; i < c.decl_runs && !r->error; i++) {
    uint32_t n = read_u32(r);
    if (!is_value_type(read_byte(r))) fail(&c, TEXT_BAD_TYPE);
    if (n > INTERP_MAX_LOCALS - c.local_count) fail(&c, "a function has more locals than the engine allows");
    else c.local_count += n;
  }
  f->locals = (uint16_t)(c.local_count - sig->params);
  f->body = (uint32_t)(r->at - vm->module);
  enter(&c, 0, sig->result);
  while (instruction(&c)) {
  }
  if (!r->error && c.depth != 0u) fail(&c, "a function's body ends inside a block");
  f->max_height = (uint16_t)c.max_height;
  f->max_depth = (uint16_t)c.max_depth;
}

int same_type(const interp* vm, uint32_t a, uint32_t b) {
  const interp_type* x = &vm->types[a];
  const interp_type* y = &vm->types[b];
  if (x->params != y->params || x->result != y->result) return 0;
  for (uint32_t i = 0; i < x->params; i++) {
    if (vm->module[x->params_at + i] != vm->module[y->params_at + i]) return 0;
  }
  return 1;
}
