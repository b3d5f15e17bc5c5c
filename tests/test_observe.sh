#!/bin/sh
# test_observe.sh - --observe and GF_OBSERVE (src/observe.c): the lines of
# every example program validate against the observation schema
# (tests/observation.schema.json, Tyche's format) and add up to the cases
# each run counted, with and without --jobs; nothing is written without
# the option; a bad directory is one line and exit 2.
# Needs python3 with jsonschema (Debian python3-jsonschema): skipped (77)
# without it.
set -u
: "${top_builddir:?run this through make check}"
: "${top_srcdir:?run this through make check}"
case $top_builddir in /*) ;; *) top_builddir=$(pwd)/$top_builddir ;; esac
case $top_srcdir in /*) ;; *) top_srcdir=$(pwd)/$top_srcdir ;; esac
python3 -c 'import jsonschema' 2>/dev/null || {
    echo "SKIP: python3 jsonschema is not installed"; exit 77; }
schema=$top_srcdir/tests/observation.schema.json
check="python3 $top_srcdir/tests/check_observations.py $schema"
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-observe.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Every example, each into its own directory (the info lines say how many
# cases each property counted).
for name in midpoint trim rle kvstore queue json_depth utf8 tomorrow \
            offset inventory stampede payment wal retry_storm quadratic; do
    bin=$top_builddir/examples/$name
    [ -x "$bin" ] || { fail "$bin is missing"; continue; }
    "$bin" --no-db --seed 7 --trials 200 --observe "obs-$name" \
        >"$name.out" 2>&1
    rc=$?
    [ "$rc" -le 1 ] || { fail "$name exited $rc"; cat "$name.out"; }
    $check "obs-$name" >"$name.check" 2>&1 ||
        { fail "$name's observations"; cat "$name.check"; }
done

# --jobs 2: both workers write, lines whole.
"$top_builddir/examples/midpoint" --no-db --seed 3 --trials 500 --jobs 2 \
    --observe=obs-jobs >/dev/null 2>&1
$check obs-jobs --jobs >jobs.check 2>&1 || { fail "--jobs 2"; cat jobs.check; }

# GF_OBSERVE names the directory; --observe with no directory takes the
# default, and leaves a following option alone.
GF_OBSERVE=obs-env "$top_builddir/examples/midpoint" --no-db --seed 1 \
    >/dev/null 2>&1
[ -s obs-env/midpoint_testcases.jsonl ] || fail "GF_OBSERVE wrote nothing"
"$top_builddir/examples/midpoint" --observe --no-db --seed 1 >/dev/null 2>&1
[ -s .gadfly/observed/midpoint_testcases.jsonl ] ||
    fail "--observe without a directory did not use .gadfly/observed"

# Off by default: no directory, no file.
mkdir quiet && (cd quiet && "$top_builddir/examples/midpoint" --seed 1 \
    >/dev/null 2>&1)
[ -z "$(find quiet -name '*.jsonl')" ] || fail "observations without --observe"

# A replayed case is observed as such.
token=$(sed -n 's/.*--replay \(gf1:[^ ]*\).*/\1/p' midpoint.out | head -n 1)
"$top_builddir/examples/midpoint" --replay "$token" --observe obs-replay \
    >/dev/null 2>&1
grep -q '"how_generated": "replayed (--replay)"' obs-replay/*testcases.jsonl ||
    fail "the replayed case has no line"
grep -q '"status": "failed"' obs-replay/*testcases.jsonl ||
    fail "the replayed failure is not failed"

# A directory that cannot be made: one line, exit 2, nothing run.
: >afile
"$top_builddir/examples/midpoint" --observe afile/sub >bad.out 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "bad --observe directory: exit $rc, wanted 2"
[ "$(wc -l <bad.out)" -eq 1 ] || { fail "bad directory: not one line"; cat bad.out; }
grep -q "cannot make the directory afile/sub" bad.out ||
    { fail "bad directory message"; cat bad.out; }

[ "$fails" -eq 0 ] || exit 1
echo "observations: all examples valid"
