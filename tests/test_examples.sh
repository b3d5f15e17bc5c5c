#!/bin/sh
# test_examples.sh - the examples find their bugs and shrink them to the
# minimal counterexamples their comments document.
#
# For several fixed seeds, each example must exit 1, its report must list
# exactly the documented values, and the report's replay token must fail
# again with the same values.  The passing properties (the fixed midpoint,
# shop and cache) must pass.
# Run by `make check`, which exports top_builddir and top_srcdir.  Never
# skipped: a missing binary is a failure.

set -u

: "${top_builddir:?top_builddir is not set: run this through make check}"

seeds="1 2 3 42 1234 0xdeadbeef"
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# Made absolute before the cd below.
case $top_builddir in
    /*) ;;
    *) top_builddir=$(pwd)/$top_builddir ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-examples.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
# Anything the examples write lands in the scratch directory.
cd "$work" || exit 99

# The values of a report: the "name = value" lines between the FAIL line
# and the first note or origin line, without their indentation.
values() {
    awk '/^FAIL / { on = 1; next }
         on && /^  (note: |at |misuse: )/ { exit }
         on && /^  [A-Za-z_#][A-Za-z0-9_]* = / { sub(/^  /, ""); print }' "$1"
}

# show FILE: a report, indented, for a failure message.
show() {
    sed 's/^/    | /' "$1" >&2
}

# check NAME SEED EXPECTED: run example NAME with SEED; EXPECTED holds the
# value lines it must shrink to, one per line.
check() {
    name=$1 seed=$2 expected=$3
    bin=$top_builddir/examples/$name
    out=$work/$name.$seed.out
    if [ ! -x "$bin" ]; then
        fail "$bin is missing or not executable"
        return
    fi

    # --no-db: every seed must find the bug itself, not replay a saved one.
    "$bin" --seed "$seed" --no-db >"$out" 2>&1
    status=$?
    if [ "$status" -ne 1 ]; then
        fail "$name --seed $seed exited $status; expected 1 (bug found)." \
             "0: the bug was missed, 2: usage error, 3: internal error:"
        show "$out"
        return
    fi
    got=$(values "$out")
    if [ "$got" != "$expected" ]; then
        fail "$name --seed $seed shrank to a different counterexample." \
             "Expected:"
        printf '%s\n' "$expected" | sed 's/^/    | /' >&2
        echo "  got this report:" >&2
        show "$out"
        return
    fi

    token=$(sed -n 's/^  replay: .* --replay \(gf1:[A-Za-z0-9_-]*\)$/\1/p' \
            "$out")
    if [ -z "$token" ]; then
        fail "$name --seed $seed: the report has no replay line" \
             "('  replay: PROGRAM --replay gf1:...'):"
        show "$out"
        return
    fi
    replay=$out.replay
    "$bin" --replay "$token" >"$replay" 2>&1
    status=$?
    if [ "$status" -ne 1 ] || [ "$(values "$replay")" != "$expected" ]; then
        fail "$name --replay $token (from --seed $seed) exited $status and" \
             "did not reproduce the counterexample:"
        show "$replay"
    fi
}

# The minimal counterexamples documented at the top of each example.
midpoint_min='lo = 1
hi = 2147483647'
trim_min='s = " "'
rle_min='data = {255}'
inventory_min='stock = 1
buyers = 2'
stampede_min='callers = 2'

# passes NAME GLOB SEED [ARGS...]: the fixed version in NAME holds.
passes() {
    name=$1 glob=$2 seed=$3
    shift 3
    out=$work/$name.fixed.$seed.out
    "$top_builddir/examples/$name" --seed "$seed" --filter "$glob" "$@" \
        >"$out" 2>&1
    status=$?
    if [ "$status" -ne 0 ]; then
        fail "$name --filter '$glob' --seed $seed exited $status; the fix" \
             "should hold (exit 0):"
        show "$out"
    fi
}

for seed in $seeds; do
    check midpoint "$seed" "$midpoint_min"
    check trim "$seed" "$trim_min"
    check rle "$seed" "$rle_min"
    check inventory "$seed" "$inventory_min"
    check stampede "$seed" "$stampede_min"
    # The fixed versions hold (the schedule is part of every case).
    passes inventory 'inventory_fixed*' "$seed"
    passes stampede 'stampede_fixed*' "$seed" --trials 2000

    # The corrected midpoint holds.
    out=$work/midpoint_fixed.$seed.out
    "$top_builddir/examples/midpoint" --seed "$seed" \
        --filter 'midpoint_fixed*' >"$out" 2>&1
    status=$?
    if [ "$status" -ne 0 ]; then
        fail "midpoint --filter 'midpoint_fixed*' --seed $seed exited" \
             "$status; the fixed midpoint should hold (exit 0):"
        show "$out"
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "test_examples.sh: $failures check(s) failed" >&2
    exit 1
fi
echo "test_examples.sh: all examples found and shrank their bugs" \
     "(seeds: $seeds)"
exit 0
