/*
 * Ed25519 signature verification (RFC 8032, section 5.1.7), for a bootloader that takes only
 * images signed with its key. Verification only: no secrets here, so no constant-time care.
 *
 * Field elements mod p = 2^255 - 19 are 16 limbs of 16 bits in int64_t (2^256 = 38 mod p folds a
 * product's upper half back); points are extended twisted Edwards coordinates (X:Y:Z:T). The
 * curve's constants (d, sqrt(-1), the base point) are computed at first use, not written out.
 */
#include "ed25519.h"
#include "sha512.h"

typedef int64_t fe[16];

typedef struct {
  fe x, y, z, t;
} point;

static void fe_copy(fe o, const fe a) {
  for (int i = 0; i < 16; i++) o[i] = a[i];
}

static void fe_set(fe o, int64_t small) {
  for (int i = 0; i < 16; i++) o[i] = 0;
  o[0] = small;
}

/* Brings every limb back to 16 bits; what leaves the top limb is 2^256 = 38 (mod p). */
static void fe_carry(fe o) {
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < 16; i++) {
      int64_t c = o[i] >> 16;
      o[i] -= c * 65536;
      if (i < 15) o[i + 1] += c;
      else o[0] += 38 * c;
    }
  }
}

static void fe_add(fe o, const fe a, const fe b) {
  for (int i = 0; i < 16; i++) o[i] = a[i] + b[i];
}

static void fe_sub(fe o, const fe a, const fe b) {
  for (int i = 0; i < 16; i++) o[i] = a[i] - b[i];
}

static void fe_mul(fe o, const fe a, const fe b) {
  int64_t t[31] = {0};
  for (int i = 0; i < 16; i++) {
    for (int j = 0; j < 16; j++) t[i + j] += a[i] * b[j];
  }
  for (int i = 0; i < 15; i++) t[i] += 38 * t[i + 16];
  for (int i = 0; i < 16; i++) o[i] = t[i];
  fe_carry(o);
}

static void fe_square(fe o, const fe a) {
  fe_mul(o, a, a);
}

/* a^(2^255 - 21) = a^(p - 2) = 1/a: p - 2 has every bit from 254 down set but bits 4 and 2. */
static void fe_invert(fe o, const fe a) {
  fe c;
  fe_copy(c, a);
  for (int bit = 253; bit >= 0; bit--) {
    fe_square(c, c);
    if (bit != 4 && bit != 2) fe_mul(c, c, a);
  }
  fe_copy(o, c);
}

/* a^((p - 5) / 8) = a^(2^252 - 3): every bit from 251 down set but bit 1. */
static void fe_pow_p58(fe o, const fe a) {
  fe c;
  fe_copy(c, a);
  for (int bit = 250; bit >= 0; bit--) {
    fe_square(c, c);
    if (bit != 1) fe_mul(c, c, a);
  }
  fe_copy(o, c);
}

/* The unique representative below p, little-endian. */
static void fe_pack(uint8_t out[32], const fe a) {
  fe t, m;
  fe_copy(t, a);
  fe_carry(t);
  fe_carry(t);
  fe_carry(t);
  /* Limbs are now in [0, 2^16) but the value may still be up to 2p: subtract p while it fits. */
  for (int round = 0; round < 2; round++) {
    m[0] = t[0] - 0xffed;
    for (int i = 1; i < 15; i++) {
      m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
      m[i - 1] &= 0xffff;
    }
    m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
    int borrow = (int)((m[15] >> 16) & 1);
    m[14] &= 0xffff;
    if (!borrow) fe_copy(t, m);
  }
  for (int i = 0; i < 16; i++) {
    out[2 * i] = (uint8_t)t[i];
    out[2 * i + 1] = (uint8_t)(t[i] >> 8);
  }
}

/* 255 bits, little-endian; the top bit (a sign, in encodings) is left out. */
static void fe_unpack(fe o, const uint8_t in[32]) {
  for (int i = 0; i < 16; i++) o[i] = in[2 * i] | (int64_t)in[2 * i + 1] << 8;
  o[15] &= 0x7fff;
}

