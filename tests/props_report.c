/*
 * props_report.c - a GF_MAIN program for tests/test_reports.sh: properties
 * that print TAP-like lines of their own to standard output, pass, fail,
 * and give up, for the TAP, JUnit and JSON reports read by real consumers;
 * and tests/test_budget.sh's properties.
 */
#include <gadfly.h>
#include <stdio.h>

/* Prints what a TAP reader would take for a result of its own. */
GF_PROPERTY(prints_tap_lines)
{
    int64_t x = gf_draw_int(tc, 0, 100);
    printf("ok 7 - not a property\n1..9\n");
    fflush(stdout);
    GF_ASSERT(tc, x <= 100);
}

GF_PROPERTY(fails_with_markup)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    printf("not ok 1 - <b>&\n");
    gf_note(tc, "x is <%lld> & \"quoted\"", (long long)x);
    GF_ASSERT_LT_INT(tc, x, 10);
}

GF_PROPERTY(gives_up)
{
    int64_t x = gf_draw_int(tc, 0, 1000000);
    gf_assume(tc, x == 3);
}

GF_PROPERTY(holds)
{
    GF_ASSERT(tc, gf_draw_bool(tc) || true);
}

/* Two that hold over spaces too large to run out of, for --budget
 * (tests/test_budget.sh). */
GF_PROPERTY(wide_a)
{
    int64_t x = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    GF_ASSERT(tc, x == x);
}

GF_PROPERTY(wide_b)
{
    uint64_t x = gf_draw_uint(tc, 0, UINT64_MAX);
    GF_ASSERT(tc, x == x);
}

GF_MAIN()
