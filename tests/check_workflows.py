"""check_workflows.py WORKFLOW... - checks of the GitHub Actions workflows
in .github/workflows that a YAML parser alone does not make (run by
tests/test_workflows.sh): every job and step well formed, each action one
this project knows with inputs it takes, every ${{ }} expression naming
a step, matrix key or context that exists, and for gadfly.yml the chain
build -> run -> keep the database -> find it -> bring it back.
Prints one line per problem; exits 1 if there is any."""
import re
import sys

import yaml

# The actions the workflows use, with the inputs each documents.
KNOWN_ACTIONS = {
    "actions/checkout@v4": {"repository", "ref", "path", "fetch-depth",
                            "token", "submodules", "persist-credentials"},
    "actions/upload-artifact@v4": {"name", "path", "if-no-files-found",
                                   "retention-days", "compression-level",
                                   "overwrite", "include-hidden-files"},
    "actions/download-artifact@v4": {"name", "path", "pattern",
                                     "merge-multiple", "github-token",
                                     "repository", "run-id"},
    "google/clusterfuzzlite/actions/build_fuzzers@v1": {
        "language", "sanitizer", "github-token", "upload-build",
        "storage-repo", "storage-repo-branch", "storage-repo-branch-coverage",
        "bad-build-check", "keep-unaffected-fuzz-targets", "dry-run"},
    "google/clusterfuzzlite/actions/run_fuzzers@v1": {
        "mode", "fuzz-seconds", "sanitizer", "github-token", "storage-repo",
        "storage-repo-branch", "storage-repo-branch-coverage",
        "report-unreproducible-crashes", "minimize-crashes", "output-sarif",
        "parallel-fuzzing", "dry-run", "language"},
}
CONTEXTS = {"github", "secrets", "steps", "matrix", "env", "runner", "vars",
            "inputs", "job", "strategy", "needs"}
FUNCTIONS = {"always", "success", "failure", "cancelled", "contains",
             "startsWith", "endsWith", "format", "join", "toJSON",
             "fromJSON", "hashFiles"}

problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def expressions(value):
    """Every ${{ }} expression in a value, recursively."""
    if isinstance(value, str):
        return re.findall(r"\$\{\{(.*?)\}\}", value, re.S)
    if isinstance(value, dict):
        return [e for v in value.values() for e in expressions(v)]
    if isinstance(value, list):
        return [e for v in value for e in expressions(v)]
    return []


def check_expression(where, text, step_ids, matrix_keys):
    # Strings inside an expression are not names.
    bare = re.sub(r"'[^']*'", "''", text)
    for root, rest in re.findall(r"\b([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_*-]+)*)", bare):
        if root in FUNCTIONS or root in ("true", "false", "null"):
            continue
        if root not in CONTEXTS:
            problem(where, f"unknown name '{root}' in ${{{{{text}}}}}")
            continue
        parts = rest.split(".")[1:]
        if root == "steps":
            if not parts or parts[0] not in step_ids:
                problem(where, f"no earlier step with id '{parts[0] if parts else ''}'")
            elif len(parts) < 2 or parts[1] not in ("outputs", "outcome",
                                                    "conclusion"):
                problem(where, f"steps.{parts[0]} has no '{'.'.join(parts[1:])}'")
        if root == "matrix" and (not parts or parts[0] not in matrix_keys):
            problem(where, f"no matrix key '{parts[0] if parts else ''}'")


def check_job(file, name, job):
    where = f"{file}: job {name}"
    if "runs-on" not in job:
        problem(where, "no runs-on")
    steps = job.get("steps")
    if not isinstance(steps, list) or not steps:
        problem(where, "no steps")
        return
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    matrix_keys = set(matrix) if isinstance(matrix, dict) else set()
    step_ids = set()
    for i, step in enumerate(steps, 1):
        swhere = f"{where}, step {i} ({step.get('name', step.get('uses', '?'))})"
        if ("uses" in step) == ("run" in step):
            problem(swhere, "needs exactly one of uses and run")
        uses = step.get("uses")
        if uses is not None:
            if uses not in KNOWN_ACTIONS:
                problem(swhere, f"action {uses} is not one this project knows (pin a major version)")
            else:
                for key in step.get("with") or {}:
                    if key not in KNOWN_ACTIONS[uses]:
                        problem(swhere, f"{uses} has no input '{key}'")
        for text in expressions({k: v for k, v in step.items()}) + (
                [step["if"]] if isinstance(step.get("if"), str) and "${{" not in step["if"] else []):
            check_expression(swhere, text, step_ids, matrix_keys)
        if "id" in step:
            step_ids.add(step["id"])
    return steps


