/*
 * The engine on the host, for anyk run --engine interp and the validator's fuzzing. Two commands:
 *
 *   anyk-interp run MODULE MEMORY_BYTES ARENA_BYTES
 *     Runs the module; every hypercall goes to the parent (Node's userspace platform, which owns
 *     the device models) as a frame on stdout, and its answer comes back on stdin.
 *   anyk-interp check MODULE...
 *     Validates each module as a board would; prints one JSON line per module: ok, or the refusal.
 *   anyk-interp fuzz SEED COUNT ACCEPTED MODULE...
 *     Loads COUNT mutated copies of the modules; appends the accepted ones to the file ACCEPTED
 *     (u32 length, bytes) for a referee to check, and prints counts as JSON.
 *
 * Frames, little-endian. Child to parent: 'C' call (u8 call, u8 argc, u32 function and module
 * offset of the call instruction, u64 args, u32 ranges, then
 * per range u32 address, u32 length, bytes: the memory the call reads); 'T' the run ended (u32 trap,
 * 0 when anyk_main returned; function, offset; u32 length and the trap's words, interp_trap_text's,
 * so that only the engine words them); 'R' refused (u32 offset, u32 length, text); 'X' the engine died (u32 signal).
 * Parent to child: 'V' (u64 result, u32 ranges of memory to write back, as above); 'D' a request
 * for the whole linear memory, answered with 'M' (u32 length, bytes).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anyk_interp_abi.h"
#include "interp.h"

static uint8_t* memory;
static uint32_t memory_bytes;

static void put(const void* data, size_t length) {
  const uint8_t* p = data;
  while (length > 0) {
    ssize_t n = write(1, p, length);
    if (n <= 0) _exit(3);
    p += n;
    length -= (size_t)n;
  }
}

static void get(void* data, size_t length) {
  uint8_t* p = data;
  while (length > 0) {
    ssize_t n = read(0, p, length);
    if (n <= 0) _exit(3); /* the parent has gone: nothing to report to */
    p += n;
    length -= (size_t)n;
  }
}

static void put_u32(uint32_t value) {
  put(&value, 4);
}

static uint32_t get_u32(void) {
  uint32_t value;
  get(&value, 4);
  return value;
}

/* A range of linear memory, clipped to it (the parent's checks see the call's own pointers). */
static void put_range(uint32_t address, uint32_t length) {
  if (address > memory_bytes) address = memory_bytes;
  if (length > memory_bytes - address) length = memory_bytes - address;
  put_u32(address);
  put_u32(length);
  put(memory + address, length);
}

/* An AssemblyScript string: its length field (4 bytes before it) and its units. */
static void put_string_range(uint32_t ptr) {
  uint32_t length = 0;
  if (ptr >= 4u && ptr <= memory_bytes) memcpy(&length, memory + ptr - 4u, 4);
  put_range(ptr >= 4u ? ptr - 4u : 0u, length + 4u);
}

static void serve_memory_requests(uint8_t type) {
  while (type == 'D') {
    uint8_t frame = 'M';
    put(&frame, 1);
    put_u32(memory_bytes);
    put(memory, memory_bytes);
    get(&type, 1);
  }
  if (type != 'V') _exit(3);
}

uint64_t interp_hypercall(interp* vm, uint32_t call, const interp_value* args) {
  const char* signature = anyk_interp_signatures[call];
  uint8_t argc = (uint8_t)(strchr(signature, ':') - signature);
  uint8_t head[3] = {'C', (uint8_t)call, argc};
  put(head, 3);
  put_u32(vm->fault_func);
  put_u32(vm->fault_at);
  for (uint8_t i = 0; i < argc; i++) put(&args[i].i64, 8);
  const char* name = anyk_interp_names[call];
  if (strcmp(name, "console_write") == 0) {
    put_u32(1);
    put_range(args[0].i32, args[1].i32);
  } else if (strcmp(name, "abort") == 0) {
    put_u32(2);
    put_string_range(args[0].i32);
    put_string_range(args[1].i32);
  } else {
    put_u32(0);
  }
  uint8_t type;
  get(&type, 1);
  serve_memory_requests(type);
  uint64_t result;
  get(&result, 8);
  for (uint32_t ranges = get_u32(); ranges > 0; ranges--) {
    uint32_t address = get_u32(), length = get_u32();
    if (address > memory_bytes || length > memory_bytes - address) _exit(3);
    get(memory + address, length);
  }
  return result;
}

static void died(int signal_number) {
  uint8_t frame = 'X';
  put(&frame, 1);
  put_u32((uint32_t)signal_number);
  _exit(4);
}

static uint8_t* read_file(const char* path, uint32_t* length) {
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* data = malloc(size > 0 ? (size_t)size : 1u);
  if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
    free(data);
    data = 0;
  }
  fclose(f);
  *length = (uint32_t)size;
  return data;
}

