#!/bin/sh
# fuzz_ci.sh [BUILD] - the planted bug of examples/fuzz_planted.c found by
# real fuzzers, and their crash files shrunk by Gadfly.
#
#   1. libFuzzer, built the OSS-Fuzz way: the library configured with
#      CC=clang, CFLAGS=-fsanitize=fuzzer-no-link,address and
#      LIB_FUZZING_ENGINE=-fsanitize=fuzzer, then `make fuzz`;
#   2. AFL++ in persistent mode over shared memory: the same source under
#      afl-clang-fast with -DGF_FUZZ_STANDALONE;
#   3. AFL++ through its libFuzzer-style driver, libAFLDriver.a, as
#      LIB_FUZZING_ENGINE.
#
# Each fuzzer runs for at most a few seconds and must save a crash; each
# crash file must replay in the Gadfly test program built from the same
# source (BUILD/examples/fuzz_planted, default ./build) with --replay-file,
# exit 1, and shrink to the minimal record.  Needs clang,
# libclang-rt-14-dev and afl++ (.ci/run installs them).
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

# ---- libFuzzer, the OSS-Fuzz way
t0=$(date +%s)
mkdir "$work/lf-build" "$work/lf-corpus"
(
    cd "$work/lf-build"
    "$top/configure" -q --disable-shared CC=clang \
        CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer" \
        LDFLAGS="-fsanitize=address" LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
    make -s -j"$jobs" fuzz >/dev/null
)
status=0
"$work/lf-build/examples/fuzz_planted_fuzzer" -max_total_time="$seconds" \
    -artifact_prefix="$work/lf-" "$work/lf-corpus" >"$work/lf.log" 2>&1 || status=$?
crash=$(ls "$work"/lf-crash-* 2>/dev/null | head -n 1)
if [ "$status" -eq 0 ] || [ -z "$crash" ]; then
    fail "libFuzzer found no crash in ${seconds}s (exit $status)"
    tail -n 20 "$work/lf.log" | sed 's/^/    | /'
elif ! grep -q "fails record_stays_inside_input" "$work/lf.log"; then
    fail "libFuzzer's crash is not the property's failure"
    tail -n 20 "$work/lf.log" | sed 's/^/    | /'
else
    echo "libFuzzer: crash saved after $(grep -c '^#' "$work/lf.log") status lines, $(($(date +%s) - t0))s with the build"
    replays libFuzzer "$crash"
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
