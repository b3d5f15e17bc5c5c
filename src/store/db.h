/*
 * db.h - the failure database: failing buffers saved between runs, so the
 * next run replays them first (DESIGN.md section 5, docs/database.md).
 *
 * Layout: DIR/<16 hex digits of XXH3 of the property's name>/<16 hex digits
 * of XXH3 of the encoding>, one failure per file.  Renaming a property
 * changes its directory, so its old failures are simply no longer found.
 *
 * Nothing here is ever fatal to a run: a damaged file is reported and
 * skipped, a failed save is reported and the run goes on.
 */
#ifndef GF_DB_H
#define GF_DB_H

#include <stdio.h>

#include "core/internal.h"

typedef struct gf_db gf_db;

/*
 * Open (never create yet) the database at dir; nothing touches the disk
 * until the first save.  NULL only on out of memory.
 */
/* The most choices a saved case may make, unless db_set_choice_limit
 * says otherwise (a file holding more is skipped, so that decoding a
 * valid file of many tiny choices cannot cost gigabytes). */
#define DB_CHOICE_LIMIT ((size_t)1 << 20)

GF_INTERNAL gf_db *db_open(const char *dir);
/* dir made absolute (against the working directory now) and without a
 * trailing slash: the path db_open keeps.  Malloc'd. */
GF_INTERNAL char *db_resolve(const char *dir);
GF_INTERNAL void db_set_choice_limit(gf_db *db, size_t max_choices);
/* Free the handle (NULL is fine). */
GF_INTERNAL void db_close(gf_db *db);

/*
 * The saved failures of `property`: fills *encs with malloc'd bytes_vec
 * entries (caller frees each with bv_free, and the array with free) and
 * returns how many; *encs is NULL when there are none.  Entries come
 * shortest first, then by bytes, so a run does not depend on the order the
 * directory lists them in.
 *
 * A corrupt, truncated or foreign file (not Gadfly's, another property's,
 * another version's) is reported as ONE line to err naming the file and
 * what is wrong, and skipped: never deleted, never fatal.  A missing
 * directory is simply zero failures.  Hidden files (names starting with a
 * dot, such as the temp files of a save in progress) are ignored.  err may
 * be NULL to report nothing.
 */
GF_INTERNAL size_t db_load(gf_db *db, const char *property, bytes_vec **encs,
                           FILE *err);

/*
 * Every key in the database that holds failures of `property`, whatever
 * program saved them: the bare name, and each "PROGRAM/name" (db keys are
 * run_db_key's).  Fills *keys with malloc'd strings in sorted order (caller
 * frees each, and the array) and returns how many; 0 and NULL when there
 * are none or the database cannot be read.  Only the first readable file
 * of each directory is read, for its key: db_load checks every file.
 */
GF_INTERNAL size_t db_keys(gf_db *db, const char *property, char ***keys);

/*
 * Save one failure: enc, n bytes, the buffer's canonical encoding.
 *
 * Atomic: a temp file in the same directory, fsync, rename into place; a
 * crash or SIGKILL at any moment leaves either the old state or the new
 * one, never a partial file under a final name.  Creates directories as
 * needed.  Saving the same encoding twice is one file.  Concurrent saves,
 * from threads with their own handles or from other processes, lose
 * nothing.  The first save of a property through a handle also removes
 * that property's temp files older than a minute (left by killed runs).
 *
 * Returns 0, or -1 after one line to err (unwritable directory, disk full):
 * the caller's run goes on.  err may be NULL.
 */
GF_INTERNAL int db_save(gf_db *db, const char *property, const uint8_t *enc,
                        size_t n, FILE *err);

/*
 * Forget a saved failure that now passes: remove its file.  A missing file
 * is fine; any other failure to remove it is ignored too (the failure will
 * be replayed, pass and be forgotten again next run).
 */
GF_INTERNAL void db_forget(gf_db *db, const char *property, const uint8_t *enc,
                           size_t n);

/* Save enc, and only once it is saved, forget old (NULL: none; the same
 * encoding: kept).  0, or -1 after reporting to err (old is kept). */
GF_INTERNAL int db_replace(gf_db *db, const char *property, const uint8_t *old,
                           size_t old_n, const uint8_t *enc, size_t n,
                           FILE *err);

/* What db_load checks of one file's bytes, p (size bytes), as a failure
 * of `property` named file_name (NULL: any name): NULL and the encoding
 * in *enc, else why not (malloc'd, one line).  For tests/fuzz. */
GF_INTERNAL char *db_check_file(const uint8_t *p, size_t size,
                                const char *property, const char *file_name,
                                size_t max_choices, bytes_vec *enc);
/* Append to out the file db_save writes for enc (n bytes). */
GF_INTERNAL void db_file_bytes(bytes_vec *out, const char *property,
                               const uint8_t *enc, size_t n);

#endif /* GF_DB_H */
