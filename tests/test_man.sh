#!/bin/sh
# test_man.sh - the man pages cannot drift from the program and headers:
# gadfly(1) lists exactly the options and variables that --help lists;
# every public header has its page, every function a header declares is
# named on one (so `man 3 NAME` finds it once installed), and groff reads
# every page without a warning.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
: >"$work/pages"
: >"$work/all.names"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ---- gadfly(1) against --help ---------------------------------------------
page1="$top_srcdir/docs/gadfly.1"
"$top_builddir/examples/midpoint" --help >"$work/help" 2>&1 ||
    fail "--help exited non-zero"
# The option column of --help: "  --seed N   ..." and "  --verbose, -v ...".
sed -n 's/^  \(-[^ ,]*\(, -[^ ,]*\)*\).*/\1/p' "$work/help" | tr ',' '\n' |
    sed -e 's/^ *//' -e 's/=.*//' | grep -v '^$' | sort -u >"$work/help.opts"
# The first line of each item under OPTIONS.
awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH/ { on = 0 }
     on && prev == ".TP" { print } { prev = $0 }' "$page1" |
    sed -e 's/\\-/-/g' | grep -o -- '-[-a-z]*' | sort -u >"$work/man.opts"
[ -s "$work/help.opts" ] || fail "no options found in --help"
diff -u "$work/help.opts" "$work/man.opts" >"$work/d" ||
    { fail "gadfly.1's OPTIONS differ from --help (- help, + man):"; cat "$work/d"; }
sed -n '/^Environment:/,/(options win)/p' "$work/help" | grep -o 'GF_[A-Z_]*' |
    sort -u >"$work/help.env"
awk '/^\.SH ENVIRONMENT/ { on = 1; next } /^\.SH/ { on = 0 }
     on && prev == ".TP" { print } { prev = $0 }' "$page1" |
    grep -o 'GF_[A-Z_]*' | sort -u >"$work/man.env"
[ -s "$work/help.env" ] || fail "no variables found in --help"
diff -u "$work/help.env" "$work/man.env" >"$work/d" ||
    { fail "gadfly.1's ENVIRONMENT differs from --help (- help, + man):"; cat "$work/d"; }

# ---- section 3: a page per header, every function named -------------------
for h in "$top_srcdir"/include/gadfly.h "$top_srcdir"/include/gadfly/*.h; do
    rel=${h#"$top_srcdir"/include/}
    page=$(echo "$rel" | sed -e 's|\.h$||' -e 's|/|_|')
    # Built in the build tree, or shipped in the source tree (a tarball
    # has them up to date).
    man="$top_builddir/docs/$page.3"
    [ -s "$man" ] || man="$top_srcdir/docs/$page.3"
    [ -s "$man" ] || { fail "$rel has no man page ($man)"; continue; }
    echo "$man" >>"$work/pages"
    : >"$work/$page.names"
    awk -f "$top_srcdir/docs/mkman.awk" -v header="$rel" \
        -v names="$work/$page.names" "$h" >/dev/null
    cat "$work/$page.names" >>"$work/all.names"
    # Every function the header declares for users.
    sed -n 's/^GF_API [^(]*[^A-Za-z0-9_(]\([a-z][a-z0-9_]*\)(.*/\1/p' "$h" |
        grep -v '_$' | while read -r fn; do
        grep -qx "$fn" "$work/$page.names" ||
            echo "FAIL: $fn (in $rel) is not named on $page(3)"
    done >>"$work/unnamed"
done
if [ -s "$work/unnamed" ]; then
    cat "$work/unnamed"; fails=$((fails + $(wc -l <"$work/unnamed")))
fi
for want in gf_draw gf_json_tree gf_state_run gf_sched_new gf_timezone_valid \
        GF_TEST GF_PROPERTY GF_DRAW gf_check_fn GF_CHECK_FN; do
    grep -qx "$want" "$work/all.names" || fail "$want has no man page"
done
dups=$(sort "$work/all.names" | uniq -d)
[ -z "$dups" ] || fail "named on two pages: $dups"

# ---- groff reads every page cleanly -----------------------------------------
if command -v groff >/dev/null 2>&1; then
    for p in "$page1" $(cat "$work/pages"); do
        out=$(LC_ALL=C groff -k -man -Tutf8 -ww -z "$p" 2>&1)
        [ -z "$out" ] || fail "groff warns on $(basename "$p"): $out"
    done
fi

[ "$fails" -eq 0 ] || exit 1
echo "man pages: gadfly(1) matches --help; $(wc -l <"$work/pages") section 3 pages name $(wc -l <"$work/all.names") functions, types and macros"
