/*
 * The functions wasm2c output calls: memory and tables from static storage (no malloc), and
 * traps that end in a panic report. ANYK_LINEAR_MEMORY_BYTES and ANYK_TABLE_ELEMENTS come from
 * the build, which sizes them to the image.
 */
#include "anyk_board.h"
#include "wasm-rt.h"
#include "host.h"
#include "report.h"

/* Not static: kernel.c addresses it directly (scripts/lib/memory-access.ts). */
uint8_t linear_memory[ANYK_LINEAR_MEMORY_BYTES] __attribute__((aligned(8)));
static wasm_rt_funcref_t funcref_pool[ANYK_TABLE_ELEMENTS + 1];
static uint32_t funcref_used;
static int initialized;

#if ANYK_HEAP_CAP > 0 && ANYK_HEAP_BUMPS
/* How far the kernel heap got. AssemblyScript's stub runtime (0.28) is a bump allocator that never
   frees: each block is a 4-byte header holding its payload size, then the payload, the first one
   placed so its payload is 16-byte aligned past the static data. The blocks chain up to the first
   header still zero. Counted from the heap base, as the cap is. */
uint32_t stub_heap_high_water(void) {
  const uint32_t first = ((ANYK_HEAP_BASE + 4u + 15u) & ~15u) - 4u;
  uint32_t block = first;
  while (block + 4u <= sizeof linear_memory) {
    uint32_t payload;
    __builtin_memcpy(&payload, linear_memory + block, 4);
    if (payload == 0u) break;
    block += 4u + payload;
  }
  return block - ANYK_HEAP_BASE;
}
#endif

void wasm_rt_init(void) {
  initialized = 1;
}

bool wasm_rt_is_initialized(void) {
  return initialized;
}

void wasm_rt_trap(wasm_rt_trap_t trap) {
  /* Kernels from AssemblyScript use no exceptions, threads or GC references: those traps stay "unknown". */
  static const char* const words[] = {
      [WASM_RT_TRAP_OOB] = "out-of-bounds memory access",
      [WASM_RT_TRAP_INT_OVERFLOW] = "integer overflow",
      [WASM_RT_TRAP_DIV_BY_ZERO] = "integer divide by zero",
      [WASM_RT_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
      [WASM_RT_TRAP_UNREACHABLE] = "unreachable",
      [WASM_RT_TRAP_CALL_INDIRECT] = "invalid indirect call",
      [WASM_RT_TRAP_EXHAUSTION] = "call stack exhausted",
  };
  uint32_t pc = STUB_CALLER_PC();
  stub_puts("\npanic: trap: ");
  stub_panic_tail(trap < sizeof words / sizeof words[0] && words[trap] ? words[trap] : "unknown", pc);
}

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint64_t initial_pages, uint64_t max_pages, bool is64, uint32_t page_size) {
  (void)page_size;
  memory->data = linear_memory;
  memory->pages = initial_pages;
  memory->max_pages = max_pages;
  memory->size = sizeof linear_memory;
  memory->is64 = is64;
}

/* Linear memory is fixed at build time: memory.grow always fails, as the wasm spec allows. */
uint64_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint64_t pages) {
  (void)memory;
  (void)pages;
  return (uint64_t)-1;
}

void wasm_rt_free_memory(wasm_rt_memory_t* memory) {
  (void)memory;
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, uint32_t elements, uint32_t max_elements) {
  if (elements > ANYK_TABLE_ELEMENTS - funcref_used) stub_panic("runtime: the image's tables need more elements than ANYK_TABLE_ELEMENTS", 0u);
  table->data = &funcref_pool[funcref_used];
  funcref_used += elements;
  table->size = elements;
  table->max_size = elements < max_elements ? elements : max_elements;
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table) {
  (void)table;
}

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* table, uint32_t delta, wasm_rt_funcref_t init) {
  (void)table;
  (void)delta;
  (void)init;
  return (uint32_t)-1;
}

void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* table, uint32_t elements, uint32_t max_elements) {
  (void)max_elements;
  if (elements != 0u) stub_panic("runtime: externref tables are not supported", 0u);
  table->data = 0;
  table->size = 0;
  table->max_size = 0;
}

void wasm_rt_free_externref_table(wasm_rt_externref_table_t* table) {
  (void)table;
}

uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* table, uint32_t delta, wasm_rt_externref_t init) {
  (void)table;
  (void)delta;
  (void)init;
  return (uint32_t)-1;
}

/*
 * Byte-wise memcpy and memset: a few dozen bytes instead of newlib's ~400 bytes of unrolled
 * versions. The kernel copies little (data segments at start, console text), so size wins.
 * The attribute stops GCC from turning the loops back into calls to themselves.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void* memcpy(void* restrict dest, const void* restrict src, size_t n) {
  uint8_t* d = dest;
  const uint8_t* s = src;
  while (n--) *d++ = *s++;
  return dest;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void* memset(void* dest, int value, size_t n) {
  uint8_t* d = dest;
  while (n--) *d++ = (uint8_t)value;
  return dest;
}
