/*
 * cli.c - the command line of a GF_MAIN test binary.
 *
 * Options override GF_* variables.  Bad input (an unknown option, a number
 * that is not one, a damaged replay token) prints one line saying what was
 * wrong and exits 2; it never runs anything half-configured.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/run.h"
#include "fuzz.h"
#include "process/isolate.h"
#include "process/spawn.h"
#include "report/html.h"
#include "report/observe.h"
#include "report/report.h"
#include "store/db.h"

#define DEFAULT_DB_DIR ".gadfly"
#define DEFAULT_OBSERVE_DIR ".gadfly/observed"

static const char usage_text[] =
    "usage: %s [options] [--] [PATTERN...]\n"
    "Runs the Gadfly properties in this program (those whose name matches a\n"
    "PATTERN, a glob, when any is given).  Failure reports, -v lines and the\n"
    "summary go to standard output (standard error with --tap); messages\n"
    "about bad options, variables or files go to standard error.\n"
    "\n"
    "  --seed N              run with this seed (decimal or 0x hex)\n"
    "  --trials N            cases that must hold per property (default 100)\n"
    "  --replay TOKEN        run exactly the case of a replay token\n"
    "  --replay-file FILE    run a fuzzer's input file as a case of the one\n"
    "                        selected property; shrink and save a failure\n"
    "  --import-corpus DIR   run each file of a fuzzer's corpus as a case;\n"
    "                        failures are saved to the database\n"
    "  --export-corpus DIR   write the database's failures as fuzzer seeds,\n"
    "                        DIR/NAME_seed_corpus.zip per property\n"
    "  --filter GLOB         run only properties whose name matches GLOB\n"
    "  --list                list the properties and exit\n"
    "  --timeout T           a case running longer fails as \"timeout\" (10s;\n"
    "                        none to turn off)\n"
    "  --duration T          run EACH property for T (90, 30s, 10m, 1h) instead\n"
    "                        of --trials cases; a progress line on a terminal\n"
    "  --budget T            the WHOLE run's time: each property runs for an\n"
    "                        equal share of what is left (at most --duration)\n"
    "  --shard I/N           this machine's share of the seeds (1 <= I <= N)\n"
    "  --max-choices N       choices one case may make before it is discarded\n"
    "                        as too large (8192; at most 1048576)\n"
    "  --max-size X          scale every case's size by X in (0, 1]: 0.1\n"
    "                        for small collections, ranges and keys only\n"
    "  --jobs N              run each property over N worker processes\n"
    "  --color WHEN          auto (a terminal, NO_COLOR unset), always, never;\n"
    "                        FORCE_COLOR=1 forces it, FORCE_COLOR=0 turns it off\n"
    "  --no-fork             everything in this process (for gdb): no worker\n"
    "                        processes; crashes are caught in-process\n"
    "  --stats               each property's gf_label chart and gf_cover checks,\n"
    "                        the values each named draw produced, the time per\n"
    "                        case and gf_target's best scores\n"
    "  --observe [DIR]       one JSON line per test case, in the observation\n"
    "                        format Tyche reads, into DIR (.gadfly/observed);\n"
    "                        DIR is the next argument unless it starts with -\n"
    "  --html FILE           one self-contained HTML page of the run: outcomes,\n"
    "                        counterexamples, charts of the values drawn\n"
    "  --tap                 TAP version 13 on standard output; what the\n"
    "                        properties print goes to standard error\n"
    "  --tap=FILE            TAP version 13 in FILE (--tap=- is --tap)\n"
    "  --junit FILE          a JUnit XML report in FILE\n"
    "  --json FILE           a JSON report in FILE (one object per property)\n"
    "  --db DIR              the failure database (.gadfly): saved failures\n"
    "                        replay first, fixed ones are forgotten\n"
    "  --no-db               neither read nor write the failure database\n";
/* The rest of the help, apart: ISO C compilers need only take string
 * literals of 4095 bytes. */
