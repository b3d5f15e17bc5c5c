/*
 * test_html_page.c - the --html page (src/html.c) from a known summary:
 * labels with their shares and cover requirements met or not, a chart per
 * named draw with its edge cases, the time chart, the failure's replay
 * line, and every string from the run escaped.  (tests/test_html.sh loads
 * real pages in a browser.)
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/html.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

Test(html, page_from_a_summary)
{
    char path[] = "/tmp/gadfly-html-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    html_report *h = html_open(path, "./props", stderr);
    cr_assert(h);
    gf_property p = {.name = "sort_<sorts>"};
    gf_result r = {.status = GF_FAILED, .cases = 10, .passed = 9,
                   .discarded = 1, .duplicates = 2, .seed = 7,
                   .origin = "props.c:12", .message = "a < b & c",
                   .counterexample = "xs = {3, 1}\n", .replay = "gf1:AAEC"};
    const char *summary =
        "draw 0 3 -1 5 4 64:1,66:1,68:1 1,0,1,0,0 n <b>\n"
        "time 3 0.000003 0.000002 1:3\n"
        "stats\n"
        "cases 10\n"
        "label 4 1 50 sorted\n"
        "label 6 0 0 empty\n";
    html_add(h, &p, &r, 0.5, summary);
    cr_assert_eq(html_close(h, stderr), 0);
    const char *page = slurp(path);
    unlink(path);
    cr_expect(strstr(page, "sort_&lt;sorts&gt;"), "name escaped");
    cr_expect(!strstr(page, "<sorts>") && !strstr(page, "n <b>"),
              "raw markup from the run");
    cr_expect(strstr(page, "a &lt; b &amp; c"), "message escaped");
    cr_expect(strstr(page, "./props --replay gf1:AAEC"), "replay line");
    cr_expect(strstr(page, "60.0%</td><td>empty"), "label share");
    cr_expect(strstr(page, "needs 50.0%: not met"), "unmet cover");
    cr_expect(strstr(page, "n &lt;b&gt;"), "draw chart caption");
    cr_expect(strstr(page, "33.3% 0"), "edge case share of 0");
    cr_expect(strstr(page, "time per case"), "time chart");
    cr_expect(strstr(page, "passed 9, discarded 1, duplicates 2"), "mix");
    cr_expect(!strstr(page, "http://") && !strstr(page, "https://"),
              "nothing from the network");
}

Test(html, bad_path_fails_at_once)
{
    FILE *err = tmpfile();
    cr_assert_null(html_open("/no/such/dir/r.html", "p", err));
    rewind(err);
    char line[256] = "";
    cr_assert(fgets(line, sizeof line, err));
    cr_expect(strstr(line, "--html: cannot write /no/such/dir/r.html"), "%s",
              line);
    fclose(err);
}
