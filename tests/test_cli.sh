#!/bin/sh
# test_cli.sh - the command line of a GF_MAIN program (src/cli.c):
# options, variables, exit codes, replay, and one-line errors for bad input.
set -u
bin="${top_builddir:-.}/tests/props_cli"
out=$(mktemp) || exit 99
db=$(mktemp -d) || exit 99
trap 'rm -rf "$out" "$db"' EXIT
# The failure database of these runs lives in a scratch directory; the
# runs that compare output byte for byte leave it out with --no-db.
GF_DB="$db/main"
export GF_DB
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

expect 0 "help" -- "$bin" --help
contains "--replay TOKEN" "help lists options"
expect 0 "list" -- "$bin" --list
contains "small_sum" "list names properties"
contains "crashes_on_big" "list names properties"

expect 0 "passing property" -- "$bin" --filter always_holds --seed 1
contains "1 passed, 0 failed" "summary line"
expect 0 "filter glob" -- "$bin" --filter 'always*' --filter=one_bool
expect 2 "filter matching nothing" -- "$bin" --filter nothing_here

expect 1 "failing property" -- "$bin" --filter small_sum --seed 5 --no-db
contains "FAIL small_sum" "report names the property"
contains "#1 = 0" "shrunk first value"
contains "#2 = 1000" "shrunk second value"
contains "note: a + b = 1000" "notes"
contains "props_cli.c:" "origin is the assertion"
contains "seed: 0x0000000000000005" "seed"
token=$(sed -n 's/.*--replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
[ -n "$token" ] || { echo "FAIL: no replay token"; fails=$((fails + 1)); }
first=$(cat "$out")

expect 1 "same seed" -- "$bin" --filter small_sum --seed 5 --no-db
[ "$(cat "$out")" = "$first" ] || { echo "FAIL: same seed gave different output"; fails=$((fails + 1)); }
expect 1 "seed from GF_SEED" -- env GF_SEED=5 "$bin" --filter small_sum --no-db
[ "$(cat "$out")" = "$first" ] || { echo "FAIL: GF_SEED differs from --seed"; fails=$((fails + 1)); }

expect 1 "replay" -- "$bin" --replay "$token"
contains "#2 = 1000" "replay reproduces the case"
contains "(replayed)" "replay says so"
expect 1 "replay from GF_REPLAY" -- env GF_REPLAY="$token" "$bin"
contains "#2 = 1000" "GF_REPLAY reproduces the case"

damaged=$(printf '%s' "$token" | sed 's/.$/@/')
expect 2 "damaged token" -- "$bin" --replay "$damaged"
contains "bad replay token" "damaged token message"
short=$(printf '%s' "$token" | cut -c1-8)
expect 2 "truncated token" -- "$bin" --replay "$short"
contains "bad replay token" "truncated token message"
expect 2 "token for a property not here" -- "$bin" --filter always_holds --replay "$token"

expect 1 "crash is a failure" -- "$bin" --filter crashes_on_big --seed 3
contains "crash (SIGABRT)" "crash origin"
contains "#1 = 701" "crash shrinks"
# In-process (--no-fork), the line printed at the first crash, before
# shrinking, replays it too: the process may not survive to report.
expect 1 "crash in-process" -- "$bin" --filter crashes_on_big --seed 3 --no-fork --no-db
contains "#1 = 701" "an in-process crash shrinks"
early=$(sed -n 's/.*replays the crash: .* --replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
[ -n "$early" ] || { echo "FAIL: no replay line at the first crash"; fails=$((fails + 1)); }
expect 1 "early crash token replays" -- "$bin" --replay "$early"
contains "crash (SIGABRT)" "the early token reproduces the crash"

# Colour: only on a terminal by default (this output is a file), always
# with --color always, and a bad value is a usage error.
esc=$(printf '\033')
expect 1 "no colour in a file" -- "$bin" --filter small_sum --seed 5 --no-db
if grep -q "$esc" "$out"; then
    echo "FAIL: colour escapes in output that is not a terminal"; fails=$((fails + 1))
fi
expect 1 "colour always" -- "$bin" --filter small_sum --seed 5 --no-db --color always
grep -q "^${esc}\[1;31mFAIL${esc}\[0m small_sum" "$out" ||
    { echo "FAIL: --color always: no red FAIL"; sed 's/^/    /' "$out"; fails=$((fails + 1)); }
grep -q "${esc}\[1;31m0 passed, 1 failed${esc}\[0m" "$out" ||
    { echo "FAIL: --color always: no red summary"; fails=$((fails + 1)); }
expect 1 "GF_COLOR=always" -- env GF_COLOR=always "$bin" --filter small_sum --seed 5 --no-db
grep -q "$esc" "$out" || { echo "FAIL: GF_COLOR=always gave no colour"; fails=$((fails + 1)); }
expect 1 "--color never wins over GF_COLOR" -- env GF_COLOR=always "$bin" --filter small_sum --seed 5 --no-db --color never
if grep -q "$esc" "$out"; then
    echo "FAIL: --color never still coloured"; fails=$((fails + 1))
fi
expect 2 "bad colour" -- "$bin" --color sometimes
contains "--color needs auto, always or never, not 'sometimes'" "bad colour message"
expect 2 "bad GF_COLOR" -- env GF_COLOR=purple "$bin"
contains "GF_COLOR=purple" "bad GF_COLOR message"

expect 2 "unknown option" -- "$bin" --frobnicate
contains "unknown option '--frobnicate'" "unknown option message"
expect 2 "bad trials" -- "$bin" --trials abc
contains "--trials needs a positive number" "bad trials message"
expect 2 "zero trials" -- "$bin" --trials 0
expect 2 "negative seed" -- "$bin" --seed -1
expect 2 "missing value" -- "$bin" --seed
expect 2 "bad GF_TRIALS" -- env GF_TRIALS=lots "$bin"
contains "GF_TRIALS=lots" "variable message"
expect 2 "bad GF_SEED" -- env GF_SEED=0xZZ "$bin"
expect 2 "bad shrink time" -- "$bin" --max-shrink-time -3

expect 1 "exit() is a failure" -- "$bin" --filter exits_on_big --seed 2 --no-db
contains "at exit(7): the property called exit(7)" "exit origin"
contains "#1 = 401" "an exit shrinks"
contains "0 passed, 1 failed" "and the run goes on to its summary"

expect 1 "a hang is a timeout" -- "$bin" --filter hangs_on_big --seed 2 --timeout 0.1s
contains "at timeout: the case ran longer than the timeout" "timeout origin"
contains "#1 = 601" "a hang shrinks to the smallest input that still hangs"
expect 2 "bad timeout" -- "$bin" --timeout soon
contains "--timeout needs a time" "bad timeout message"
expect 2 "bad GF_TIMEOUT" -- env GF_TIMEOUT=-3 "$bin"

expect 0 "duration" -- "$bin" --filter wide_holds --duration 0.5s -v
many=$(sed -n 's/^PASS wide_holds (\([0-9]*\) passed.*/\1/p' "$out")
[ "${many:-0}" -gt 1000 ] || { echo "FAIL: --duration ran only ${many:-0} cases"; fails=$((fails + 1)); }
if grep -q "left" "$out"; then
    echo "FAIL: a progress line was printed to a file"; fails=$((fails + 1))
fi
if command -v script >/dev/null 2>&1; then
    script -qec "$bin --filter wide_holds --duration 1.2s" /dev/null >"$out" 2>&1
    contains "cases," "a progress line on a terminal"
    contains "left" "the progress line shows the time left"
fi
expect 2 "bad duration" -- "$bin" --duration 10x
expect 2 "bad GF_DURATION" -- env GF_DURATION=0 "$bin"

# Times: finite, positive, at most a year, whatever the unit; one message
# naming the value, exit 2, nothing run.
for v in 1e308h inf infinity nan 1e400 1e-400 8761h 525601m 31536001 ' 5' '5 ' \
        5s5 5sm 0x 1e5x h -1m; do
    expect 2 "--duration '$v'" -- "$bin" --filter always_holds --duration "$v"
    contains "--duration needs a time" "--duration '$v' message"
    contains "not '$v'" "--duration '$v' names the value"
    expect 2 "--timeout '$v'" -- "$bin" --filter always_holds --timeout "$v"
    contains "--timeout needs a time" "--timeout '$v' message"
    case $v in ' '* | *' ') continue ;; esac # a variable's blanks are dropped
    expect 2 "GF_DURATION='$v'" -- env GF_DURATION="$v" "$bin" --filter always_holds
    [ "$(wc -l <"$out")" -eq 1 ] || { echo "FAIL: GF_DURATION='$v': not one line"; fails=$((fails + 1)); }
done
for v in inf 1e308 nan 31536001 ' 5' 5x; do
    expect 2 "--max-shrink-time '$v'" -- "$bin" --filter always_holds --max-shrink-time "$v"
    contains "--max-shrink-time needs a positive number" "--max-shrink-time '$v' message"
    case $v in ' '* | *' ') continue ;; esac
    expect 2 "GF_MAX_SHRINK_SECONDS='$v'" -- env GF_MAX_SHRINK_SECONDS="$v" "$bin" --filter always_holds
    contains "GF_MAX_SHRINK_SECONDS=" "GF_MAX_SHRINK_SECONDS='$v' message"
