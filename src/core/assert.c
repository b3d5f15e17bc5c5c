/*
 * assert.c - how a property ends early: failed assertions, assumptions,
 * misuse, and the notes and labels that go with a case.
 *
 * Messages are formatted only on the way out of a failing case, never on a
 * passing one: gf_note formats only while the final report is collected.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "hooks.h"
#include "internal.h"

uint64_t gf_span_label(const char *name)
{
    return XXH3_64bits(name, strlen(name));
}

static GF_NORETURN void fail_with(gf_case *tc, const char *file, int line,
                                  char *message)
{
    case_set_failure(tc, xasprintf("%s:%d", file, line), message);
    case_escape(tc);
}

void gf_fail_at(gf_case *tc, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    fail_with(tc, file, line, msg);
}

/* "assertion failed: EXPR" then "src = value" for each side whose source
 * is not already its value (a literal like 1000 needs no line). */
static char *cmp_message(const char *expr, const char *a_src, const char *a,
                         const char *b_src, const char *b)
{
    bool show_a = strcmp(a_src, a) != 0, show_b = strcmp(b_src, b) != 0;
    return xasprintf("assertion failed: %s%s%s%s%s%s%s%s%s", expr,
                     show_a ? "\n    " : "", show_a ? a_src : "",
                     show_a ? " = " : "", show_a ? a : "",
                     show_b ? "\n    " : "", show_b ? b_src : "",
                     show_b ? " = " : "", show_b ? b : "");
}

void gf_fail_cmp_int_(gf_case *tc, const char *file, int line,
                      const char *expr, const char *a_src, intmax_t a,
                      const char *b_src, intmax_t b)
{
    char ta[32], tb[32];
    snprintf(ta, sizeof ta, "%jd", a);
    snprintf(tb, sizeof tb, "%jd", b);
    fail_with(tc, file, line, cmp_message(expr, a_src, ta, b_src, tb));
}

void gf_fail_cmp_uint_(gf_case *tc, const char *file, int line,
                       const char *expr, const char *a_src, uintmax_t a,
                       const char *b_src, uintmax_t b)
{
    char ta[32], tb[32];
    snprintf(ta, sizeof ta, "%ju", a);
    snprintf(tb, sizeof tb, "%ju", b);
    fail_with(tc, file, line, cmp_message(expr, a_src, ta, b_src, tb));
}

static char *double_text(double d)
{
    gf_printer p;
    printer_init(&p);
    gf_print_double(&p, d);
    return printer_take(&p);
}

void gf_fail_cmp_double_(gf_case *tc, const char *file, int line,
                         const char *expr, const char *a_src, double a,
                         const char *b_src, double b)
{
    char *ta = double_text(a), *tb = double_text(b);
    char *msg = cmp_message(expr, a_src, ta, b_src, tb);
    free(ta);
    free(tb);
    fail_with(tc, file, line, msg);
}

static char *string_text(const void *s, size_t len)
{
    gf_printer p;
    printer_init(&p);
    if (s)
        gf_print_string(&p, s, len);
    else
        gf_print(&p, "NULL");
    return printer_take(&p);
}

void gf_fail_cmp_str_(gf_case *tc, const char *file, int line,
                      const char *expr, const char *a_src, const char *a,
                      const char *b_src, const char *b)
{
    char *ta = string_text(a, a ? strlen(a) : 0);
    char *tb = string_text(b, b ? strlen(b) : 0);
    char *msg = cmp_message(expr, a_src, ta, b_src, tb);
    free(ta);
    free(tb);
    fail_with(tc, file, line, msg);
}

void gf_fail_cmp_mem_(gf_case *tc, const char *file, int line,
                      const char *expr, const void *a, const void *b,
                      size_t len)
{
    size_t first = 0;
    while (first < len && ((const uint8_t *)a)[first] == ((const uint8_t *)b)[first])
        first++;
    char *ta = string_text(a, len), *tb = string_text(b, len);
    char *msg = xasprintf("assertion failed: %s\n    first difference at "
                          "byte %zu\n    left  = %s\n    right = %s",
                          expr, first, ta, tb);
    free(ta);
    free(tb);
    fail_with(tc, file, line, msg);
}

int gf_strcmp_(const char *a, const char *b)
{
    if (!a || !b)
        return a == b ? 0 : (a ? 1 : -1);
    return strcmp(a, b);
}

void gf_assume(gf_case *tc, bool cond)
{
    if (!cond)
        gf_discard(tc);
}

void gf_discard(gf_case *tc)
{
    tc->status = CASE_INVALID;
    case_escape(tc);
}

void gf_gen_misuse(gf_case *tc, const gf_gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = xvasprintf(fmt, ap);
    va_end(ap);
    char *msg = xasprintf("generator %s misused: %s",
                          g && g->name ? g->name : "(null)", what);
    free(what);
    case_set_failure(tc, xstrdup("misuse"), msg);
    case_escape(tc);
}

void gf_note(gf_case *tc, const char *fmt, ...)
{
    if (!tc->collect)
        return;
    if (tc->nnotes == tc->notes_cap) {
        tc->notes_cap = tc->notes_cap ? 2 * tc->notes_cap : 8;
        tc->notes = xrealloc(tc->notes, tc->notes_cap * sizeof *tc->notes);
    }
    va_list ap;
    va_start(ap, fmt);
    tc->notes[tc->nnotes++] = xvasprintf(fmt, ap);
    va_end(ap);
    if (tc->live)
        core_up.live_note(tc, tc->notes[tc->nnotes - 1]);
}

note_mark case_note_mark(const gf_case *tc)
{
    return (note_mark){.nnotes = tc->nnotes,
                       .live_used = tc->live ? core_up.live_notes_used(tc) : 0};
}

void case_note_rewind(gf_case *tc, note_mark mark)
{
    while (tc->nnotes > mark.nnotes)
        free(tc->notes[--tc->nnotes]);
    if (tc->live)
        core_up.live_notes_rewind(tc, mark.live_used);
}

void gf_label(gf_case *tc, const char *label)
{
    if (tc->run)
        core_up.label(tc->run, label);
}

void gf_cover(gf_case *tc, double percent, bool cond, const char *label)
{
    if (tc->run)
        core_up.cover(tc->run, label, percent, cond);
}

void gf_gen_discard(gf_case *tc, const gf_gen *g, const char *fmt, ...)
{
    if (tc->run) {
        va_list ap;
        va_start(ap, fmt);
        char *why = xvasprintf(fmt, ap);
        va_end(ap);
        core_up.count_gen_discard(tc->run, g, why);
    }
    gf_discard(tc);
}

void gf_target(gf_case *tc, double score, const char *label)
{
    if (tc && tc->run)
        core_up.target_score(tc->run, score, label);
}

void gf_filter_rejected(gf_case *tc, const gf_gen *g, bool gave_up)
{
    if (tc->run)
        core_up.count_filter(tc->run, g, gave_up);
    if (gave_up)
        tc->filter_gave_up = g;
}
