#!/bin/sh
# test_html.sh - --html (src/html.c) in a real browser: every example
# program's page loads in headless Chromium with no console message (the
# page logs nothing, so any message is an error) and with its script run
# (it marks the page data-ready), holds an SVG chart for every property
# that drew named values, fetches nothing from the network; a screenshot
# of examples/quadratic's page shows its charts (kept as
# tests/report-screenshot.png in the build directory); a bad path is one
# line and exit 2.
# Skipped (77) where Chromium (Debian chromium) is not installed.
set -u
: "${top_builddir:?run this through make check}"
case $top_builddir in /*) ;; *) top_builddir=$(pwd)/$top_builddir ;; esac
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP: chromium is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gadfly-html.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# load PAGE: dump its DOM after scripts ran, console messages to PAGE.log.
load() {
    timeout 120 "$browser" --headless --disable-gpu --no-sandbox \
        --no-first-run --disable-extensions --enable-logging=stderr --v=0 \
        --dump-dom "file://$work/$1" >"$1.dom" 2>"$1.log"
}

# The check itself must see an error: a page that throws is caught.
printf '<!DOCTYPE html><html><body><script>throw new Error("boom")' >bad.html
printf '</script></body></html>\n' >>bad.html
load bad.html
grep -q 'CONSOLE.*boom' bad.html.log ||
    fail "a page that throws was not caught (the console check is blind)"

examples="midpoint trim rle kvstore queue json_depth utf8 tomorrow offset
          inventory stampede payment wal retry_storm quadratic"
for name in $examples; do
    bin=$top_builddir/examples/$name
    [ -x "$bin" ] || { fail "$bin is missing"; continue; }
    trials=100
    [ "$name" = quadratic ] && trials=1000
    "$bin" --no-db --seed 1 --trials $trials --html "$name.html" \
        >"$name.out" 2>&1
    rc=$?
    [ "$rc" -le 1 ] || { fail "$name exited $rc"; cat "$name.out"; continue; }
    [ -s "$name.html" ] || { fail "$name wrote no page"; continue; }
    grep -Eqi '(src|href)="?(https?:)?//' "$name.html" &&
        fail "$name's page refers to the network"
    # One section per property the program ran.
    want=$("$bin" --list | wc -l)
    got=$(grep -o '<section class="property' "$name.html" | wc -l)
    [ "$got" -eq "$want" ] || fail "$name: $got sections for $want properties"
done

# The pages load two at a time (a browser start is mostly waiting).
for name in $examples; do echo "$name.html"; done |
    xargs -P 2 -I{} sh -c "$(command -v timeout) 120 '$browser' --headless \
        --disable-gpu --no-sandbox --no-first-run --disable-extensions \
        --enable-logging=stderr --v=0 --dump-dom 'file://$work/{}' \
        >'{}.dom' 2>'{}.log'"
for name in $examples; do
    [ -s "$name.html" ] || continue
    if grep -q CONSOLE "$name.html.log"; then
        fail "$name's page logged to the console:"
        grep CONSOLE "$name.html.log"
    fi
    grep -q 'data-ready="1"' "$name.html.dom" ||
        fail "$name's page did not run its script"
    # Charts: every example draws named values, so every page has some.
    grep -q '<svg width=' "$name.html.dom" || fail "$name's page has no chart"
done

# A screenshot of quadratic's page: the charts are drawn (the PNG holds
# far more than a blank page).
timeout 120 "$browser" --headless --disable-gpu --no-sandbox --no-first-run \
    --disable-extensions --hide-scrollbars --window-size=1000,1100 \
    --screenshot="$work/shot.png" "file://$work/quadratic.html" \
    >/dev/null 2>&1
size=$(wc -c <shot.png 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || fail "screenshot of quadratic's page: $size bytes"
[ "$size" -gt 0 ] && cp shot.png "$top_builddir/tests/report-screenshot.png"
grep -q 'Target: comparisons' quadratic.html || fail "quadratic: no target"
grep -q 'time per case' quadratic.html || fail "quadratic: no time chart"

# A bad path: one line, exit 2, nothing run.
"$top_builddir/examples/midpoint" --html no/such/dir/r.html >bad.out 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "bad --html path: exit $rc, wanted 2"
[ "$(wc -l <bad.out)" -eq 1 ] || { fail "bad --html: not one line"; cat bad.out; }

[ "$fails" -eq 0 ] || exit 1
echo "html: every example's page loads clean, with charts"
