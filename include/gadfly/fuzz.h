/*
 * gadfly/fuzz.h - Gadfly properties as libFuzzer and AFL++ targets.
 *
 * A property is also a fuzz target: the fuzzer's input is read as the
 * property's choices (docs/fuzzing.md has the mapping), and a failing case
 * aborts the process the way fuzzers expect, after printing the report and
 * a replay token.  One source builds three ways:
 *
 *     #include <gadfly/fuzz.h>
 *
 *     GF_PROPERTY(parse_roundtrip) { ... }
 *     GF_FUZZ_TARGET(parse_roundtrip)
 *     GF_MAIN()
 *
 *   cc props.c -lgadfly                       a Gadfly test program
 *   clang -fsanitize=fuzzer,address -DGF_FUZZ props.c -lgadfly
 *                                             a libFuzzer target
 *   $CC $CFLAGS -DGF_FUZZ props.c $LIB_FUZZING_ENGINE -lgadfly
 *                                             any engine (OSS-Fuzz)
 *   afl-clang-fast -DGF_FUZZ_STANDALONE props.c -lgadfly
 *                                             an AFL++ persistent-mode target
 *   cc -DGF_FUZZ_STANDALONE props.c -lgadfly  runs the files (or directories)
 *                                             given on its command line
 *
 * With GF_FUZZ or GF_FUZZ_STANDALONE defined, GF_MAIN() defines nothing and
 * a source may hold one GF_FUZZ_TARGET: a fuzz target program fuzzes one
 * property.  In a normal build GF_FUZZ_TARGET only checks that the property
 * exists.
 */
#ifndef GADFLY_FUZZ_H
#define GADFLY_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Run the property once on a fuzzer's input: data (size bytes) becomes the
 * case's choices.  Returns 0 when the case held or was discarded
 * (gf_assume, a filter, too many choices).  When it fails, prints the
 * report (values, notes, origin, a replay token) to stderr and calls
 * abort(): the engine records the input as a crash.  A crash inside the
 * property is left to the engine and its sanitizers.  Allocates nothing
 * per call once warmed up, prints nothing unless the case fails.  One
 * case per thread is kept between calls.
 */
GF_API int gf_fuzz_one(const gf_property *prop, const uint8_t *data,
                       size_t size);

/**
 * A driver without a fuzzing engine: calls test_one (a target's
 * LLVMFuzzerTestOneInput) on each file named on the command line, on each
 * regular file of each directory named (sorted, hidden files left out), or
 * on standard input when none is ("-" names it too).  Arguments starting
 * with '-' are engine flags (-runs=10) and are ignored.  Returns 0 when
 * every input held (a failing one aborts), 2 when one cannot be read.
 * libgadfly_fuzzmain.a holds a main() that calls it, for linking as
 * LIB_FUZZING_ENGINE.
 */
GF_API int gf_fuzz_main(int argc, char **argv,
                        int (*test_one)(const uint8_t *data, size_t size));

#ifdef __cplusplus
}
#endif

#if defined(GF_FUZZ_STANDALONE) && !defined(GF_FUZZ)
#define GF_FUZZ 1
#endif

#ifdef GF_FUZZ

/* The engine (or the stand-alone main below) owns main(). */
#undef GF_MAIN
#define GF_MAIN()

/* The engines look the entry point up by its C name. */
#ifdef __cplusplus
#define GF_FUZZ_EXTERN_C_ extern "C"
#else
#define GF_FUZZ_EXTERN_C_
#endif

#define GF_FUZZ_ENTRY_(pname)                                                \
    GF_FUZZ_EXTERN_C_ int LLVMFuzzerTestOneInput(const uint8_t *data,       \
                                                 size_t size);               \
    GF_FUZZ_EXTERN_C_ int LLVMFuzzerTestOneInput(const uint8_t *data,       \
                                                 size_t size)                \
    {                                                                        \
        return gf_fuzz_one(&gf_prop_##pname, data, size);                    \
    }

#if defined(GF_FUZZ_STANDALONE) && defined(__AFL_FUZZ_TESTCASE_LEN)
/* Built by AFL++'s compiler: persistent mode over shared memory, unless
 * files are named on the command line. */
#include <unistd.h>
#define GF_FUZZ_TARGET(pname)                                                \
    GF_FUZZ_ENTRY_(pname)                                                    \
    __AFL_FUZZ_INIT()                                                        \
    int main(int argc, char **argv)                                          \
    {                                                                        \
        if (argc > 1)                                                        \
            return gf_fuzz_main(argc, argv, LLVMFuzzerTestOneInput);         \
        __AFL_INIT();                                                        \
        const unsigned char *gf_buf_ = __AFL_FUZZ_TESTCASE_BUF;              \
        while (__extension__ __AFL_LOOP(100000))                             \
            gf_fuzz_one(&gf_prop_##pname, gf_buf_,                           \
                        (size_t)__AFL_FUZZ_TESTCASE_LEN);                    \
        return 0;                                                            \
    }
#elif defined(GF_FUZZ_STANDALONE)
#define GF_FUZZ_TARGET(pname)                                                \
    GF_FUZZ_ENTRY_(pname)                                                    \
    int main(int argc, char **argv)                                          \
    {                                                                        \
        return gf_fuzz_main(argc, argv, LLVMFuzzerTestOneInput);             \
    }
#else
#define GF_FUZZ_TARGET(pname) GF_FUZZ_ENTRY_(pname)
#endif

#else /* a Gadfly test program */

#define GF_FUZZ_TARGET(pname)                                                \
    __attribute__((unused)) static const gf_property *const                  \
        gf_fuzz_target_##pname = &gf_prop_##pname;

#endif /* GF_FUZZ */

#endif /* GADFLY_FUZZ_H */
