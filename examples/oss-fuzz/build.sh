#!/bin/bash -eu
# build.sh - Gadfly properties as OSS-Fuzz / ClusterFuzzLite fuzz targets.
#
# Runs inside the base-builder image, which sets the conventions used here:
# $SRC holds the sources, $WORK is scratch space, $OUT receives the fuzz
# targets and their seed corpora, and $CC, $CFLAGS and $LIB_FUZZING_ENGINE
# choose the compiler, the sanitizer and the fuzzing engine (libFuzzer,
# AFL++, honggfuzz) of each build.
#
# Each source below defines one fuzz target with GF_FUZZ_TARGET(name): the
# program is written to $OUT/name.  When a failure database is present
# ($GADFLY_DB, by default $SRC/gadfly-db: a CI run's .gadfly artifact), its
# failures become $OUT/name_seed_corpus.zip, so fuzzing starts from every
# failure Gadfly has already seen.

gadfly="$SRC/gadfly"
targets="$gadfly/examples/fuzz_planted.c"
db="${GADFLY_DB:-$SRC/gadfly-db}"
prefix="$WORK/gadfly-install"

# Gadfly, static and instrumented like the targets.
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
    $CC $CFLAGS -DGF_FUZZ -I"$prefix/include" "$src" -o "$OUT/$name" \
        $LIB_FUZZING_ENGINE "$prefix/lib/libgadfly.a" $deps

    # The seed corpus, written by the Gadfly test program built from the
    # same source.  MemorySanitizer builds cannot run it (the libraries
    # above are not instrumented); the other builds write the same zip.
    if [ -d "$db" ] && [ "${SANITIZER:-address}" != memory ]; then
        $CC $CFLAGS -I"$prefix/include" "$src" -o "$WORK/$name-gadfly" \
            "$prefix/lib/libgadfly.a" $deps
        "$WORK/$name-gadfly" --db "$db" --filter "$name" --export-corpus "$OUT"
    fi
done
