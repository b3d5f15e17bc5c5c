/*
 * dedup.c - exact duplicate detection.
 *
 * Every buffer a run executes is kept in full (its canonical encoding) in an
 * open-addressing table keyed by XXH3; a hash match is confirmed by
 * comparing bytes, so two different cases are never taken for one.  The
 * store has a size limit; past it the run says so instead of silently
 * guessing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "dedup.h"

void bv_grow(bytes_vec *v, size_t extra)
{
    size_t cap = v->cap ? v->cap : 256;
    while (cap < v->n + extra)
        cap *= 2;
    v->p = xrealloc(v->p, cap);
    v->cap = cap;
}

void bv_free(bytes_vec *v)
{
    free(v->p);
    memset(v, 0, sizeof *v);
}

static inline size_t put_varint(uint8_t *p, uint64_t x)
{
    size_t n = 0;
    while (x >= 0x80) {
        p[n++] = (uint8_t)(x | 0x80);
        x >>= 7;
    }
    p[n++] = (uint8_t)x;
    return n;
}

static bool get_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return false;
        uint8_t b = *(*p)++;
        x |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = x;
            return true;
        }
    }
    return false;
}

void buffer_encode(const buffer *b, bytes_vec *out)
{
    buffer_encode_bounded(b, out, NULL);
}

void buffer_encode_bounded(const buffer *b, bytes_vec *out, size_t *bounds)
{
    /* At most 9 bytes per choice, plus the bytes of BYTES choices (at most
     * the whole pool), plus 8 of slack for the last 8-byte store. */
    bv_reserve(out, b->n * 9 + b->nbytes + 9);
    uint8_t *p = out->p + out->n;
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++) {
        const choice *c = &b->ch[i];
        if (c->kind != CHOICE_BYTES) {
            k += encode_value(p + k, (choice_kind)c->kind, c->value);
        } else {
            k += put_tagged(p + k, TAG_BYTES, c->len);
            if (c->len)
                memcpy(p + k, buffer_bytes(b, c), c->len);
            k += c->len;
        }
        if (bounds)
            bounds[i] = out->n + k;
    }
    out->n += k;
}

/* Read a tag's value; false if truncated or not in its one encoding. */
static bool get_tagged(const uint8_t **p, const uint8_t *end, unsigned n,
                       uint64_t *out)
{
    if (n > 8 || (size_t)(end - *p) < n)
        return false;
    uint64_t x = 0;
    for (unsigned i = 0; i < n; i++)
        x |= (uint64_t)(*p)[i] << (8 * i);
    if (n && (*p)[n - 1] == 0)
        return false;
    *p += n;
    *out = x;
    return true;
}

bool buffer_decode(const uint8_t *p, size_t n, size_t max_choices, buffer *out)
{
    const uint8_t *end = p + n;
    buffer_clear(out);
    while (p < end) {
        if (out->n >= max_choices)
            return false;
        unsigned tag = *p >> 4, len = *p & 15;
        p++;
        uint64_t x = 0;
        choice c = {0};
        if (tag == TAG_FALSE || tag == TAG_TRUE) {
            if (len)
                return false;
        } else if (!get_tagged(&p, end, len, &x)) {
            return false;
        }
        switch (tag) {
        case TAG_INT:
            c.kind = CHOICE_INT;
            c.value = (x >> 1) ^ (uint64_t)-(int64_t)(x & 1);
            c.spec = (choice_spec){.lo = (uint64_t)INT64_MIN,
                                   .hi = (uint64_t)INT64_MAX};
            break;
        case TAG_UINT:
            c.kind = CHOICE_UINT;
            c.value = x;
            c.spec = (choice_spec){.lo = 0, .hi = UINT64_MAX};
            break;
        case TAG_FALSE:
        case TAG_TRUE:
            c.kind = CHOICE_BOOL;
            c.value = tag == TAG_TRUE;
            c.spec.p = 0.5;
            break;
        case TAG_DOUBLE:
            c.kind = CHOICE_DOUBLE;
            c.value = __builtin_bswap64(x);
            c.spec = (choice_spec){.lo = 0xFFF0000000000000ull,
                                   .hi = 0x7FF0000000000000ull};
            break;
        case TAG_BYTES:
            if (x > (uint64_t)(end - p) || x > (1u << 24))
                return false;
            c.kind = CHOICE_BYTES;
            c.len = (uint32_t)x;
            c.value = buffer_push_bytes(out, p, (size_t)x);
            c.spec = (choice_spec){.lo = 0, .hi = 1u << 24};
            p += x;
            break;
        default:
            return false;
        }
        *buffer_push(out) = c;
    }
    return true;
}

/* ---- the set ------------------------------------------------------------ */

#define HUGE_PAGE ((size_t)2 << 20)

/* Zeroed slots.  Large tables come from mmap with transparent huge pages
 * requested: lookups are random, and TLB misses would dominate them. */
static seen_slot *slots_alloc(size_t count)
{
    size_t bytes = count * sizeof(seen_slot);
    if (bytes < HUGE_PAGE) {
        seen_slot *p = calloc(count, sizeof *p);
        if (!p)
            gf_oom();
        return p;
    }
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        gf_oom();
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;
}

