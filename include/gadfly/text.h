/*
 * gadfly/text.h - text that breaks programs: invalid UTF-8 by named class,
 * hand-written troublesome strings, numbers written as text, and the dirty
 * values real data files hold.
 *
 * gf_utf8 (in gadfly.h) draws valid text only; the generators here draw
 * what parsers, validators and data pipelines meet in the wild.  Each is
 * biased toward its own list, shrinks toward the list's first (simplest)
 * entry and prints its value as a C literal.  docs/text.md describes them.
 */
#ifndef GADFLY_TEXT_H
#define GADFLY_TEXT_H

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Classes of ill-formed UTF-8, for gf_utf8_invalid: OR them together.
 * Each string holds one defect of its class, with well-formed text before
 * and after it.  The simplest string of each class is given.
 */
/** A continuation byte (0x80..0xBF) with no lead byte: "\x80". */
#define GF_UTF8_LONE_CONTINUATION 0x01u
/** A lead byte without all its continuation bytes: "\xC2". */
#define GF_UTF8_TRUNCATED 0x02u
/** A code point in more bytes than it needs: "\xC0\x80" (NUL), "\xC0\xAF"
 * ('/'), "\xE0\x80\xAF", up to 4-byte forms. */
#define GF_UTF8_OVERLONG 0x04u
/** A UTF-16 surrogate, U+D800..U+DFFF, alone or as a CESU-8 pair:
 * "\xED\xA0\x80". */
#define GF_UTF8_SURROGATE 0x08u
/** A code point above U+10FFFF, in 4 bytes or the retired 5- and 6-byte
 * forms: "\xF4\x90\x80\x80". */
#define GF_UTF8_TOO_LARGE 0x10u
/** A byte that never appears in UTF-8: "\xFE", "\xFF". */
#define GF_UTF8_BAD_BYTE 0x20u
/** Well-formed UTF-8 with a NUL inside, which ends a C string early: "\0"
 * (then text after it).  The only class a strict decoder accepts. */
#define GF_UTF8_EMBEDDED_NUL 0x40u
/** Every class above. */
#define GF_UTF8_ANY_INVALID 0x7Fu

/**
 * gf_bytes_value: a byte string with exactly one defect of one of
 * `classes` (a nonzero OR of GF_UTF8_* above; anything else is reported as
 * misuse when drawn), between up to 4 well-formed code points on each side.
 * Classes are drawn evenly (one weighted "skip it?" choice per class, not
 * an index the engine would lean toward the first and last); `data` is
 * never NULL and has a NUL after its `len` bytes.  Shrinks toward fewer code points around the defect, the
 * first class in `classes` (in the order above), and the simplest string of
 * that class.  Prints as a C string literal: "\xC0\x80".
 */
GF_API const gf_gen *gf_utf8_invalid(unsigned classes);

/**
 * char *: a hand-written list of strings that break programs: the empty
 * string, reserved words and null-like words ("null", "NULL", "None",
 * "undefined", "nil"), booleans, numbers as text, SQL, shell, path, HTML
 * and format-string metacharacters ("'; DROP TABLE", "$(reboot)",
 * "%s%n%x", "{0}", "../../etc/passwd"), byte order marks, bidirectional
 * overrides, emoji and combining marks; and generated ones: very long
 * strings (up to 64 KiB and just past it), "Zalgo" text with piles of
 * combining marks, deep nesting.  All are valid UTF-8 without NUL.  Never
 * NULL; a copy in the case's arena, which the property may edit in place
 * (as are the strings of the two generators below).  Shrinks toward "".
 * Prints as a C string literal.
 */
GF_API const gf_gen *gf_nasty_string(void);

/**
 * char *: numbers written as text, the way they reach parsers: signed
 * zeros, overflow ("1e309", "9223372036854775808", "4294967296"), special
 * values ("NaN", "inf", "-Infinity"), hex, octal-looking and binary forms,
 * padding (" 42 ", "042"), separators ("1_000", "1,000", "1.000,5"),
 * partial forms (".5", "5.", "1e", "+"), and digits from other scripts
 * (Arabic-Indic, fullwidth, Devanagari); plus integers at the int64 edges
 * drawn and decorated.  Never NULL.  Shrinks toward "0".
 */
GF_API const gf_gen *gf_numeric_string(void);

/**
 * char * or NULL: the dirty values real data holds.  NULL (the only
 * generator here whose value can be NULL: a weight of one in twelve, which
 * the engine's lean toward the first kind raises to about one draw in 11
 * over a long run, up to one in 5 when a property draws many values), "",
 * whitespace only (spaces, tabs, newlines, U+00A0, U+3000, U+200B,
 * U+FEFF), values padded with whitespace, placeholders ("N/A", "-", "TBD",
 * "0000-00-00", "1970-01-01", "null", "#N/A"), Latin-1 and CP1252 bytes
 * where UTF-8 was expected ("caf\xE9", smart quotes "\x93" "\x94": not
 * valid UTF-8), UTF-8 decoded twice ("cafÃ©"), and lines with mixed
 * CRLF, LF and CR endings.  Shrinks toward NULL.  Prints as a C string
 * literal or NULL.
 */
GF_API const gf_gen *gf_dirty_text(void);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_TEXT_H */
