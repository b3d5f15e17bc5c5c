/*
 * html.c - the --html report: one page, self-contained (styles, charts as
 * SVG and a few lines of script inline; nothing fetched from anywhere),
 * with each property's outcome, its counterexample and replay line, and
 * charts of what its cases were: the values of each named draw, labels
 * and coverage requirements, discards and duplicates, time per case, and
 * gf_target's best scores.
 *
 * Every string from a run (names, values, messages) is escaped for HTML,
 * and invalid UTF-8 becomes U+FFFD: the page is well formed whatever the
 * property printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/run.h"
#include "html.h"
#include "observe.h"
#include "store/atomic.h"

#define TEMP_SLOT 3 /* run_note_temp slot (report.c uses the others) */
#define CHART_W 300
#define CHART_H 110
#define MAX_BARS 40

typedef struct html_label {
    char *name;
    uint64_t hits;
    bool cover;
    double min;
} html_label;

typedef struct html_entry {
    char *name;
    gf_result r;          /* strings copied */
    double seconds;
    observer *obs;        /* the summary, or NULL */
    uint64_t label_cases;
    html_label *labels;
    size_t nlabels;
} html_entry;

struct html_report {
    atomic_file file;  /* the page, renamed into place by html_close */
    char *program;
    html_entry *e;
    size_t n;
};

/* ---- escaping ---------------------------------------------------------- */

static size_t utf8_ok(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 0;
    if (len == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
        return 0;
    return len;
}

static void esc(gf_printer *p, const char *s)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)u), i = 0;
    while (i < n) {
        size_t len = utf8_ok(u + i, n - i);
        unsigned char c = u[i];
        if (len == 0)
            gf_print(p, "\xEF\xBF\xBD");
        else if (c == '&')
            gf_print(p, "&amp;");
        else if (c == '<')
            gf_print(p, "&lt;");
        else if (c == '>')
            gf_print(p, "&gt;");
        else if (c == '"')
            gf_print(p, "&quot;");
        else if (c == '\'')
            gf_print(p, "&#39;");
        else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            gf_print(p, "\xEF\xBF\xBD");
        else
            gf_print(p, "%.*s", (int)len, (const char *)u + i);
        i += len ? len : 1;
    }
}

/* ---- opening and adding ---------------------------------------------- */

html_report *html_open(const char *path, const char *program, FILE *err)
{
    atomic_file file;
    if (atomic_open(&file, AT_FDCWD, path, NULL) != 0) {
        fprintf(err, "gadfly: --html: cannot write %s: %s\n", path,
                strerror(errno));
        return NULL;
    }
    html_report *h = xmalloc(sizeof *h);
    memset(h, 0, sizeof *h);
    h->file = file;
    h->program = xstrdup(program ? program : "gadfly");
    run_note_temp(TEMP_SLOT, h->file.tmp);
    return h;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* The stats half of a summary: "cases N", "label HITS COVER MIN NAME". */
static void parse_labels(html_entry *e, const char *text)
{
    const char *line = text;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *c = xmalloc(len + 1);
        memcpy(c, line, len);
        c[len] = 0;
        uint64_t n = 0;
        int cover = 0, used = 0;
        double min = 0;
        if (sscanf(c, "cases %" SCNu64, &n) == 1) {
            e->label_cases = n;
        } else if (sscanf(c, "label %" SCNu64 " %d %lf %n", &n, &cover, &min,
                          &used) == 3 && used > 0) {
            e->labels = xrealloc(e->labels,
                                 (e->nlabels + 1) * sizeof *e->labels);
            e->labels[e->nlabels++] = (html_label){
                .name = xstrdup(c + used), .hits = n, .cover = cover != 0,
                .min = min};
        }
        free(c);
        line = nl ? nl + 1 : NULL;
    }
}

static int by_hits(const void *a, const void *b)
{
    const html_label *x = a, *y = b;
    if (x->hits != y->hits)
        return x->hits < y->hits ? 1 : -1;
    return strcmp(x->name, y->name);
}

