#!/bin/sh
# test_fiu.sh - tests/test_fiu under libfiu's POSIX preload, which
# configure found (FIU_PRELOAD); skipped when it did not.
# Run by `make check`, which exports top_builddir and FIU_PRELOAD.
set -u
: "${top_builddir:?top_builddir is not set: run this through make check}"
if [ -z "${FIU_PRELOAD:-}" ]; then
    echo "test_fiu.sh: libfiu's POSIX preload was not found: install fiu-utils"
    exit 77
fi
# Under AddressSanitizer the preload comes before ASan's runtime.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
LD_PRELOAD="$FIU_PRELOAD${LD_PRELOAD:+:$LD_PRELOAD}" \
    exec "$top_builddir/tests/test_fiu"
