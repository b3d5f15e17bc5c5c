#!/bin/sh
# test_isolate.sh - shrinking a crash runs its candidates in a case
# server: one child process that runs candidates one after another until
# one of them kills it, then a fresh one (src/isolate.c).  The property
# logs the process of every call (tests/props_count.c, sum_aborts), so
# that the test sees:
#   - calls shared processes: far fewer processes than calls;
#   - a crash ended its process: no call ran in a process after a call
#     that crashed there;
#   - the shrunk case, steps and calls are those of --no-fork, on 3 seeds.
set -u
bin="${top_builddir:-.}/tests/props_count"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
fails=0

fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

for seed in 1 2 3; do
    log="$work/log.$seed"
    GF_TEST_LOG="$log" timeout -k 5 120 "$bin" --no-db --seed "$seed" \
        --filter sum_aborts >"$work/fork.$seed" 2>&1
    code=$?
    [ "$code" -eq 1 ] || fail "seed $seed: exit $code, wanted 1"
    timeout -k 5 120 "$bin" --no-db --seed "$seed" --no-fork \
        --filter sum_aborts >"$work/nofork.$seed" 2>&1
    for what in "#1 = " "shrunk in"; do
        a=$(grep -F -- "$what" "$work/fork.$seed" | head -1)
        b=$(grep -F -- "$what" "$work/nofork.$seed" | head -1)
        [ -n "$a" ] || fail "seed $seed: no '$what' with workers"
        [ "$a" = "$b" ] ||
            fail "seed $seed: workers say '$a', --no-fork '$b'"
    done
    calls=$(wc -l <"$log")
    procs=$(cut -d' ' -f1 "$log" | sort -u | wc -l)
    crashes=$(grep -c ' 1$' "$log")
    # Every process but the one still serving at the end died of a crash.
    [ "$procs" -le $((crashes + 2)) ] ||
        fail "seed $seed: $procs processes for $calls calls, $crashes crashes"
    [ "$procs" -lt $((calls / 2)) ] ||
        fail "seed $seed: $procs processes for $calls calls: not shared"
    after=$(awk '{ if (dead[$1]) bad++; if ($2 == 1) dead[$1] = 1 }
                 END { print bad + 0 }' "$log")
    [ "$after" -eq 0 ] ||
        fail "seed $seed: $after calls ran in a process after its crash"
done

[ "$fails" -eq 0 ] || exit 1
echo "test_isolate: ok"