static const char usage_more[] =
    "  --max-shrink-calls N  calls without progress before shrinking stops (1000)\n"
    "  --max-shrink-time S   seconds the shrinker may spend (60)\n"
    "  --verbose, -v         a line for every property, passing ones too;\n"
    "                        twice (-vv): every case and its values\n"
    "  --quiet, -q           no summary line; failures are still reported\n"
    "  --version             Gadfly's version\n"
    "  --help, -h            this text\n"
    "  --                    what follows is a PATTERN even if it starts with -\n"
    "Short options combine: -vv is -v -v.\n"
    "\n"
    "Environment: GF_SEED, GF_TRIALS, GF_REPLAY, GF_FILTER, GF_VERBOSE,\n"
    "GF_TIMEOUT, GF_DURATION, GF_BUDGET, GF_SHARD, GF_JOBS, GF_DB,\n"
    "GF_MAX_SHRINK_CALLS, GF_MAX_SHRINK_SECONDS, GF_OBSERVE (options win).\n"
    "Exit status: 0 every property held, 1 a property failed, 2 usage error\n"
    "(options, variables, replay token, or a property misusing Gadfly),\n"
    "3 internal error.\n";

typedef struct cli {
    gf_options opt;
    const char *filter;
    bool list, quiet, no_fork, no_db;
    double budget; /* --budget: seconds for the whole run; 0: none */
    report_options reports;
    const char *html_path;  /* --html FILE, or NULL */
    fuzz_request fuzz;
    unsigned given;  /* ENV_* bits of the settings the command line gave */
    const char **patterns; /* operands: property name globs */
    size_t npatterns;
} cli;

static int usage_error(const char *prog, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(try %s --help)\n", prog);
    return 2;
}


/* Split "--name=value" or take the next argument as the value. */
static const char *option_value(int argc, char **argv, int *i, const char *arg,
                                const char *name)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] == 0 && *i + 1 < argc)
        return argv[++*i];
    if (arg[n] == 0)
        return "";
    return NULL;
}

/* A bundle of short options ("-vv", "-vq"): true if every letter is one. */
static bool short_bundle(cli *c, const char *a, char *bad)
{
    for (const char *p = a + 1; *p; p++)
        if (*p != 'v' && *p != 'q' && *p != 'h') {
            *bad = *p;
            return false;
        }
    for (const char *p = a + 1; *p; p++) {
        if (*p == 'v') {
            c->opt.verbose++;
            c->given |= ENV_VERBOSE;
        } else if (*p == 'q') {
            c->quiet = true;
        }
    }
    return true;
}

