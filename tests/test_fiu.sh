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
# AddressSanitizer's runtime must come first, and libfiu's preload, loaded
# before it, crashes as ASan starts (its malloc is asked for memory before
# either is ready): the test cannot run in such a build.
case " ${CFLAGS:-} " in
*-fsanitize=address*|*-fsanitize=*,address*)
    echo "test_fiu.sh: libfiu's preload cannot run with AddressSanitizer: skipped"
    exit 77 ;;
esac
LD_PRELOAD="$FIU_PRELOAD${LD_PRELOAD:+:$LD_PRELOAD}" \
    exec "$top_builddir/tests/test_fiu"