void html_add(html_report *h, const gf_property *p, const gf_result *r,
              double seconds, const char *summary)
{
    if (!h)
        return;
    h->e = xrealloc(h->e, (h->n + 1) * sizeof *h->e);
    html_entry *e = &h->e[h->n++];
    memset(e, 0, sizeof *e);
    e->name = xstrdup(p && p->name ? p->name : "(unnamed)");
    e->r = *r;
    e->r.origin = dup_or_null(r->origin);
    e->r.message = dup_or_null(r->message);
    e->r.counterexample = dup_or_null(r->counterexample);
    e->r.replay = dup_or_null(r->replay);
    e->r.report = dup_or_null(r->report);
    e->seconds = seconds;
    if (summary) {
        const char *labels = summary_labels(summary);
        e->obs = observer_from_text(summary);
        if (labels)
            parse_labels(e, labels);
        if (e->nlabels > 1)
            qsort(e->labels, e->nlabels, sizeof *e->labels, by_hits);
    }
}

/* ---- charts ------------------------------------------------------------ */

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;"
    "color:#1d2228}"
    "header{background:#1d2228;color:#fff;padding:14px 24px}"
    "header h1{margin:0;font-size:20px}header p{margin:4px 0 0}"
    "main{padding:12px 24px}"
    ".property{background:#fff;border-radius:6px;margin:12px 0;padding:12px "
    "18px;border-left:6px solid #2e9e57}"
    ".property.failed,.property.error{border-left-color:#d23b3b}"
    ".property.gave_up{border-left-color:#d99a1c}"
    "h2{margin:0;font-size:17px}h3{font-size:14px;margin:14px 0 6px}"
    ".badge{display:inline-block;padding:1px 8px;border-radius:4px;"
    "color:#fff;background:#2e9e57;margin-right:8px;font-size:13px}"
    ".failed .badge,.error .badge{background:#d23b3b}"
    ".gave_up .badge{background:#d99a1c}"
    ".counts{color:#4a525c;margin:4px 0}"
    "pre,code{font:12px/1.35 ui-monospace,monospace;background:#f0f2f5}"
    "pre{padding:8px;overflow-x:auto;white-space:pre-wrap;"
    "word-break:break-all}p code{word-break:break-all}"
    ".legend{font-size:12px;color:#4a525c;margin:2px 0 0}"
    ".charts{display:flex;flex-wrap:wrap;gap:14px}"
    "figure{margin:0;padding:8px;border:1px solid #e1e4e8;border-radius:4px;"
    "width:320px}figcaption{font-weight:600;margin-bottom:4px;"
    "word-break:break-all}"
    ".bar{fill:#4f7fd9}.tbar{fill:#8a63d2}.axis{stroke:#9aa3ad}"
    "svg text{font:10px sans-serif;fill:#4a525c}"
    "table{border-collapse:collapse}td{padding:2px 8px 2px 0}"
    ".share{display:inline-block;height:10px;background:#4f7fd9;"
    "vertical-align:middle}"
    ".unmet{color:#d23b3b;font-weight:600}.met{color:#2e9e57}"
    ".mix .passed{fill:#2e9e57}.mix .discarded{fill:#d99a1c}"
    ".mix .duplicates{fill:#9aa3ad}"
    ".edges{margin:4px 0 0;padding:0;list-style:none;font-size:12px}"
    "body.only-failed .property.passed{display:none}";

/* A bar chart of bins[from..to] (grouped to at most MAX_BARS bars), with
 * the low and high edge labels under it and, when zero is inside, "0". */