static int parse_args(cli *c, int argc, char **argv)
{
    const char *prog = argv[0] ? argv[0] : "gadfly";
    c->patterns = xmalloc((size_t)(argc > 0 ? argc : 1) * sizeof *c->patterns);
    bool operands_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (operands_only || a[0] != '-' || !strcmp(a, "-")) {
            if (!*a)
                return usage_error(prog, "an empty property pattern%s", "");
            c->patterns[c->npatterns++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            operands_only = true;
        } else if (!strcmp(a, "--version")) {
            printf("%s (Gadfly %s)\n", prog, GF_VERSION_STRING);
            return -1;
        } else if (a[1] != '-' && a[2] != '\0') {
            char bad = 0;
            if (!short_bundle(c, a, &bad)) {
                char letter[2] = {bad, 0};
                return usage_error(prog, "unknown option '-%s'", letter);
            }
            if (strchr(a, 'h')) {
                printf(usage_text, prog);
                fputs(usage_more, stdout);
                return -1;
            }
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf(usage_text, prog);
            fputs(usage_more, stdout);
            return -1;
        } else if (!strcmp(a, "--stats")) {
            c->opt.stats = true;
        } else if (!strcmp(a, "--observe") || !strncmp(a, "--observe=", 10)) {
            /* The directory is optional: --observe=DIR, --observe DIR, or
             * --observe alone (then the next argument must start with -). */
            if (a[9] == '=')
                v = a + 10;
            else if (i + 1 < argc && argv[i + 1][0] != '-')
                v = argv[++i];
            else
                v = DEFAULT_OBSERVE_DIR;
            if (!*v)
                return usage_error(prog, "--observe needs a directory%s", "");
            c->opt.observe_dir = v;
            c->given |= ENV_OBSERVE;
        } else if ((v = option_value(argc, argv, &i, a, "--html"))) {
            if (!*v)
                return usage_error(prog, "--html needs a file%s", "");
            c->html_path = v;
        } else if (!strcmp(a, "--tap")) {
            c->reports.tap = true;
        } else if (!strncmp(a, "--tap=", 6)) {
            /* Only the = form: "--tap FILE" would read as --tap and a
             * property pattern. */
            if (!a[6])
                return usage_error(prog, "--tap= needs a file%s", "");
            if (!strcmp(a + 6, "-"))
                c->reports.tap = true;
            else
                c->reports.tap_path = a + 6;
        } else if ((v = option_value(argc, argv, &i, a, "--junit"))) {
            if (!*v)
                return usage_error(prog, "--junit needs a file%s", "");
            c->reports.junit_path = v;
        } else if ((v = option_value(argc, argv, &i, a, "--json"))) {
            if (!*v)
                return usage_error(prog, "--json needs a file%s", "");
            c->reports.json_path = v;
        } else if (!strcmp(a, "--no-db")) {
            c->no_db = true;
            c->given |= ENV_DB;
        } else if ((v = option_value(argc, argv, &i, a, "--db"))) {
            if (!*v)
                return usage_error(prog, "--db needs a directory%s", "");
            c->opt.db_dir = v;
            c->given |= ENV_DB;
        } else if ((v = option_value(argc, argv, &i, a, "--color"))) {
            int mode = parse_color(v);
            if (mode < 0)
                return usage_error(prog, "--color needs auto, always or "
                                   "never, not '%s'", v);
            c->opt.color = mode;
            c->given |= ENV_COLOR;
        } else if (!strcmp(a, "--no-fork")) {
            /* Everything in this process, for gdb: no worker processes. */
            c->no_fork = true;
        } else if (!strcmp(a, "--list")) {
            c->list = true;
        } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            c->opt.verbose++;
            c->given |= ENV_VERBOSE;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            c->quiet = true;
        } else if ((v = option_value(argc, argv, &i, a, "--seed"))) {
            if (!parse_u64(v, &c->opt.seed))
                return usage_error(prog, "--seed needs a number, not '%s'", v);
            c->opt.seed_set = true;
            c->given |= ENV_SEED;
        } else if ((v = option_value(argc, argv, &i, a, "--trials"))) {
            if (!parse_u64(v, &c->opt.trials) || c->opt.trials == 0)
                return usage_error(prog, "--trials needs a positive number, not '%s'", v);
            c->given |= ENV_TRIALS;
        } else if ((v = option_value(argc, argv, &i, a, "--max-shrink-calls"))) {
            if (!parse_u64(v, &c->opt.max_shrink_calls) || !c->opt.max_shrink_calls)
                return usage_error(prog, "--max-shrink-calls needs a positive number, not '%s'", v);
            c->given |= ENV_SHRINK_CALLS;
        } else if ((v = option_value(argc, argv, &i, a, "--max-size"))) {
            char *end;
            double d = strtod(v, &end);
            if (!*v || isspace((unsigned char)*v) || *end || !(d > 0 && d <= 1))
                return usage_error(prog, "--max-size needs a number in (0, 1], not '%s'", v);
            c->opt.max_size = d;
        } else if ((v = option_value(argc, argv, &i, a, "--max-shrink-time"))) {
            double d;
            if (!parse_seconds(v, &d))
                return usage_error(prog, "--max-shrink-time needs a positive number of seconds (at most 31536000, a year), not '%s'", v);
            c->opt.max_shrink_seconds = d;
            c->given |= ENV_SHRINK_SECONDS;
        } else if ((v = option_value(argc, argv, &i, a, "--timeout"))) {
            if (!strcmp(v, "0") || !strcmp(v, "none"))
                c->opt.timeout = -1;
            else if (!parse_duration(v, &c->opt.timeout))
                return usage_error(prog, "--timeout needs a time (like 5, 30s, 2m, or none; at most " RUN_MAX_SECONDS_TEXT "), not '%s'", v);
            c->given |= ENV_TIMEOUT;
        } else if ((v = option_value(argc, argv, &i, a, "--duration"))) {
            if (!parse_duration(v, &c->opt.duration))
                return usage_error(prog, "--duration needs a time (like 90, 30s, 10m, 1h; at most " RUN_MAX_SECONDS_TEXT "), not '%s'", v);
            c->given |= ENV_DURATION;
        } else if ((v = option_value(argc, argv, &i, a, "--budget"))) {
            if (!parse_duration(v, &c->budget) || !(c->budget > 0))
                return usage_error(prog, "--budget needs a time (like 90, 30s, 10m, 1h), not '%s'", v);
        } else if ((v = option_value(argc, argv, &i, a, "--shard"))) {
            if (!parse_shard(v, &c->opt.shard_index, &c->opt.shard_count))
                return usage_error(prog, "--shard needs I/N with 1 <= I <= N, not '%s'", v);
            c->given |= ENV_SHARD;
        } else if ((v = option_value(argc, argv, &i, a, "--max-choices"))) {
            uint64_t n;
            if (!parse_u64(v, &n) || n == 0)
                return usage_error(prog, "--max-choices needs a positive number, not '%s'", v);
            /* Each choice a case may make costs its worker about 200
             * bytes of shared memory, touched up front. */
            if (n > DB_CHOICE_LIMIT)
                return usage_error(prog, "--max-choices is at most 1048576 "
                                   "(each choice costs about 200 bytes of "
                                   "memory shared with the worker), not '%s'", v);
            c->opt.max_choices = (size_t)n;
        } else if ((v = option_value(argc, argv, &i, a, "--jobs"))) {
            uint64_t n;
            if (!parse_u64(v, &n) || n == 0 || n > 256)
                return usage_error(prog, "--jobs needs a number of workers from 1 to 256, not '%s'", v);
            c->opt.jobs = (unsigned)n;
            c->given |= ENV_JOBS;
        } else if ((v = option_value(argc, argv, &i, a, "--replay-file")) ||
                   (v = option_value(argc, argv, &i, a, "--import-corpus")) ||
                   (v = option_value(argc, argv, &i, a, "--export-corpus"))) {
            const char **slot = a[2] == 'r'   ? &c->fuzz.replay_file
                                : a[2] == 'i' ? &c->fuzz.import_dir
                                              : &c->fuzz.export_dir;
            if (!*v)
                return usage_error(prog, "%s needs a file or directory",
                                   a[2] == 'r'   ? "--replay-file"
                                   : a[2] == 'i' ? "--import-corpus"
                                                 : "--export-corpus");
            *slot = v;
        } else if ((v = option_value(argc, argv, &i, a, "--replay"))) {
            if (!*v)
                return usage_error(prog, "--replay needs a token%s", "");
            c->opt.replay = v;
            c->given |= ENV_REPLAY;
        } else if ((v = option_value(argc, argv, &i, a, "--filter"))) {
            if (!*v)
                return usage_error(prog, "--filter needs a pattern%s", "");
            c->filter = v;
        } else {
            return usage_error(prog, "unknown option '%s'", a);
        }
    }
    return 0;
}