static int fe_equal(const fe a, const fe b) {
  uint8_t x[32], y[32];
  fe_pack(x, a);
  fe_pack(y, b);
  for (int i = 0; i < 32; i++) {
    if (x[i] != y[i]) return 0;
  }
  return 1;
}

static int fe_parity(const fe a) {
  uint8_t x[32];
  fe_pack(x, a);
  return x[0] & 1;
}

/* ---- the curve: -x^2 + y^2 = 1 + d x^2 y^2 ---- */

static fe curve_d, curve_2d, sqrt_minus_one;
static point base;
static int ready;

/* (X + Y)(Y2 + X2) etc.: the unified addition of extended coordinates (Hisil et al. 2008, a = -1). */
static void point_add(point* o, const point* p, const point* q) {
  fe a, b, c, d, e, f, g, h, t;
  fe_sub(a, p->y, p->x);
  fe_sub(t, q->y, q->x);
  fe_mul(a, a, t);
  fe_add(b, p->y, p->x);
  fe_add(t, q->y, q->x);
  fe_mul(b, b, t);
  fe_mul(c, p->t, q->t);
  fe_mul(c, c, curve_2d);
  fe_mul(d, p->z, q->z);
  fe_add(d, d, d);
  fe_sub(e, b, a);
  fe_sub(f, d, c);
  fe_add(g, d, c);
  fe_add(h, b, a);
  fe_mul(o->x, e, f);
  fe_mul(o->y, g, h);
  fe_mul(o->t, e, h);
  fe_mul(o->z, f, g);
}

static void point_identity(point* o) {
  fe_set(o->x, 0);
  fe_set(o->y, 1);
  fe_set(o->z, 1);
  fe_set(o->t, 0);
}

/* [scalar]q, scalar 32 bytes little-endian: double and add from the top bit. */
static void point_multiply(point* o, const point* q, const uint8_t scalar[32]) {
  point r;
  point_identity(&r);
  for (int bit = 255; bit >= 0; bit--) {
    point_add(&r, &r, &r);
    if ((scalar[bit / 8] >> (bit % 8)) & 1) point_add(&r, &r, q);
  }
  *o = r;
}

static void point_encode(uint8_t out[32], const point* p) {
  fe zi, x, y;
  fe_invert(zi, p->z);
  fe_mul(x, p->x, zi);
  fe_mul(y, p->y, zi);
  fe_pack(out, y);
  out[31] ^= (uint8_t)(fe_parity(x) << 7);
}

/* The point whose encoding is in (RFC 8032 5.1.3); 0 when there is none. */
static int point_decode(point* o, const uint8_t in[32]) {
  fe u, v, v3, x, check, one;
  fe_set(one, 1);
  fe_unpack(o->y, in);
  fe_set(o->z, 1);
  fe_square(u, o->y);
  fe_mul(v, u, curve_d);
  fe_sub(u, u, one); /* u = y^2 - 1 */
  fe_add(v, v, one); /* v = d y^2 + 1 */
  fe_square(v3, v);
  fe_mul(v3, v3, v); /* v^3 */
  fe_square(x, v3);
  fe_mul(x, x, v);
  fe_mul(x, x, u); /* u v^7 */
  fe_pow_p58(x, x);
  fe_mul(x, x, v3);
  fe_mul(x, x, u); /* x = u v^3 (u v^7)^((p-5)/8) */
  fe_square(check, x);
  fe_mul(check, check, v);
  if (!fe_equal(check, u)) {
    fe neg;
    fe_set(neg, 0);
    fe_sub(neg, neg, u);
    if (!fe_equal(check, neg)) return 0;
    fe_mul(x, x, sqrt_minus_one);
  }
  int sign = in[31] >> 7;
  fe zero;
  fe_set(zero, 0);
  if (fe_equal(x, zero) && sign) return 0;
  if (fe_parity(x) != sign) fe_sub(x, zero, x);
  fe_copy(o->x, x);
  fe_mul(o->t, o->x, o->y);
  return 1;
}

