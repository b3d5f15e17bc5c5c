#!/bin/sh
# setup.sh - from a fresh Debian 12 checkout to a running Gadfly:
# installs the missing Debian packages (through sudo when not root), builds
# in ./build, then runs the demo or the whole test suite.
#
#   sh scripts/setup.sh demo    Gadfly finding and shrinking the bugs in examples/
#   sh scripts/setup.sh check   the test suite (make check)
set -eu

what=${1:-check}
case $what in
demo | check) ;;
*) echo "usage: sh scripts/setup.sh demo|check" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
packages="gcc g++ make autoconf automake libtool pkg-config libxxhash-dev libffi-dev libcriterion-dev libxml2-utils python3-yaml tzdata libfiu-dev fiu-utils python3-jsonschema chromium"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
    autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
jobs=$(nproc 2>/dev/null || echo 2)
make -s -j"$jobs" >/dev/null

if [ "$what" = demo ]; then
    # Build the example programs quietly first: the demo shows only Gadfly.
    make -s -j"$jobs" demo-examples >/dev/null
    exec make -s demo
fi

status=0
make -s -j"$jobs" check >check.out 2>&1 || status=$?
cat check.out
if [ "$status" -ne 0 ]; then
    for log in $(grep -l '^FAIL\|^ERROR' tests/*.log examples/*.log 2>/dev/null); do
        echo "---- $log"; cat "$log"
    done
fi
pass=$(sed -n 's/^# PASS: *\([0-9]*\).*/\1/p' check.out | tail -n 1)
fail=$(sed -n 's/^# FAIL: *\([0-9]*\).*/\1/p' check.out | tail -n 1)
err=$(sed -n 's/^# ERROR: *\([0-9]*\).*/\1/p' check.out | tail -n 1)
echo "tests: ${pass:-0} passed, $(( ${fail:-0} + ${err:-0} )) failed"
exit "$status"
