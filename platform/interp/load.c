/*
 * Loading a module: its sections parsed and checked in order, each function body validated, then
 * the instance laid out in the arena (tables first, stacks from the rest) and the linear memory
 * filled. A module is refused with the first reason found, before any of its code runs.
 */
#include "anyk_interp_abi.h"
#include "module.h"

typedef struct {
  interp* vm;
  reader r;
  uint8_t* arena;
  uint8_t* arena_end;
} loader;

static void* take(loader* l, uint32_t count, uint32_t size) {
  uintptr_t at = ((uintptr_t)l->arena + 7u) & ~(uintptr_t)7u;
  if (l->r.error) return 0;
  if ((uint64_t)count * size > (uint64_t)(l->arena_end - (uint8_t*)at)) {
    reader_fail(&l->r, "the module's tables do not fit the engine's arena");
    return 0;
  }
  l->arena = (uint8_t*)at + count * size;
  return (void*)at;
}

static int same_name(reader* r, uint32_t length, const char* name) {
  uint32_t i = 0;
  for (; i < length && name[i] && r->at[i] == (uint8_t)name[i]; i++) {
  }
  return i == length && name[i] == '\0';
}

/* A name: returns its length, leaving r->at at its first byte. Names must be UTF-8 (the spec). */
static uint32_t name_length(reader* r) {
  uint32_t n = read_count(r, 1);
  const uint8_t* p = r->at;
  const uint8_t* end = p + n;
  while (p < end && !r->error) {
    uint8_t b = *p++;
    if (b < 0x80u) continue;
    unsigned more = b >= 0xf0u && b <= 0xf4u ? 3u : b >= 0xe0u ? 2u : b >= 0xc2u && b < 0xe0u ? 1u : 0u;
    uint32_t code = b & (0x3fu >> more);
    if (more == 0u || (uint32_t)(end - p) < more) {
      reader_fail(r, "a name is not UTF-8");
      break;
    }
    for (unsigned i = 0; i < more; i++) {
      if ((p[i] & 0xc0u) != 0x80u) reader_fail(r, "a name is not UTF-8");
      code = code << 6 | (p[i] & 0x3fu);
    }
    p += more;
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if ((more == 2u && code < 0x800u) || (more == 3u && (code < 0x10000u || code > 0x10ffffu)) || (code >= 0xd800u && code <= 0xdfffu)) reader_fail(r, "a name is not UTF-8");
  }
  return r->error ? 0u : n;
}

static void types_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  vm->type_count = read_count(r, 3);
  if (vm->type_count > INTERP_MAX_TYPES) reader_fail(r, "the module has more types than the engine allows");
  vm->types = take(l, vm->type_count, sizeof(interp_type));
  for (uint32_t i = 0; i < vm->type_count && !r->error; i++) {
    if (read_byte(r) != 0x60u) reader_fail(r, "a type is not a function type");
    uint32_t params = read_count(r, 1);
    if (params > INTERP_MAX_PARAMS) reader_fail(r, "a function type has more parameters than the engine allows");
    vm->types[i].params_at = (uint32_t)(r->at - vm->module);
    vm->types[i].params = (uint8_t)params;
    for (uint32_t p = 0; p < params; p++) {
      if (!is_value_type(read_byte(r))) reader_fail(r, TEXT_BAD_TYPE);
    }
    uint32_t results = read_count(r, 1);
    if (results > 1u) reader_fail(r, "a function type has more than one result (multi-value)");
    vm->types[i].result = results ? read_byte(r) : 0u;
    if (results && !is_value_type(vm->types[i].result)) reader_fail(r, TEXT_BAD_TYPE);
  }
}

/* An import's type must be its hypercall's signature in the ABI: params, then ':' and the result. */
static int matches_abi(const interp* vm, uint32_t type, const char* signature) {
  const interp_type* t = &vm->types[type];
  uint32_t i = 0;
  for (; signature[i] != ':'; i++) {
    if (i >= t->params || vm->module[t->params_at + i] != (signature[i] == 'I' ? T_I64 : T_I32)) return 0;
  }
  if (i != t->params) return 0;
  char result = signature[i + 1];
  return t->result == (result == 0 ? 0 : result == 'I' ? T_I64 : T_I32);
}

