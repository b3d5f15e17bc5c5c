#!/bin/sh
# test_fuzz_parsers.sh - every parser fuzz target (tests/fuzz/*.c) built
# without a fuzzing engine replays its seeds (tests/fuzz/seeds/TARGET) and
# every input that once made it fail (tests/fuzz/found/TARGET-*): each must
# hold.  The TZif target also reads a few of the system's zoneinfo files.
# CI fuzzes the same targets with libFuzzer (tests/fuzz_parsers.sh).
set -u
build="${top_builddir:-.}"
src="${top_srcdir:-.}"
fails=0
for t in token dbfile options corpus tzif tzstring json datetime; do
    prog="$build/tests/fuzz/$t"
    set -- "$src/tests/fuzz/seeds/$t"
    for f in "$src/tests/fuzz/found/$t"-*; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    if [ "$t" = tzif ]; then
        for z in UTC Europe/London America/New_York Australia/Lord_Howe \
                Asia/Kathmandu right/UTC; do
            [ -f "/usr/share/zoneinfo/$z" ] && set -- "$@" "/usr/share/zoneinfo/$z"
        done
    fi
    out=$("$prog" "$@" 2>&1)
    status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL: fuzz target $t exited $status on its seeds and found inputs:"
        echo "$out" | tail -n 30 | sed 's/^/    | /'
        fails=$((fails + 1))
    else
        echo "$t: $(echo "$out" | tail -n 1)"
    fi
done
[ "$fails" -eq 0 ] || exit 1
echo "test_fuzz_parsers: all passed"
