#!/bin/sh
# test_reliab.sh - nothing lost, nothing hung, nothing outside touched:
# properties that stop their process, runs interrupted by signals, a
# shrink time budget shorter than a few calls, a working directory moved
# by the property, a closed stderr, a lingering grandchild, and a
# database directory with planted symbolic links (tests/reliab_cli.c).
#
# Every run is bounded by `timeout`: a hang fails the test instead of
# hanging make check.
set -u
bin="${top_builddir:-.}/tests/reliab_cli"
work=$(mktemp -d) || exit 99
out="$work/out"
trap 'rm -rf "$work"' EXIT
fails=0
LIMIT=60

fail() {
    echo "FAIL: $*"
    [ -f "$out" ] && sed 's/^/    | /' "$out"
    fails=$((fails + 1))
}

# expect CODE DESCRIPTION -- COMMAND...: run (bounded), check the status.
expect() {
    want=$1; what=$2; shift 3
    timeout -k 5 "$LIMIT" "$@" >"$out" 2>&1
    got=$?
    [ "$got" -eq 124 ] && { fail "$what: still running after ${LIMIT}s"; return; }
    [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want"
}

contains() {
    grep -qF -- "$1" "$out" || fail "$2: no '$1' in the output"
}

lacks() {
    if grep -qF -- "$1" "$out"; then fail "$2: '$1' in the output"; fi
}

# wait_for FILE: up to LIMIT seconds for FILE to appear.
wait_for() {
    i=0
    while [ ! -e "$1" ] && [ "$i" -lt $((LIMIT * 10)) ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -e "$1" ]
}

# ---- a property that stops its own process
for how in "" "--timeout 1s" "--jobs 2"; do
    # shellcheck disable=SC2086
    expect 1 "SIGSTOP ${how:-(defaults)}" -- "$bin" --no-db --seed 3 \
        --filter stops_itself $how
    contains "FAIL stops_itself" "SIGSTOP ${how:-(defaults)}: reported"
    contains "#1 = 900" "SIGSTOP ${how:-(defaults)}: shrunk"
done
expect 1 "SIGTSTP" -- env TSTP=1 "$bin" --no-db --seed 3 --filter stops_itself
contains "#1 = 900" "SIGTSTP: shrunk"

# ---- the shrink time budget, read before every call
expect 1 "shrink time budget" -- "$bin" --no-db --seed 1 --filter slow_to_shrink \
    --max-shrink-time 0.2
contains "shrinking stopped at its budget" "shrink time budget: said so"
calls=$(sed -n 's/.*shrunk in [0-9]* steps\{0,1\} (\([0-9]*\) calls).*/\1/p' "$out" | head -n 1)
# 0.2 s of 50 ms calls is four or five calls; a clock read every sixteen
# calls would make at least sixteen.
if [ -z "$calls" ] || [ "$calls" -ge 12 ]; then
    fail "shrink time budget: ${calls:-no} calls for a 0.2 s budget"
fi

# ---- signals: report, save and write every report, then exit
# interrupt SIGNAL TARGET: run interrupted_while_shrinking under
# --duration with reports, and send SIGNAL to the process (TARGET "pid")
# or its whole group (TARGET "group", as a terminal's Ctrl-C does) once
# it is shrinking.
interrupt() {
    sig=$1; target=$2
    d="$work/int-$sig-$target"
    mkdir -p "$d"
    what="$sig to the $target while shrinking"
    MARK="$d/mark" setsid env --default-signal=INT "$bin" --seed 2 --db "$d/db" --duration 20s \
        --junit "$d/x.xml" --json "$d/y.json" \
        --filter 'interrupted_while_shrinking' >"$out" 2>&1 &
    pid=$!
    if ! wait_for "$d/mark"; then
        kill -KILL "-$pid" 2>/dev/null
        fail "$what: the property never failed"
        return
    fi
    sleep 0.5
    if [ "$target" = group ]; then kill -"$sig" "-$pid"; else kill -"$sig" "$pid"; fi
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt $((LIMIT * 10)) ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "-$pid"
        fail "$what: still running ${LIMIT}s after the signal"
        return
    fi
    wait "$pid"
    got=$?
    [ "$got" -eq 1 ] || fail "$what: exit $got, wanted 1"
    contains "FAIL interrupted_while_shrinking" "$what: the failure reported"
    contains "shrinking was interrupted" "$what: said so"
    contains "--replay gf1:" "$what: a replay line"
    contains "interrupted: the run stopped early" "$what: summary"
    [ -s "$d/x.xml" ] && grep -q "interrupted_while_shrinking" "$d/x.xml" ||
        fail "$what: no JUnit report"
    [ -s "$d/y.json" ] && grep -q "interrupted_while_shrinking" "$d/y.json" ||
        fail "$what: no JSON report"
    [ -z "$(ls "$d" | grep 'tmp-')" ] || fail "$what: temp files left: $(ls "$d")"
    [ -n "$(find "$d/db" -type f ! -name '.*' 2>/dev/null)" ] ||
        fail "$what: the failure was not saved"
    # The saved failure replays first next time.
    expect 1 "$what: saved failure replays" -- "$bin" --db "$d/db" \
        --max-shrink-calls 1 --filter 'interrupted_while_shrinking'
    contains "saved by an earlier run" "$what: saved failure replays"
}
interrupt INT group
interrupt TERM pid
interrupt HUP pid
interrupt TERM group

# Generation interrupted: what ran is reported, and nothing failed.
for how in "" "--jobs 2"; do
d="$work/gen$how"
mkdir -p "$d"
# shellcheck disable=SC2086
MARK="$d/mark" "$bin" --seed 2 --no-db --duration 20s --junit "$d/x.xml" \
    --filter 'holds_slowly' $how >"$out" 2>&1 &
pid=$!
wait_for "$d/mark" && sleep 0.3
kill -TERM "$pid"
wait "$pid"
got=$?
[ "$got" -eq 0 ] || fail "SIGTERM while generating $how: exit $got, wanted 0"
contains "PASS holds_slowly" "SIGTERM while generating $how: the property reported"
contains "interrupted" "SIGTERM while generating $how: said so"
grep -q 'testcase name="holds_slowly"' "$d/x.xml" 2>/dev/null ||
    fail "SIGTERM while generating $how: no JUnit report"
done

# A second Ctrl-C ends the run at once, and leaves no temp report behind.
d="$work/twice"
mkdir -p "$d"
MARK="$d/mark" setsid env --default-signal=INT "$bin" --seed 2 --db "$d/db" --duration 20s \
    --junit "$d/x.xml" --json "$d/y.json" \
    --filter 'interrupted_while_shrinking' >"$out" 2>&1 &
pid=$!
if wait_for "$d/mark"; then
    kill -INT "-$pid"
    sleep 0.05
    kill -INT "-$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "-$pid"
        fail "a second Ctrl-C did not end the run within 5 s"
    fi
    wait "$pid"
    [ -z "$(ls "$d" | grep 'tmp-')" ] || fail "second Ctrl-C: temp files left: $(ls "$d")"
else
    kill -KILL "-$pid" 2>/dev/null
    fail "second Ctrl-C: the property never failed"
fi

# ---- Ctrl-C typed at a terminal: the terminal echoes "^C" where the
# cursor is (after a progress line); the report after it starts on a
# cleared line, for a run interrupted while shrinking or while generating.
if command -v script >/dev/null 2>&1; then
    esc=$(printf '\033')
    cr=$(printf '\r')
    for prop in interrupted_while_shrinking holds_slowly; do
        (sleep 2.5; printf '\003'; sleep 10) | timeout -k 5 "$LIMIT" script -qec \
            "$bin --no-db --seed 2 --duration 20s --filter $prop" /dev/null >"$out" 2>&1
        # What the terminal shows after the echoed ^C: a line clear first.
        after=$(sed -n 's/.*\^C//p' "$out" | head -n 1)
        case $after in
        "$cr$esc[K"*) ;;
        *) fail "Ctrl-C on a terminal ($prop): the line after ^C is not cleared" ;;
        esac
        grep -q "^C.*[0-9] cases, .*left" "$out" &&
            fail "Ctrl-C on a terminal ($prop): the progress line went on after ^C"
        contains "interrupted" "Ctrl-C on a terminal ($prop): said so"
    done
