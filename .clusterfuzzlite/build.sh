#!/bin/bash -eu
# build.sh - ClusterFuzzLite's build of this repository's fuzz targets:
# the same build as OSS-Fuzz's (examples/oss-fuzz/build.sh).
exec bash "$SRC/gadfly/examples/oss-fuzz/build.sh"
