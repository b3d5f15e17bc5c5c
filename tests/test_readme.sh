#!/bin/sh
# test_readme.sh - the README's example compiles against this build and
# prints exactly the report the README shows.
set -eu
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

readme="$top_srcdir/README.md"
awk '/^```c$/ {f = 1; next} /^```$/ {f = 0} f' "$readme" >"$work/midpoint.c"
sed -n '/^FAIL midpoint_is_between/,/^0 passed/p' "$readme" >"$work/expected"
[ -s "$work/midpoint.c" ] && [ -s "$work/expected" ] || {
    echo "README.md: example or its output not found"; exit 1; }

builddir=$(cd "$top_builddir" && pwd)
cd "$work"
# Compiled as midpoint.c from its own folder, as the README shows it, so
# the origin reads midpoint.c:LINE.
"$builddir/libtool" --quiet --mode=link ${CC:-cc} ${CFLAGS:-} \
    -I"$top_srcdir/include" -o midpoint midpoint.c \
    "$builddir/libgadfly.la" ${LDFLAGS:-}
status=0
"$builddir/libtool" --mode=execute ./midpoint --seed 2 >actual 2>&1 || status=$?
# libtool may run the program from .libs/: compare the rest of the line.
# Everything else must match to the byte, the shrinker's step and call
# counts included: when it improves, the README is regenerated.
normalize() {
    sed -e 's|replay: [^ ]*midpoint |replay: ./midpoint |' "$1"
}
normalize actual >actual.norm
normalize expected >expected.norm
if [ "$status" -ne 1 ] || ! diff -u expected.norm actual.norm; then
    echo "README.md's example output is out of date (exit $status)"
    exit 1
fi
echo "README example: output matches"
