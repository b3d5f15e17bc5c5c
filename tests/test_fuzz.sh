#!/bin/sh
# test_fuzz.sh - fuzzer files in Gadfly programs: the fuzz target built
# with the stand-alone driver and with its own main abort on a failing
# input and pass the rest; --replay-file shrinks a crash file into a replay
# token and a database entry; bad files get one line and exit 2 and leave
# the database alone; --export-corpus writes a zip that unzip accepts and
# --import-corpus brings its seeds back as the same failures.
set -u
: "${top_builddir:?top_builddir is not set: run this through make check}"
case $top_builddir in
    /*) ;;
    *) top_builddir=$(pwd)/$top_builddir ;;
esac
bin="$top_builddir/examples/fuzz_planted"
fuzzer="$top_builddir/examples/fuzz_planted_fuzzer"
standalone="$top_builddir/examples/fuzz_planted_standalone"
multi="$top_builddir/tests/props_cli"
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || exit 99
out="$work/out.txt"
GF_DB="$work/db"
export GF_DB
fails=0

fail() { echo "FAIL: $*"; sed 's/^/    | /' "$out"; fails=$((fails + 1)); }
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$out" 2>&1
    got=$?
    [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want"
}
contains() { grep -qF -- "$1" "$out" || fail "$2: no '$1'"; }
lines() { [ "$(wc -l <"$out")" -eq "$1" ] || fail "$2: $(wc -l <"$out") lines, wanted $1"; }
db_state() { (cd "$work" && find db -type f 2>/dev/null | sort | xargs -r cksum); }

# A length byte of 12, then a record claiming 90 bytes, then junk.
printf '\014GFZabcdefghi' >crash
printf '\005GF\002xy' >good
printf '\007hello, ' >other
mkdir inputs && cp good other inputs/

# The target linked with LIB_FUZZING_ENGINE (Gadfly's driver unless the
# build was configured with a fuzzer) and the one with its own main.
for prog in "$fuzzer" "$standalone"; do
    name=$(basename "$prog")
    expect 0 "$name on a passing input" -- "$prog" good
    expect 0 "$name on a directory" -- "$prog" -runs=1 inputs
    "$prog" crash >"$out" 2>&1
    got=$?
    [ "$got" -ne 0 ] || fail "$name on the crash file: exit 0"
    contains "fails record_stays_inside_input" "$name names the property"
    contains 'input = "GFZabcdefghi"' "$name prints the input's values"
    contains "--replay gf1:" "$name prints a replay token"
done
# Gadfly's own driver: counts, standard input, abort, unreadable files.
expect 0 "the driver on a passing input" -- "$standalone" good
contains "1 input held" "the driver counts its inputs"
expect 0 "the driver on a directory" -- "$standalone" inputs -runs=1
contains "2 inputs held" "the driver runs a directory"
expect 0 "the driver on standard input" -- sh -c "'$standalone' <good"
contains "1 input held" "the driver reads standard input"
expect 134 "the driver on the crash file" -- sh -c "'$standalone' crash; exit \$?"
expect 2 "the driver on a missing file" -- "$standalone" no-such-file
contains "cannot read no-such-file" "the driver says what it could not read"

expect 0 "a passing file replays" -- "$bin" --replay-file good
contains "PASS record_stays_inside_input (the input in good held)" "pass line"
[ -z "$(db_state)" ] || fail "a passing file saved something"

expect 1 "the crash file replays" -- "$bin" --replay-file crash
contains "FAIL record_stays_inside_input (the input in crash), shrunk in" "fail line"
contains 'input = "GF\x01"' "the crash shrinks to the minimal record"
contains "note: the record claims 1 payload bytes" "notes of the shrunk case"
token=$(sed -n 's/.*--replay \(gf1:[A-Za-z0-9_-]*\).*/\1/p' "$out" | head -n 1)
[ -n "$token" ] || fail "no replay token"
expect 1 "the shrunk token replays" -- "$bin" --replay "$token" --no-db
contains 'input = "GF\x01"' "the token is the shrunk case"
saved=$(db_state)
[ "$(printf '%s\n' "$saved" | grep -c .)" -eq 1 ] || fail "one failure saved, not: $saved"
expect 1 "the next run replays the saved failure" -- "$bin" --seed 1
contains "a failure saved by an earlier run" "saved failure replayed first"
contains 'input = "GF\x01"' "saved failure is the shrunk one"

# A fuzzer's crash and timeout files shrink like assertion failures.
printf '\003\204' >x900
expect 1 "a crash file of a crashing property" -- "$multi" --filter crashes_on_big --replay-file x900 --no-db
contains "at crash (SIGABRT)" "crash origin"
contains "#1 = 701" "the crash shrinks"
expect 1 "a timeout file" -- "$multi" --filter hangs_on_big --replay-file x900 --no-db --timeout 0.1s
contains "at timeout" "timeout origin"
contains "#1 = 601" "the hang shrinks"

