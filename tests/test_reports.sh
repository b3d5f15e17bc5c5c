#!/bin/sh
# test_reports.sh - the reports of a GF_MAIN program read by their real
# consumers: TAP by Perl's prove (on standard output while properties print
# there too, and in a file with --tap=FILE), JUnit XML by xmllint against
# docs/gadfly-junit.xsd, the schema of the format docs/reports.md documents.
set -u
bin="${top_builddir:-.}/tests/props_report"
src="${top_srcdir:-.}"
xsd="$src/docs/gadfly-junit.xsd"
d=$(mktemp -d) || exit 99
trap 'rm -rf "$d"' EXIT
fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
show() { sed 's/^/    | /' "$1"; }

if ! command -v prove >/dev/null 2>&1 || ! command -v xmllint >/dev/null 2>&1; then
    echo "SKIP: needs prove (perl) and xmllint (libxml2-utils)"
    exit 77
fi

# prove_ok LOG: prove read the plan and every line without a parse error,
# and counted the two properties that did not pass (fails_with_markup,
# gives_up) out of six.
prove_ok() {
    if grep -q "Parse errors" "$1"; then
        fail "$2: prove found parse errors"; show "$1"
    elif ! grep -q "Failed 2/6 subtests" "$1"; then
        fail "$2: prove did not count 2 failures in 6 tests"; show "$1"
    fi
}

# ---- TAP on standard output, while the properties print "ok 7" there
status=0
prove --exec '' "$bin" :: --seed 3 --no-db --tap >"$d/prove.log" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "prove passed a run with a failing property"
prove_ok "$d/prove.log" "--tap"
# The property's own lines went to standard error, with the reports.
"$bin" --seed 3 --no-db --tap >"$d/tap.out" 2>"$d/tap.err"
grep -q "^ok 7 - not a property" "$d/tap.out" &&
    fail "a property's 'ok 7' reached the TAP stream"
grep -q "^ok 7 - not a property" "$d/tap.err" ||
    fail "a property's standard output was lost under --tap"
grep -q "^FAIL fails_with_markup" "$d/tap.err" ||
    { fail "the failure report is not on standard error under --tap"; show "$d/tap.err"; }

# ---- TAP in a file: standard output keeps the reports
status=0
"$bin" --seed 3 --no-db --tap="$d/r.tap" >"$d/file.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "--tap=FILE exited $status, wanted 1"
grep -q "^FAIL fails_with_markup" "$d/file.out" ||
    { fail "--tap=FILE: the report left standard output"; show "$d/file.out"; }
grep -q "^TAP version 13" "$d/file.out" && fail "--tap=FILE also wrote TAP on standard output"
if [ ! -s "$d/r.tap" ]; then
    fail "--tap=FILE wrote no file"
else
    prove --exec cat "$d/r.tap" >"$d/prove-file.log" 2>&1
    prove_ok "$d/prove-file.log" "--tap=FILE"
    grep -q "replay: \"gf1:" "$d/r.tap" || fail "the TAP file has no replay token"
fi
ls "$d" | grep -q 'tmp-' && fail "a temp file was left beside the reports"
status=0
"$bin" --no-db --tap="$d/nodir/r.tap" >"$d/bad.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "--tap=FILE in a missing directory exited $status, wanted 2"
status=0
"$bin" --no-db --tap="$d/same" --junit "$d/same" >"$d/bad.out" 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "TAP and JUnit reports both name" "$d/bad.out" ||
    { fail "--tap=FILE and --junit FILE on one path not refused"; show "$d/bad.out"; }

# ---- JUnit against its schema
"$bin" --seed 3 --no-db --junit "$d/r.xml" --json "$d/r.json" >/dev/null 2>&1
if ! xmllint --noout --schema "$xsd" "$d/r.xml" >"$d/xsd.log" 2>&1; then
    fail "the JUnit report does not validate against docs/gadfly-junit.xsd"
    show "$d/xsd.log"
fi
grep -q '<failure message="[^"]*" type="gave_up">' "$d/r.xml" ||
    fail "the JUnit report has no gave_up failure"
# The schema is strict enough to fail: a testcase without its classname,
# a failure of an unknown type.
sed 's/ classname="[^"]*"//' "$d/r.xml" >"$d/bad1.xml"
sed 's/type="gave_up"/type="skipped"/' "$d/r.xml" >"$d/bad2.xml"
for bad in bad1 bad2; do
    xmllint --noout --schema "$xsd" "$d/$bad.xml" >/dev/null 2>&1 &&
        fail "docs/gadfly-junit.xsd accepts a broken report ($bad)"
done
python3 -m json.tool "$d/r.json" >/dev/null 2>&1 || fail "the JSON report does not parse"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "reports: prove reads the TAP (stream and file), xmllint validates the JUnit"