static void slots_free(seen_slot *p, size_t count)
{
    size_t bytes = count * sizeof(seen_slot);
    if (!p)
        return;
    if (bytes < HUGE_PAGE)
        free(p);
    else
        munmap(p, bytes);
}

void seen_init(seen_set *s, size_t limit, size_t expected)
{
    memset(s, 0, sizeof *s);
    /* Sized so that `expected` entries stay under the half load at which
     * the table grows: a rehash of millions of random slots is the most
     * expensive thing a long run would otherwise do.  At half load, a key
     * that is not there (nearly every generated case) is found absent
     * after 2.5 slots on average with linear probing, against 8.5 at 3/4. */
    size_t cap = 1024;
    while (cap / 2 < expected && cap < ((size_t)1 << 24) &&
           2 * cap * sizeof(seen_slot) <= limit / 2)
        cap *= 2;
    s->mask = cap - 1;
    s->slots = slots_alloc(cap);
    s->limit = limit;
    bv_reserve(&s->store, 1);
    s->store.p[s->store.n++] = 0; /* offset 0 means "empty slot" */
}

void seen_free(seen_set *s)
{
    slots_free(s->slots, s->mask + 1);
    bv_free(&s->store);
    memset(s, 0, sizeof *s);
}

static void grow(seen_set *s)
{
    size_t cap = (s->mask + 1) * 2;
    seen_slot *slots = slots_alloc(cap);
    for (size_t i = 0; i <= s->mask; i++) {
        seen_slot *old = &s->slots[i];
        if (!old->ref)
            continue;
        size_t j = old->hash & (cap - 1);
        while (slots[j].ref)
            j = (j + 1) & (cap - 1);
        slots[j] = *old;
    }
    slots_free(s->slots, s->mask + 1);
    s->slots = slots;
    s->mask = cap - 1;
}

static bool same_key(const seen_set *s, uint64_t ref, const uint8_t *key,
                     size_t len)
{
    const uint8_t *p = s->store.p + (ref >> 24);
    uint64_t stored = 0;
    get_varint(&p, s->store.p + s->store.n, &stored);
    return stored == len && memcmp(p, key, len) == 0;
}

static seen_slot *find(seen_set *s, uint64_t h, const uint8_t *key, size_t len)
{
    size_t i = h & s->mask;
    for (;;) {
        seen_slot *slot = &s->slots[i];
        if (!slot->ref || (slot->hash == h && same_key(s, slot->ref, key, len)))
            return slot;
        i = (i + 1) & s->mask;
    }
}

static bool insert(seen_set *s, seen_slot *slot, uint64_t h,
                   const uint8_t *key, size_t len, uint32_t value)
{
    /* The limit holds the table and the keys together, as they will be
     * after this insertion (a full table doubles, a full store too). */
    size_t slot_bytes = (s->mask + 1) * sizeof(seen_slot);
    if ((s->count + 1) * 2 > (s->mask + 1))
        slot_bytes *= 2;
    size_t store_bytes = s->store.cap;
    if (s->store.n + len + 10 > store_bytes)
        store_bytes = 2 * (s->store.n + len + 10);
    if (slot_bytes + store_bytes > s->limit) {
        s->full = true;
        return false;
    }
    bv_reserve(&s->store, len + 10);
    uint64_t off = s->store.n;
    s->store.n += put_varint(s->store.p + s->store.n, len);
    memcpy(s->store.p + s->store.n, key, len);
    s->store.n += len;
    slot->hash = h;
    slot->ref = (off << 24) | value;
    if (++s->count * 2 > (s->mask + 1))
        grow(s);
    return true;
}

uint64_t seen_hash(const uint8_t *key, size_t len)
{
    return XXH3_64bits(key, len);
}

void seen_prefetch(const seen_set *s, uint64_t h)
{
    __builtin_prefetch(&s->slots[h & s->mask], 1, 1);
}

bool seen_check(seen_set *s, const uint8_t *key, size_t len, uint32_t value,
                uint32_t *found)
{
    return seen_check_hashed(s, XXH3_64bits(key, len), key, len, value, found);
}

bool seen_check_hashed(seen_set *s, uint64_t h, const uint8_t *key, size_t len,
                       uint32_t value, uint32_t *found)
{
    seen_slot *slot = find(s, h, key, len);
    if (slot->ref) {
        *found = (uint32_t)(slot->ref & SEEN_MAX_VALUE);
        return true;
    }
    if (!s->full)
        insert(s, slot, h, key, len, value);
    return false;
}

bool seen_lookup_hashed(const seen_set *s, uint64_t hash, const uint8_t *key,
                        size_t len, uint32_t *found)
{
    seen_slot *slot = find((seen_set *)s, hash, key, len);
    if (!slot->ref)
        return false;
    *found = (uint32_t)(slot->ref & SEEN_MAX_VALUE);
    return true;
}

void seen_set_value(seen_set *s, const uint8_t *key, size_t len,
                    uint32_t value)
{
    seen_set_value_hashed(s, XXH3_64bits(key, len), key, len, value);
}

void seen_set_value_hashed(seen_set *s, uint64_t h, const uint8_t *key,
                           size_t len, uint32_t value)
{
    seen_slot *slot = find(s, h, key, len);
    if (slot->ref)
        slot->ref = (slot->ref & ~(uint64_t)SEEN_MAX_VALUE) | value;
    else
        insert(s, slot, h, key, len, value);
}
