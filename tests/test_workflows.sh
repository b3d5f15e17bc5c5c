#!/bin/sh
# test_workflows.sh - the GitHub Actions workflows in .github/workflows,
# which docs/ci.md and docs/oss-fuzz.md show: each block of YAML in those
# pages is a workflow file as it is (its header comment aside); every file
# parses and passes tests/check_workflows.py, whose checks are shown to
# fail on broken copies; action-validator (npm's @action-validator/cli,
# which .ci/run installs) accepts them when it is installed; and the
# nightly job's run step, run here on examples/ci_props with a short
# budget, passes and writes a JUnit report that the schema accepts.
set -u
src="${top_srcdir:-.}"
build="${top_builddir:-.}"
wf="$src/.github/workflows"
d=$(mktemp -d) || exit 99
trap 'rm -rf "$d"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
show() { sed 's/^/    | /' "$1"; }

py=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "SKIP: needs python3 with PyYAML (Debian: python3-yaml)"
    exit 77
fi

# ---- the pages show the files
# blocks PAGE: each ```yaml block of PAGE into $d/PAGE-N.yml.
blocks() {
    awk -v out="$d/$(basename "$1" .md)" '
        /^```yaml$/ { n++; file = out "-" n ".yml"; inside = 1; next }
        /^```$/ && inside { inside = 0; close(file); next }
        inside { print > file }' "$1"
}
# body FILE: the workflow without its header comment.
body() { sed '/^#/d' "$1"; }
blocks "$src/docs/ci.md"
blocks "$src/docs/oss-fuzz.md"
for page_file in "ci-1:gadfly.yml" "oss-fuzz-1:cflite_pr.yml" "oss-fuzz-2:cflite_batch.yml"; do
    block="$d/${page_file%%:*}.yml"
    file="$wf/${page_file#*:}"
    if [ ! -f "$block" ]; then
        fail "no YAML block ${page_file%%:*} in the docs for ${page_file#*:}"
    elif ! body "$file" | cmp -s - "$block"; then
        fail "the docs' block ${page_file%%:*} is not .github/workflows/${page_file#*:}"
        body "$file" | diff - "$block" | head -n 20
    fi
done

# ---- the files
if ! "$py" "$src/tests/check_workflows.py" "$wf"/*.yml >"$d/check.log" 2>&1; then
    fail "check_workflows.py rejects the workflows"; show "$d/check.log"
fi
# The checks fail where they should: broken copies of gadfly.yml.
# mutate NAME SED-EXPRESSION
mutate() {
    mkdir -p "$d/$1"
    sed "$2" "$wf/gadfly.yml" >"$d/$1/gadfly.yml"
    cmp -s "$wf/gadfly.yml" "$d/$1/gadfly.yml" && { fail "mutation $1 changed nothing"; return; }
    "$py" "$src/tests/check_workflows.py" "$d/$1/gadfly.yml" >/dev/null 2>&1 &&
        fail "check_workflows.py accepts a workflow with $1"
}
mutate "no-always" 's/        if: always()/        if: success()/'
mutate "per-property-duration" 's/--budget 10m/--duration 10m/'
mutate "any-last-run" 's/startswith(\\"gadfly-db-\\")/startswith(\\"gadfly-\\")/'
mutate "wrong-output" 's/steps.last.outputs.run-id/steps.latest.outputs.run-id/'
mutate "unknown-input" 's/merge-multiple: true/merge_multiple: true/'
mutate "no-install" 's/make -j"$(nproc)" install/make -j"$(nproc)"/'
mutate "hidden-db" 's/GF_DB: gadfly-db /GF_DB: .gadfly /'

if command -v action-validator >/dev/null 2>&1; then
    for f in "$wf"/*.yml; do
        action-validator "$f" >"$d/av.log" 2>&1 ||
            { fail "action-validator rejects $(basename "$f")"; show "$d/av.log"; }
    done
else
    echo "action-validator not installed (npm install -g @action-validator/cli): schema not checked"
fi

# ---- the nightly run step, here
prog="$build/examples/ci_props"
cmd=$(awk '/^      - name: Properties/ { on = 1; next }
           on && /^        run: \|/ { body = 1; next }
           body && /^          / { sub(/^          /, ""); print; next }
           body { exit }' "$wf/gadfly.yml" | sed 's/\\$//' | tr '\n' ' ')
case $cmd in
    ./props*) ;;
    *) fail "no ./props run step found in gadfly.yml: '$cmd'" ;;
esac
cmd=$(printf '%s' "$cmd" | sed -e 's/--budget 10m/--budget 3s/' \
    -e 's/\${{ matrix.shard }}/2/g' -e "s#^./props#'$prog'#")
status=0
(cd "$d" && GF_DB=gadfly-db GITHUB_RUN_ID=7 sh -c "$cmd") >"$d/run.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    fail "the workflow's run step exited $status"; show "$d/run.log"
elif ! xmllint --noout --schema "$src/docs/gadfly-junit.xsd" "$d/gadfly-2.xml" >/dev/null 2>&1; then
    fail "the workflow's run step wrote no valid gadfly-2.xml"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "workflows: the docs show the files; checks, action-validator and the run step pass"
