/*
 * Reading a module: strict readers for validation (every byte checked against the end, LEB128 of
 * at most the bytes its width allows) and fast ones for running code that has been validated.
 */
#ifndef ANYK_INTERP_DECODE_H
#define ANYK_INTERP_DECODE_H

#include <stdint.h>

/* A strict reader: the first error sticks, and later reads give zeros without reading. */
typedef struct {
  const uint8_t* at;
  const uint8_t* end;
  const char* error;
} reader;

static inline void reader_fail(reader* r, const char* why) {
  if (!r->error) r->error = why;
  r->at = r->end;
}

static inline uint8_t read_byte(reader* r) {
  if (r->at >= r->end) {
    reader_fail(r, "unexpected end of the module");
    return 0;
  }
  return *r->at++;
}

/* An unsigned or signed LEB128 of `bits` bits (32, 33 or 64): the value, sign-extended when signed.
   One copy for the whole engine (decode.c): inlined, it was two copies of 288 B. */
uint64_t read_leb(reader* r, unsigned bits, int is_signed);

static inline uint32_t read_u32(reader* r) {
  return (uint32_t)read_leb(r, 32u, 0);
}

/* A count of things each taking at least min_bytes: refused when the rest of the module cannot hold them. */
static inline uint32_t read_count(reader* r, uint32_t min_bytes) {
  uint32_t n = read_u32(r);
  if ((uint64_t)n * min_bytes > (uint64_t)(r->end - r->at)) reader_fail(r, "a count is larger than its section");
  return r->error ? 0u : n;
}

/*
 * Runtime: LEB128 of validated code. Each takes the position by value and the caller assigns the
 * new one, so the interpreter's pc never has its address taken and stays in a register (passed as
 * a pointer, it lived on the stack: 17% of the instructions). Most immediates are one byte: the
 * macros in exec.c handle that case inline and call these only for longer ones.
 */
static inline const uint8_t* leb_skip(const uint8_t* p) {
  while (*p++ & 0x80u) {
  }
  return p;
}

static inline uint32_t leb_u32(const uint8_t* p) {
  uint32_t value = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *p++;
    value |= (uint32_t)(b & 0x7fu) << shift;
    shift += 7u;
  } while (b & 0x80u);
  return value;
}

/* A signed 32-bit LEB128 (i32.const): 32-bit arithmetic only. Its own loop, not leb_u32's value
   sign-extended afterwards: that walks the bytes twice, and i32.const is the hottest immediate
   (measured: the bench's workloads ran 112x C's instructions that way, against 94x). */
static inline uint32_t leb_s32(const uint8_t* p) {
  uint32_t value = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *p++;
    value |= (uint32_t)(b & 0x7fu) << shift;
    shift += 7u;
  } while (b & 0x80u);
  if (shift < 32u && (b & 0x40u)) value |= ~0u << shift;
  return value;
}

static inline uint64_t leb_s64(const uint8_t* p) {
  uint64_t value = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *p++;
    value |= (uint64_t)(b & 0x7fu) << shift;
    shift += 7u;
  } while (b & 0x80u);
  if (shift < 64u && (b & 0x40u)) value |= ~(uint64_t)0 << shift;
  return value;
}

#endif