else
    echo "test_reliab: no script(1); Ctrl-C at a terminal not tested here"
fi

# ---- the database stays where it was named
mkdir -p "$work/cwd" "$work/elsewhere"
abs_bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
(cd "$work/cwd" && ELSEWHERE="$work/elsewhere" timeout "$LIMIT" \
    "$abs_bin" --seed 1 --filter moves_away --db rel-db >"$out" 2>&1)
[ -n "$(find "$work/cwd/rel-db" -type f 2>/dev/null)" ] ||
    fail "chdir in a property: the failure is not in the database named"
[ -z "$(find "$work/elsewhere" -name 'rel-db' 2>/dev/null)" ] ||
    fail "chdir in a property: a database was made where the property went"
(cd "$work/cwd" && ELSEWHERE="$work/elsewhere" timeout "$LIMIT" \
    "$abs_bin" --seed 1 --filter moves_away --db rel-db2 --no-fork >"$out" 2>&1)
[ -n "$(find "$work/cwd/rel-db2" -type f 2>/dev/null)" ] ||
    fail "chdir in a property (--no-fork): the failure is not in the database named"

# ---- a property that closes stderr still gets its report
expect 1 "closed stderr" -- "$bin" --no-db --seed 1 --filter closes_stderr
contains "FAIL closes_stderr" "closed stderr: the report"
contains "#1 = 500" "closed stderr: shrunk"

