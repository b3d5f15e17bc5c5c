/*
 * test_options.c - gf_options_from_env: each GF_ variable sets its option
 * (blanks around a value dropped, blanks alone as unset), one malformed
 * variable is one line on err and -1, and options no variable names are
 * left as the caller set them.  Each test runs in a process of its own,
 * so the variables it sets go with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"

static char errbuf[512];

static int from_env(gf_options *o)
{
    FILE *err = fmemopen(errbuf, sizeof errbuf, "w");
    cr_assert(err);
    int rc = gf_options_from_env(o, err);
    fclose(err);
    return rc;
}

Test(options, every_variable_sets_its_option)
{
    setenv("GF_SEED", "0x2a", 1);
    setenv("GF_TRIALS", " 500\n", 1);
    setenv("GF_MAX_SHRINK_CALLS", "77", 1);
    setenv("GF_MAX_SHRINK_SECONDS", "2.5", 1);
    setenv("GF_VERBOSE", "2", 1);
    setenv("GF_TIMEOUT", "30s", 1);
    setenv("GF_DURATION", "2m", 1);
    setenv("GF_JOBS", "4", 1);
    setenv("GF_SHARD", "2/3", 1);
    setenv("GF_DB", "/tmp/somewhere", 1);
    setenv("GF_REPLAY", "gf1:abc", 1);
    setenv("GF_COLOR", "never", 1);
    gf_options o = {.max_size = 0.5};
    cr_assert_eq(from_env(&o), 0, "%s", errbuf);
    cr_expect(o.seed_set);
    cr_expect_eq(o.seed, 42);
    cr_expect_eq(o.trials, 500);
    cr_expect_eq(o.max_shrink_calls, 77);
    cr_expect_float_eq(o.max_shrink_seconds, 2.5, 1e-12);
    cr_expect_eq(o.verbose, 2);
    cr_expect_float_eq(o.timeout, 30, 1e-12);
    cr_expect_float_eq(o.duration, 120, 1e-12);
    cr_expect_eq(o.jobs, 4);
    cr_expect_eq(o.shard_index, 2);
    cr_expect_eq(o.shard_count, 3);
    cr_expect_str_eq(o.db_dir, "/tmp/somewhere");
    cr_expect_str_eq(o.replay, "gf1:abc");
    cr_expect_float_eq(o.max_size, 0.5, 0, "an option no variable names");
}

Test(options, unset_and_blank_variables_change_nothing)
{
    unsetenv("GF_SEED");
    setenv("GF_TRIALS", "   ", 1);
    gf_options o = {.trials = 9};
    cr_assert_eq(from_env(&o), 0, "%s", errbuf);
    cr_expect(!o.seed_set);
    cr_expect_eq(o.trials, 9);
}

Test(options, timeout_none_turns_timeouts_off)
{
    setenv("GF_TIMEOUT", "none", 1);
    gf_options o = {0};
    cr_assert_eq(from_env(&o), 0, "%s", errbuf);
    cr_expect_lt(o.timeout, 0);
}

/* Each malformed variable: -1, and one line that names it. */
Test(options, a_malformed_variable_is_one_line)
{
    static const char *const bad[][2] = {
        {"GF_SEED", "12abc"},        {"GF_TRIALS", "0"},
        {"GF_TRIALS", "-5"},         {"GF_MAX_SHRINK_CALLS", "many"},
        {"GF_VERBOSE", "10"},        {"GF_TIMEOUT", "soon"},
        {"GF_DURATION", "5x"},       {"GF_JOBS", "257"},
        {"GF_SHARD", "3/2"},         {"GF_COLOR", "sometimes"},
        {"GF_MAX_SHRINK_SECONDS", "-1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv(bad[i][0], bad[i][1], 1);
        gf_options o = {.trials = 9};
        memset(errbuf, 0, sizeof errbuf);
        cr_expect_eq(from_env(&o), -1, "%s=%s accepted", bad[i][0],
                     bad[i][1]);
        cr_expect(strstr(errbuf, bad[i][0]) != NULL, "%s=%s: %s", bad[i][0],
                  bad[i][1], errbuf);
        const char *nl = strchr(errbuf, '\n');
        cr_expect(nl && nl[1] == '\0', "%s=%s: not one line: %s", bad[i][0],
                  bad[i][1], errbuf);
        unsetenv(bad[i][0]);
    }
}