static void histogram(gf_printer *p, const uint64_t *bins, unsigned from,
                      unsigned to, const char *lo, const char *hi,
                      unsigned zero_bin, const char *cls)
{
    unsigned width = to - from + 1;
    unsigned group = (width + MAX_BARS - 1) / MAX_BARS;
    unsigned nbars = (width + group - 1) / group;
    uint64_t sums[OBS_BINS] = {0}, top = 0;
    for (unsigned i = 0; i < nbars; i++) {
        for (unsigned b = from + i * group; b < from + (i + 1) * group &&
                                            b <= to; b++)
            sums[i] += bins[b];
        if (sums[i] > top)
            top = sums[i];
    }
    double bw = (double)(CHART_W - 10) / nbars;
    int plot = CHART_H - 22;
    gf_print(p, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                "role=\"img\">", CHART_W, CHART_H, CHART_W, CHART_H);
    for (unsigned i = 0; i < nbars; i++) {
        double hgt = top ? (double)plot * (double)sums[i] / (double)top : 0;
        if (sums[i] && hgt < 1)
            hgt = 1;
        gf_print(p, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                    "height=\"%.1f\"><title>%" PRIu64 "</title></rect>",
                 cls, 5 + i * bw, plot - hgt + 2, bw > 2 ? bw - 1 : bw, hgt,
                 sums[i]);
    }
    gf_print(p, "<line class=\"axis\" x1=\"5\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
             plot + 2, CHART_W - 5, plot + 2);
    gf_print(p, "<text x=\"5\" y=\"%d\">", CHART_H - 6);
    esc(p, lo);
    gf_print(p, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
             CHART_W - 5, CHART_H - 6);
    esc(p, hi);
    gf_print(p, "</text>");
    if (zero_bin > from && zero_bin < to) {
        double x = 5 + (double)((zero_bin - from) / group) * bw + bw / 2;
        gf_print(p, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">0"
                    "</text>", x, CHART_H - 6);
    }
    gf_print(p, "</svg>");
}

static void print_num(gf_printer *p, double x)
{
    if (x == floor(x) && fabs(x) < 1e18)
        gf_print(p, "%.0f", x);
    else
        gf_print(p, "%.6g", x);
}

static void draw_chart(gf_printer *p, const obs_draw *d)
{
    bool sized = d->kind == OBS_TEXT || d->kind == OBS_BYTES ||
                 d->kind == OBS_ARRAY;
    gf_print(p, "<figure><figcaption>");
    esc(p, d->name);
    gf_print(p, " <small>(%s%s, %" PRIu64 " value%s)</small></figcaption>",
             obs_kind_name(d->kind), sized ? ": size" : "", d->n,
             d->n == 1 ? "" : "s");
    unsigned from = 0, to = 0;
    bool any = false;
    for (unsigned b = 0; b < OBS_BINS; b++)
        if (d->bins[b]) {
            if (!any)
                from = b;
            to = b;
            any = true;
        }
    if (any && d->kind != OBS_BOOL && d->kind != OBS_OTHER) {
        char lo[32], hi[32];
        obs_bin_edge(lo, sizeof lo, from, false);
        obs_bin_edge(hi, sizeof hi, to, true);
        histogram(p, d->bins, from, to, lo, hi, OBS_MID, "bar");
        gf_print(p, "<div>%s ", sized ? "sizes" : "from");
        print_num(p, d->min);
        gf_print(p, " to ");
        print_num(p, d->max);
        if (d->n)
            gf_print(p, ", mean %.4g", d->sum / (double)d->n);
        gf_print(p, "</div>");
    }
    const char *const *names = obs_edge_names(d->kind);
    if (names[0]) {
        gf_print(p, "<ul class=\"edges\">");
        for (unsigned e = 0; names[e] && e < OBS_EDGES; e++) {
            double share = d->n ? 100.0 * (double)d->edges[e] / (double)d->n
                                : 0;
            gf_print(p, "<li><span class=\"share\" style=\"width:%.0fpx\">"
                        "</span> %.1f%% ", share * 1.5, share);
            esc(p, names[e]);
            gf_print(p, "</li>");
        }
        gf_print(p, "</ul>");
    }
    gf_print(p, "</figure>");
}

/* Passed, discarded and duplicates as one stacked bar. */
static void mix_bar(gf_printer *p, const gf_result *r)
{
    double total = (double)(r->passed + r->discarded + r->duplicates);
    if (total <= 0)
        return;
    const struct {
        const char *cls;
        uint64_t n;
    } parts[] = {{"passed", r->passed}, {"discarded", r->discarded},
                 {"duplicates", r->duplicates}};
    double x = 0;
    gf_print(p, "<svg class=\"mix\" width=\"400\" height=\"14\" "
                "role=\"img\">");
    for (size_t i = 0; i < 3; i++) {
        double w = 400.0 * (double)parts[i].n / total;
        gf_print(p, "<rect class=\"%s\" x=\"%.1f\" y=\"0\" width=\"%.1f\" "
                    "height=\"14\"><title>%s: %" PRIu64 "</title></rect>",
                 parts[i].cls, x, w, parts[i].cls, parts[i].n);
        x += w;
    }
    gf_print(p, "</svg><p class=\"legend\">passed %" PRIu64 ", discarded %"
                PRIu64 ", duplicates %" PRIu64 "</p>", r->passed, r->discarded,
             r->duplicates);
}