done
for v in ' 0.5' 0.5x inf 2; do
    expect 2 "--max-size '$v'" -- "$bin" --filter always_holds --max-size "$v"
done
expect 0 "the longest --duration" -- "$bin" --filter always_holds --duration 8760h --trials 1 -q
expect 0 "the longest --timeout" -- "$bin" --filter always_holds --timeout 525600m
expect 0 "the longest --max-shrink-time" -- "$bin" --filter always_holds --max-shrink-time 31536000
# Blanks around a variable's value are dropped for every GF_ variable
# (a value read from a file ends in a newline); blanks alone are unset.
nl='
'
expect 1 "GF_ values with blanks" -- env GF_SEED=" 5$nl" GF_TRIALS="100 " \
    GF_FILTER=" small_sum " GF_TIMEOUT=" 5s" GF_JOBS="1 " GF_VERBOSE=" 1" \
    GF_MAX_SHRINK_CALLS=" 1000" GF_MAX_SHRINK_SECONDS="60 " GF_COLOR=" never" \
    GF_SHARD=" 1/1 " "$bin" --no-db
[ "$(cat "$out")" = "$first" ] || { echo "FAIL: blanks around GF_ values changed the run"; sed 's/^/    /' "$out"; fails=$((fails + 1)); }
expect 0 "GF_ values of blanks only" -- env GF_SEED="  " GF_TRIALS=" " GF_JOBS="$nl" \
    "$bin" --filter always_holds
