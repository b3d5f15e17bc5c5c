#!/bin/sh
# test_symbols.sh - the shared library exports only gf_ symbols.
set -eu
so=$(ls "${top_builddir:-.}"/.libs/libgadfly.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
    echo "no shared library was built (configured with --disable-shared)"
    exit 77
fi
bad=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^gf_/ {print $3}')
if [ -n "$bad" ]; then
    echo "exported symbols without the gf_ prefix:"
    echo "$bad"
    exit 1
fi
echo "exports: $(nm -D --defined-only "$so" | grep -c ' gf_') gf_ symbols, nothing else"
