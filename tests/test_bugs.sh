#!/bin/sh
# test_bugs.sh - generation reaches every bug of bench/bugs.c: each is found
# within 1000 cases on every one of 5 seeds (docs/generators.md shows the
# table over 10).  A bug missed on any seed fails the test.
set -u
top_builddir=${top_builddir:-.}
if ! "$top_builddir"/bench/bugs --check 5; then
    echo "bench/bugs: a bug was missed on some seed (see the table above)"
    exit 1
fi