# ---- a grandchild holding the pipes does not slow crash shrinking
LIMIT=15
expect 1 "lingering grandchild" -- "$bin" --no-db --seed 1 --filter leaves_grandchild
contains "#1 = 301" "lingering grandchild: shrunk"
LIMIT=60

# ---- symbolic links planted in the database directory
# The property's directory is found by saving a failure once.
db="$work/linkdb"
outside="$work/outside"
mkdir -p "$outside"
timeout "$LIMIT" "$bin" --seed 1 --filter moves_away --db "$db" >/dev/null 2>&1
pdir=$(ls "$db" 2>/dev/null | head -n 1)
if [ -z "$pdir" ]; then
    fail "no property directory in the database"
else
    rm -rf "${db:?}/$pdir"
    : >"$outside/.tmp-1-1-old"
    touch -d '2000-01-01' "$outside/.tmp-1-1-old"
    ln -s "$outside" "$db/$pdir"
    expect 1 "a linked property directory" -- "$bin" --seed 1 --filter moves_away --db "$db"
    [ -e "$outside/.tmp-1-1-old" ] || fail "a linked property directory: a file outside was deleted"
    [ "$(ls -A "$outside" | wc -l)" -eq 1 ] ||
        fail "a linked property directory: files were created outside: $(ls -A "$outside")"
    contains "symbolic link" "a linked property directory: said so"
fi

# ---- --max-choices is bounded, not an allocation of any size
expect 2 "huge --max-choices" -- "$bin" --no-db --max-choices 1073741824
contains "--max-choices is at most 1048576" "huge --max-choices: says the bound"
expect 0 "largest --max-choices" -- "$bin" --no-db --max-choices 1048576 \
    --filter holds_slowly --trials 3

