/*
 * test_token.c - replay tokens (src/token.c) and the buffer encoding.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "core/dedup.h"
#include "core/index.h"
#include "engine/run.h"

static void make_buffer(buffer *b)
{
    buffer_init(b);
    *buffer_push(b) = (choice){.kind = CHOICE_INT, .value = (uint64_t)INT64_MIN};
    *buffer_push(b) = (choice){.kind = CHOICE_INT, .value = (uint64_t)-1};
    *buffer_push(b) = (choice){.kind = CHOICE_UINT, .value = UINT64_MAX};
    *buffer_push(b) = (choice){.kind = CHOICE_BOOL, .value = 1};
    *buffer_push(b) = (choice){.kind = CHOICE_BOOL, .value = 0};
    *buffer_push(b) = (choice){.kind = CHOICE_DOUBLE, .value = double_to_bits(-NAN)};
    *buffer_push(b) = (choice){.kind = CHOICE_DOUBLE, .value = double_to_bits(0.1)};
    choice *c = buffer_push(b);
    *c = (choice){.kind = CHOICE_BYTES, .len = 5};
    c->value = buffer_push_bytes(b, (const uint8_t *)"a\0\xff\n", 5);
}

static void same_encoding(const buffer *a, const buffer *b)
{
    bytes_vec x = {0}, y = {0};
    buffer_encode(a, &x);
    buffer_encode(b, &y);
    cr_assert_eq(x.n, y.n);
    cr_assert_eq(memcmp(x.p, y.p, x.n), 0);
    bv_free(&x);
    bv_free(&y);
}

Test(token, round_trip)
{
    buffer b, back;
    make_buffer(&b);
    buffer_init(&back);
    char *t = token_make("my_property", &b);
    cr_assert_eq(strncmp(t, "gf1:", 4), 0);
    for (const char *p = t + 4; *p; p++)
        cr_assert(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789-_", *p), "not URL-safe: %c", *p);
    uint32_t h = 0;
    const char *err = NULL;
    cr_assert(token_parse(t, &h, &back, &err), "%s", err);
    cr_assert_eq(h, token_name_hash("my_property"));
    cr_assert_neq(h, token_name_hash("other_property"));
    same_encoding(&b, &back);
    cr_assert_eq(back.ch[5].value, double_to_bits(-NAN), "NaN bits survive");
    free(t);
    buffer_free(&b);
    buffer_free(&back);
}

Test(token, every_single_character_change_is_detected)
{
    buffer b, back;
    make_buffer(&b);
    buffer_init(&back);
    char *t = token_make("p", &b);
    size_t n = strlen(t);
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (size_t i = 4; i < n; i++) {
        char saved = t[i];
        for (const char *c = alphabet; *c; c++) {
            if (*c == saved)
                continue;
            t[i] = *c;
            uint32_t h;
            const char *err = NULL;
            cr_assert(!token_parse(t, &h, &back, &err),
                      "'%c' at %zu accepted: %s", *c, i, t);
            cr_assert(err && *err);
        }
        t[i] = saved;
    }
    free(t);
    buffer_free(&b);
    buffer_free(&back);
}

Test(token, malformed_tokens_are_errors)
{
    const char *bad[] = {"", "gf1:", "gf2:AAAA", "hello", "gf1:!!!!",
                         "gf1:A", "gf1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    buffer out;
    buffer_init(&out);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t h;
        const char *err = NULL;
        cr_assert(!token_parse(bad[i], &h, &out, &err), "accepted '%s'", bad[i]);
        cr_assert(err != NULL);
    }
    uint32_t h;
    const char *err = NULL;
    token_parse("gf2:AAAA", &h, &out, &err);
    cr_assert(strstr(err, "version"), "%s", err);
    /* Not a token at all: no claim that one character was changed. */
    token_parse("gf1:garbage", &h, &out, &err);
    cr_assert(strstr(err, "checksum does not match"), "%s", err);
    token_parse("gf1:gar", &h, &out, &err);
    cr_assert(strstr(err, "too short"), "%s", err);
    buffer_free(&out);
}

Test(token, truncated_tokens_are_errors)
{
    buffer b, back;
    make_buffer(&b);
    buffer_init(&back);
    char *t = token_make("p", &b);
    for (size_t n = strlen(t); n-- > 0;) {
        t[n] = 0;
        uint32_t h;
        const char *err = NULL;
        cr_assert(!token_parse(t, &h, &back, &err), "truncated to %zu accepted", n);
    }
    free(t);
    buffer_free(&b);
    buffer_free(&back);
}

static void fails_on_big(gf_case *tc)
{
    int64_t a = gf_draw_int(tc, -1000000, 1000000);
    double d = gf_draw_double(tc, -INFINITY, INFINITY, 0);
    size_t n;
    const uint8_t *s = gf_draw_bytes(tc, 0, 10, &n);
    GF_ASSERT(tc, !(a > 500 && n > 0 && s[0] > 3 && !(d < 7)));
}

