#!/bin/sh
# fuzz_parsers.sh [SECONDS] - fuzz every parser of user input with
# libFuzzer, SECONDS each (default 30, or $FUZZ_PARSER_SECONDS): replay
# tokens, database files, options and GF_* variables, fuzzer corpus
# files, TZif files, POSIX TZ strings, JSON, RFC 3339 / ISO 8601 text.
#
# The library is built again with clang under AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage, in a scratch
# directory; each target (tests/fuzz/TARGET.c) starts from its seeds and
# every input that once found a bug (tests/fuzz/found/TARGET-*).  An input
# that crashes, aborts, leaks or trips a sanitizer fails the script, which
# prints it as hex: save it as tests/fuzz/found/TARGET-WHAT, fix the bug,
# and make check replays it from then on (tests/test_fuzz_parsers.sh).
# Needs clang and libclang-rt-14-dev (.ci/run installs them).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-${FUZZ_PARSER_SECONDS:-30}}
jobs=$(nproc 2>/dev/null || echo 2)
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-fuzz-parsers.XXXXXX")
trap 'rm -rf "$work"' EXIT
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
targets="token dbfile options corpus tzif tzstring json datetime"
failures=0

t0=$(date +%s)
mkdir "$work/build"
(cd "$work/build" &&
    "$top/configure" -q --disable-shared CC=clang \
        CFLAGS="-O1 -g $san -fsanitize=fuzzer-no-link" LDFLAGS="$san" &&
    make -s -j"$jobs" libgadfly.la >/dev/null 2>&1 &&
    make -s libgadfly-static.stamp >/dev/null 2>&1) ||
    { echo "fuzz_parsers: the instrumented library did not build"; exit 1; }
lib="$work/build/libgadfly-internal.a"
deps="$(pkg-config --libs libxxhash libffi) -lm -lpthread"
echo "fuzz_parsers: instrumented library built in $(($(date +%s) - t0))s"

for t in $targets; do
    prog="$work/$t"
    if ! clang -O1 -g $san -fsanitize=fuzzer -std=c11 -D_GNU_SOURCE \
            -I"$top/include" -I"$top/src" -I"$work/build" \
            "$top/tests/fuzz/$t.c" "$lib" $deps -o "$prog" 2>"$work/$t.cc.log"; then
        echo "fuzz_parsers: FAIL: $t did not build"
        sed 's/^/    | /' "$work/$t.cc.log"
        failures=$((failures + 1))
        continue
    fi
    corpus="$work/corpus-$t"
    mkdir "$corpus"
    cp "$top/tests/fuzz/seeds/$t"/* "$corpus/"
    for f in "$top/tests/fuzz/found/$t"-*; do
        [ -f "$f" ] && cp "$f" "$corpus/"
    done
    if [ "$t" = tzif ]; then
        for z in UTC Europe/London America/New_York Australia/Lord_Howe \
                Asia/Kathmandu America/Sao_Paulo right/UTC; do
            [ -f "/usr/share/zoneinfo/$z" ] &&
                cp "/usr/share/zoneinfo/$z" "$corpus/$(echo "$z" | tr / _)"
        done
    fi
    # The options target prints what a command line prints: keep its
    # standard output and error out of the log.
    mask=0
    [ "$t" = options ] && mask=3
    status=0
    "$prog" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=4096 -close_fd_mask="$mask" -print_final_stats=1 \
        -artifact_prefix="$work/$t-" "$corpus" >"$work/$t.log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
    found=$(ls "$work/$t"-crash-* "$work/$t"-leak-* "$work/$t"-timeout-* \
        "$work/$t"-oom-* 2>/dev/null | head -n 1 || true)
    if [ "$status" -ne 0 ] || [ -n "$found" ]; then
        echo "fuzz_parsers: FAIL: $t (exit $status) after ${runs:-?} inputs"
        grep -A 12 "^==[0-9]*==ERROR\|runtime error\|^SUMMARY\|deadly signal" "$work/$t.log" |
            head -n 40 | sed 's/^/    | /'
        if [ -n "$found" ]; then
            echo "    the input, as hex (save it as tests/fuzz/found/$t-WHAT):"
            od -An -tx1 -v "$found" | head -n 40 | sed 's/^/    | /'
        fi
        failures=$((failures + 1))
    else
        echo "fuzz_parsers: $t: ${runs:-?} inputs in ${seconds}s, none failed"
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "fuzz_parsers: $failures target(s) failed"
    exit 1
fi
echo "fuzz_parsers: every parser target held"