/* One import entry: its hypercall number (ANYK_INTERP_CALLS when the ABI has none of its name) and
   its type index; returns whether it comes from the ABI's module. */
static int import_entry(reader* r, uint32_t* call, uint32_t* type) {
  uint32_t module_length = name_length(r);
  int from_abi = same_name(r, module_length, ANYK_INTERP_MODULE);
  r->at += module_length;
  uint32_t length = name_length(r);
  *call = 0;
  while (*call < ANYK_INTERP_CALLS && !same_name(r, length, anyk_interp_names[*call])) (*call)++;
  r->at += length;
  if (read_byte(r) != 0u) reader_fail(r, "the module imports something other than a function");
  *type = read_u32(r);
  return from_abi;
}

static void imports_section(loader* l, uint32_t* function_types_at) {
  interp* vm = l->vm;
  reader* r = &l->r;
  vm->import_count = read_count(r, 4);
  if (vm->import_count > ANYK_INTERP_CALLS) reader_fail(r, "the module imports more functions than the ABI has hypercalls");
  /* Imports are the first functions; defined ones follow once the function section is read. */
  *function_types_at = (uint32_t)(r->at - vm->module);
  for (uint32_t i = 0; i < vm->import_count && !r->error; i++) {
    uint32_t call, type;
    int from_abi = import_entry(r, &call, &type);
    if (r->error) break;
    if (!from_abi) reader_fail(r, "the module imports from a module other than " ANYK_INTERP_MODULE);
    else if (call == ANYK_INTERP_CALLS) reader_fail(r, "the module imports a function the hypercall ABI does not have");
    else if (type >= vm->type_count || !matches_abi(vm, type, anyk_interp_signatures[call])) reader_fail(r, "a hypercall is imported with a type other than the ABI's");
  }
}

/* vm->funcs: the imports (their hypercall numbers and types), then `defined` functions whose types r reads. */
static void set_functions(loader* l, uint32_t imports_at, uint32_t defined, reader* r) {
  interp* vm = l->vm;
  if (defined > INTERP_MAX_FUNCS - vm->import_count) reader_fail(&l->r, "the module has more functions than the engine allows");
  vm->func_count = vm->import_count + defined;
  vm->funcs = take(l, vm->func_count ? vm->func_count : 1u, sizeof(interp_func));
  if (l->r.error) return;
  /* The import section again, validated by now: each entry's hypercall and type. */
  reader imports = {vm->module + imports_at, l->r.end, 0};
  for (uint32_t i = 0; i < vm->import_count; i++) {
    uint32_t call, type;
    import_entry(&imports, &call, &type);
    vm->funcs[i] = (interp_func){call, (uint16_t)type, 0, 0, 0};
  }
  for (uint32_t i = vm->import_count; i < vm->func_count && !l->r.error; i++) {
    uint32_t type = read_u32(r);
    if (type >= vm->type_count) reader_fail(r, "a function names a type that does not exist");
    vm->funcs[i] = (interp_func){0, (uint16_t)type, 0, 0, 0};
  }
}

/* Whether function func is () -> (), as anyk_main and the start function must be. */
static int takes_nothing(const interp* vm, uint32_t func) {
  const interp_type* t = &vm->types[vm->funcs[func].type];
  return !t->params && !t->result;
}

static void limits(reader* r, uint32_t* min, uint32_t* max, uint32_t cap) {
  uint8_t flags = read_byte(r);
  if (flags > 1u) reader_fail(r, "limits other than min or min and max (shared or 64-bit)");
  *min = read_u32(r);
  *max = flags ? read_u32(r) : cap;
  if (*min > cap || *max > cap || *min > *max) reader_fail(r, "limits out of range");
}

