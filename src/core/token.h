/*
 * token.h - replay tokens: a property's name hash and a buffer's encoding
 * in one line of text (docs/guide.md, "Replaying a failure").
 */
#ifndef GF_TOKEN_H
#define GF_TOKEN_H

#include "internal.h"

GF_INTERNAL uint32_t token_name_hash(const char *name);
GF_INTERNAL char *token_make(const char *name, const buffer *b);
/* Write a token into out (cap bytes) without allocating; returns its
 * length, or 0 if it does not fit.  Safe where malloc is not. */
GF_INTERNAL size_t token_write(char *out, size_t cap, const char *name,
                               const uint8_t *enc, size_t n);
/* The same from a buffer's encoding (what generation records). */
GF_INTERNAL char *token_from_encoding(const char *name, const uint8_t *enc,
                                      size_t n);
/* Parse a token; on error returns false and sets *err (static text). */
GF_INTERNAL bool token_parse(const char *token, uint32_t *name_hash,
                             buffer *out, const char **err);

#endif /* GF_TOKEN_H */
