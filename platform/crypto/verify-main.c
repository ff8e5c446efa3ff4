/*
 * The host build of the signature check, for tests: `verify PUBKEY_HEX SIGNATURE_HEX FILE` prints
 * "valid" or "invalid"; `sha512 FILE` prints the digest in hex. The bootloader's code, unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ed25519.h"
#include "sha512.h"

static int from_hex(uint8_t* out, const char* hex, size_t bytes) {
  if (strlen(hex) != 2 * bytes) return 0;
  for (size_t i = 0; i < bytes; i++) {
    unsigned v;
    if (sscanf(hex + 2 * i, "%2x", &v) != 1) return 0;
    out[i] = (uint8_t)v;
  }
  return 1;
}

static uint8_t* read_all(const char* path, uint32_t* length) {
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  uint8_t* data = 0;
  size_t size = 0, cap = 0, n;
  uint8_t chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (size + n > cap) data = realloc(data, cap = (size + n) * 2);
    memcpy(data + size, chunk, n);
    size += n;
  }
  fclose(f);
  *length = (uint32_t)size;
  return data ? data : malloc(1);
}

int main(int argc, char** argv) {
  uint32_t length;
  if (argc == 3 && strcmp(argv[1], "sha512") == 0) {
    uint8_t* data = read_all(argv[2], &length);
    if (!data) return 2;
    sha512_state s;
    uint8_t digest[64];
    sha512_init(&s);
    sha512_update(&s, data, length);
    sha512_final(&s, digest);
    for (int i = 0; i < 64; i++) printf("%02x", digest[i]);
    printf("\n");
    return 0;
  }
  if (argc == 5 && strcmp(argv[1], "verify") == 0) {
    uint8_t key[32], signature[64];
    uint8_t* data = read_all(argv[4], &length);
    if (!data || !from_hex(key, argv[2], 32) || !from_hex(signature, argv[3], 64)) return 2;
    printf("%s\n", ed25519_verify(signature, data, length, key) ? "valid" : "invalid");
    return 0;
  }
  fprintf(stderr, "usage: verify PUBKEY_HEX SIGNATURE_HEX FILE | sha512 FILE\n");
  return 2;
}
