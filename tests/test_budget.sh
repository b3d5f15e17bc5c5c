#!/bin/sh
# test_budget.sh - --budget, a time box for the whole run rather than for
# each property (--duration), and the progress line, with and without
# --jobs, on a terminal (script(1) gives the program one).
set -u
bin="${top_builddir:-.}/tests/props_report"
d=$(mktemp -d) || exit 99
trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
show() { sed 's/^/    | /' "$1"; }
props="wide_a wide_b holds"

# seconds FILE: each property's time in a JSON report, one per line.
seconds() { sed -n 's/.*"time": \([0-9.]*\)}.*/\1/p' "$1"; }

# Three properties in a budget of 3 s: about a second each, where
# --duration 3 would have run each for 3 s.
"$bin" --no-db --budget 3 --json "$d/b.json" $props >"$d/out" 2>&1 ||
    { fail "--budget 3 exited non-zero"; show "$d/out"; }
n=$(seconds "$d/b.json" | wc -l)
[ "$n" -eq 3 ] || fail "--budget 3 reported $n properties, wanted 3"
total=$(seconds "$d/b.json" | awk '{ t += $1 } END { print t }')
short=$(seconds "$d/b.json" | awk '$1 < 0.5 { n++ } END { print n + 0 }')
awk -v t="$total" 'BEGIN { exit !(t <= 4.5) }' ||
    fail "--budget 3: the properties took ${total}s in all"
# holds (one bool) runs out of cases at once: the other two use its share.
[ "$short" -le 1 ] || fail "--budget 3: $short properties ran under half a second"

# --duration caps each share: a budget of 60 s with --duration 1.
"$bin" --no-db --budget 60 --duration 1 --json "$d/c.json" wide_a wide_b >"$d/out" 2>&1 ||
    { fail "--budget 60 --duration 1 exited non-zero"; show "$d/out"; }
long=$(seconds "$d/c.json" | awk '$1 > 2.5 { n++ } END { print n + 0 }')
[ "$long" -eq 0 ] || fail "--duration 1 did not cap the budget's share"

# Bad budgets, from the command line and the environment.
for bad in x 0 -5 1e999h; do
    status=0
    "$bin" --no-db --budget "$bad" holds >"$d/out" 2>&1 || status=$?
    [ "$status" -eq 2 ] && grep -q -- "--budget needs a time" "$d/out" ||
        { fail "--budget $bad: exit $status"; show "$d/out"; }
done
status=0
GF_BUDGET=soon "$bin" --no-db holds >"$d/out" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "GF_BUDGET=soon is not a time" "$d/out" ||
    { fail "GF_BUDGET=soon: exit $status"; show "$d/out"; }
status=0
GF_BUDGET=2 "$bin" --no-db --json "$d/e.json" wide_a wide_b >"$d/out" 2>&1 || status=$?
total=$(seconds "$d/e.json" | awk '{ t += $1 } END { print t }')
[ "$status" -eq 0 ] && awk -v t="$total" 'BEGIN { exit !(t >= 1 && t <= 3.5) }' ||
    fail "GF_BUDGET=2: exit $status, ${total}s"

# The progress line, on a terminal: property i of N, the time left in the
# run; with --jobs the parent prints it, the workers' cases added up.
if command -v script >/dev/null 2>&1; then
    for jobs in 1 2; do
        script -q -c "'$bin' --no-db --budget 2 --jobs $jobs wide_a wide_b" \
            /dev/null >"$d/tty" 2>&1 </dev/null
        tr '\r' '\n' <"$d/tty" >"$d/lines"
        grep -q "^.*\[1/2\] wide_a: [0-9]* cases, .* left (0m0[0-9]s left in the run)" "$d/lines" &&
            grep -q "\[2/2\] wide_b: [0-9]* cases" "$d/lines" ||
            { fail "--jobs $jobs: no progress line with property i of 2 and the run's time left"; show "$d/lines"; }
    done
else
    echo "no script(1): the progress line is not checked"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "budget: the whole run in its time box, progress with and without --jobs"
