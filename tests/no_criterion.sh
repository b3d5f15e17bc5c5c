#!/bin/sh
# no_criterion.sh - stands in for the Criterion tests when configure found
# no Criterion (or was given --without-criterion): they are skipped, and
# this says why.
echo "SKIP: Criterion not found by configure: the tests written on it are not built"
echo "      (install libcriterion-dev and run configure again to run them)"
exit 77
