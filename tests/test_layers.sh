#!/bin/sh
# test_layers.sh - src/ is in layers (docs/internals.md).  Each folder
# includes headers of its own and of the folders before it in ORDER, never
# after, and its objects (as built, read with nm) use nothing defined in a
# later one: the core reaches up only through core/hooks.h.  The upward
# includes and calls not yet removed are listed in KNOWN; the list can only
# shrink: an entry no longer included fails the test too.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}

ORDER="core store engine report process concurrency front"
KNOWN=""

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

# The objects as built: no function or variable a file uses is defined
# in a layer after its own (besides the KNOWN ones), and none in
# generators/, which the engine knows only through the public API.
objs=$(ls "$top_builddir"/src/*/libgadfly_la-*.o 2>/dev/null)
if [ -z "$objs" ] || ! command -v nm >/dev/null 2>&1; then
    echo "test_layers: no objects in $top_builddir/src to read (build first)"
    exit 1
fi
for o in $objs "$top_builddir"/generators/libgadfly_la-*.o; do
    [ -e "$o" ] || continue
    case $o in
    */generators/*) where=generators ;;
    *) where=$(basename "$(dirname "$o")") ;;
    esac
    nm --defined-only "$o" 2>/dev/null |
        awk -v w="$where" -v f="${o##*-}" \
            'NF == 3 && $2 ~ /[TDBRV]/ {sub(/\.o$/, ".c", f); print $3, w, f}'
done | sort -k1,1 >"$work/defs"
for o in $objs; do
    layer=$(basename "$(dirname "$o")")
    file=${o##*-}
    file=$layer/${file%.o}.c
    r=$(rank "$layer")
    nm -u "$o" | awk '{print $2}' | sort -u | join - "$work/defs" |
        while read -r sym to tofile; do
            if [ "$to" = generators ]; then
                echo "$file: calls $sym of generators/$tofile"
                continue
            fi
            [ "$(rank "$to")" -le "$r" ] && continue
            printf '%s\n' "$KNOWN" | grep -qx "$file $to" && continue
            echo "$file: calls $sym of $to/$tofile: $layer may not call up into $to"
        done
done >"$work/up"
if [ -s "$work/up" ]; then
    cat "$work/up"
    status=1
fi

# The core never forks, reads no clock and prints nothing; only process/
# forks, but for the files listed in FORKS (a list that can only shrink,
# as KNOWN can).
FORKS=""
for o in $objs; do
    layer=$(basename "$(dirname "$o")")
    file=${o##*-}
    file=$layer/${file%.o}.c
    calls=$(nm -u "$o" | awk '{print $2}')
    for f in fork vfork posix_spawn posix_spawnp clone; do
        printf '%s\n' "$calls" | grep -qx "$f" || continue
        [ "$layer" = process ] && continue
        if printf '%s\n' "$FORKS" | grep -qx "$file"; then
            printf '%s\n' "$file" >>"$work/forks"
            continue
        fi
        echo "$file: calls $f: only process/ makes processes"
        status=1
    done
    [ "$layer" = core ] || continue
    for f in clock_gettime gettimeofday time clock printf fprintf vfprintf \
            puts fputs fputc putchar fwrite perror write; do
        printf '%s\n' "$calls" | grep -qx "$f" || continue
        echo "$file: calls $f: the core reads no clock and prints nothing"
        status=1
    done
done
printf '%s\n' "$FORKS" | while read -r f; do
    [ -n "$f" ] || continue
    grep -qx "$f" "$work/forks" 2>/dev/null ||
        echo "FORKS lists $f, which no longer forks: remove it"
done | grep . && status=1
exit $status
