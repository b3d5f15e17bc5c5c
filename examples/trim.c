/*
 * trim.c - a string trim that breaks on all-blank input.
 *
 * trim() finds the text of a line without its leading and trailing blanks
 * and returns it as a view (start pointer and length) into the line.  It
 * scans from the front and from the back independently, and for a line made
 * only of blanks the two scans cross: the front scan stops at the end of the
 * string, the back scan at its start, and `end - start` wraps around to a
 * huge size_t.  Lines with any visible character, and the empty line, are
 * trimmed correctly, which is why ordinary unit tests tend to miss it.
 *
 * The property checks the view lies inside the line before reading through
 * it, so the bug shows up as a wrong result, never as a stray read.  The
 * lines come from a small custom generator that makes half of all characters
 * blanks, so all-blank lines are common.
 *
 * Minimal counterexample (what the shrinker should print):
 *     s = " "
 * The empty line trims correctly, so the line has one character; a visible
 * character is simpler than a blank (the generator shrinks toward them) but
 * cannot fail, and ' ' is the simplest blank.
 *
 * Run: examples/trim [--seed N] [--help]
 */
#include <gadfly.h>

#define LINE_MAX_CHARS 24

/* The blanks trim() removes.  Written out rather than isspace(), whose
 * answer depends on the locale. */
static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/*
 * The text of s without leading and trailing blanks: returns where it starts
 * and stores its length in *len.  Nothing is copied; the result points into
 * s.  The bug: the back scan stops at the start of the string instead of at
 * `start`, so on an all-blank line end < start and the length wraps.
 */
static const char *trim(const char *s, size_t *len)
{
    size_t n = strlen(s);
    size_t start = 0, end = n;

    while (start < n && is_blank(s[start]))
        start++;
    while (end > 0 && is_blank(s[end - 1]))
        end--;
    *len = end - start;
    return s + start;
}

/* True when every character of s in [from, to) is a blank. */
static bool all_blank(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_blank(s[i]))
            return false;
    return true;
}

/* ---- the generator: short lines, half of their characters blanks ------ */

/* Listed simplest first: the shrinker moves toward the start of each. */
static const char blanks[] = " \t\n\r";
static const char visible[] = "ab.-";

/* One character: a coin decides blank or visible.  The coin shrinks to
 * false, so shrinking turns blanks into visible characters where it can. */
static char draw_line_char(gf_case *tc)
{
    if (gf_draw_bool(tc))
        return blanks[gf_draw_int(tc, 0, (int64_t)sizeof blanks - 2)];
    return visible[gf_draw_int(tc, 0, (int64_t)sizeof visible - 2)];
}

/* The value is the line itself, a char array of LINE_MAX_CHARS + 1, so the
 * property gets a plain `char *` back from gf_draw.  gf_many gives each
 * character its own span, so the shrinker can delete characters one by
 * one. */
static void draw_line(gf_case *tc, void *out, void *env)
{
    char *line = out;
    size_t len = 0;
    gf_many chars;

    (void)env;
    gf_many_init(tc, &chars, 0, LINE_MAX_CHARS);
    while (gf_many_more(tc, &chars))
        line[len++] = draw_line_char(tc);
    line[len] = '\0';
}

static void print_line(gf_printer *p, const void *value, void *env)
{
    (void)env;
    gf_print_string(p, value, strlen(value));
}

static const gf_gen *line_gen(void)
{
    return gf_custom("line", LINE_MAX_CHARS + 1, draw_line, print_line, NULL);
}

/* ---- the property ------------------------------------------------------ */

GF_PROPERTY(trim_strips_only_outer_blanks)
{
    const char *s = gf_draw_named(tc, line_gen(), "s");
    size_t n = strlen(s);
    size_t len;
    const char *t = trim(s, &len);
    size_t start = (size_t)(t - s);

    gf_note(tc, "trim(s) gave offset %zu, length %zu (strlen(s) = %zu)", start,
            len, n);
    /* The result is a substring of s.  Checked first, and without reading
     * through t, so a wrong length can never become a wild read. */
    GF_ASSERT(tc, start <= n && len <= n - start);
    /* What was cut off is blanks, and what is left does not start or end
     * with one. */
    GF_ASSERT(tc, all_blank(s, 0, start));
    GF_ASSERT(tc, all_blank(s, start + len, n));
    if (len > 0) {
        GF_ASSERT(tc, !is_blank(t[0]));
        GF_ASSERT(tc, !is_blank(t[len - 1]));
    }
}

GF_MAIN()
