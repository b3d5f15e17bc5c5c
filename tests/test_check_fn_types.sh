#!/bin/sh
# test_check_fn_types.sh - the compiler rejects a typed function that
# cannot match its generators: GF_CHECK_FN and gf_check_fn with a function
# that does not return bool, gf_check_fn_int with one that does not return
# int, and every macro with a parameter count other than the number of
# generators, or a struct parameter; the right functions compile cleanly.
set -u
top_srcdir=${top_srcdir:-.}
cc=${CC:-cc}
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
fails=0

# compiles YES|NO WHAT CODE: CODE (after the common prelude) compiles or not.
compiles() {
    want=$1 what=$2
    {
        printf '%s\n' '#include <gadfly.h>' \
            'typedef struct pair { int a, b; } pair;' \
            'bool two(int32_t a, const char *s) { return a == 0 || s; }' \
            'int one_int(int64_t a) { return a != 0; }' \
            'void one_void(double d) { (void)d; }' \
            'bool by_value(pair p) { return p.a == p.b; }'
        printf '%s\n' "$3"
    } >"$work/t.c"
    if $cc -std=c11 -Wall -Wextra -Werror -I"$top_srcdir/include" \
            -fsyntax-only "$work/t.c" >"$work/out" 2>&1; then
        got=YES
    else
        got=NO
    fi
    if [ "$got" != "$want" ]; then
        echo "FAIL: $what: compiles=$got, wanted $want"
        sed 's/^/    | /' "$work/out" | head -n 8
        fails=$((fails + 1))
    fi
}

compiles YES "GF_CHECK_FN with a matching bool function" \
    'GF_CHECK_FN(p, two, gf_int32(), gf_utf8(0, 9))'
compiles NO "GF_CHECK_FN with an int function" \
    'GF_CHECK_FN(p, one_int, gf_int64())'
grep -q "GF_CHECK_FN: one_int must return bool" "$work/out" || {
    echo "FAIL: the error does not say what is wrong:"; cat "$work/out"
    fails=$((fails + 1)); }
compiles NO "GF_CHECK_FN with one generator too few" \
    'GF_CHECK_FN(p, two, gf_int32())'
compiles NO "GF_CHECK_FN with one generator too many" \
    'GF_CHECK_FN(p, two, gf_int32(), gf_utf8(0, 9), gf_bool())'
compiles NO "GF_CHECK_FN with a struct parameter" \
    'GF_CHECK_FN(p, by_value, gf_int32())'
compiles YES "gf_check_fn, gf_check_fn_int and gf_check_fn_void that match" \
    'int f(void) { return gf_check_fn(two, gf_int32(), gf_ascii(0, 3)) +
         gf_check_fn_int(one_int, gf_int64()) +
         gf_check_fn_void(one_void, gf_double()); }'
compiles NO "gf_check_fn with an int function" \
    'int f(void) { return gf_check_fn(one_int, gf_int64()); }'
compiles NO "gf_check_fn_int with a bool function" \
    'int f(void) { return gf_check_fn_int(two, gf_int32(), gf_ascii(0, 3)); }'
compiles NO "gf_check_fn_void with too many generators" \
    'int f(void) { return gf_check_fn_void(one_void, gf_double(), gf_bool()); }'

[ "$fails" -eq 0 ] || exit 1
echo "typed functions: the compiler rejects 7 mismatches and accepts 2 matches"
