#!/usr/bin/env python3
"""check_observations.py SCHEMA DIR [--jobs]: every line of DIR/*.jsonl is
valid against SCHEMA, and the lines add up: per property run, the new
generated cases (duplicate false) are as many as its info line's "cases"
(at least as many with --jobs, where a case first run by another worker
counts as that worker's), and a failed run has its minimal failing
example.  Prints what is wrong; exits 1 if anything is."""
import collections
import glob
import json
import sys

import jsonschema

schema_path, directory = sys.argv[1], sys.argv[2]
jobs = "--jobs" in sys.argv[3:]
with open(schema_path) as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema)
problems = []
cases = collections.Counter()
failing_examples = collections.Counter()
infos = []
lines = 0
for path in sorted(glob.glob(directory + "/*.jsonl")):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            lines += 1
            try:
                obj = json.loads(line)
            except ValueError as e:
                problems.append(f"{path}:{n}: not JSON: {e}")
                continue
            for err in validator.iter_errors(obj):
                problems.append(f"{path}:{n}: {err.message}")
            key = (obj.get("property"), obj.get("run_start"))
            if obj.get("type") == "info":
                infos.append((key, obj.get("content") or {}))
                continue
            how = obj.get("how_generated") or ""
            if how.startswith("minimal failing example"):
                failing_examples[key] += 1
                if obj.get("status") != "failed":
                    problems.append(f"{path}:{n}: the minimal failing "
                                    "example did not fail")
            elif how != "replayed (--replay)" and \
                    not obj.get("metadata", {}).get("duplicate"):
                cases[key] += 1
if lines == 0:
    problems.append(f"no lines in {directory}")
for key, content in infos:
    want, got = content.get("cases", 0), cases[key]
    if (got < want) if jobs else (got != want):
        problems.append(f"{key[0]}: {got} new case lines, the run counted "
                        f"{want}")
    if content.get("status") == "failed" and "replay" in content and \
            failing_examples[key] != 1:
        problems.append(f"{key[0]}: {failing_examples[key]} minimal failing "
                        "examples, wanted 1")
for p in problems:
    print("FAIL:", p)
print(f"{lines} lines, {len(infos)} runs checked")
sys.exit(1 if problems else 0)