/* Which properties to run: the filter, or the one a token names. */
static bool selected(const cli *c, const gf_property *p, uint32_t token_hash)
{
    if (c->filter && fnmatch(c->filter, p->name, 0) != 0)
        return false;
    if (c->npatterns) {
        size_t k = 0;
        while (k < c->npatterns && fnmatch(c->patterns[k], p->name, 0) != 0)
            k++;
        if (k == c->npatterns)
            return false;
    }
    if (c->opt.replay && token_name_hash(p->name) != token_hash)
        return false;
    return true;
}

static int run_main(cli *c, const char *prog);

/*
 * TAP on standard output shares the stream with whatever the code under
 * test prints: a property that prints "ok 7" would break the reader.  So
 * the TAP gets its own copy of standard output, and descriptor 1 (the
 * property's stdout, in this process and the workers) becomes standard
 * error.  NULL (TAP on plain stdout) when a descriptor cannot be had.
 */
static FILE *tap_stream_open(void)
{
    fflush(stdout);
    int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return NULL;
    }
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fclose(f);
        return NULL;
    }
    return f;
}

int gf_main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof c);
    const char *prog = argc > 0 && argv[0] ? argv[0] : "gadfly";
    /* The command line first, so that --help always works and an option
     * wins over a malformed variable it replaces. */
    int rc = parse_args(&c, argc, argv);
    if (rc == 0) {
        /* Each property in a worker process, unless --no-fork. */
        process_role.isolate = !c.no_fork && !c.list;
        /* Ctrl-C, a CI runner's SIGTERM: stop, report what was found. */
        if (!c.list)
            run_catch_interrupts();
        if (c.no_fork && !c.list && !run_watched)
            spawn_exit_watcher();
        rc = run_main(&c, prog);
        if (run_watched)
            run_watched->done = 1;
    }
    free(c.patterns);
    return rc < 0 ? 0 : rc;
}

