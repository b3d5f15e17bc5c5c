#!/bin/sh
# test_symbols.sh - the shared and the static library define only gf_ globals,
# and a user program defining an internal name (arena_init) links statically.
set -eu
top=${top_builddir:-.}
so=$(ls "$top"/.libs/libgadfly.so.* 2>/dev/null | head -n 1)
a="$top/.libs/libgadfly.a"
if [ -z "$so" ] && [ ! -f "$a" ]; then
    echo "no library was built"
    exit 77
fi
status=0
if [ -n "$so" ]; then
    bad=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^gf_/ {print $3}')
    if [ -n "$bad" ]; then
        echo "shared library: exported symbols without the gf_ prefix:"
        echo "$bad"
        status=1
    else
        echo "shared: $(nm -D --defined-only "$so" | grep -c ' gf_') gf_ symbols, nothing else"
    fi
fi
if [ -f "$a" ]; then
    bad=$(nm --defined-only "$a" | awk 'NF == 3 && $2 ~ /^[TDBRVWGS]$/ && $3 !~ /^gf_/ {print $3}')
    if [ -n "$bad" ]; then
        echo "static library: global symbols without the gf_ prefix:"
        echo "$bad"
        status=1
    else
        echo "static: $(nm --defined-only "$a" | awk 'NF == 3 && $2 ~ /^[TDBRVWGS]$/' | wc -l) gf_ symbols, nothing else"
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cat > "$tmp/user.c" <<'C'
#include <gadfly.h>
/* Names a user's own code may well define; none may clash with the library. */
int arena_init(void) { return 7; }
int db_open(void) { return 8; }
void *xmalloc(unsigned long n) { (void)n; return 0; }
int main(void)
{
    /* a reference into the library, so the linker pulls it in */
    int64_t (*volatile draw)(gf_case *, int64_t, int64_t) = gf_draw_int;
    return (draw != 0 && arena_init() + db_open() == 15 && !xmalloc(1)) ? 0 : 1;
}
C
    if ! ${CC:-cc} ${CFLAGS:-} ${LDFLAGS:-} -I"${top_srcdir:-.}/include" -o "$tmp/user" "$tmp/user.c" "$a" \
         $(pkg-config --libs libxxhash libffi) -lm -lpthread 2> "$tmp/err"; then
        echo "a program defining arena_init, db_open and xmalloc does not link with libgadfly.a:"
        cat "$tmp/err"
        status=1
    elif ! "$tmp/user"; then
        echo "the statically linked program did not call its own arena_init"
        status=1
    else
        echo "static link: a program with its own arena_init, db_open and xmalloc links and runs"
    fi
fi
exit $status
