/*
 * shapes.h - Gadfly's own shrinking challenges (shapes.c): shapes that the
 * public challenges do not cover, each standing for a class of input that
 * real properties draw.  challenges.c lists them in its table.
 */
#ifndef GF_TESTS_SHRINK_SHAPES_H
#define GF_TESTS_SHRINK_SHAPES_H

#include <stdbool.h>

#include <gadfly.h>

/* The three functions of one challenge, as the table needs them. */
#define SHAPE_DECLARE(name)                                                  \
    void name##_property(gf_case *tc);                                       \
    bool name##_is_ideal(void);                                              \
    char *name##_describe(void)

SHAPE_DECLARE(ignored_bytes);
SHAPE_DECLARE(equal_strings);
SHAPE_DECLARE(equal_doubles);
SHAPE_DECLARE(json_nul_key);
SHAPE_DECLARE(push_pop);
SHAPE_DECLARE(count_after_list);
SHAPE_DECLARE(coupling);
SHAPE_DECLARE(remove_first);
SHAPE_DECLARE(remainder_sum);
SHAPE_DECLARE(inventory_oversell);
SHAPE_DECLARE(transfer_overdraft);
SHAPE_DECLARE(counter_pct);
SHAPE_DECLARE(ring_readers);
SHAPE_DECLARE(flags_and_count);

#endif /* GF_TESTS_SHRINK_SHAPES_H */
