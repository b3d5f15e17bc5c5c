/*
 * criterion_math.c - Gadfly properties as Criterion tests.
 *
 * GF_TEST defines a Criterion Test whose body is a property.  The
 * addition here saturates at INT32_MAX, which breaks associativity: the
 * test fails, and the first line of Criterion's message holds the shrunk
 * values, the seed and the line that replays the case.
 *
 * Minimal counterexample (what the shrinker should print):
 *     a = -1, b = 1, c = 2147483647
 * (-1 + 1) + INT32_MAX is INT32_MAX, while 1 + INT32_MAX saturates, so
 * -1 + (1 + INT32_MAX) is INT32_MAX - 1: a saturation needs one operand
 * at the limit, and the simplest others that bring it there and back.
 *
 * Run: examples/criterion_math (settings from GF_* variables)
 */
#include <gadfly/criterion.h>

#include <stdint.h>

static int32_t add(int32_t a, int32_t b)
{
    int64_t s = (int64_t)a + b;
    return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}

GF_TEST(math, add_associates)
{
    int32_t a, b, c;
    GF_DRAW(tc, gf_int32(), a);
    GF_DRAW(tc, gf_int32(), b);
    GF_DRAW(tc, gf_int32(), c);
    GF_ASSERT_EQ_INT(tc, add(add(a, b), c), add(a, add(b, c)));
}