static const char *status_class(gf_status st)
{
    return st == GF_PASSED ? "passed" : st == GF_FAILED ? "failed"
         : st == GF_GAVE_UP ? "gave_up" : "error";
}

static const char *status_word(gf_status st)
{
    return st == GF_PASSED ? "PASS" : st == GF_FAILED ? "FAIL"
         : st == GF_GAVE_UP ? "GAVE UP" : "ERROR";
}

static void labels_table(gf_printer *p, const html_entry *e)
{
    if (!e->nlabels)
        return;
    gf_print(p, "<h3>Labels and coverage</h3><table>");
    for (size_t i = 0; i < e->nlabels; i++) {
        const html_label *l = &e->labels[i];
        double share = e->label_cases
                           ? 100.0 * (double)l->hits / (double)e->label_cases
                           : 0;
        gf_print(p, "<tr><td><span class=\"share\" style=\"width:%.0fpx\">"
                    "</span></td><td>%.1f%%</td><td>", share * 2, share);
        esc(p, l->name);
        gf_print(p, "</td><td>");
        if (l->cover)
            gf_print(p, "<span class=\"%s\">needs %.1f%%: %s</span>",
                     share >= l->min ? "met" : "unmet", l->min,
                     share >= l->min ? "met" : "not met");
        gf_print(p, "</td></tr>");
    }
    gf_print(p, "</table>");
}

static void time_chart(gf_printer *p, const observer *o)
{
    if (!o->timed)
        return;
    unsigned from = 0, to = 0;
    bool any = false;
    for (unsigned b = 0; b < OBS_TIME_BINS; b++)
        if (o->time_bins[b]) {
            if (!any)
                from = b;
            to = b;
            any = true;
        }
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%s%.0f us", from ? "" : "<",
             from ? ldexp(1, (int)from - 1) : 1.0);
    snprintf(hi, sizeof hi, "%.0f us", ldexp(1, (int)to));
    gf_print(p, "<figure><figcaption>time per case <small>(%" PRIu64
                " cases)</small></figcaption>", o->timed);
    histogram(p, o->time_bins, from, to, lo, hi, UINT32_MAX, "tbar");
    gf_print(p, "<div>mean %.3g us, max %.3g us</div></figure>",
             o->time_total / (double)o->timed * 1e6, o->time_max * 1e6);
}

