/*
 * dedup.h - the canonical byte encoding of a buffer, and the exact set of
 * buffers a run has seen, with what each one did.
 */
#ifndef GF_DEDUP_H
#define GF_DEDUP_H

#include "encode.h"



/* Append the value sequence of b (kinds and values; no constraints). */
GF_INTERNAL void buffer_encode(const buffer *b, bytes_vec *out);
/* The same, noting in bounds[i] (if not NULL) the offset in out just after
 * choice i. */
GF_INTERNAL void buffer_encode_bounded(const buffer *b, bytes_vec *out,
                                       size_t *bounds);
/* Parse an encoding into out; false if malformed or over max_choices. */
GF_INTERNAL bool buffer_decode(const uint8_t *p, size_t n, size_t max_choices,
                               buffer *out);

/* Outcome values kept in the set. */
#define SEEN_PASSED 0u
#define SEEN_INVALID 1u
#define SEEN_FAILED_BASE 2u /* + the failure's origin number */
#define SEEN_MAX_VALUE 0xFFFFFFu

typedef struct seen_slot {
    uint64_t hash;
    uint64_t ref; /* (offset into store << 24) | value; 0 when empty */
} seen_slot;

typedef struct seen_set {
    seen_slot *slots;
    size_t mask;       /* capacity - 1 */
    size_t count;
    bytes_vec store;   /* entries: varint length, then the encoding */
    size_t limit;      /* bytes of store before it stops growing */
    bool full;
} seen_set;

/* limit: bytes of keys kept; expected: entries to size the table for. */
GF_INTERNAL void seen_init(seen_set *s, size_t limit, size_t expected);
GF_INTERNAL void seen_free(seen_set *s);
/*
 * If key is in the set, return true and its value in *found.  Otherwise
 * add it with `value` (unless the set is full) and return false.
 */
GF_INTERNAL bool seen_check(seen_set *s, const uint8_t *key, size_t len,
                            uint32_t value, uint32_t *found);
/* The same, with the key's hash (seen_hash) computed already. */
GF_INTERNAL bool seen_check_hashed(seen_set *s, uint64_t hash,
                                   const uint8_t *key, size_t len,
                                   uint32_t value, uint32_t *found);
GF_INTERNAL uint64_t seen_hash(const uint8_t *key, size_t len);
/* Start loading the slot a hash lands in, to check it a few cases later. */
GF_INTERNAL void seen_prefetch(const seen_set *s, uint64_t hash);
/* With a caller's hash (any hash, used consistently for the set): look a
 * key up without adding it; set a key's value, adding it if absent. */
GF_INTERNAL bool seen_lookup_hashed(const seen_set *s, uint64_t hash,
                                    const uint8_t *key, size_t len,
                                    uint32_t *found);
GF_INTERNAL void seen_set_value_hashed(seen_set *s, uint64_t hash,
                                       const uint8_t *key, size_t len,
                                       uint32_t value);
/* Set the value of a key, adding it if absent. */
GF_INTERNAL void seen_set_value(seen_set *s, const uint8_t *key, size_t len,
                                uint32_t value);

#endif /* GF_DEDUP_H */
