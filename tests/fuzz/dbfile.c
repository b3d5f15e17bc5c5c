/*
 * dbfile.c - fuzz target for failure database files (src/db.c): the bytes
 * of one file under .gadfly/, which may be damaged, truncated, foreign or
 * planted.
 *
 * The first byte picks what the rest is: 0, a whole file as it lies on
 * disk; 1, a file whose checksum is made true first (the fuzzer cannot
 * guess XXH32), so the header and case data behind it are reached; any
 * other, the case data of a file written as db_save writes it.  A file is
 * accepted or refused with one line saying why, and an accepted file
 * gives back exactly the case data it holds.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "core/dedup.h"
#include "store/db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PROPERTY "fuzzed\\property\nname"

static void check(const uint8_t *file, size_t n, const uint8_t *want,
                  size_t want_n, bool must_load)
{
    bytes_vec enc = {0};
    char *why = db_check_file(file, n, PROPERTY, NULL, DB_CHOICE_LIMIT, &enc);
    if (why) {
        if (!*why || strchr(why, '\n') || must_load)
            abort();
        free(why);
    } else if (want && (enc.n != want_n || (want_n && memcmp(enc.p, want, want_n))))
        abort();
    bv_free(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    if (data[0] == 0) {
        check(rest, n, NULL, 0, false);
    } else if (data[0] == 1) {
        uint8_t *file = malloc(n + 4);
        if (n)
            memcpy(file, rest, n);
        uint32_t sum = XXH32(file, n, 0);
        for (int i = 0; i < 4; i++)
            file[n + i] = (uint8_t)(sum >> (8 * i));
        check(file, n + 4, NULL, 0, false);
        free(file);
    } else {
        /* A file as saved: it loads, and holds these bytes, whenever they
         * are a case's encoding. */
        buffer b;
        buffer_init(&b);
        bool valid = buffer_decode(rest, n, DB_CHOICE_LIMIT, &b);
        buffer_free(&b);
        bytes_vec file = {0};
        db_file_bytes(&file, PROPERTY, rest, n);
        check(file.p, file.n, rest, n, valid);
        bv_free(&file);
    }
    return 0;
}
