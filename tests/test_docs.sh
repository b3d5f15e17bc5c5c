#!/bin/sh
# test_docs.sh - every transcript in docs/*.md is what the program prints.
#
# A transcript is a fenced block right after a line
#     <!-- transcript: COMMAND -->
# COMMAND runs with sh from the build directory (in a fresh scratch
# directory's failure database: GF_DB points there; SCRATCH names an
# empty directory for the files a command writes), its standard output
# and standard error together are the block's text, compared to the byte
# (the shrinker's step and call counts included: when it improves,
# --update rewrites them) except for the source path prefix of an
# out-of-tree build (../examples/ reads examples/) and ASan's one-line
# swapcontext warning.
#
# A report that depends on the compiler (a stack overflow's depth follows
# the size of stack frames) is marked with the build it comes from,
#     <!-- transcript (gcc -g -O2): COMMAND -->
# and compared only in a build with that CC and CFLAGS; other builds run
# the command and say that they skipped the comparison.  A transcript of
# a Criterion program is marked
#     <!-- transcript (with Criterion): COMMAND -->
# and a build configured --without-criterion (HAVE_CRITERION=no) says it
# skipped it without running it: the program is not built there.
#
#     sh tests/test_docs.sh --update    rewrites the blocks from real runs
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
update=no
[ "${1:-}" = "--update" ] && update=yes
srcdir=$(cd "$top_srcdir" && pwd)
builddir=$(cd "$top_builddir" && pwd)
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
fails=0
checked=0

normalize() {
    sed -e "/^==[0-9]*==WARNING: ASan doesn.t fully support/d" \
        -e 's|\.\./examples/|examples/|g' "$1"
}

# run_block COMMAND OUT: the transcript of COMMAND, as the docs show it.
run_block() {
    rm -rf "$work/db" "$work/scratch"
    mkdir "$work/scratch" || exit 99
    (cd "$builddir" && GF_DB="$work/db" SCRATCH="$work/scratch" sh -c "$1") \
        >"$2.raw" 2>&1
    sed -e 's|\.\./examples/|examples/|g' "$2.raw" >"$2"
}

for doc in "$srcdir"/docs/*.md; do
    name=${doc#"$srcdir"/}
    # Each transcript: its command and its block, numbered in file order.
    rm -f "$work"/t.*
    awk -v dir="$work" '
        /^<!-- transcript( \([^)]*\))?: .* -->$/ {
            n++; cmd = $0; build = ""
            if (match(cmd, /^<!-- transcript \([^)]*\)/))
                build = substr(cmd, 18, RLENGTH - 18)
            sub(/^<!-- transcript( \([^)]*\))?: /, "", cmd); sub(/ -->$/, "", cmd)
            print cmd > (dir "/t." n ".cmd"); close(dir "/t." n ".cmd")
            printf "%s", build > (dir "/t." n ".build"); close(dir "/t." n ".build")
            want = 1; next
        }
        want && /^```/ { inside = 1; want = 0; printf "" > (dir "/t." n ".want"); next }
        inside && /^```$/ { inside = 0; close(dir "/t." n ".want"); next }
        inside { print > (dir "/t." n ".want") }
    ' "$doc"
    for cmdfile in "$work"/t.*.cmd; do
        [ -e "$cmdfile" ] || continue
        base=${cmdfile%.cmd}
        cmd=$(cat "$cmdfile")
        build=$(cat "$base.build")
        if [ "$build" = "with Criterion" ]; then
            if [ "${HAVE_CRITERION:-yes}" = no ]; then
                echo "$name: '$cmd' skipped: this build has no Criterion"
                cp "$base.want" "$base.got"
                continue
            fi
            build=""
        fi
        run_block "$cmd" "$base.got"
        if [ -n "$build" ] && [ "$build" != "${CC:-cc} ${CFLAGS:-}" ]; then
            echo "$name: '$cmd' is compared only in a build with $build"
            cp "$base.want" "$base.got"
            continue
        fi
        checked=$((checked + 1))
        normalize "$base.want" >"$base.want.n"
        normalize "$base.got" >"$base.got.n"
        if ! diff -u "$base.want.n" "$base.got.n" >"$base.diff"; then
            if [ $update = yes ]; then
                echo "updating $name: $cmd"
            else
                echo "FAIL: $name: the transcript of '$cmd' is out of date:"
                sed 's/^/    /' "$base.diff"
                fails=$((fails + 1))
            fi
        fi
    done
    if [ $update = yes ]; then
        awk -v dir="$work" '
            /^<!-- transcript( \([^)]*\))?: .* -->$/ { n++; print; want = 1; next }
            want && /^```/ { print; inside = 1; want = 0
                             f = dir "/t." n ".got"
                             while ((getline line < f) > 0) print line
                             close(f); next }
            inside && /^```$/ { inside = 0; print; next }
            inside { next }
            { print }
        ' "$doc" >"$work/doc.new" && cp "$work/doc.new" "$doc"
    fi
done

[ "$checked" -gt 0 ] || { echo "FAIL: no transcript found in docs/"; exit 1; }
if [ "$fails" -ne 0 ]; then
    echo "$fails transcript(s) in docs/ are out of date:" \
         "regenerate them with: top_builddir=BUILD sh tests/test_docs.sh --update"
    exit 1
fi
echo "docs: $checked transcripts match"
