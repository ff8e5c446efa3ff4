/* The strict LEB128 reader of decode.h, compiled once. */
#include "decode.h"

uint64_t read_leb(reader* r, unsigned bits, int is_signed) {
  uint64_t value = 0;
  unsigned shift = 0;
  const unsigned max_bytes = (bits + 6u) / 7u;
  for (unsigned i = 0; i < max_bytes; i++) {
    uint8_t b = read_byte(r);
    value |= (uint64_t)(b & 0x7fu) << shift;
    shift += 7u;
    if (!(b & 0x80u)) {
      if (i == max_bytes - 1u) {
        /* The last byte's unused bits must be zero (unsigned) or copies of the sign (signed). */
        unsigned used = bits - 7u * i;
        uint8_t rest = (uint8_t)(b & 0x7fu) >> (used - (is_signed ? 1u : 0u));
        uint8_t want = is_signed && (b & (1u << (used - 1u))) ? (uint8_t)(0x7fu >> (used - 1u)) : 0u;
        if (used < 7u && rest != want) reader_fail(r, "an integer is too large for its type");
      }
      if (is_signed && shift < 64u && (b & 0x40u)) value |= ~(uint64_t)0 << shift;
      return bits == 32u && !is_signed ? (uint32_t)value : value;
    }
  }
  reader_fail(r, "an integer is longer than its type allows");
  return 0;
}
