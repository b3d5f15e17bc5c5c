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
test -f "$prefix/share/man/man3/gadfly_state.3"
test -f "$prefix/share/man/man1/gadfly.1"
# A page per function, type and macro, sourcing its header's page.
grep -qx '.so man3/gadfly.3' "$prefix/share/man/man3/gf_draw.3"
grep -qx '.so man3/gadfly_sched.3' "$prefix/share/man/man3/gf_sched_new.3"
grep -qx '.so man3/gadfly_criterion.3' "$prefix/share/man/man3/GF_TEST.3"
if command -v man >/dev/null 2>&1; then
    MANPATH="$prefix/share/man" man 3 gf_state_run 2>/dev/null |
        grep -q GADFLY_STATE
fi
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

# A fuzz target from the installed header, linked with the installed
# stand-alone driver as its LIB_FUZZING_ENGINE: x = -6 is the input 0x0C
# (index 12 of [-10, 10]: 0, 1, -1, ..., 6, -6) and must abort it.
test -f "$prefix/include/gadfly/fuzz.h"
test -f "$libdir/libgadfly_fuzzmain.a"
cat >"$work/fuzz.c" <<'C'
#include <gadfly/fuzz.h>

GF_PROPERTY(square_is_not_36)
{
    int64_t x = *(int64_t *)gf_draw(tc, gf_int(-10, 10));
    GF_ASSERT(tc, x * x != 36);
}

GF_FUZZ_TARGET(square_is_not_36)
GF_MAIN()
C
${CC:-cc} -DGF_FUZZ -o "$work/fuzz" "$work/fuzz.c" "$libdir/libgadfly_fuzzmain.a" \
    $(pkg-config --cflags --libs gadfly)
printf '\001' >"$work/one"
printf '\014' >"$work/twelve"
(cd "$work" && LD_LIBRARY_PATH="$libdir" ./fuzz one >out 2>&1) ||
    { echo "installed fuzz target: a passing input failed:"; cat "$work/out"; exit 1; }
status=0
(cd "$work" && LD_LIBRARY_PATH="$libdir" ./fuzz twelve >out 2>&1) || status=$?
if [ "$status" -eq 0 ] || ! grep -q "#1 = -6" "$work/out"; then
    echo "installed fuzz target: expected the input 0x0C to fail with x = -6:"
    cat "$work/out"
    exit 1
fi
echo "installed fuzz target: ok"