Test(token, replay_reproduces_the_shrunk_case)
{
    gf_property p = {.name = "fails_on_big", .fn = fails_on_big};
    gf_options o = {.seed = 99, .seed_set = true, .quiet = true};
    gf_result r, again;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert_str_eq(r.counterexample, "#1 = 501\n#2 = 7.0\n#3 = \"\\x04\"\n");
    gf_options replay = {.replay = r.replay, .quiet = true};
    cr_assert_eq(gf_run(&p, &replay, &again), GF_FAILED);
    cr_assert_str_eq(again.counterexample, r.counterexample);
    cr_assert_str_eq(again.replay, r.replay);
    gf_result_free(&again);

    gf_property other = {.name = "another", .fn = fails_on_big};
    cr_assert_eq(gf_run(&other, &replay, &again), GF_ERROR);
    cr_assert(strstr(again.message, "another property"), "%s", again.message);
    gf_result_free(&again);
    gf_result_free(&r);
}

Test(token, written_without_allocating_matches)
{
    /* token_write is what a stuck process uses, where malloc may not work:
     * the same token, and 0 when it does not fit. */
    buffer b;
    make_buffer(&b);
    bytes_vec enc = {0};
    buffer_encode(&b, &enc);
    char *made = token_from_encoding("p", enc.p, enc.n);
    char out[256];
    size_t n = token_write(out, sizeof out, "p", enc.p, enc.n);
    cr_assert_eq(n, strlen(made));
    cr_assert_str_eq(out, made);
    cr_assert_eq(token_write(out, 8, "p", enc.p, enc.n), 0u);
    free(made);
    bv_free(&enc);
    buffer_free(&b);
}

/* The bytes of one buffer of every kind, and its token.  If this fails,
 * the encoding changed: tokens and database files from before would be
 * read as something else, or called damaged.  Bump ENCODING_VERSION
 * (encode.h) and db.c's FORMAT_VERSION, then update these. */
Test(token, encoding_is_pinned_to_its_version)
{
    static const uint8_t want[] =
        "\x08\xff\xff\xff\xff\xff\xff\xff\xff\x01\x01\x18\xff\xff\xff\xff"
        "\xff\xff\xff\xff\x30\x20\x42\xff\xf8\x48\x3f\xb9\x99\x99\x99\x99"
        "\x99\x9a\x51\x05\x61\x00\xff\x0a\x00";
    buffer b;
    make_buffer(&b);
    bytes_vec enc = {0};
    buffer_encode(&b, &enc);
    cr_assert_eq(enc.n, sizeof want - 1);
    cr_assert_eq(memcmp(enc.p, want, enc.n), 0,
                 "the encoding changed: bump ENCODING_VERSION");
    char *t = token_make("my_property", &b);
    cr_assert_str_eq(t, "gf1:ocS8ggsI__________8BARj__________zAgQv_4SD-5mZmZmZmaUQVhAP8KAG0PiLU");
    free(t);
    bv_free(&enc);
    buffer_free(&b);
    /* A token printed by the first release of this encoding still reads. */
    buffer old;
    buffer_init(&old);
    uint32_t h;
    const char *err = NULL;
    cr_assert(token_parse("gf1:0eGnxwUBAQB-yK6L", &h, &old, &err), "%s", err);
    cr_assert_eq(old.n, 2);
    buffer_free(&old);
}

/* A token of another version, or of an encoding this one cannot read: one
 * message saying so, not "damaged". */
Test(token, other_versions_are_named_as_such)
{
    buffer out;
    buffer_init(&out);
    uint32_t h;
    const char *err = NULL;
    const char *others[] = {"gf2:ocS8ggsI__________8BARj", "gf0:AAAA",
                            "gf12:AAAAAAAA", " gf3:x\n"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        err = NULL;
        cr_assert(!token_parse(others[i], &h, &out, &err));
        cr_assert(strstr(err, "another version of Gadfly") &&
                      strstr(err, "gf1: tokens"), "'%s': %s", others[i], err);
    }
    /* gf1 with a true checksum around bytes this encoding does not have
     * (tag 15): a token of an encoding other than this one's. */
    static const uint8_t stale[] = {0xF0, 0x01, 0x02};
    char *t = token_from_encoding("p", stale, sizeof stale);
    cr_assert(!token_parse(t, &h, &out, &err));
    cr_assert(strstr(err, "another version of Gadfly"), "%s", err);
    cr_assert(!strstr(err, "malformed"), "%s", err);
    free(t);
    /* Not a version tag: "gfx:" is not a token at all. */
    cr_assert(!token_parse("gfx:AAAA", &h, &out, &err));
    cr_assert(strstr(err, "does not start with gf1:"), "%s", err);
    buffer_free(&out);
}
