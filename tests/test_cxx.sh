#!/bin/sh
# test_cxx.sh - Gadfly's public headers from C++: tests/cxx_props.cc is
# compiled by g++ (and clang++ when installed) with -Wall -Wextra -Werror
# -pedantic for C++11 and C++17, linked with the built libgadfly.a, and
# run: the property that must fail shrinks to its threshold, the others
# hold.
set -u
src="${top_srcdir:-.}"
build="${top_builddir:-.}"
lib="$build/.libs/libgadfly.a"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
fails=0
deps="$(pkg-config --libs libxxhash libffi 2>/dev/null || echo -lxxhash -lffi) -lm -lpthread"

# A library built with sanitizers links only with their runtime, and only
# with the C++ compiler of the C compiler that built it.
candidates="${CXX:-g++} clang++"
case "${CFLAGS:-} ${LDFLAGS:-}" in
*-fsanitize*)
    case "${CC:-cc}" in
    *clang*) candidates=clang++ ;;
    *) candidates=${CXX:-g++} ;;
    esac ;;
esac
compilers=""
for cxx in $candidates; do
    command -v "$cxx" >/dev/null 2>&1 && compilers="$compilers $cxx"
done
if [ -z "$compilers" ]; then
    echo "SKIP: no C++ compiler (g++ or clang++)"
    exit 77
fi
[ -f "$lib" ] || { echo "no $lib"; exit 99; }

for cxx in $compilers; do
    for std in c++11 c++17; do
        what="$cxx -std=$std"
        prog="$work/props-$cxx-$std"
        if ! "$cxx" -std="$std" -Wall -Wextra -Werror -pedantic \
                -Wno-unused-parameter -I"$src/include" \
                "$src/tests/cxx_props.cc" "$lib" $deps ${LDFLAGS:-} -o "$prog" \
                >"$work/cc.log" 2>&1; then
            echo "FAIL: $what does not compile the headers"
            sed 's/^/    | /' "$work/cc.log" | head -n 30
            fails=$((fails + 1))
            continue
        fi
        status=0
        "$prog" --seed 1 --no-db >"$work/run.log" 2>&1 || status=$?
        if [ "$status" -ne 1 ] || ! grep -q "^FAIL cxx_below_1000" "$work/run.log" ||
                ! grep -q "arg1 = 1000" "$work/run.log" ||
                ! grep -q "^5 passed, 1 failed" "$work/run.log"; then
            echo "FAIL: $what: the program did not run as expected (exit $status)"
            sed 's/^/    | /' "$work/run.log"
            fails=$((fails + 1))
        fi
    done
    # gadfly/criterion.h, where Criterion is installed: compiled only.
    if [ -f /usr/include/criterion/criterion.h ]; then
        printf '#include <gadfly/criterion.h>\nGF_TEST(cxx, holds) { GF_ASSERT(tc, gf_draw_bool(tc) || true); }\n' \
            >"$work/crit.cc"
        "$cxx" -std=c++17 -Wall -Wextra -Werror -Wno-unused-parameter \
            -I"$src/include" -fsyntax-only "$work/crit.cc" >"$work/cc.log" 2>&1 ||
            { echo "FAIL: $cxx does not compile gadfly/criterion.h"; sed 's/^/    | /' "$work/cc.log" | head -n 20; fails=$((fails + 1)); }
    fi
done
[ "$fails" -eq 0 ] || exit 1
echo "C++:$compilers compile every public header and run the properties"