static void table_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  uint32_t count = read_count(r, 3);
  if (count > 1u) reader_fail(r, "the module has more than one table");
  if (count == 0u) return;
  if (read_byte(r) != 0x70u) reader_fail(r, "a table of other than function references");
  uint32_t max;
  limits(r, &vm->table_size, &max, INTERP_MAX_TABLE);
  vm->table = take(l, vm->table_size ? vm->table_size : 1u, sizeof(uint32_t));
  for (uint32_t i = 0; i < vm->table_size && !r->error; i++) vm->table[i] = UINT32_MAX;
}

static void memory_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  uint32_t count = read_count(r, 2);
  if (count > 1u) reader_fail(r, "the module has more than one memory");
  if (count == 0u) return;
  uint32_t max;
  limits(r, &vm->memory_pages, &max, 65536u);
  /* The image's memory is what the build sized it to; a smaller declared memory is all there is. */
  if ((uint64_t)vm->memory_pages * 65536u < vm->memory_bytes) vm->memory_bytes = vm->memory_pages * 65536u;
}

/* A constant expression: one const instruction of the type, then end. */
static interp_value constant(reader* r, uint8_t type) {
  interp_value v;
  v.i64 = 0;
  uint8_t op = read_byte(r);
  if (op == 0x41u && type == T_I32) v.i32 = (uint32_t)read_leb(r, 32u, 1);
  else if (op == 0x42u && type == T_I64) v.i64 = read_leb(r, 64u, 1);
#if ANYK_INTERP_FLOAT
  else if ((op == 0x43u && type == T_F32) || (op == 0x44u && type == T_F64)) {
    for (unsigned i = 0; i < (op == 0x43u ? 4u : 8u); i++) v.i64 |= (uint64_t)read_byte(r) << (8u * i);
  }
#endif
  else reader_fail(r, "an initializer is not a constant of its type");
  if (read_byte(r) != 0x0bu) reader_fail(r, "an initializer is longer than one constant");
  return v;
}

static void globals_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  vm->global_count = read_count(r, 4);
  if (vm->global_count > INTERP_MAX_GLOBALS) reader_fail(r, "the module has more globals than the engine allows");
  vm->globals = take(l, vm->global_count, sizeof(interp_value));
  vm->global_types = take(l, vm->global_count, 1);
  for (uint32_t i = 0; i < vm->global_count && !r->error; i++) {
    uint8_t type = read_byte(r);
    uint8_t mutability = read_byte(r);
    if (!is_value_type(type)) reader_fail(r, TEXT_BAD_TYPE);
    if (mutability > 1u) reader_fail(r, "a global's mutability is neither 0 nor 1");
    vm->global_types[i] = (uint8_t)(type | (mutability ? 0x80u : 0u));
    vm->globals[i] = constant(r, type);
  }
}

static void exports_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  uint32_t count = read_count(r, 4);
  const uint8_t* first = r->at;
  for (uint32_t i = 0; i < count && !r->error; i++) {
    const uint8_t* entry = r->at;
    uint32_t length = name_length(r);
    const uint8_t* name = r->at;
    int is_main = same_name(r, length, "anyk_main");
    /* Names are unique (the spec); a kernel's few exports make the quadratic check cheap. */
    reader earlier = {first, entry, 0};
    while (earlier.at < entry && !earlier.error && !r->error) {
      uint32_t n = name_length(&earlier);
      uint32_t k = 0;
      while (n == length && k < n && earlier.at[k] == name[k]) k++;
      if (n == length && k == n) reader_fail(r, "two exports have the same name");
      earlier.at += n;
      read_byte(&earlier);
      read_u32(&earlier);
    }
    r->at += length;
    uint8_t kind = read_byte(r);
    uint32_t index = read_u32(r);
    uint32_t bound = kind == 0u ? vm->func_count : kind == 1u ? (vm->table ? 1u : 0u) : kind == 2u ? (vm->memory_pages != UINT32_MAX ? 1u : 0u) : kind == 3u ? vm->global_count : 0u;
    if (index >= bound) reader_fail(r, "an export names something that does not exist");
    else if (is_main) {
      if (kind != 0u || index < vm->import_count) reader_fail(r, "anyk_main is not a function of the module");
      else if (!takes_nothing(vm, index)) reader_fail(r, "anyk_main takes parameters or returns a value");
      vm->main_func = index;
    }
  }
}

