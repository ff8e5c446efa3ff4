/* Ed25519 verification (RFC 8032): 1 when signature is public_key's over message, else 0. */
#ifndef ANYK_ED25519_H
#define ANYK_ED25519_H

#include <stdint.h>

int ed25519_verify(const uint8_t signature[64], const uint8_t* message, uint32_t length, const uint8_t public_key[32]);
/* The same over a message in two pieces (first, then second), as an image's header and payload. */
int ed25519_verify_parts(const uint8_t signature[64], const uint8_t* first, uint32_t first_length, const uint8_t* second, uint32_t second_length, const uint8_t public_key[32]);

#endif
