/*
 * anykernel's freestanding runtime for wasm2c output: the types and functions the generated C
 * needs, and nothing else. No malloc, no signals, no threads. The linear memory is one static
 * array sized by the build to what the image needs; accesses past its end trap, and traps end in
 * a panic report (see runtime.c).
 */
#ifndef WASM_RT_H_
#define WASM_RT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Explicit bounds checks, no guard pages (there is no MMU), no x86 segment tricks. */
#define WASM_RT_MEMCHECK_GUARD_PAGES 0
#define WASM_RT_MEMCHECK_BOUNDS_CHECK 1
#define WASM_RT_USE_SEGUE 0
#define WASM_RT_SANITY_CHECKS 0
#define WASM_RT_NONCONFORMING_UNCHECKED_STACK_EXHAUSTION 0
#define WABT_BIG_ENDIAN 0
#define WASM_RT_THREAD_LOCAL
#define WASM_RT_NO_RETURN __attribute__((noreturn))
#define WASM_RT_UNREACHABLE __builtin_unreachable()
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define wasm_rt_memcpy __builtin_memcpy

/*
 * Stack exhaustion: a test of the C stack pointer against the stack's guard line at the top of
 * every kernel function. wasm2c's prologue counts call depth instead; the build rewrites it into
 * ANYK_STACK_EXHAUSTED (scripts/lib/memory-access.ts), so no counter is kept. The counting mode
 * stays selected so that wasm2c's output keeps a prologue to rewrite.
 */
#define WASM_RT_STACK_DEPTH_COUNT 1
#ifdef ANYK_IMAGE
/* An image runs on the bootloader's stack: its guard line comes with the hypercall table. */
extern char* anyk_image_stack_guard;
#define ANYK_STACK_GUARD anyk_image_stack_guard
#else
extern char anyk_stack_guard[];
#define ANYK_STACK_GUARD anyk_stack_guard
#endif
/* At -O2 (an app built for speed) sp is read directly: the frame address kept r7 as a frame pointer
   in every kernel function. At -Oz the frame address stays: reading sp there moved the MMIO read
   loop's registers (docs/bench.md). */
#ifdef __OPTIMIZE_SIZE__
#define ANYK_STACK_EXHAUSTED() ((char*)__builtin_frame_address(0) < ANYK_STACK_GUARD)
#else
static inline char* anyk_stack_pointer(void) { char* sp; __asm__ volatile("mov %0, sp" : "=r"(sp)); return sp; }
#define ANYK_STACK_EXHAUSTED() (anyk_stack_pointer() < ANYK_STACK_GUARD)
#endif

typedef enum {
  WASM_RT_TRAP_NONE,
  WASM_RT_TRAP_OOB,
  WASM_RT_TRAP_INT_OVERFLOW,
  WASM_RT_TRAP_DIV_BY_ZERO,
  WASM_RT_TRAP_INVALID_CONVERSION,
  WASM_RT_TRAP_UNREACHABLE,
  WASM_RT_TRAP_CALL_INDIRECT,
  WASM_RT_TRAP_UNCAUGHT_EXCEPTION,
  WASM_RT_TRAP_UNALIGNED,
  WASM_RT_TRAP_EXHAUSTION,
  WASM_RT_TRAP_NULL_REF,
  WASM_RT_TRAP_BAD_CAST,
} wasm_rt_trap_t;

typedef enum { WASM_RT_I32, WASM_RT_I64, WASM_RT_F32, WASM_RT_F64, WASM_RT_V128, WASM_RT_FUNCREF, WASM_RT_EXTERNREF } wasm_rt_type_t;

typedef void (*wasm_rt_function_ptr_t)(void);
struct wasm_rt_tailcallee_t;
typedef void (*wasm_rt_tailcallee_fn_t)(void** instance_ptr, void* tail_call_stack, struct wasm_rt_tailcallee_t* next);
typedef struct wasm_rt_tailcallee_t {
  wasm_rt_tailcallee_fn_t fn;
} wasm_rt_tailcallee_t;
typedef const char* wasm_rt_func_type_t;

typedef struct {
  wasm_rt_func_type_t func_type;
  wasm_rt_function_ptr_t func;
  wasm_rt_tailcallee_t func_tailcallee;
  void* module_instance;
} wasm_rt_funcref_t;
#define wasm_rt_funcref_null_value ((wasm_rt_funcref_t){NULL, NULL, {NULL}, NULL})

typedef void* wasm_rt_externref_t;
#define wasm_rt_externref_null_value ((wasm_rt_externref_t){NULL})

typedef struct {
  uint8_t* data;
  uint64_t pages;
  uint64_t max_pages;
  /* Bytes that may be accessed: the static array's size, not pages * 64 KiB. */
  uint64_t size;
  bool is64;
} wasm_rt_memory_t;

typedef struct {
  wasm_rt_funcref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_funcref_table_t;

typedef struct {
  wasm_rt_externref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_externref_table_t;

WASM_RT_NO_RETURN void wasm_rt_trap(wasm_rt_trap_t trap);
void wasm_rt_init(void);
bool wasm_rt_is_initialized(void);
void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint64_t initial_pages, uint64_t max_pages, bool is64, uint32_t page_size);
uint64_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint64_t pages);
void wasm_rt_free_memory(wasm_rt_memory_t* memory);
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table);
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* table, uint32_t elements, uint32_t max_elements);
void wasm_rt_free_externref_table(wasm_rt_externref_table_t* table);
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* table, uint32_t delta, wasm_rt_funcref_t init);
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* table, uint32_t delta, wasm_rt_externref_t init);

#ifdef __cplusplus
}
#endif

#endif /* WASM_RT_H_ */