static void start_section(loader* l) {
  interp* vm = l->vm;
  vm->start_func = read_u32(&l->r);
  if (vm->start_func >= vm->func_count) reader_fail(&l->r, "the start function does not exist");
  else if (vm->start_func < vm->import_count) reader_fail(&l->r, "the start function is a hypercall");
  else if (!takes_nothing(vm, vm->start_func)) reader_fail(&l->r, "the start function takes parameters or returns a value");
}

static void elements_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  uint32_t count = read_count(r, 4);
  for (uint32_t i = 0; i < count && !r->error; i++) {
    if (read_u32(r) != 0u) reader_fail(r, "an element segment other than active function indices for table 0");
    uint32_t offset = constant(r, T_I32).i32;
    uint32_t n = read_count(r, 1);
    if (!vm->table || offset > vm->table_size || n > vm->table_size - offset) reader_fail(r, "an element segment does not fit the table");
    for (uint32_t k = 0; k < n && !r->error; k++) {
      uint32_t f = read_u32(r);
      if (f >= vm->func_count) reader_fail(r, "an element names a function that does not exist");
      else vm->table[offset + k] = f;
    }
  }
}

static void code_section(loader* l, uint32_t expected) {
  interp* vm = l->vm;
  reader* r = &l->r;
  uint32_t count = read_count(r, 2);
  if (count != expected) reader_fail(r, "the code section's count differs from the function section's");
  for (uint32_t i = 0; i < count && !r->error; i++) {
    uint32_t size = read_count(r, 1);
    reader body = {r->at, r->at + size, 0};
    /* The checker's stacks live in the free arena: the runtime stacks go there later. */
    uint8_t* scratch = (uint8_t*)(((uintptr_t)l->arena + 7u) & ~(uintptr_t)7u);
    validate_body(vm, &body, i, scratch, scratch < l->arena_end ? (uint32_t)(l->arena_end - scratch) : 0u);
    if (body.error) {
      r->at = body.at > body.end ? body.end : body.at;
      reader_fail(r, body.error);
    }
    r->at += size;
  }
}

static uint32_t data_section(loader* l) {
  interp* vm = l->vm;
  reader* r = &l->r;
  uint32_t count = read_count(r, 3);
  for (uint32_t i = 0; i < count && !r->error; i++) {
    uint32_t flags = read_u32(r);
    if (flags == 2u && read_u32(r) != 0u) reader_fail(r, "a data segment for a memory other than 0");
    if (flags != 0u && flags != 2u) reader_fail(r, "a passive data segment (memory.init), which the engine does not run");
    uint32_t offset = constant(r, T_I32).i32;
    uint32_t n = read_count(r, 1);
    if (r->error) break;
    if (vm->memory_pages == UINT32_MAX || offset > vm->memory_bytes || n > vm->memory_bytes - offset) {
      reader_fail(r, "a data segment does not fit the image's linear memory");
      break;
    }
    for (uint32_t k = 0; k < n; k++) vm->memory[offset + k] = r->at[k];
    r->at += n;
  }
  return count;
}

/* Sections' order: ids 1..9, then data count (12), code (10), data (11). */
static int section_rank(uint8_t id) {
  return id == 12u ? 10 : id == 10u ? 11 : id == 11u ? 12 : id;
}