# ---- --export-corpus never writes through a planted link
d="$work/export"
mkdir -p "$d/out"
: >"$d/victim"
timeout "$LIMIT" "$bin" --seed 1 --filter moves_away --db "$d/db" >/dev/null 2>&1
timeout "$LIMIT" sh -c 'for n in 0 1 2 3; do ln -s "$2/victim" "$2/out/moves_away_seed_corpus.zip.tmp-$$"; done 2>/dev/null
    exec "$1" --db "$2/db" --filter moves_away --export-corpus "$2/out"' sh "$bin" "$d" \
    >"$out" 2>&1
[ -s "$d/victim" ] && fail "--export-corpus wrote through a planted link"
[ -s "$d/out/moves_away_seed_corpus.zip" ] || fail "--export-corpus wrote no archive"

# ---- --replay-file on a FIFO nobody writes to does not block
mkfifo "$work/fifo"
LIMIT=10
expect 0 "--replay-file on a FIFO" -- "$bin" --no-db --filter holds_slowly \
    --replay-file "$work/fifo"
LIMIT=60

# ---- a crash on a thread the property started: reported, shrunk and
# replayable, also in this process (--no-fork)
for how in "" "--no-fork"; do
    # shellcheck disable=SC2086
    expect 1 "crash on another thread ${how}" -- "$bin" --no-db --seed 1 \
        --filter crashes_on_thread $how
    contains "FAIL crashes_on_thread" "crash on another thread ${how}: reported"
    contains "#1 = 501" "crash on another thread ${how}: shrunk"
    contains "--replay gf1:" "crash on another thread ${how}: a replay line"
done
contains "on another thread of the property" "crash on another thread --no-fork: said so"

# ---- _exit(0) in a property: with workers a failure like any other; with
# --no-fork, where nothing in the process can catch it, a watcher says
# which property and seed, and how to find the case.
expect 1 "_exit(0)" -- "$bin" --no-db --seed 1 --filter exits_quietly
contains "#1 = 701" "_exit(0): shrunk"
timeout -k 5 "$LIMIT" "$bin" --no-db --seed 1 --filter exits_quietly --no-fork \
    >"$out" 2>&1
# The watcher writes once the process has ended: give it a moment.
i=0
while ! grep -q "process ended" "$out" && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
contains "FAIL exits_quietly: the process ended during a case" "_exit(0) --no-fork: reported"
contains "seed: 0x0000000000000001" "_exit(0) --no-fork: the seed"
contains "without --no-fork" "_exit(0) --no-fork: what to do"
# A run that ends as runs end says nothing more.
expect 0 "--no-fork run that holds" -- "$bin" --no-db --seed 1 --filter holds_slowly \
    --trials 3 --no-fork
lacks "process ended" "--no-fork run that holds: no watcher message"

# ---- misuse of the API is the test's error, not a failure to shrink
for m in custom_size alloc array_len null_case weight span_end; do
    for how in "" "--no-fork"; do
        # shellcheck disable=SC2086
        expect 2 "misuse_$m ${how}" -- "$bin" --no-db --seed 1 --filter "misuse_$m" $how
        contains "ERROR misuse_$m" "misuse_$m ${how}: reported as an error"
        lacks "shrunk" "misuse_$m ${how}: not shrunk"
    done
done

# ---- AddressSanitizer sees overflows of the arena (the ASan build of CI)
if grep -q __asan_init "$bin" 2>/dev/null; then
    for prop in overflows_alloc uses_after_case; do
        for how in "" "--no-fork"; do
            # shellcheck disable=SC2086
            ASAN_OPTIONS=detect_leaks=0 expect 1 "$prop $how under ASan" -- \
                env ASAN_OPTIONS=detect_leaks=0 "$bin" --no-db --seed 1 --filter "$prop" $how
            contains "AddressSanitizer" "$prop $how: ASan reported it"
            # An overflow is one case and shrinks to its threshold; a use
            # after the case needs the case before it, so it has none.
            [ -z "$how" ] && [ "$prop" = overflows_alloc ] &&
                contains "#1 = 501" "$prop: shrunk"
        done
    done
else
    echo "test_reliab: not an AddressSanitizer build; arena poisoning not tested here"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "test_reliab: all passed"
