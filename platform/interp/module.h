/* What the engine's files share: value types, and the checks of one function body. */
#ifndef ANYK_INTERP_MODULE_H
#define ANYK_INTERP_MODULE_H

#include "decode.h"
#include "interp.h"

enum { T_I32 = 0x7f, T_I64 = 0x7e, T_F32 = 0x7d, T_F64 = 0x7c, T_ANY = 0 };

static inline int is_value_type(uint8_t t) {
#if ANYK_INTERP_FLOAT
  return t >= T_F64 && t <= T_I32;
#else
  return t == T_I32 || t == T_I64;
#endif
}

/* The refusal of a float where floats are not compiled in, and of a type byte that is none. */
#define TEXT_BAD_TYPE (ANYK_INTERP_FLOAT ? "an unknown value type" : "a float or unknown value type (this engine is built without floats)")

/*
 * Validates the body of defined function `index` (imports excluded); r covers the body, from its
 * local declarations. scratch is free arena for the checker's stacks. Fills vm->funcs[index].
 */
void validate_body(interp* vm, reader* r, uint32_t index, uint8_t* scratch, uint32_t scratch_bytes);

/* Two types are the same signature (call_indirect compares structurally). */
int same_type(const interp* vm, uint32_t a, uint32_t b);

#endif