expect 2 "a GF_ value with a blank inside" -- env GF_TRIALS="10 0" "$bin" --filter always_holds
contains "GF_TRIALS=10 0 is not a valid positive number" "blank inside: the message"

# Shards draw different cases from one seed; a shard repeats exactly.
trace() { "$bin" --filter wide_holds --trials 5 --seed 5 -v -v "$@" 2>&1 | grep '#1 = '; }
one=$(trace --shard 1/2)
two=$(trace --shard 2/2)
[ -n "$one" ] && [ "$one" != "$two" ] ||
    { echo "FAIL: shards 1/2 and 2/2 drew the same cases"; fails=$((fails + 1)); }
[ "$(trace --shard 2/2)" = "$two" ] ||
    { echo "FAIL: a shard is not reproducible"; fails=$((fails + 1)); }
expect 2 "shard out of range" -- "$bin" --shard 3/2
contains "--shard needs I/N" "bad shard message"
expect 2 "shard zero" -- "$bin" --shard 0/4
expect 2 "bad GF_SHARD" -- env GF_SHARD=1-4 "$bin"

expect 1 "jobs" -- "$bin" --filter small_sum --seed 5 --jobs 2 --no-db
contains "#2 = 1000" "a failure found by a worker is shrunk"
first_jobs=$(cat "$out")
expect 1 "jobs again" -- "$bin" --filter small_sum --seed 5 --jobs 2 --no-db
[ "$(cat "$out")" = "$first_jobs" ] || { echo "FAIL: --jobs 2 twice gave different output"; fails=$((fails + 1)); }
expect 0 "jobs count" -- "$bin" --filter wide_holds --seed 1 --jobs 3 --trials 100 -v
contains "PASS wide_holds (100 passed" "the workers' cases add up to --trials"
# Worker processes: each deadly case is a failure with its own origin,
# shrunk in a fresh process, and the run goes on.
expect 1 "a property that _exits is a failure" -- "$bin" --filter hard_exits --seed 1 --no-db
contains "at exit(0): the property ended its process with status 0" "_exit origin"
contains "#1 = 301" "an _exit shrinks"
contains "0 passed, 1 failed" "and counted as a failure"
token=$(sed -n 's/.*--replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
expect 1 "an _exit replays" -- "$bin" --replay "$token"
contains "#1 = 301" "the _exit token's case"
contains "at exit(0)" "the _exit token reproduces it"
# Under sanitizers (CFLAGS has -fsanitize), the sanitizer stops these
# cases first, with an origin of its own.
case ${CFLAGS:-} in
    *-fsanitize=*) sanitized=yes ;;
    *) sanitized=no ;;
