#!/bin/bash -eu
# build.sh - Gadfly properties as OSS-Fuzz / ClusterFuzzLite fuzz targets.
#
# Runs inside the base-builder image, which sets the conventions used here:
# $SRC holds the sources, $WORK is scratch space, $OUT receives the fuzz
# targets and their seed corpora, $CC and $CFLAGS compile C, and $CXX and
# $CXXFLAGS link: the fuzzing engine in $LIB_FUZZING_ENGINE (libFuzzer,
# AFL++'s driver, honggfuzz's) is C++, so a target linked with $CC fails to
# link with some engines.  $SANITIZER names the build (address, undefined,
# memory).
#
# Each source below defines one fuzz target with GF_FUZZ_TARGET(name): the
# program is written to $OUT/name, with
#   $OUT/name_seed_corpus.zip  the seed corpus: the failures saved in the
#                              database ($GADFLY_DB, by default
#                              $SRC/gadfly-db: a CI run's .gadfly
#                              artifact, whatever program saved them) and
#                              100 distinct passing cases of the property;
#   $OUT/name.dict, .options   copied from SOURCE.dict and SOURCE.options
#                              beside the source, when they exist.

gadfly="$SRC/gadfly"
targets="$gadfly/examples/fuzz_planted.c"
db="${GADFLY_DB:-$SRC/gadfly-db}"
prefix="$WORK/gadfly-install"
: "${CXX:=clang++}" "${CXXFLAGS:=$CFLAGS}"

# Gadfly, static and instrumented like the targets.  Its own tests are not
# built here: Criterion is not needed.
cd "$gadfly"
[ -x configure ] || autoreconf -fi
mkdir -p "$WORK/gadfly-build"
cd "$WORK/gadfly-build"
"$gadfly/configure" -q --disable-shared --prefix="$prefix" CC="$CC" CFLAGS="$CFLAGS"
make -s -j"$(nproc)" install >/dev/null

# The runner image has none of the build's libraries: link them statically.
deps="-Wl,-Bstatic -lxxhash -lffi -Wl,-Bdynamic -lm -lpthread"

for src in $targets; do
    name=$(sed -n 's/^GF_FUZZ_TARGET(\([A-Za-z_][A-Za-z0-9_]*\)).*/\1/p' "$src")
    if [ -z "$name" ]; then
        echo "build.sh: $src has no GF_FUZZ_TARGET" >&2
        exit 1
    fi
    $CC $CFLAGS -DGF_FUZZ -I"$prefix/include" -c "$src" -o "$WORK/$name.o"
    $CXX $CXXFLAGS "$WORK/$name.o" -o "$OUT/$name" \
        $LIB_FUZZING_ENGINE "$prefix/lib/libgadfly.a" $deps
    base="${src%.c}"
    [ ! -f "$base.dict" ] || cp "$base.dict" "$OUT/$name.dict"
    [ ! -f "$base.options" ] || cp "$base.options" "$OUT/$name.options"

    # The seed corpus, written by the Gadfly test program built from the
    # same source.  MemorySanitizer builds cannot run it (the libraries
    # above are not instrumented); the other builds write the same zip.
    if [ "${SANITIZER:-address}" != memory ]; then
        $CC $CFLAGS -I"$prefix/include" -c "$src" -o "$WORK/$name-gadfly.o"
        $CXX $CXXFLAGS "$WORK/$name-gadfly.o" -o "$WORK/$name-gadfly" \
            "$prefix/lib/libgadfly.a" $deps
        if [ -d "$db" ]; then
            from="--db $db"
        else
            from="--no-db"
        fi
        # Gadfly's hashes and random numbers wrap unsigned integers on
        # purpose (defined behaviour, which OSS-Fuzz's UBSan flags report
        # unless told not to, as ClusterFuzz's runs are).
        UBSAN_OPTIONS="silence_unsigned_overflow=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" \
            "$WORK/$name-gadfly" $from --filter "$name" --export-corpus "$OUT"
    fi
done