static void curve_init(void) {
  fe n, m;
  /* d = -121665 / 121666 */
  fe_set(n, 0);
  fe_set(m, 121665);
  fe_sub(n, n, m);
  fe_set(m, 121666);
  fe_invert(m, m);
  fe_mul(curve_d, n, m);
  fe_add(curve_2d, curve_d, curve_d);
  /* sqrt(-1) = 2^((p - 1) / 4); (p - 1) / 4 = 2^253 - 5: bits 252 down to 0 set but bit 2, via (p-5)/8 = 2^252 - 3 as 2 * that + 1. */
  fe two, s;
  fe_set(two, 2);
  fe_pow_p58(s, two);     /* 2^(2^252 - 3) */
  fe_square(s, s);        /* 2^(2^253 - 6) */
  fe_mul(sqrt_minus_one, s, two); /* 2^(2^253 - 5) */
  /* The base point: y = 4/5, x even (RFC 8032 5.1). */
  uint8_t encoded[32];
  fe y;
  fe_set(n, 4);
  fe_set(m, 5);
  fe_invert(m, m);
  fe_mul(y, n, m);
  fe_pack(encoded, y);
  point_decode(&base, encoded);
  ready = 1;
}

/* ---- scalars mod L = 2^252 + 27742317777372353535851937790883648493 ---- */

static const uint8_t L[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
};

/* a >= b, both 32 bytes little-endian. */
static int at_least(const uint8_t* a, const uint8_t* b) {
  for (int i = 31; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return 1;
}

/* x (64 bytes, little-endian) mod L, bit by bit: shift in, subtract L when it fits. */
static void reduce_mod_l(uint8_t out[32], const uint8_t x[64]) {
  uint8_t r[33] = {0};
  for (int bit = 511; bit >= 0; bit--) {
    unsigned carry = (x[bit / 8] >> (bit % 8)) & 1u;
    for (int i = 0; i < 33; i++) {
      unsigned next = r[i] >> 7;
      r[i] = (uint8_t)(r[i] << 1 | carry);
      carry = next;
    }
    if (r[32] || at_least(r, L)) {
      int borrow = 0;
      for (int i = 0; i < 32; i++) {
        int d = r[i] - L[i] - borrow;
        borrow = d < 0;
        r[i] = (uint8_t)d;
      }
      r[32] = (uint8_t)(r[32] - borrow);
    }
  }
  for (int i = 0; i < 32; i++) out[i] = r[i];
}

int ed25519_verify(const uint8_t signature[64], const uint8_t* message, uint32_t length, const uint8_t public_key[32]) {
  return ed25519_verify_parts(signature, message, length, 0, 0u, public_key);
}

int ed25519_verify_parts(const uint8_t signature[64], const uint8_t* first, uint32_t first_length, const uint8_t* second, uint32_t second_length, const uint8_t public_key[32]) {
  if (!ready) curve_init();
  const uint8_t* s = signature + 32;
  if (at_least(s, L)) return 0; /* S must be below L (RFC 8032 5.1.7 step 1) */
  point a;
  if (!point_decode(&a, public_key)) return 0;
  uint8_t digest[64], h[32];
  sha512_state hash;
  sha512_init(&hash);
  sha512_update(&hash, signature, 32);
  sha512_update(&hash, public_key, 32);
  sha512_update(&hash, first, first_length);
  sha512_update(&hash, second, second_length);
  sha512_final(&hash, digest);
  reduce_mod_l(h, digest);
  /* [S]B - [h]A must be R. */
  point sb, ha, check;
  point_multiply(&sb, &base, s);
  fe zero;
  fe_set(zero, 0);
  fe_sub(a.x, zero, a.x);
  fe_sub(a.t, zero, a.t);
  point_multiply(&ha, &a, h);
  point_add(&check, &sb, &ha);
  uint8_t encoded[32];
  point_encode(encoded, &check);
  for (int i = 0; i < 32; i++) {
    if (encoded[i] != signature[i]) return 0;
  }
  return 1;
}