esac
expect 1 "segfault" -- "$bin" --filter segfaults_on_big --seed 1 --no-db
[ $sanitized = yes ] ||
    contains "at crash (SIGSEGV): invalid memory access (a bad pointer" "segfault origin, said once"
contains "#1 = 901" "a segfault shrinks"
expect 1 "stack overflow" -- "$bin" --filter overflows_stack --seed 1 --no-db
contains "at stack overflow: the property overflowed its stack" "stack overflow origin"
contains "#1 = 101" "a stack overflow shrinks"
expect 1 "heap corruption" -- "$bin" --filter corrupts_heap --seed 1 --no-db
[ $sanitized = yes ] || contains "at crash (SIGABRT)" "a double free aborts"
contains "#1 = 501" "heap corruption shrinks"
expect 1 "SIGKILL" -- "$bin" --filter killed_on_big --seed 2 --no-db
contains "at killed (SIGKILL)" "SIGKILL origin"
contains "#1 = 201" "a killed case shrinks"
expect 1 "the run goes on after crashes" -- "$bin" --filter '[cw]*' --seed 4 --no-db
contains "FAIL crashes_on_big" "the first crash reported"
contains "FAIL corrupts_heap" "the second crash reported"
contains "1 passed, 2 failed" "the property between them ran in a fresh worker"
expect 1 "stuck where signals cannot reach" -- "$bin" --filter stuck_on_big --seed 1 --no-db --timeout 0.2
contains "at timeout" "a stuck case is a timeout"
contains "#1 = 101" "a stuck case shrinks"
# In-process there is nothing to take over a stuck process: it says so,
# with a replay line, and exits 3.
expect 3 "stuck in-process" -- "$bin" --filter stuck_on_big --seed 1 --no-db --timeout 0.2 --no-fork
contains "the process is stuck" "the stuck process says so"
token=$(sed -n 's/.*--replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
expect 1 "the stuck line replays" -- "$bin" --replay "$token" --timeout 0.2
contains "at timeout" "the stuck token's case times out"
expect 1 "a --jobs worker that dies is a failure" -- "$bin" --filter hard_exits --jobs 2 --seed 1 --no-db
contains "at exit(0)" "a dead --jobs worker's case is taken over"
contains "#1 = 301" "and shrunk"
expect 1 "a --jobs worker that crashes" -- "$bin" --filter corrupts_heap --jobs 2 --seed 1 --no-db
contains "#1 = 501" "a crash in a --jobs worker shrinks"
expect 2 "bad jobs" -- "$bin" --jobs 0
contains "--jobs needs a number of workers" "bad jobs message"

expect 0 "no fork" -- "$bin" --no-fork --jobs 2 --filter always_holds -v
contains "PASS always_holds (100 passed" "--no-fork runs the property here"
expect 1 "cases too large" -- "$bin" --filter small_sum --max-choices 1 --seed 1
contains "raise the limit with --max-choices" "the health check says how to relax it"
expect 2 "bad max-choices" -- "$bin" --max-choices many

# The failure database: saved, replayed first, forgotten once fixed.
fdb="$db/failures"
expect 1 "a failure is saved" -- env BROKEN=1 "$bin" --filter fails_when_broken --seed 1 --db "$fdb"
[ "$(find "$fdb" -type f | wc -l)" -eq 1 ] || { echo "FAIL: no saved failure in $fdb"; fails=$((fails + 1)); }
expect 1 "a saved failure replays first" -- env BROKEN=1 "$bin" --filter fails_when_broken --seed 2 --db "$fdb"
contains "a failure saved by an earlier run, replayed first" "saved failures replay first"
contains "#1 = 10" "and shrink as usual"
contains "seed: none, the failure came from the database" "no seed that cannot reproduce it"
! grep -q "seed: 0x0000000000000002" "$out" || { echo "FAIL: a saved failure printed this run's seed"; fails=$((fails + 1)); }
# Another program with a property of the same name keeps its own failures:
# it neither replays this one nor forgets it.
other="$db/other_cli"
cp "$bin" "$other" && chmod +x "$other"
expect 0 "another program, same property name" -- "$other" --filter fails_when_broken --seed 3 --db "$fdb" -v
! grep -qF "replayed first" "$out" && ! grep -qF "now passes" "$out" || {
    echo "FAIL: another program replayed this program's failure"; sed 's/^/    /' "$out"; fails=$((fails + 1)); }
[ "$(find "$fdb" -type f | wc -l)" -eq 1 ] || { echo "FAIL: another program forgot this one's failure"; fails=$((fails + 1)); }
expect 0 "a fixed failure is forgotten" -- "$bin" --filter fails_when_broken --seed 3 --db "$fdb" -v
contains "fails_when_broken: a failure saved by an earlier run now passes; forgotten" "-v says a fixed failure is forgotten"
[ "$(find "$fdb" -type f | wc -l)" -eq 0 ] || { echo "FAIL: the fixed failure was not forgotten"; fails=$((fails + 1)); }
expect 1 "saved again" -- env BROKEN=1 "$bin" --filter fails_when_broken --seed 1 --db "$fdb"
for f in $(find "$fdb" -type f); do printf 'damaged' >"$f"; done
expect 1 "a corrupt saved failure is skipped" -- env BROKEN=1 "$bin" --filter fails_when_broken --seed 1 --db "$fdb"
contains "skipped saved failure" "a corrupt file is reported"
contains "#1 = 10" "and the run goes on"
expect 1 "no database" -- env BROKEN=1 "$bin" --filter fails_when_broken --seed 1 --db "$db/unused" --no-db
[ ! -e "$db/unused" ] || { echo "FAIL: --no-db wrote a database"; fails=$((fails + 1)); }
expect 2 "empty --db" -- "$bin" --db ""

# Statistics and coverage.
expect 0 "stats" -- "$bin" --filter labelled --seed 1 --stats
contains "negative" "the chart names the labels"
contains "%" "the chart shows shares"
expect 1 "unmet coverage" -- "$bin" --filter uncovered --seed 1
contains "coverage requirement was not met" "an unmet gf_cover fails the property"
expect 0 "stats over workers" -- "$bin" --filter labelled --seed 1 --stats --jobs 2 --no-db
contains "not negative" "the workers' labels are merged into one chart"
expect 1 "coverage over workers" -- "$bin" --filter uncovered --seed 1 --jobs 2 --no-db
contains "coverage requirement was not met" "coverage is judged over all the workers' cases"
for s in 1 2 3; do
    expect 0 "coverage with many small workers" -- "$bin" --filter labelled --jobs 8 --trials 16 --seed $s --no-db
done

# Machine-readable reports.
expect 1 "tap" -- "$bin" --filter 'small_sum' --seed 5 --no-db --tap
contains "TAP version 13" "TAP header"
contains "1..1" "TAP plan"
contains "not ok 1 - small_sum" "TAP result"
expect 1 "junit and json" -- "$bin" --filter '*_sum' --seed 5 --no-db \
    --junit "$db/report.xml" --json "$db/report.json"
[ -s "$db/report.xml" ] && [ -s "$db/report.json" ] ||
    { echo "FAIL: no JUnit or JSON report written"; fails=$((fails + 1)); }
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$db/report.xml" || { echo "FAIL: xmllint rejects the JUnit report"; fails=$((fails + 1)); }
fi
if command -v python3 >/dev/null 2>&1; then
    python3 -m json.tool "$db/report.json" >/dev/null ||
        { echo "FAIL: the JSON report is not JSON"; fails=$((fails + 1)); }
fi
grep -q '"replay": "gf1:' "$db/report.json" ||
    { echo "FAIL: the JSON report has no replay token"; fails=$((fails + 1)); }
expect 2 "unwritable report" -- "$bin" --filter always_holds --junit /nonexistent/dir/r.xml
contains "gadfly:" "an unwritable report path is one line"

expect 1 "too slow" -- "$bin" --filter slow_case --trials 1000000 --seed 1
contains "health check: cases take" "the slow-run health check"
contains "(--duration)" "and how to relax it"

expect 0 "verbose twice" -- "$bin" --filter always_holds --trials 3 --seed 1 -v -v
contains "always_holds: case 1 held" "every case is traced"
contains "#1 = 0" "traced cases show their values"
contains "PASS always_holds (3 passed" "and the property line"

expect 0 "exhausted space" -- "$bin" --filter one_bool --trials 1000 -v
contains "the input space looks used up" "exhaustion is reported"

# Short options combine; -- ends the options; names are patterns.
expect 0 "combined short options" -- "$bin" --filter one_bool --trials 4 -vv
contains "one_bool: case 1" "-vv is -v -v: every case"
expect 0 "-vq" -- "$bin" --filter always_holds --trials 4 -vq
contains "PASS always_holds" "-vq is verbose"
expect 2 "bad letter in a bundle" -- "$bin" -vx
contains "unknown option '-x'" "names the bad letter"
expect 0 "version" -- "$bin" --version
contains "(Gadfly 0.1.0)" "--version prints the version"
expect 0 "patterns as operands" -- "$bin" -v always_holds 'one_*'
contains "PASS always_holds" "operand pattern runs"
contains "PASS one_bool" "second operand pattern runs"
contains "2 passed, 0 failed" "only what the patterns name"
expect 2 "-- makes what follows a pattern" -- "$bin" -- --trials
contains "no property matches --trials" "after --, not an option"

# Reports are the program's output: standard output, so `./props > log`
# keeps them; bad usage goes to standard error.
"$bin" --filter small_sum --seed 5 --no-db >"$out" 2>/dev/null
grep -qF "FAIL small_sum" "$out" && grep -qF "0 passed, 1 failed" "$out" || {
    echo "FAIL: the failure report is not on standard output"; fails=$((fails + 1)); }
"$bin" --frobnicate >"$out" 2>/dev/null
[ ! -s "$out" ] || { echo "FAIL: a usage error went to standard output"; fails=$((fails + 1)); }
"$bin" --filter small_sum --seed 5 --no-db --tap >"$out" 2>/dev/null
grep -q "^not ok 1 - small_sum" "$out" && ! grep -qF "FAIL small_sum" "$out" || {
    echo "FAIL: with --tap the report is not kept off standard output"; sed 's/^/    /' "$out"; fails=$((fails + 1)); }

# FORCE_COLOR forces colour into a pipe (over NO_COLOR); 0 turns it off.
esc=$(printf '\033')
expect 1 "FORCE_COLOR" -- env NO_COLOR=1 FORCE_COLOR=1 "$bin" --filter small_sum --seed 5 --no-db
grep -q "$esc\[1;31mFAIL" "$out" || { echo "FAIL: FORCE_COLOR=1 gave no colour"; fails=$((fails + 1)); }
expect 1 "FORCE_COLOR=0" -- env FORCE_COLOR=0 "$bin" --filter small_sum --seed 5 --no-db --color auto
! grep -q "$esc" "$out" || { echo "FAIL: FORCE_COLOR=0 still coloured"; fails=$((fails + 1)); }

if [ "$fails" -ne 0 ]; then
    echo "$fails command-line check(s) failed"
    exit 1
fi
echo "command line: all checks passed"
