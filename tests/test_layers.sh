#!/bin/sh
# test_layers.sh - src/ is in layers (docs/internals.md).  Each folder
# includes headers of its own and of the folders below it, never above;
# the core includes nothing outside itself, and its objects call no
# function another layer defines (it reaches them through core/hooks.h).
# The upward includes not yet removed are listed below; the list can only
# shrink: an entry no longer needed fails the test too.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}

ORDER="core store engine report process concurrency front"
KNOWN="engine/execute.c process
engine/run.c process
engine/run.c report
engine/shrink.c process
engine/target.c report"

rank() {
    i=0
    for l in $ORDER; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo -1
}

# check_tree SRC: print every breach of the rules in SRC; status 1 if any.
check_tree() {
    bad=0
    for f in "$1"/*.c "$1"/*.h; do
        [ -e "$f" ] || continue
        echo "$f: outside every layer (put it in one of: $ORDER)"
        bad=1
    done
    used=""
    for dir in "$1"/*/; do
        layer=$(basename "$dir")
        r=$(rank "$layer")
        if [ "$r" -lt 0 ]; then
            echo "src/$layer: not a layer (the layers are: $ORDER)"
            bad=1
            continue
        fi
        for f in "$dir"*.c "$dir"*.h; do
            [ -e "$f" ] || continue
            name=$layer/$(basename "$f")
            incs=$(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
            for inc in $incs; do
                case $inc in
                */*) to=${inc%%/*} ;;
                *) to=$layer ;;
                esac
                if [ ! -e "$1/$to/${inc##*/}" ]; then
                    echo "$name: includes \"$inc\", which is not src/$to/${inc##*/}"
                    bad=1
                    continue
                fi
                tr=$(rank "$to")
                [ "$tr" -le "$r" ] && continue
                if printf '%s\n' "$KNOWN" | grep -qx "$name $to"; then
                    used="$used
$name $to"
                    continue
                fi
                echo "$name: includes \"$inc\": $layer may not call up into $to"
                bad=1
            done
        done
    done
    printf '%s\n' "$KNOWN" | while read -r entry; do
        [ -n "$entry" ] || continue
        printf '%s\n' "$used" | grep -qx "$entry" ||
            echo "KNOWN lists \"$entry\", which is no longer included: remove it"
    done | grep . && bad=1
    return $bad
}

status=0
check_tree "$top_srcdir/src" || status=1

# The check itself: a core file that includes an engine header, a header
# outside any folder and a known exception gone stale are each caught.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/core" "$work/src/engine"
printf '#include "engine/run.h"\n' >"$work/src/core/case.c"
: >"$work/src/engine/run.h"
out=$(KNOWN="" check_tree "$work/src")
case $out in
*"core/case.c: includes \"engine/run.h\": core may not call up"*) ;;
*) echo "test_layers: an upward include was not caught: $out"; status=1 ;;
esac
printf '\n' >"$work/src/core/case.c"
: >"$work/src/loose.h"
out=$(KNOWN="engine/execute.c process" check_tree "$work/src")
case $out in
*"loose.h: outside every layer"*"no longer included"*) ;;
*) echo "test_layers: a loose file or a stale exception was not caught: $out"
   status=1 ;;
esac

# The core's objects, as built: every function they call that the library
# defines is defined in the core.
core_objs=$(ls "$top_builddir"/src/core/libgadfly_la-*.o 2>/dev/null)
other_objs=$(ls "$top_builddir"/src/*/libgadfly_la-*.o \
    "$top_builddir"/generators/libgadfly_la-*.o 2>/dev/null |
    grep -v '/src/core/')
if [ -z "$core_objs" ] || ! command -v nm >/dev/null 2>&1; then
    echo "test_layers: no core objects to read (build first); symbols unchecked"
    [ -n "$core_objs" ] || status=1
else
    nm --defined-only $other_objs 2>/dev/null |
        awk 'NF == 3 && $2 ~ /[TDBRV]/ {print $3}' | sort -u >"$work/above"
    nm --defined-only $core_objs 2>/dev/null |
        awk 'NF == 3 && $2 ~ /[TDBRV]/ {print $3}' | sort -u >"$work/core"
    for o in $core_objs; do
        nm -u "$o" | awk '{print $2}' | sort -u | comm -12 - "$work/above" |
            comm -23 - "$work/core" | sed "s|^|${o##*/}: calls up into |"
    done >"$work/up"
    if [ -s "$work/up" ]; then
        cat "$work/up"
        status=1
    fi
fi
exit $status
