#!/bin/sh
# test_isolate.sh - shrinking a crash taken over from a dead worker: one
# child process shrinks it in-process (a crash is caught there and the
# shrinking goes on), and its answer is reported only once a fresh process
# has crashed on it too (src/isolate.c, iso_shrink).  The property logs the
# process of every call (tests/props_count.c, sum_aborts), so that the
# test sees:
#   - the shrinking ran in one process, through its crashes: a handful of
#     processes for hundreds of calls, and calls after a crash in one;
#   - the case reported crashed in a process of its own, its first call;
#   - the shrunk case, steps and calls are those of --no-fork, on 3 seeds;
#   - a case that crashes only in a process an earlier crash damaged
#     (aborts_and_poisons) is not reported: the answer is shrunk again,
#     each candidate in a fresh process, and its replay crashes;
#   - a stack overflow, shrunk in the case server, runs at the same depth
#     in its stack on the final replay (depth_overflows).
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
    [ "$procs" -le 6 ] ||
        fail "seed $seed: $procs processes for $calls calls, wanted at most 6"
    after=$(awk '{ if (dead[$1]) bad++; if ($2 == 1) dead[$1] = 1 }
                 END { print bad + 0 }' "$log")
    [ "$after" -gt 0 ] ||
        fail "seed $seed: no call ran after a crash in its process"
    # The last call: the report's, the only call of its process.
    last=$(tail -n 1 "$log")
    [ "${last#* }" = 1 ] || fail "seed $seed: the last call did not crash"
    [ "$(grep -c "^${last% *} " "$log")" -eq 1 ] ||
        fail "seed $seed: the reported case ran in a process after others"
done

# A crash that follows from an earlier one in the same process.
for seed in 1 2; do
    out="$work/poison.$seed"
    timeout -k 5 120 "$bin" --no-db --seed "$seed" \
        --filter aborts_and_poisons >"$out" 2>&1
    sum=$(sed -n 's/^  #1 = {\(.*\)}$/\1/p' "$out" | tr -d ' ' | tr ',' '\n' |
          awk '{ s += $1 } END { print s + 0 }')
    [ "$sum" -gt 3000 ] ||
        fail "seed $seed: aborts_and_poisons reported a case of sum $sum:" \
             "$(grep '#1' "$out")"
    token=$(sed -n 's/.*--replay \(gf1:[^ ]*\).*/\1/p' "$out" | tail -n 1)
    timeout -k 5 60 "$bin" --no-db --replay "$token" >"$out.replay" 2>&1
    code=$?
    [ "$code" -eq 1 ] && grep -q "SIGABRT" "$out.replay" ||
        fail "seed $seed: the replay of $token exited $code without the crash"
done

# A stack overflow shrinks in the case server and is replayed in a child
# of its own: the property must run as deep in its stack in both, or the
# shrunk case, the shallowest that overflows there, passes on the replay
# (depth_overflows logs the depth of every call).  8 MiB stacks, whatever
# the shell's limit.
for seed in 1 2 3; do
    log="$work/depth.$seed"
    (ulimit -s 8192 2>/dev/null
     GF_TEST_LOG="$log" exec timeout -k 5 120 "$bin" --no-db --seed "$seed" \
        --filter depth_overflows) >"$work/depth.out.$seed" 2>&1
    code=$?
    [ "$code" -eq 1 ] && grep -q '^  at stack overflow: the property overflowed' \
        "$work/depth.out.$seed" ||
        fail "depth seed $seed: exit $code, not the stack overflow:" \
             "$(cat "$work/depth.out.$seed")"
    set -- $(tail -n 2 "$log")
    [ "$#" -eq 2 ] && [ "$1" = "$2" ] ||
        fail "depth seed $seed: the last candidate ran ${1:-?} bytes below" \
             "its stack's top, the final replay ${2:-?}"
done

[ "$fails" -eq 0 ] || exit 1
echo "test_isolate: ok"
