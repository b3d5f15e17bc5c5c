#!/bin/sh
# test_shrink_doc.sh - the bench/shrink table in docs/shrinking.md is what
# bench/shrink prints now: a change to the shrinker that moves a figure
# must update the page.
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

doc="$top_srcdir/docs/shrinking.md"
cmd=$(sed -n 's|^\$ build/\(bench/shrink --no-time [0-9]*\)$|\1|p' "$doc")
[ -n "$cmd" ] || { echo "docs/shrinking.md: no bench/shrink transcript"; exit 1; }
awk -v c="\$ build/$cmd" '$0 == c {f = 1; next} f && /^```$/ {exit} f' \
    "$doc" >"$work/expected"
# shellcheck disable=SC2086
"$top_builddir"/$cmd >"$work/actual"
if ! diff -u "$work/expected" "$work/actual"; then
    echo "docs/shrinking.md's bench/shrink table is out of date: run"
    echo "  build/$cmd"
    echo "and paste its output into the page"
    exit 1
fi
echo "docs/shrinking.md: bench/shrink table matches"
