/*
 * The on-board engine: a WebAssembly interpreter that validates a module, instantiates it in one
 * arena, and runs it in place (the code is read where it lies: flash on a board). Portable C99 for
 * Cortex-M0 to M4 and for the host (anyk run --engine interp), no heap, no recursion in C.
 *
 * It runs the MVP plus what AssemblyScript emits: mutable globals, sign extension, saturating
 * truncation, memory.copy and memory.fill. Floats (f32, f64) are compiled in when ANYK_INTERP_FLOAT
 * is 1; without them a module using a float instruction is refused when it loads.
 */
#ifndef ANYK_INTERP_H
#define ANYK_INTERP_H

#include <stdint.h>

#ifndef ANYK_INTERP_FLOAT
#define ANYK_INTERP_FLOAT 1
#endif

/* Limits a module must keep to be loaded: refused with the reason above them. */
#define INTERP_MAX_TYPES 256u
#define INTERP_MAX_FUNCS 4096u
#define INTERP_MAX_LOCALS 1024u    /* params and locals of one function */
#define INTERP_MAX_HEIGHT 1024u    /* operand stack of one function */
#define INTERP_MAX_DEPTH 255u      /* nested blocks of one function */
#define INTERP_MAX_GLOBALS 256u
#define INTERP_MAX_TABLE 4096u
#define INTERP_MAX_PARAMS 16u

typedef union {
  uint32_t i32;
  uint64_t i64;
#if ANYK_INTERP_FLOAT
  float f32;
  double f64;
#endif
} interp_value;

typedef struct {
  uint32_t params_at; /* offset in the module of the parameter types */
  uint8_t params;
  uint8_t result;     /* 0 or the value type byte */
} interp_type;

typedef struct {
  uint32_t body;       /* offset of the first instruction (past the local declarations) */
  uint16_t type;
  uint16_t locals;     /* declared locals, beyond the params */
  uint16_t max_height; /* the operand stack the body can reach, validated */
  uint16_t max_depth;  /* nesting of its blocks, validated */
} interp_func;

/* Labels and frames hold offsets, not pointers: the same sizes, so the same capacity, on the host as on a board. */
typedef struct {
  uint32_t target;  /* module offset; a block's body start until its end is found, then past its end */
  uint32_t height;  /* operand stack at entry, as an index into the stack */
  uint8_t arity;
  uint8_t kind;     /* LABEL_* (exec.c) */
} interp_label;

typedef struct {
  uint32_t resume;  /* module offset of the caller's next instruction */
  uint32_t locals;  /* stack index of the first param */
  uint32_t labels;  /* index of the function's own label, the bottom of its blocks */
  uint32_t func;
} interp_frame;

typedef struct {
  uint32_t from, to;
} interp_jump;

/* Traps: what a run can end in besides returning. */
enum {
  INTERP_OK = 0,
  INTERP_TRAP_UNREACHABLE,
  INTERP_TRAP_MEMORY,
  INTERP_TRAP_DIVIDE,
  INTERP_TRAP_OVERFLOW,
  INTERP_TRAP_CONVERSION,
  INTERP_TRAP_INDIRECT,
  INTERP_TRAP_STACK,
};

#define INTERP_JUMP_CACHE 32u

typedef struct interp {
  const uint8_t* module;
  uint8_t* memory;
  uint32_t memory_bytes;
  uint32_t memory_pages;  /* declared: what memory.size answers */
  interp_type* types;
  uint32_t type_count;
  interp_func* funcs;     /* imports first (body: the hypercall's number), then defined functions */
  uint32_t import_count;
  uint32_t func_count;    /* imports included */
  interp_value* globals;
  uint8_t* global_types;  /* value type, 0x80 set when mutable */
  uint32_t global_count;
  uint32_t* table;
  uint32_t table_size;
  uint32_t main_func;
  uint32_t start_func;    /* UINT32_MAX: none */
  interp_value* stack;
  interp_value* stack_end;
  interp_label* labels;
  interp_label* labels_end;
  interp_frame* frames;
  interp_frame* frames_end;
  interp_jump* jumps;
  /* Where the last refusal or trap happened: a module offset, and the function for traps. */
  uint32_t fault_at;
  uint32_t fault_func;
} interp;

/*
 * Validates the module and instantiates it: arena holds the engine's tables and stacks, memory the
 * linear memory (data segments are copied in; the rest is zeroed). Returns 0, or a refusal: a
 * static sentence, with vm->fault_at the module offset it applies to.
 */
const char* interp_load(interp* vm, const uint8_t* module, uint32_t length, uint8_t* arena, uint32_t arena_bytes, uint8_t* memory, uint32_t memory_bytes);

/* Runs the start function, if any, then anyk_main. Returns INTERP_OK or a trap, with fault_func and fault_at. */
int interp_run(interp* vm);

/* The words of a trap, as the AOT engine's panic report has them. */
const char* interp_trap_text(int trap);

/* Provided by the embedder: hypercall `call` (ABI order) with its arguments; the result, if any. */
uint64_t interp_hypercall(interp* vm, uint32_t call, const interp_value* args);

#endif
