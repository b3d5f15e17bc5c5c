#!/bin/sh
# test_state_cli.sh - a stateful property whose system under test crashes
# (tests/state_cli.c): the report shows the program that was running, and a
# crash on a branch thread run in-process still prints a replay line.
set -u
bin="${top_builddir:-.}/tests/state_cli"
out=$(mktemp) || exit 99
trap 'rm -f "$out"' EXIT
fails=0

# expect CODE DESCRIPTION -- COMMAND...: run, check the exit code.
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/    /' "$out"
        fails=$((fails + 1))
    fi
}

# contains TEXT DESCRIPTION: the last command's output has TEXT.
contains() {
    if ! grep -qF -- "$1" "$out"; then
        echo "FAIL: $2: no '$1' in:"; sed 's/^/    /' "$out"
        fails=$((fails + 1))
    fi
}

# has_program TEXT DESCRIPTION: the last command's output has the lines of
# TEXT one after another, from its note to its "at" line.
has_program() {
    got=$(sed -n '/^  note: program running/,/^  at /p' "$out")
    if [ "$got" != "$1" ]; then
        echo "FAIL: $2: wanted"; printf '%s\n' "$1" | sed 's/^/    /'
        echo "  in:"; sed 's/^/    /' "$out"
        fails=$((fails + 1))
    fi
}

# The program the system crashed on is in the report: shrunk to the three
# calls the crash needs, after the setup line.
program="  note: program running on the system when the case ended:
  note:   struct counter *sut = counter_new();
  note:   poke(sut, 0);
  note:   poke(sut, 0);
  note:   poke(sut, 0);
  at crash (SIGABRT): abort() was called (a failed assert(), or the allocator found a damaged heap)"
for mode in "" --no-fork; do
    expect 1 "crash on the third call $mode" -- \
        "$bin" --filter aborts_on_third_call --seed 1 --no-db $mode
    contains "FAIL aborts_on_third_call" "the property fails $mode"
    has_program "$program" "the program is in the report $mode"
    token=$(sed -n 's/.*replay: .* --replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
    [ -n "$token" ] || { echo "FAIL: no replay token $mode"; fails=$((fails + 1)); }
    expect 1 "replay of the crash $mode" -- "$bin" --replay "$token" $mode
    contains "FAIL aborts_on_third_call (replayed)" "the replay fails $mode"
    has_program "$program" "the replay shows the program $mode"
done

# A crash on a branch thread: the report shows the prefix and branches.
expect 1 "crash on a branch" -- \
    "$bin" --filter aborts_on_a_branch --seed 1 --no-db
contains "FAIL aborts_on_a_branch" "the parallel property fails"
contains "  note:   // then at once, on 2 threads:" "the branches are shown"
contains "  note:   poke(sut, " "the branch's step is shown"

# In-process, a crash on a branch thread ends the process: before it does,
# a line names the property and a token that replays the crash.
"$bin" --filter aborts_on_a_branch --seed 1 --no-db --no-fork >"$out" 2>&1
got=$?
if [ "$got" -lt 128 ]; then
    echo "FAIL: a branch crash in-process: exit $got, wanted death by signal"
    sed 's/^/    /' "$out"; fails=$((fails + 1))
fi
contains "gadfly: aborts_on_a_branch crashed;" "the crash names the property"
token=$(sed -n 's/.*this replays the crash: .* --replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
if [ -z "$token" ]; then
    echo "FAIL: no replay token for the branch crash"; fails=$((fails + 1))
else
    expect 1 "replay of the branch crash" -- "$bin" --replay "$token"
    contains "FAIL aborts_on_a_branch (replayed)" "the token replays it"
    contains "  note:   // thread 0:" "the replay shows the branches"
fi

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all state CLI checks passed"
