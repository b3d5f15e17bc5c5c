#!/bin/sh
# test_installed.sh PREFIX SRCDIR - an installed Gadfly works the way the
# README says: `cc prop.c $(pkg-config --cflags --libs gadfly)`, headers
# under include/ and include/gadfly/, and the man page.
set -eu
prefix=$1
srcdir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

libdir=$(ls -d "$prefix"/lib* | head -n 1)
PKG_CONFIG_PATH="$libdir/pkgconfig"
export PKG_CONFIG_PATH
test -f "$prefix/include/gadfly.h"
test -f "$prefix/include/gadfly/gen.h"
test -f "$prefix/include/gadfly/criterion.h"
test -f "$prefix/include/gadfly/text.h"
test -f "$prefix/include/gadfly/tz.h"
test -f "$prefix/include/gadfly/time.h"
test -f "$prefix/include/gadfly/state.h"
test -f "$prefix/include/gadfly/payload.h"
test -f "$prefix/include/gadfly/sched.h"
test -f "$prefix/include/gadfly/sched_pthread.h"
test -f "$prefix/share/man/man3/gadfly.3"
test -f "$libdir/libgadfly.a"
ls "$libdir"/libgadfly.so* >/dev/null

cat >"$work/prop.c" <<'C'
#include <gadfly.h>

GF_PROPERTY(square_is_not_2)
{
    int64_t x = *(int64_t *)gf_draw(tc, gf_int(-10, 10));
    GF_ASSERT(tc, x * x != 4);
}

GF_MAIN()
C
${CC:-cc} -o "$work/prop" "$work/prop.c" $(pkg-config --cflags --libs gadfly)
status=0
(cd "$work" && LD_LIBRARY_PATH="$libdir" ./prop --seed 1 >out 2>&1) || status=$?
if [ "$status" -ne 1 ] || ! grep -q "#1 = 2" "$work/out"; then
    echo "installed library: expected the property to fail with x = 2:"
    cat "$work/out"
    exit 1
fi
echo "installed library: ok"
