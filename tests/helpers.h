/*
 * helpers.h - shared helpers for the generator and printer tests: running
 * a property with a pinned seed, and a strict UTF-8 decoder to hold
 * generated text against.
 *
 * Properties here count what they see in static counters: gf_run runs the
 * property in this process, so the counts are the test's to check.
 */
#ifndef GF_TESTS_HELPERS_H
#define GF_TESTS_HELPERS_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>

/* Run fn as a property with a fixed seed and `trials` distinct cases,
 * printing nothing.  The caller frees *r with gf_result_free. */
static inline gf_status run_property(const char *name, gf_property_fn fn,
                                     uint64_t seed, uint64_t trials,
                                     gf_result *r)
{
    gf_property prop = {.name = name, .fn = fn, .file = __FILE__,
                        .line = __LINE__};
    gf_options opt = {.seed = seed, .seed_set = true, .trials = trials,
                      .quiet = true};
    memset(r, 0, sizeof *r);
    return gf_run(&prop, &opt, r);
}

/* Run fn and require that every case held; say why if not. */
#define RUN_PASSING(fn, seed, trials)                                        \
    do {                                                                     \
        gf_result r_;                                                        \
        gf_status st_ = run_property(#fn, (fn), (seed), (trials), &r_);      \
        cr_assert_eq(st_, GF_PASSED, "%s: status %d\nmessage: %s\n%s", #fn,  \
                     (int)st_, r_.message ? r_.message : "(none)",           \
                     r_.counterexample ? r_.counterexample : "");            \
        gf_result_free(&r_);                                                 \
    } while (0)

/* The shrunk counterexample of fn (which must fail within 1000 cases of
 * seed), as printed; the caller frees it. */
static inline char *shrunk(gf_property_fn fn, uint64_t seed)
{
    gf_result r;
    gf_status st = run_property("shrink", fn, seed, 1000, &r);
    cr_assert_eq(st, GF_FAILED, "property did not fail: %s",
                 r.message ? r.message : "");
    char *text = strdup(r.counterexample ? r.counterexample : "");
    gf_result_free(&r);
    return text;
}

/* fn shrinks, from seed, to a counterexample that contains expected. */
static inline void expect_shrunk(gf_property_fn fn, uint64_t seed,
                                 const char *expected)
{
    char *text = shrunk(fn, seed);
    cr_expect(strstr(text, expected) != NULL, "expected %s in:\n%s",
              expected, text);
    free(text);
}

/*
 * Decode s[0..len) as strict UTF-8 (RFC 3629: shortest forms only, no
 * surrogates, nothing past U+10FFFF).  Stores up to cap code points in cps
 * (which may be NULL) and returns how many there are, or -1 if the bytes
 * are not well-formed UTF-8.
 */
static inline long utf8_decode_strict(const char *s, size_t len,
                                      uint32_t *cps, size_t cap)
{
    const unsigned char *b = (const unsigned char *)s;
    long count = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n;
        if (b[i] < 0x80) {
            cp = b[i];
            n = 1;
        } else if ((b[i] & 0xE0) == 0xC0) {
            cp = b[i] & 0x1Fu;
            n = 2;
        } else if ((b[i] & 0xF0) == 0xE0) {
            cp = b[i] & 0x0Fu;
            n = 3;
        } else if ((b[i] & 0xF8) == 0xF0) {
            cp = b[i] & 0x07u;
            n = 4;
        } else {
            return -1;
        }
        if (i + n > len)
            return -1;
        for (size_t k = 1; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (b[i + k] & 0x3Fu);
        }
        static const uint32_t shortest[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < shortest[n] || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        if (cps && (size_t)count < cap)
            cps[count] = cp;
        count++;
        i += n;
    }
    return count;
}

#endif /* GF_TESTS_HELPERS_H */
