#!/bin/sh
# demo.sh - watch Gadfly find, shrink and replay real bugs.
#
#     sh examples/demo.sh BUILDDIR        (or: make demo)
#
# Runs each example program of BUILDDIR/examples with a fresh seed and shows
# Gadfly's report, then replays one report's replay token to show that it
# reproduces the same counterexample.  Exits 0 only if every example found
# its bug: each must exit 1 (0 would mean the bug was missed, 2 or 3 a usage
# or internal error).  Set GF_SEED to repeat a particular run.

set -u

usage() {
    echo "usage: sh examples/demo.sh BUILDDIR" >&2
    exit 2
}

[ $# -eq 1 ] || usage
case $1 in
    /*) builddir=$1 ;;
    *) builddir=$(pwd)/$1 ;;
esac
for name in midpoint trim rle kvstore queue json_depth utf8 tomorrow \
        offset inventory stampede payment wal retry_storm; do
    if [ ! -x "$builddir/examples/$name" ]; then
        echo "demo.sh: $builddir/examples/$name is missing: build it first" \
             "(make examples/$name, or make demo)" >&2
        exit 2
    fi
done

# The examples run in a scratch directory, so nothing they write lands in
# the caller's tree.
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-demo.XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
cd "$work" || exit 3

banner() {
    echo
    echo "=== $1"
    shift
    for line in "$@"; do
        echo "    $line"
    done
    echo
}

missed=0

# values FILE: the "name = value" lines of a report.
values() {
    sed -n 's/^  \([A-Za-z_#][A-Za-z0-9_]* = .*\)$/\1/p' "$1"
}

# run NAME [ARG...]: run one example, show its report, and check it found
# the bug.
run() {
    name=$1
    shift
    "$builddir/examples/$name" "$@" >"$work/$name.out" 2>&1
    status=$?
    cat "$work/$name.out"
    case $status in
        1) echo "--> found the bug (exit 1)" ;;
        0) echo "--> MISSED the bug: every property held (exit 0)"
           missed=$((missed + 1)) ;;
        *) echo "--> ERROR: exit $status (2: usage error, 3: internal error)"
           missed=$((missed + 1)) ;;
    esac
}

banner "midpoint: (lo + hi) / 2 overflows int32_t" \
    "Property: the midpoint of lo <= hi lies in [lo, hi]." \
    "A second property checks the fixed midpoint and passes."
run midpoint

banner "trim: a string trim that breaks on all-blank lines" \
    "Property: trim(s) is a substring of s with no blanks at either end."
run trim

banner "rle: a run-length codec that forgets to escape its escape byte" \
    "Property: decode(encode(data)) == data."
run rle

banner "kvstore: a store whose reopened tables keep old data" \
    "Property: a program of open/put/get/del/close calls agrees with a" \
    "model; the failing program shrinks to the five calls it needs."
run kvstore

banner "queue: a job queue whose push forgot the lock" \
    "Property: on two real threads, the calls' results are linearizable;" \
    "the report shows the history no order of the calls explains." \
    "A second property checks the queue with its lock, and holds."
run queue --trials 1000

banner "json_depth: a JSON reader with no limit on nesting" \
    "Property: the reader accepts every valid JSON document." \
    "Deep enough nesting overflows its stack: a crash, shrunk like any failure."
run json_depth

banner "utf8: a UTF-8 decoder that accepts overlong forms" \
    "Property: it rejects every string a strict decoder rejects." \
    "A second property checks that both agree on valid text, and passes."
run utf8

banner "tomorrow: same time tomorrow as now + 86400 seconds" \
    "Property: in any time zone, the wall clock reads the same a day later." \
    "A second property checks the fixed version and passes."
run tomorrow

banner "offset: a UTC-offset parser that only knows whole and half hours" \
    "Property: every valid offset (+05:45, -09:30, Z) parses to its minutes." \
    "A second property checks the fixed parser and passes."
run offset

banner "inventory: two buyers take the last item" \
    "Property: the shop never sells more than it had." \
    "Tasks run under the controlled scheduler; the schedule shrinks too." \
    "A second property checks the fixed shop and passes."
run inventory

banner "stampede: every caller that misses the cache calls the loader" \
    "Property: the backend is called once." \
    "A second property checks the single-flight fix and passes."
run stampede

banner "payment: a client that treats \"pending\" as failure and pays twice" \
    "Faults are choices of the case (gadfly/fault.h); the report lists them." \
    "A second property checks the client with an idempotency key, and passes."
run payment

banner "wal: a log that acknowledges records a short write or ENOSPC lost" \
    "write(2) fails as the case chooses, through -Wl,--wrap (fault_wrap.h)." \
    "The third property checks the fixed log, and passes."
run wal --trials 1000

banner "retry_storm: retries without jitter all land at once" \
    "Property: at most 2 calls per 10 ms of virtual time after a dropped" \
    "connection.  A second property checks retries with spread, and passes."
run retry_storm

banner "replay: paste the replay line of the rle report" \
    "The token holds the exact failing case; no seed, no search."
token=$(sed -n 's/^ *replay: .* --replay \(gf1:[^ ]*\)$/\1/p' "$work/rle.out" |
        head -n 1)
if [ -z "$token" ]; then
    echo "--> ERROR: the rle report has no replay line"
    missed=$((missed + 1))
else
    echo "\$ examples/rle --replay $token"
    "$builddir/examples/rle" --replay "$token" >"$work/replay.out" 2>&1
    status=$?
    cat "$work/replay.out"
    # The replay must fail again with exactly the values the run printed.
    if [ "$status" -eq 1 ] &&
       [ "$(values "$work/rle.out")" = "$(values "$work/replay.out")" ]; then
        echo "--> reproduced: same counterexample, same failure"
    else
        echo "--> ERROR: the replay did not reproduce the failure" \
             "(exit $status)"
        missed=$((missed + 1))
    fi
fi

echo
if [ "$missed" -eq 0 ]; then
    echo "demo: every example found its bug, and the replay reproduced it."
    exit 0
fi
echo "demo: $missed check(s) failed." >&2
exit 1
