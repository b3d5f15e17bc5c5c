/*
 * typed.c - typed properties: plain C functions checked through libffi.
 *
 * A checked function takes its inputs as ordinary arguments and says
 * whether the property held; Gadfly draws one argument per generator and
 * calls it.  add_commutes holds.  sum_small claims that the sum of two
 * small-looking numbers stays below 1000, which int32_t arguments break.
 *
 * Minimal counterexample (what the shrinker should print):
 *     arg1 = 0
 *     arg2 = 1000
 * the smallest pair whose sum reaches 1000, the first argument at its
 * simplest.
 *
 * Run: examples/typed (settings from GF_* variables: GF_SEED=1, GF_REPLAY)
 */
#include <gadfly.h>

#include <stdint.h>

static int64_t add(int32_t a, int32_t b)
{
    return (int64_t)a + b;
}

static bool add_commutes(int32_t a, int32_t b)
{
    return add(a, b) == add(b, a);
}

static bool sum_small(int32_t a, int32_t b)
{
    return add(a, b) < 1000;
}

int main(void)
{
    int held = gf_check_fn(add_commutes, gf_int32(), gf_int32());
    int small = gf_check_fn(sum_small, gf_int32(), gf_int32());
    return held ? held : small;
}
