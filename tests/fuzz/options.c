/*
 * options.c - fuzz target for the command line and the GF_* variables
 * (src/cli.c, src/run.c): what a user types after a test program's name,
 * and what a CI file puts in its environment.
 *
 * The input is split at NUL bytes; a piece "GF_NAME=value" for one of the
 * variables below sets it, any other piece is an argument.  The run is a
 * --list (given first, so that no piece can run a property, write a
 * report or a corpus): every input either lists, prints help or a
 * version (exit 0), or is refused with a message (exit 2).  Nothing else,
 * and never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

GF_PROPERTY(listed_only)
{
    (void)gf_draw_int(tc, 0, 1);
}

static const char *const variables[] = {
    "GF_SEED", "GF_TRIALS", "GF_REPLAY", "GF_FILTER", "GF_VERBOSE",
    "GF_TIMEOUT", "GF_DURATION", "GF_SHARD", "GF_JOBS", "GF_DB",
    "GF_MAX_SHRINK_CALLS", "GF_MAX_SHRINK_SECONDS", "GF_COLOR", "GF_OBSERVE",
};
#define NVARIABLES (sizeof variables / sizeof variables[0])
#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < NVARIABLES; i++)
        unsetenv(variables[i]);
    char *text = malloc(size + 1);
    if (size)
        memcpy(text, data, size);
    text[size] = 0;
    char *argv[MAX_ARGS + 3];
    int argc = 0;
    argv[argc++] = "fuzzed";
    argv[argc++] = "--list";
    for (size_t at = 0; at < size && argc < MAX_ARGS + 2;) {
        char *piece = text + at;
        at += strlen(piece) + 1;
        char *eq = strchr(piece, '=');
        size_t k = NVARIABLES;
        if (eq && strncmp(piece, "GF_", 3) == 0)
            for (k = 0; k < NVARIABLES; k++)
                if (strlen(variables[k]) == (size_t)(eq - piece) &&
                    strncmp(piece, variables[k], (size_t)(eq - piece)) == 0)
                    break;
        if (k < NVARIABLES) {
            *eq = 0;
            setenv(piece, eq + 1, 1);
        } else {
            argv[argc++] = piece;
        }
    }
    argv[argc] = NULL;
    int rc = gf_main(argc, argv);
    if (rc != 0 && rc != 2)
        abort();
    free(text);
    return 0;
}