static int run_main(cli *cp, const char *prog)
{
    cli c = *cp;
    /* The failure database is on by default for a test binary. */
    if (!(c.given & ENV_DB))
        c.opt.db_dir = DEFAULT_DB_DIR;
    if (options_from_env(&c.opt, stderr, c.given) != 0)
        return 2;
    if (c.no_db)
        c.opt.db_dir = NULL;
    /* Resolved once, here: a property that changes the working directory
     * must not move the database (kept for the process's life). */
    static char *db_dir;
    if (c.opt.db_dir && *c.opt.db_dir) {
        free(db_dir);
        db_dir = db_resolve(c.opt.db_dir);
        c.opt.db_dir = db_dir;
    }
    const char *env_budget = run_env("GF_BUDGET");
    if (!(c.budget > 0) && env_budget && *env_budget &&
        (!parse_duration(env_budget, &c.budget) || !(c.budget > 0))) {
        fprintf(stderr, "%s: GF_BUDGET=%s is not a time (like 90, 30s, 10m, "
                "1h)\n", prog, env_budget);
        return 2;
    }
    /* Observations: the directory made and its files opened now, so that
     * a bad path stops the run before anything runs; made absolute, as
     * the database's is. */
    static char *observe_dir;
    if (c.opt.observe_dir && !c.list) {
        if (observe_prepare(c.opt.observe_dir, prog, stderr) != 0)
            return 2;
        free(observe_dir);
        observe_dir = db_resolve(c.opt.observe_dir);
        c.opt.observe_dir = observe_dir;
    }
    const char *env_filter = run_env("GF_FILTER");
    if (!c.filter && env_filter && *env_filter)
        c.filter = env_filter;
    c.opt.argv0 = prog;
    c.opt.quiet = false;
    /* Reports are the program's output, for `./props > log` and for test
     * runners that keep standard output; TAP owns standard output when
     * asked for, and then the reports go beside it on standard error.
     * Line-buffered, so that they interleave with standard error in the
     * order they were written. */
    FILE *out = c.reports.tap ? stderr : stdout;
    if (out == stdout)
        setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    c.opt.out = out;
    if (c.no_fork)
        c.opt.jobs = 1;

    uint32_t token_hash = 0;
    if (c.opt.replay) {
        buffer b;
        buffer_init(&b);
        const char *err = NULL;
        bool ok = token_parse(c.opt.replay, &token_hash, &b, &err);
        buffer_free(&b);
        if (!ok)
            return usage_error(prog, "bad replay token: %s", err);
    }

    size_t count = 0;
    for (gf_property *p = gf_registered(); p; p = p->next)
        count += selected(&c, p, token_hash);
    if (fuzz_requested(&c.fuzz) && !c.list) {
        const gf_property **props = xmalloc((count + 1) * sizeof *props);
        size_t n = 0;
        for (gf_property *p = gf_registered(); p; p = p->next)
            if (selected(&c, p, token_hash))
                props[n++] = p;
        int rc = fuzz_cli(&c.fuzz, props, n, &c.opt, prog);
        free(props);
        return rc;
    }
    /* --html: each run leaves its summary for the page. */
    html_report *html = NULL;
    if (c.html_path && !c.list && count) {
        html = html_open(c.html_path, prog, stderr);
        if (!html)
            return 2;
        c.opt.summary = true;
    }

    report_set *reports = NULL;
    bool want_reports = c.reports.tap || c.reports.tap_path ||
                        c.reports.junit_path || c.reports.json_path;
    FILE *tap_stream = NULL;
    if (want_reports && !c.list && count) {
        if (c.reports.tap)
            tap_stream = tap_stream_open();
        reports = report_open(&c.reports, count,
                              tap_stream ? tap_stream : stdout, stderr);
        if (!reports) {
            if (tap_stream)
                fclose(tap_stream);
            html_abandon(html);
            return 2;
        }
    }

    size_t total = 0, passed = 0, failed = 0, errors = 0, internal = 0;
    size_t not_run = 0;
    bool token_known = false;
    /* --budget: the run ends by then; each property gets an equal share
     * of the time left when it starts (so one that fails early leaves its
     * time to the rest), at most --duration, at least a second. */
    bool budgeted = c.budget > 0 && !c.opt.replay;
    run_budget_deadline = budgeted ? now_seconds() + c.budget : 0;
    run_progress_count = (unsigned)count;
    run_progress_index = 0;
    for (gf_property *p = gf_registered(); p; p = p->next) {
        token_known |= c.opt.replay && token_name_hash(p->name) == token_hash;
        if (!selected(&c, p, token_hash))
            continue;
        total++;
        if (c.list) {
            printf("%s\t%s:%d\n", p->name, p->file, p->line);
            continue;
        }
        if (run_interrupted()) {
            not_run++;
            continue;
        }
        gf_result res;
        double t0 = now_seconds();
        gf_options o = c.opt;
        run_progress_index++;
        if (budgeted) {
            double share = (run_budget_deadline - t0) /
                           (double)(count - run_progress_index + 1);
            if (share < 1)
                share = 1;
            if (!(o.duration > 0) || share < o.duration)
                o.duration = share;
        }
        gf_status st = gf_run(p, &o, &res);
        double seconds = now_seconds() - t0;
        if (reports)
            report_add(reports, p, &res, seconds);
        if (html) {
            char *summary = run_take_summary();
            html_add(html, p, &res, seconds, summary);
            free(summary);
        }
        if (st == GF_PASSED)
            passed++;
        else if (st == GF_ERROR && res.origin && strcmp(res.origin, "error") == 0)
            internal++;
        else if (st == GF_ERROR)
            errors++;
        else
            failed++;
        gf_result_free(&res);
    }
    bool report_failed = reports && report_close(reports, stderr) != 0;
    if (tap_stream)
        fclose(tap_stream);
    report_failed |= html && html_close(html, stderr) != 0;
    if (total == 0) {
        if (c.opt.replay && !token_known)
            fprintf(stderr, "%s: the replay token is for a property that is "
                    "not in this program\n", prog);
        else if (c.opt.replay)
            fprintf(stderr, "%s: the replay token's property does not match "
                    "--filter %s\n", prog, c.filter);
        else
            fprintf(stderr, "%s: no property matches%s%s\n", prog,
                    c.filter || c.npatterns ? " " : "",
                    c.filter ? c.filter : c.npatterns ? c.patterns[0] : "");
        return 2;
    }
    if (c.list)
        return 0;
    if (!c.quiet) {
        bool color = run_use_color(c.opt.color, out);
        size_t bad = failed + errors + internal;
        const char *on = !color ? "" : bad ? "\033[1;31m" : "\033[1;32m";
        run_after_interrupt(out);
        fprintf(out, "%s%zu passed, %zu failed%s%s\n", on, passed, bad,
                errors + internal ? " (with errors)" : "",
                color ? "\033[0m" : "");
        if (run_interrupted() && not_run)
            fprintf(stderr, "interrupted: %zu propert%s not run\n", not_run,
                    not_run == 1 ? "y" : "ies");
        else if (run_interrupted())
            fputs("interrupted: the run stopped early\n", stderr);
    }
    /* A failed property is the news; a report that could not be written,
     * or the test's own misuse of Gadfly, is a usage error; running out of
     * memory or of processes, an internal one. */
    if (failed)
        return 1;
    if (internal)
        return 3;
    return errors || report_failed ? 2 : 0;
}