def seconds(text):
    m = re.fullmatch(r"(\d+)(s|m|h)?", text)
    if not m:
        return None
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]


def check_gadfly(file, doc):
    """The nightly properties job: each link of the chain."""
    job = doc["jobs"]["properties"]
    steps = job["steps"]
    runs = [s.get("run", "") for s in steps]
    db = (doc.get("env") or {}).get("GF_DB")
    if not db or db.startswith("."):
        problem(file, "GF_DB must name a directory that is not hidden (artifacts skip those)")
    built = [i for i, r in enumerate(runs) if re.search(r"-o props\b", r)]
    ran = [i for i, r in enumerate(runs) if re.search(r"^\s*\./props\b", r, re.M)]
    if not built or not ran or built[0] > ran[0]:
        problem(file, "the step that runs ./props does not follow a step that builds it")
    if not any(re.search(r"^\s*make\b.*\binstall\b", r, re.M)
               for r in runs[:built[0] if built else 0]):
        problem(file, "Gadfly is not installed before the properties are built")
    if ran:
        m = re.search(r"--budget (\S+)", runs[ran[0]])
        budget = seconds(m.group(1)) if m else None
        if budget is None:
            problem(file, "the run has no --budget for the whole run")
        elif job.get("timeout-minutes", 360) * 60 < budget + 600:
            problem(file, "timeout-minutes leaves less than ten minutes past the budget")
        if "--junit" not in runs[ran[0]]:
            problem(file, "the run writes no JUnit report")
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    kept = [s for s in uploads if (s.get("with") or {}).get("path") == db]
    if not kept:
        problem(file, f"no step uploads the database {db}")
    elif kept[0].get("if") != "always()":
        problem(file, "the database is not kept when the job fails (if: always())")
    else:
        prefix = kept[0]["with"]["name"].split("${{")[0]
        downloads = [s for s in steps if s.get("uses", "").startswith("actions/download-artifact")]
        if not downloads:
            problem(file, "no step brings the last database back")
        else:
            w = downloads[0].get("with") or {}
            if w.get("pattern") != prefix + "*" or w.get("path") != db or not w.get("merge-multiple"):
                problem(file, f"the download does not merge every {prefix}* artifact into {db}")
            run_id = str(w.get("run-id", ""))
            m = re.search(r"steps\.([A-Za-z0-9_-]+)\.outputs", run_id)
            finder = next((s for s in steps if m and s.get("id") == m.group(1)), None)
            if not finder or f'\\"{prefix}\\"' not in finder.get("run", ""):
                problem(file, f"the run to download from is not found by its {prefix} artifacts "
                        "(a run that uploaded nothing would lose the saved failures)")
            if not str(downloads[0].get("if", "")).startswith("steps."):
                problem(file, "the download runs even when no earlier database was found")


for path in sys.argv[1:]:
    with open(path) as f:
        try:
            doc = yaml.safe_load(f)
        except yaml.YAMLError as e:
            problem(path, f"not YAML: {e}")
            continue
    if not isinstance(doc, dict):
        problem(path, "not a mapping")
        continue
    # YAML 1.1 reads the key "on" as true.
    if "on" not in doc and True not in doc:
        problem(path, "no 'on' (what starts the workflow)")
    if not isinstance(doc.get("jobs"), dict) or not doc["jobs"]:
        problem(path, "no jobs")
        continue
    for name, job in doc["jobs"].items():
        check_job(path, name, job)
    if path.endswith("gadfly.yml"):
        check_gadfly(path, doc)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