static int run(const char* path, uint32_t bytes, uint32_t arena_bytes) {
  signal(SIGSEGV, died);
  signal(SIGBUS, died);
  signal(SIGFPE, died);
  signal(SIGABRT, died);
  uint32_t length;
  uint8_t* module = read_file(path, &length);
  memory_bytes = bytes;
  memory = calloc(bytes ? bytes : 1u, 1);
  uint8_t* arena = malloc(arena_bytes ? arena_bytes : 1u);
  static interp vm;
  const char* refusal = module ? interp_load(&vm, module, length, arena, arena_bytes, memory, bytes) : "the module cannot be read";
  if (refusal) {
    uint8_t frame = 'R';
    put(&frame, 1);
    put_u32(vm.fault_at);
    put_u32((uint32_t)strlen(refusal));
    put(refusal, strlen(refusal));
    return 0;
  }
  int trap = interp_run(&vm);
  /* Returning from anyk_main is the kernel's fault, reported by the parent; a trap is the engine's. */
  uint8_t frame = 'T';
  put(&frame, 1);
  put_u32((uint32_t)trap);
  put_u32(vm.fault_func);
  put_u32(vm.fault_at);
  const char* words = interp_trap_text(trap);
  put_u32((uint32_t)strlen(words));
  put(words, strlen(words));
  uint8_t type;
  if (read(0, &type, 1) == 1) serve_memory_requests(type);
  return 0;
}

/* xorshift32: mutations reproducible from the seed. */
static uint32_t rng_state;
static uint32_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* One to four edits: a flipped bit, a random byte, a byte removed or inserted, a cut, a LEB made large. */
static uint32_t mutate(uint8_t* out, const uint8_t* in, uint32_t length, uint32_t capacity) {
  memcpy(out, in, length);
  for (uint32_t edits = 1 + rng() % 4; edits > 0 && length > 8; edits--) {
    uint32_t at = 8 + rng() % (length - 8);
    switch (rng() % 6) {
      case 0: out[at] ^= (uint8_t)(1u << (rng() % 8)); break;
      case 1: out[at] = (uint8_t)rng(); break;
      case 2: memmove(out + at, out + at + 1, length - at - 1); length--; break;
      case 3:
        if (length < capacity) {
          memmove(out + at + 1, out + at, length - at);
          out[at] = (uint8_t)rng();
          length++;
        }
        break;
      case 4: length = at; break;
      case 5: out[at] = (uint8_t)(0x80u | rng()); break;
    }
  }
  return length;
}

static int fuzz(uint32_t seed, uint32_t count, const char* accepted_path, char** paths, int files) {
  rng_state = seed ? seed : 1u;
  FILE* accepted = fopen(accepted_path, "wb");
  if (!accepted) return 2;
  uint8_t* inputs[64];
  uint32_t lengths[64];
  if (files > 64) files = 64;
  uint32_t largest = 0;
  for (int i = 0; i < files; i++) {
    inputs[i] = read_file(paths[i], &lengths[i]);
    if (!inputs[i]) return 2;
    if (lengths[i] > largest) largest = lengths[i];
  }
  uint32_t capacity = largest + 16u;
  static uint8_t arena[64 * 1024];
  static uint8_t linear[256 * 1024];
  uint8_t* copy = malloc(capacity);
  uint32_t loaded = 0, refused = 0;
  for (uint32_t n = 0; n < count; n++) {
    int which = (int)(rng() % (uint32_t)files);
    uint32_t length = mutate(copy, inputs[which], lengths[which], capacity);
    /* A copy of exactly the mutant's bytes: reads past them are the sanitizer's to catch. */
    uint8_t* exact = malloc(length ? length : 1u);
    memcpy(exact, copy, length);
    static interp vm;
    const char* refusal = interp_load(&vm, exact, length, arena, sizeof arena, linear, sizeof linear);
    if (refusal) refused++;
    else {
      loaded++;
      fwrite(&length, 4, 1, accepted);
      fwrite(exact, 1, length, accepted);
    }
    free(exact);
  }
  fclose(accepted);
  printf("{\"mutants\": %u, \"refused\": %u, \"loaded\": %u}\n", count, refused, loaded);
  return 0;
}

static int check(char** paths, int files) {
  static uint8_t arena[64 * 1024];
  static uint8_t linear[256 * 1024];
  int refused = 0;
  for (int i = 0; i < files; i++) {
    uint32_t length;
    uint8_t* module = read_file(paths[i], &length);
    static interp vm;
    const char* refusal = module ? interp_load(&vm, module, length, arena, sizeof arena, linear, sizeof linear) : "the module cannot be read";
    if (refusal) {
      refused++;
      printf("{\"file\": \"%s\", \"ok\": false, \"reason\": \"%s\", \"offset\": %u}\n", paths[i], refusal, vm.fault_at);
    } else {
      printf("{\"file\": \"%s\", \"ok\": true, \"functions\": %u}\n", paths[i], vm.func_count);
    }
    free(module);
  }
  return refused ? 1 : 0;
}

int main(int argc, char** argv) {
  if (argc >= 3 && strcmp(argv[1], "check") == 0) return check(argv + 2, argc - 2);
  if (argc == 5 && strcmp(argv[1], "run") == 0) return run(argv[2], (uint32_t)strtoul(argv[3], 0, 0), (uint32_t)strtoul(argv[4], 0, 0));
  if (argc >= 6 && strcmp(argv[1], "fuzz") == 0) return fuzz((uint32_t)strtoul(argv[2], 0, 0), (uint32_t)strtoul(argv[3], 0, 0), argv[4], argv + 5, argc - 5);
  fprintf(stderr, "usage: anyk-interp run MODULE MEMORY_BYTES ARENA_BYTES | check MODULE... | fuzz SEED COUNT ACCEPTED MODULE...\n");
  return 2;
}