static void property_section(gf_printer *p, const html_report *h,
                             const html_entry *e)
{
    const gf_result *r = &e->r;
    gf_print(p, "<section class=\"property %s\"><h2><span class=\"badge\">"
                "%s</span>", status_class(r->status), status_word(r->status));
    esc(p, e->name);
    gf_print(p, "</h2><p class=\"counts\">%" PRIu64 " cases: %" PRIu64
                " passed, %" PRIu64 " discarded, %" PRIu64 " duplicates; "
                "%.3f s; seed 0x%016" PRIx64 "</p>",
             r->cases, r->passed, r->discarded, r->duplicates, e->seconds,
             r->seed);
    mix_bar(p, r);
    if (r->status != GF_PASSED) {
        if (r->origin || r->message) {
            gf_print(p, "<h3>%s</h3><p>", r->status == GF_FAILED
                                              ? "Failure" : "Why");
            if (r->origin) {
                gf_print(p, "at <code>");
                esc(p, r->origin);
                gf_print(p, "</code>: ");
            }
            esc(p, r->message);
            gf_print(p, "</p>");
        }
        if (r->counterexample && *r->counterexample) {
            gf_print(p, "<h3>Counterexample</h3><pre>");
            esc(p, r->counterexample);
            gf_print(p, "</pre>");
        }
        if (r->replay) {
            gf_print(p, "<p>replay: <code>");
            esc(p, h->program);
            gf_print(p, " --replay ");
            esc(p, r->replay);
            gf_print(p, "</code></p>");
        }
    }
    labels_table(p, e);
    const observer *o = e->obs;
    if (o && (o->ndraws || o->timed)) {
        gf_print(p, "<h3>What the cases were</h3><div class=\"charts\">");
        for (size_t i = 0; i < o->ndraws; i++)
            draw_chart(p, &o->draws[i]);
        time_chart(p, o);
        gf_print(p, "</div>");
    }
    for (size_t i = 0; o && i < o->ntargets; i++) {
        const obs_target *t = &o->targets[i];
        gf_print(p, "<h3>Target: ");
        esc(p, t->label);
        gf_print(p, "</h3><p>best score %.17g</p>", t->best);
        if (t->values && *t->values) {
            gf_print(p, "<pre>");
            esc(p, t->values);
            gf_print(p, "</pre>");
        }
        if (t->replay && *t->replay) {
            gf_print(p, "<p>replay: <code>");
            esc(p, h->program);
            gf_print(p, " --replay ");
            esc(p, t->replay);
            gf_print(p, "</code></p>");
        }
    }
    gf_print(p, "</section>\n");
}

static const char script[] =
    "(function(){var box=document.getElementById('only-failed');"
    "box.addEventListener('change',function(){"
    "document.body.classList.toggle('only-failed',box.checked);});"
    "var n=document.querySelectorAll('.property').length;"
    "var f=document.querySelectorAll('.property:not(.passed)').length;"
    "document.getElementById('tally').textContent=n+(n===1?' property, ':"
    "' properties, ')+f+' not passed';document.documentElement.setAttribute('data-ready','1');"
    "})();";

char *html_page(const html_report *h)
{
    gf_printer p;
    printer_init(&p);
    size_t passed = 0;
    for (size_t i = 0; i < h->n; i++)
        passed += h->e[i].r.status == GF_PASSED;
    gf_print(&p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                 "charset=\"utf-8\"><meta name=\"viewport\" content=\""
                 "width=device-width\"><title>Gadfly report: ");
    esc(&p, h->program);
    gf_print(&p, "</title><style>%s</style></head><body><header><h1>"
                 "Gadfly report: ", style);
    esc(&p, h->program);
    gf_print(&p, "</h1><p>%zu passed, %zu failed. <span id=\"tally\">"
                 "</span> <label><input type=\"checkbox\" id=\"only-failed\">"
                 " show only the properties that did not pass</label></p>"
                 "</header><main>\n", passed, h->n - passed);
    for (size_t i = 0; i < h->n; i++)
        property_section(&p, h, &h->e[i]);
    gf_print(&p, "</main><script>%s</script></body></html>\n", script);
    return printer_take(&p);
}

static void free_report(html_report *h)
{
    for (size_t i = 0; i < h->n; i++) {
        html_entry *e = &h->e[i];
        free(e->name);
        gf_result_free(&e->r);
        observer_free(e->obs);
        for (size_t k = 0; k < e->nlabels; k++)
            free(e->labels[k].name);
        free(e->labels);
    }
    free(h->e);
    atomic_release(&h->file);
    free(h->program);
    free(h);
}

void html_abandon(html_report *h)
{
    if (!h)
        return;
    atomic_abandon(&h->file);
    run_note_temp(TEMP_SLOT, NULL);
    free_report(h);
}

int html_close(html_report *h, FILE *err)
{
    if (!h)
        return 0;
    char *page = html_page(h);
    bool ok = atomic_write(&h->file, page, strlen(page));
    int e = errno;
    if (!ok) {
        atomic_abandon(&h->file);
    } else if (atomic_commit(&h->file, true) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok)
        fprintf(err, "gadfly: --html: cannot write %s: %s\n", h->file.path,
                strerror(e));
    run_note_temp(TEMP_SLOT, NULL);
    free(page);
    free_report(h);
    return ok ? 0 : -1;
}
