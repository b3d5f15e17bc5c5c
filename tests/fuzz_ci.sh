#!/bin/sh
# fuzz_ci.sh [BUILD] - the planted bug of examples/fuzz_planted.c found by
# real fuzzers, and their crash files shrunk by Gadfly.
#
#   1. libFuzzer + AddressSanitizer, built by examples/oss-fuzz/build.sh in
#      the environment OSS-Fuzz gives it ($SRC, $OUT, $WORK, $CC, $CFLAGS,
#      $LIB_FUZZING_ENGINE), with a failure database to export as the
#      seed corpus;
#   2. AFL++ in persistent mode over shared memory: the same source under
#      afl-clang-fast with -DGF_FUZZ_STANDALONE;
#   3. AFL++ through its libFuzzer-style driver, libAFLDriver.a.
#
# Each fuzzer starts from an empty corpus, runs for at most a few seconds
# and must save a crash; each crash file must replay in the Gadfly test
# program built from the same source (BUILD/examples/fuzz_planted, default
# ./build) with --replay-file, exit 1, and shrink to the minimal record.
# Needs clang, libclang-rt-14-dev, afl++ and unzip (.ci/run installs them).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
seconds=${FUZZ_SECONDS:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-fuzz-ci.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$top/examples/fuzz_planted.c"
deps="$(pkg-config --libs libxxhash libffi) -lm -lpthread"
failures=0

fail() {
    echo "fuzz_ci: FAIL: $*"
    failures=$((failures + 1))
}

make -s -C "$build" examples/fuzz_planted >/dev/null
test_prog="$build/examples/fuzz_planted"

# replays ENGINE FILE: the crash file fails in the test program and
# shrinks to input = "GF\x01"; its replay token fails the same way.
replays() {
    out="$work/replay.out"
    status=0
    "$test_prog" --no-db --replay-file "$2" >"$out" 2>&1 || status=$?
    if [ "$status" -ne 1 ]; then
        fail "$1: --replay-file exited $status, wanted 1"
        sed 's/^/    | /' "$out"
        return
    fi
    if ! grep -qF 'input = "GF\x01"' "$out"; then
        fail "$1: the crash file did not shrink to the minimal record"
        sed 's/^/    | /' "$out"
        return
    fi
    token=$(sed -n 's/.*--replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
    status=0
    "$test_prog" --no-db --replay "$token" >"$out" 2>&1 || status=$?
    [ "$status" -eq 1 ] || fail "$1: the shrunk replay token exited $status"
    echo "$1: the crash file replays and shrinks to input = \"GF\\x01\""
}

# ---- libFuzzer, built the OSS-Fuzz way
t0=$(date +%s)
mkdir -p "$work/src" "$work/out" "$work/work" "$work/lf-corpus"
ln -s "$top" "$work/src/gadfly"
# A failure database with one saved failure, as a CI run leaves it: saved
# by the project's test program, not by the exporter build.sh builds (the
# database keys entries by program, and the export finds every program's).
printf '\014GFZabcdefghi' >"$work/handmade-crash"
"$test_prog" --db "$work/src/gadfly-db" \
    --replay-file "$work/handmade-crash" >/dev/null 2>&1 || true
# OSS-Fuzz's environment: C compiled with $CC, targets linked with $CXX
# (the engine is C++).
SRC="$work/src" OUT="$work/out" WORK="$work/work" SANITIZER=address \
    CC=clang CXX=clang++ \
    CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link" \
    CXXFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link" \
    LIB_FUZZING_ENGINE="-fsanitize=fuzzer" \
    bash "$top/examples/oss-fuzz/build.sh" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log"; fail "examples/oss-fuzz/build.sh failed"; }
target="$work/out/record_stays_inside_input"
zip="$work/out/record_stays_inside_input_seed_corpus.zip"
for f in record_stays_inside_input.dict record_stays_inside_input.options; do
    [ -f "$work/out/$f" ] || fail "build.sh did not copy $f to \$OUT"
done
if [ ! -x "$target" ] || [ ! -f "$zip" ]; then
    fail "build.sh wrote no fuzz target or no seed corpus"
    ls -l "$work/out"
else
    echo "build.sh: fuzz target and seed corpus in $(($(date +%s) - t0))s"
    # The seeds: the saved failure, on which the target fails at once, and
    # passing cases, on which it runs.
    mkdir "$work/seeds" "$work/passing"
    if ! unzip -t "$zip" >/dev/null || ! (cd "$work/seeds" && unzip -q "$zip"); then
        fail "unzip does not accept the seed corpus"
    else
        failing=0
        for seed in "$work/seeds"/*; do
            if "$target" "$seed" >"$work/seed.log" 2>&1; then
                cp "$seed" "$work/passing/"
            else
                failing=$((failing + 1))
                grep -q 'input = "GF\\x01"' "$work/seed.log" ||
                    { fail "a failing seed is not the saved failure"; sed 's/^/    | /' "$work/seed.log"; }
            fi
        done
        [ "$failing" -eq 1 ] ||
            fail "$failing seeds fail in the fuzz target, wanted the one saved failure"
        [ "$(ls "$work/passing" | wc -l)" -ge 50 ] ||
            fail "the seed corpus has $(ls "$work/passing" | wc -l) passing cases, wanted 100"
        # libFuzzer starts from the passing seeds and runs them all.
        status=0
        "$target" -runs=0 -dict="$work/out/record_stays_inside_input.dict" \
            "$work/passing" >"$work/passing.log" 2>&1 || status=$?
        [ "$status" -eq 0 ] && grep -q "INITED" "$work/passing.log" ||
            { fail "libFuzzer does not start from the passing seeds and the dictionary"; tail -n 5 "$work/passing.log" | sed 's/^/    | /'; }
    fi
    status=0
    "$target" -max_total_time="$seconds" -artifact_prefix="$work/lf-" \
        "$work/lf-corpus" >"$work/lf.log" 2>&1 || status=$?
    crash=$(ls "$work"/lf-crash-* 2>/dev/null | head -n 1)
    if [ "$status" -eq 0 ] || [ -z "$crash" ]; then
        fail "libFuzzer found no crash in ${seconds}s (exit $status)"
        tail -n 20 "$work/lf.log" | sed 's/^/    | /'
    elif ! grep -q "fails record_stays_inside_input" "$work/lf.log"; then
        fail "libFuzzer's crash is not the property's failure"
        tail -n 20 "$work/lf.log" | sed 's/^/    | /'
    else
        echo "libFuzzer: crash saved after $(grep -c '^#[0-9]' "$work/lf.log") status lines"
        replays libFuzzer "$crash"
    fi
fi

# ---- OSS-Fuzz's UndefinedBehaviorSanitizer build: it builds, and the
# target runs its seeds with every check fatal and no report.
ubsan="-fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr -fno-sanitize-recover=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr"
mkdir -p "$work/out-ubsan" "$work/work-ubsan"
flags="-O1 -fno-omit-frame-pointer -gline-tables-only $ubsan -fsanitize=fuzzer-no-link"
if SRC="$work/src" OUT="$work/out-ubsan" WORK="$work/work-ubsan" SANITIZER=undefined \
    CC=clang CXX=clang++ CFLAGS="$flags" CXXFLAGS="$flags" \
    LIB_FUZZING_ENGINE="-fsanitize=fuzzer" \
    bash "$top/examples/oss-fuzz/build.sh" >"$work/build-ubsan.log" 2>&1; then
    status=0
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:silence_unsigned_overflow=1 \
        "$work/out-ubsan/record_stays_inside_input" -runs=0 "$work/passing" \
        >"$work/ubsan.log" 2>&1 || status=$?
    if grep -q "runtime error" "$work/ubsan.log" || grep -q "runtime error" "$work/build-ubsan.log"; then
        fail "UndefinedBehaviorSanitizer reports an error"
        grep -m 5 "runtime error" "$work/ubsan.log" "$work/build-ubsan.log" | sed 's/^/    | /'
    elif [ "$status" -ne 0 ]; then
        fail "the UBSan build exited $status on passing seeds"
        tail -n 10 "$work/ubsan.log" | sed 's/^/    | /'
    else
        echo "UBSan build (OSS-Fuzz's flags): the seeds run without a report"
    fi
else
    fail "examples/oss-fuzz/build.sh failed with OSS-Fuzz's UBSan flags"
    tail -n 20 "$work/build-ubsan.log" | sed 's/^/    | /'
fi

# ---- AFL++
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1 AFL_BENCH_UNTIL_CRASH=1 AFL_QUIET=1
lib="$build/.libs/libgadfly.a"
mkdir "$work/afl-seeds"
printf '\000' >"$work/afl-seeds/empty"

# afl ID LABEL PROGRAM: fuzz until the first crash (or the time box) and
# replay the crash.
afl() {
    t0=$(date +%s)
    status=0
    afl-fuzz -V "$seconds" -i "$work/afl-seeds" -o "$work/$1-out" -- "$3" \
        >"$work/$1.log" 2>&1 || status=$?
    crash=$(ls "$work/$1-out"/default/crashes/id:* 2>/dev/null | head -n 1)
    if [ -z "$crash" ]; then
        fail "$2 found no crash in ${seconds}s (exit $status)"
        tail -n 20 "$work/$1.log" | sed 's/^/    | /'
        return
    fi
    echo "$2: crash saved after $(($(date +%s) - t0))s"
    replays "$2" "$crash"
}

AFL_QUIET=1 afl-clang-fast -O1 -g -DGF_FUZZ_STANDALONE -I"$top/include" "$src" \
    "$lib" $deps -o "$work/planted_afl" 2>/dev/null
if ! grep -q "SIG_AFL_PERSISTENT" "$work/planted_afl"; then
    fail "the GF_FUZZ_STANDALONE build under afl-clang-fast is not in persistent mode"
fi
afl afl-persistent "AFL++ persistent mode" "$work/planted_afl"

AFL_QUIET=1 afl-clang-fast -O1 -g -DGF_FUZZ -I"$top/include" "$src" \
    /usr/lib/afl/libAFLDriver.a "$lib" $deps -o "$work/planted_afl_driver" 2>/dev/null
afl afl-driver "AFL++ libAFLDriver" "$work/planted_afl_driver"

if [ "$failures" -ne 0 ]; then
    echo "fuzz_ci: $failures failure(s)"
    exit 1
fi
echo "fuzz_ci: libFuzzer and AFL++ found the planted bug; Gadfly shrank each crash"
