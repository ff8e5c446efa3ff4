/* SHA-512 (FIPS 180-4), incremental. */
#ifndef ANYK_SHA512_H
#define ANYK_SHA512_H

#include <stdint.h>

typedef struct {
  uint64_t h[8];
  uint64_t length;
  uint8_t block[128];
  uint32_t used;
} sha512_state;

void sha512_init(sha512_state* s);
void sha512_update(sha512_state* s, const uint8_t* data, uint32_t length);
void sha512_final(sha512_state* s, uint8_t digest[64]);

#endif