/* The stacks from what the tables left: values, then blocks and frames. */
static void lay_out_stacks(loader* l) {
  interp* vm = l->vm;
  vm->jumps = take(l, INTERP_JUMP_CACHE, sizeof(interp_jump));
  if (l->r.error) return;
  for (uint32_t i = 0; i < INTERP_JUMP_CACHE; i++) vm->jumps[i].from = UINT32_MAX;
  uint32_t rest = (uint32_t)(l->arena_end - l->arena) & ~7u;
  uint32_t values = rest / 2u / sizeof(interp_value);
  uint32_t labels = rest / 4u / sizeof(interp_label);
  uint32_t frames = rest / 4u / sizeof(interp_frame);
  if (values < 16u || labels < 4u || frames < 2u) {
    reader_fail(&l->r, "the engine's arena leaves too little for the stacks");
    return;
  }
  vm->stack = take(l, values, sizeof(interp_value));
  vm->stack_end = vm->stack + values;
  vm->labels = take(l, labels, sizeof(interp_label));
  vm->labels_end = vm->labels + labels;
  vm->frames = take(l, frames, sizeof(interp_frame));
  vm->frames_end = vm->frames + frames;
}

const char* interp_load(interp* vm, const uint8_t* module, uint32_t length, uint8_t* arena, uint32_t arena_bytes, uint8_t* memory, uint32_t memory_bytes) {
  *vm = (interp){0};
  vm->module = module;
  vm->memory = memory;
  vm->memory_bytes = memory_bytes;
  vm->memory_pages = UINT32_MAX;
  vm->main_func = UINT32_MAX;
  vm->start_func = UINT32_MAX;
  for (uint32_t i = 0; i < memory_bytes; i++) memory[i] = 0;
  loader l = {vm, {module, module + length, 0}, arena, arena + arena_bytes};
  reader* r = &l.r;
  static const uint8_t preamble[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (unsigned i = 0; i < 8u; i++) {
    if (read_byte(r) != preamble[i]) reader_fail(r, "not a WebAssembly module (version 1)");
  }
  int last_rank = 0;
  uint32_t imports_at = 0, defined = 0, data_count = UINT32_MAX, data_segments = 0;
  int code_seen = 0;
  while (r->at < r->end && !r->error) {
    uint8_t id = read_byte(r);
    uint32_t size = read_count(r, 1);
    const uint8_t* section_end = r->at + size;
    if (r->error) break;
    if (id != 0u) {
      if (id > 12u || section_rank(id) <= last_rank) {
        reader_fail(r, "a section is unknown, repeated or out of order");
        break;
      }
      last_rank = section_rank(id);
    }
    /* Sections after the function section need the function table, even a module without one. */
    if (id != 0u && section_rank(id) > 3 && !vm->funcs) set_functions(&l, imports_at, 0, r);
    reader outer = *r;
    r->end = section_end;
    switch (id) {
      case 0: r->at += name_length(r); r->at = r->error ? r->at : section_end; break;
      case 1: types_section(&l); break;
      case 2: imports_section(&l, &imports_at); break;
      case 3: defined = read_count(r, 1); set_functions(&l, imports_at, defined, r); break;
      case 4: table_section(&l); break;
      case 5: memory_section(&l); break;
      case 6: globals_section(&l); break;
      case 7: exports_section(&l); break;
      case 8: start_section(&l); break;
      case 9: elements_section(&l); break;
      case 10: code_section(&l, defined); code_seen = 1; break;
      case 11: data_segments = data_section(&l); break;
      case 12: data_count = read_u32(r); break;
    }
    if (!r->error && r->at != section_end) reader_fail(r, "a section's contents are shorter than its size");
    const char* error = r->error;
    const uint8_t* at = r->at;
    *r = outer;
    r->at = error ? at : section_end;
    r->error = error;
  }
  if (!vm->funcs) set_functions(&l, imports_at, 0, r);
  if (defined > 0u && !code_seen) reader_fail(r, "the module declares functions but has no code section");
  if (data_count != UINT32_MAX && data_count != data_segments) reader_fail(r, "the data count differs from the data segments");
  if (!r->error && vm->main_func == UINT32_MAX) reader_fail(r, "the module exports no function anyk_main");
  lay_out_stacks(&l);
  if (r->error) {
    vm->fault_at = (uint32_t)(r->at - module);
    return r->error;
  }
  return 0;
}
