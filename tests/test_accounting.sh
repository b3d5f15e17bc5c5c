#!/bin/sh
# test_accounting.sh - a run says exactly what it ran.
#   - "after N cases" for one bug on one seed is the same whether the bug
#     is an assertion, a crash or a hang, in worker processes or not;
#   - with --jobs 1, 2 and 4, the cases reported passed are exactly the
#     distinct inputs the property ran: a case another worker already ran
#     is a duplicate, not a case.
set -eu
top_builddir=${top_builddir:-.}
prog="$top_builddir/tests/props_count"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

after() { sed -n 's/^FAIL [a-z_]* after \([0-9]*\) cases*,.*/\1/p' "$1" | head -n 1; }

for seed in 1 2 3; do
    "$prog" --no-db --seed "$seed" --filter big_element --no-fork \
        >"$work/want" 2>&1 || true
    want=$(after "$work/want")
    if [ -z "$want" ]; then
        echo "seed $seed: the assertion was not found"; cat "$work/want"
        fails=$((fails + 1)); continue
    fi
    for bug in assert crash hang; do
        for mode in workers --no-fork; do
            flags="--no-db --seed $seed --filter big_element --timeout 0.05"
            [ "$mode" = workers ] || flags="$flags $mode"
            # shellcheck disable=SC2086
            GF_TEST_BUG=$bug "$prog" $flags >"$work/got" 2>&1 || true
            got=$(after "$work/got")
            if [ "$got" != "$want" ]; then
                echo "seed $seed, $bug, $mode: after '$got' cases, the" \
                     "assertion with --no-fork says $want"
                cat "$work/got"
                fails=$((fails + 1))
            fi
        done
    done
done

for jobs in 1 2 4; do
    rm -f "$work/log"
    GF_TEST_LOG="$work/log" "$prog" --no-db --seed 7 --trials 20000 \
        --jobs "$jobs" --filter logs_inputs -v >"$work/out" 2>&1 || {
        echo "--jobs $jobs: the run failed"; cat "$work/out"
        fails=$((fails + 1)); continue; }
    passed=$(sed -n 's/^PASS logs_inputs (\([0-9]*\) passed.*/\1/p' "$work/out")
    distinct=$(od -An -v -t d8 -w8 "$work/log" | sort -u | wc -l)
    if [ "$passed" != "$distinct" ]; then
        echo "--jobs $jobs: '$passed' passed reported, $distinct distinct" \
             "inputs ran"
        cat "$work/out"
        fails=$((fails + 1))
    fi
done

# A saved failure that passes now is one case of the run: generation
# meeting it again has a duplicate, not a second case.
BROKEN=1 "$prog" --db "$work/db" --seed 1 --filter bool_when_broken \
    >/dev/null 2>&1 || true
"$prog" --db "$work/db" --seed 1 --filter bool_when_broken -v \
    >"$work/out" 2>&1 || true
if ! grep -q '^PASS bool_when_broken (2 passed' "$work/out"; then
    echo "a saved failure that passes now was counted twice:"
    cat "$work/out"
    fails=$((fails + 1))
fi

# Memory stays flat: past its limit the duplicate check keeps nothing
# more, and the run says how many cases it counted unchecked.
"$prog" --no-db --seed 1 --trials 600000 --filter wide -v >"$work/out" 2>&1 || {
    echo "the long run failed"; cat "$work/out"; fails=$((fails + 1)); }
if ! grep -q '^PASS wide (600000 passed, 0 discarded, [0-9]* duplicates; [0-9]* not checked for duplicates, the check.s memory being full)' "$work/out"; then
    echo "a long run does not say which cases went unchecked:"
    cat "$work/out"
    fails=$((fails + 1))
fi

[ "$fails" -eq 0 ] || exit 1
echo "accounting: counts agree across modes; passed = distinct inputs run"