# Bad input: one line, exit 2, the database untouched.
expect 2 "a missing file" -- "$bin" --replay-file no-such-file
contains "cannot read no-such-file: No such file or directory" "missing file message"
lines 1 "missing file message"
expect 2 "a directory" -- "$bin" --replay-file inputs
contains "inputs is a directory, not a file" "directory message"
lines 1 "directory message"
expect 2 "no file" -- "$bin" --replay-file=
contains "--replay-file needs a file or directory" "empty value message"
expect 2 "several properties" -- "$multi" --replay-file crash
contains "choose one with --filter NAME" "several properties message"
expect 2 "with --replay too" -- "$bin" --replay-file crash --replay "$token"
# The size limit: exactly 64 MiB is read, a byte more is refused.
if truncate -s 64M limit 2>/dev/null && truncate -s 67108865 over; then
    expect 0 "a file of exactly 64 MiB" -- "$bin" --replay-file limit --no-db
    contains "PASS record_stays_inside_input (the input in limit held)" "64 MiB file"
    expect 0 "64 MiB through the driver" -- "$standalone" limit
    contains "1 input held" "the driver reads 64 MiB"
    expect 0 "64 MiB on standard input" -- sh -c "cat limit | '$standalone'"
    contains "1 input held" "the driver reads 64 MiB from a pipe"
    expect 2 "a file of 64 MiB and a byte" -- "$bin" --replay-file over --no-db
    contains "over is larger than 64 MiB" "too large message"
    lines 1 "too large message"
    expect 2 "64 MiB and a byte on standard input" -- sh -c "cat over | '$standalone'"
    contains "is larger than 64 MiB" "too large from a pipe"
    rm -f limit over
else
    echo "no truncate: the 64 MiB limit is not checked"
fi
expect 2 "a missing corpus" -- "$bin" --import-corpus no-such-dir
contains "cannot open the directory no-such-dir" "missing corpus message"
lines 1 "missing corpus message"
expect 2 "an unwritable export" -- "$bin" --export-corpus good/sub
contains "cannot create good/sub" "unwritable export message"
[ "$(db_state)" = "$saved" ] || fail "a bad file changed the database"

# Export: a zip of stored entries; import: the same failure again.
expect 0 "export" -- "$bin" --export-corpus corpus
zip=corpus/record_stays_inside_input_seed_corpus.zip
contains "1 saved failure and 100 passing cases written to $zip" "export message"
[ -f "$zip" ] || fail "no $zip"
if command -v unzip >/dev/null 2>&1; then
    expect 0 "unzip -t accepts the corpus" -- unzip -t "$zip"
    mkdir seeds && (cd seeds && unzip -q "../$zip") || fail "unzip"
elif command -v python3 >/dev/null 2>&1; then
    expect 0 "zipfile accepts the corpus" -- python3 -m zipfile -t "$zip"
    python3 -m zipfile -e "$zip" seeds || fail "python3 zipfile"
else
    echo "no unzip or python3: the zip is checked by tests/test_fuzz's reader only"
fi
if [ -d seeds ]; then
    # The saved failure and 100 distinct passing cases, which the target
    # runs through without a failure once the failure is taken out.
    [ "$(ls seeds | wc -l)" -eq 101 ] || fail "the corpus has $(ls seeds | wc -l) entries, wanted 101"
    expect 134 "the saved failure is a crash for the fuzz target" -- sh -c "'$standalone' seeds/* 2>&1; exit \$?"
    mkdir passing
    for f in seeds/*; do
        "$standalone" "$f" >/dev/null 2>&1 && cp "$f" passing/
    done
    [ "$(ls passing | wc -l)" -eq 100 ] || fail "$(ls passing | wc -l) of the 101 seeds pass, wanted 100"
    rm -rf db
    cp good seeds/
    expect 1 "import" -- "$bin" --import-corpus seeds
    contains "102 inputs from seeds: 101 held, 0 discarded, 1 failed" "import summary"
    contains "saved to $GF_DB" "import says where"
    [ "$(db_state)" = "$saved" ] || fail "import did not save the same failure: $(db_state)"
fi
# Saved failures are keyed by program and property: an exporter of another
# name (examples/oss-fuzz/build.sh builds its own) finds them all the same.
cp "$bin" "$work/another-program"
expect 0 "export by another program" -- "$work/another-program" --export-corpus corpus4
contains "1 saved failure and 100 passing cases" "another program exports the saved failure"
# The corpus is the same whichever program writes it.
cmp -s corpus4/record_stays_inside_input_seed_corpus.zip "$zip" ||
    fail "another program's export differs"
mkdir empty
expect 0 "export with nothing saved" -- "$bin" --export-corpus corpus2 --db "$work/empty"
contains "0 saved failures and 100 passing cases" "empty export message"
[ -f corpus2/record_stays_inside_input_seed_corpus.zip ] ||
    fail "an export with nothing saved wrote no corpus of passing cases"
expect 0 "export from a missing database" -- "$bin" --export-corpus corpus3 --db "$work/no-such-db"
contains "0 saved failures and 100 passing cases" "missing database export"
[ ! -e no-such-db ] || fail "an export created the missing database"
expect 0 "export with --no-db" -- "$bin" --export-corpus corpus5 --no-db --trials 7
contains "0 saved failures and 7 passing cases" "--trials sets the passing cases"
: >not-a-dir
expect 2 "export from a database that is a file" -- "$bin" --export-corpus corpus6 --db not-a-dir
contains "is not a directory" "database that is a file"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "fuzz files: all checks passed"
