/*
 * items.h - helpers the collection generators share (combinators.c
 * defines them; collections.c uses them too).
 */
#ifndef GF_GEN_ITEMS_H
#define GF_GEN_ITEMS_H

#include <stddef.h>

#include <gadfly.h>
#include <gadfly/gen.h>

#define GEN_HIDDEN __attribute__((visibility("hidden")))

/* Generator names are for messages; long ones are cut with "...". */
#define NAME_CAP 256

/* Format a generator's name into buf (NAME_CAP bytes). */
GEN_HIDDEN void gen_name_format(char *buf, const char *fmt, ...)
    GF_PRINTF(2, 3);
/* What gf_draw would return for a value of g stored at slot. */
GEN_HIDDEN const void *gen_value_view(const gf_gen *g, const void *slot);
/* Items grown geometrically in the arena (the old copy stays there until
 * the case ends: at most as much again); *cap is updated. */
GEN_HIDDEN unsigned char *gen_grow_items(gf_case *tc, const gf_gen *self,
                                         unsigned char *items, size_t len,
                                         size_t *cap, size_t stride);
/* An array value of elem, as a C initializer: {a, b, c}. */
GEN_HIDDEN void gen_print_items(gf_printer *p, const gf_gen *elem,
                                const gf_array_value *v);

#endif /* GF_GEN_ITEMS_H */
