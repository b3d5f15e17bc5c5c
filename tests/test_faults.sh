#!/bin/sh
# test_faults.sh - the fault examples find their bugs with the fewest
# faults, their replay tokens inject the same faults, the failure database
# and --jobs carry them like any case, and the fixed versions hold.
# Run by `make check`, which exports top_builddir.
set -u
: "${top_builddir:?top_builddir is not set: run this through make check}"
case $top_builddir in /*) ;; *) top_builddir=$(pwd)/$top_builddir ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-faults.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
faults() { grep '^  note:  *[0-9]* [a-z/.]*: ' "$1" | sed 's/ at [^ ]*$//'; }

# found NAME FILTER SEED COUNT: the property fails within 1,000 cases
# with exactly COUNT faults, and its replay injects the same ones.
found() {
    name=$1 filter=$2 seed=$3 count=$4
    out=$work/$name.${filter%%\*}.$seed.out
    "$top_builddir/examples/$name" --seed "$seed" --no-db --filter "$filter" \
        --trials 1000 >"$out" 2>&1
    status=$?
    n=$(faults "$out" | wc -l)
    if [ "$status" -ne 1 ] || [ "$n" -ne "$count" ]; then
        fail "$name --filter '$filter' --seed $seed: exit $status, $n faults" \
             "(expected 1 and $count faults):"; sed 's/^/    | /' "$out" >&2
        return
    fi
    token=$(sed -n 's/^  replay: .* --replay \(gf1:[A-Za-z0-9_-]*\)$/\1/p' "$out")
    "$top_builddir/examples/$name" --replay "$token" >"$out.replay" 2>&1
    if [ "$(faults "$out")" != "$(faults "$out.replay")" ]; then
        fail "$name --replay $token injected other faults:"
        sed 's/^/    | /' "$out.replay" >&2
    fi
}

holds() {
    name=$1 filter=$2 seed=$3
    shift 3
    "$top_builddir/examples/$name" --seed "$seed" --no-db --filter "$filter" \
        "$@" >"$work/fixed.out" 2>&1 ||
        { fail "$name --filter '$filter' --seed $seed should hold:"
          sed 's/^/    | /' "$work/fixed.out" >&2; }
}

for seed in 1 2 3 42; do
    found payment 'payment_charges*' "$seed" 1
    found wal 'wal_naive*' "$seed" 1
    found wal 'wal_retry*' "$seed" 2
    found retry_storm 'retry_load*' "$seed" 1
    holds payment 'payment_fixed*' "$seed" --trials 1000
    holds wal 'wal_fixed*' "$seed" --trials 1000
    holds retry_storm 'retry_fixed*' "$seed" --trials 1000
done
grep -q '^  note:  *1 gateway.charge: pending (call 1) at payment.c:' \
    "$work/payment.payment_charges.1.out" || fail "payment: the fault is not 'pending (call 1)'"
grep -q '^  note:  *1 posix/io/rw/write: short, 1 of 24 bytes (call 1)$' \
    "$work/wal.wal_naive.1.out" || fail "wal: the fault is not a 1-byte short write"

# Worker processes and the failure database: the saved case comes back
# with its faults.
"$top_builddir/examples/wal" --seed 7 --jobs 2 --db "$work/db" \
    --filter 'wal_naive*' >"$work/jobs.out" 2>&1
[ $? -eq 1 ] || fail "wal --jobs 2 did not find the bug"
"$top_builddir/examples/wal" --seed 8 --db "$work/db" --filter 'wal_naive*' \
    --trials 1 >"$work/db.out" 2>&1
[ $? -eq 1 ] && [ "$(faults "$work/jobs.out")" = "$(faults "$work/db.out")" ] ||
    fail "the database did not replay the saved faults"

[ "$failures" -eq 0 ] || { echo "test_faults.sh: $failures failed" >&2; exit 1; }
echo "test_faults.sh: fault examples found, replayed and fixed"
