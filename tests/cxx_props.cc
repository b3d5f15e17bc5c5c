// cxx_props.cc - Gadfly's headers from C++ (tests/test_cxx.sh): every
// public header included, and the macros that build lists or pick a draw
// by type (gf_check_fn, GF_CHECK_FN, GF_DRAW, gf_one_of, gf_fault_errno,
// gf_fault_pick) used as a C++ program would.
#include <gadfly.h>
#include <gadfly/fault.h>
#include <gadfly/fuzz.h>
#include <gadfly/gen.h>
#include <gadfly/payload.h>
#include <gadfly/sched.h>
#include <gadfly/state.h>
#include <gadfly/text.h>
#include <gadfly/time.h>
#include <gadfly/tz.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

static bool add_commutes(int32_t a, int32_t b)
{
    int64_t ab = (int64_t)a + b, ba = (int64_t)b + a;
    return ab == ba;
}

static bool below_1000(int32_t a)
{
    return a < 1000;
}

GF_CHECK_FN(cxx_add_commutes, add_commutes, gf_int32(), gf_int32())

// Fails: shrinks to a = 1000.
GF_CHECK_FN(cxx_below_1000, below_1000, gf_int32())

GF_PROPERTY(cxx_typed_draws)
{
    int32_t i;
    uint16_t u;
    double d;
    const char *s;
    bool b;
    GF_DRAW(tc, gf_int32(), i);
    GF_DRAW(tc, gf_uint16(), u);
    GF_DRAW(tc, gf_double(), d);
    GF_DRAW(tc, gf_ascii(0, 8), s);
    GF_DRAW(tc, gf_bool(), b);
    std::string copy(s);
    GF_ASSERT(tc, copy.size() <= 8);
    GF_ASSERT_LE_UINT(tc, u, 65535);
    (void)i;
    (void)d;
    (void)b;
}

GF_PROPERTY(cxx_combinators)
{
    const gf_gen *g = gf_one_of(gf_int(0, 9), gf_int(100, 109));
    int64_t x = *(int64_t *)gf_draw_named(tc, g, "x");
    GF_ASSERT(tc, (x >= 0 && x <= 9) || (x >= 100 && x <= 109));
    size_t n;
    const int32_t *xs = (const int32_t *)gf_draw_array(tc, gf_int32(), 0, 10, &n);
    std::vector<int32_t> v(xs, xs + n);
    GF_ASSERT_EQ_UINT(tc, v.size(), n);
}

struct cxx_point {
    int32_t x;
    const char *tag;
};

// gf_struct_of builds its field list as an initializer_list in C++.
GF_PROPERTY(cxx_collections)
{
    const gf_gen *points = gf_struct_of(
        cxx_point, GF_FIELD(cxx_point, x, gf_int32_in(-5, 5)),
        GF_FIELD(cxx_point, tag, gf_string_from(GF_CHARS_LOWER, 0, 3)));
    const cxx_point *p = (const cxx_point *)gf_draw_named(tc, points, "p");
    GF_ASSERT(tc, p->x >= -5 && p->x <= 5 && std::strlen(p->tag) <= 3);
    const gf_array_value *u = (const gf_array_value *)gf_draw(
        tc, gf_unique_array(gf_sized(gf_uint8_in(0, 9), 0, 0.5), 0, 10));
    GF_ASSERT_LE_UINT(tc, u->len, 10);
}

GF_PROPERTY(cxx_faults)
{
    int e = gf_fault_errno(tc, "cxx/write", EINTR, EIO);
    GF_ASSERT(tc, e == 0 || e == EINTR || e == EIO);
    int k = gf_fault_pick(tc, "cxx/answer", "timeout", "declined");
    GF_ASSERT(tc, k >= -1 && k <= 1);
}

static void cxx_check_now_helper(bool b)
{
    (void)b;
}

// gf_check_fn from a plain function (compiled; the run is GF_CHECK_FN's).
int cxx_check_now(void);
int cxx_check_now(void)
{
    return gf_check_fn(add_commutes, gf_int32(), gf_int32()) |
           gf_check_fn_void(cxx_check_now_helper, gf_bool());
}

GF_MAIN()
