"""Issue 11, budgets in the stack file: `aiinfra:budget` (maxMonthlyUsd, maxMonthlyCo2eKg, failOnIncomplete) is
validated with field paths and fixes, documented in `infra schema`, and gates `infra estimate -s` and `infra
check -s` by default, failing closed; flags override it key by key; `--budget-from` applies it to an estimate
of the same stack from another source (a preview); the shipped stacks follow the rule for unknown parts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.estimate import budget as gate
from aiinfra.spec.loader import stack_budget
from tests.conftest import ROOT

runner = CliRunner(env={"COLUMNS": "200"})
STACKS = ROOT / "stacks"


def invoke(*argv: str, code: int) -> Any:
    result = runner.invoke(app, list(argv))
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    assert "Traceback" not in result.output
    return result


def stack_without_budget(name: str) -> str:
    """A shipped stack's text with its `aiinfra:budget` (and the comment above it) cut off."""
    config = yaml.safe_load((STACKS / f"Pulumi.{name}.yaml").read_text())["config"]
    config.pop("aiinfra:budget", None)
    return yaml.safe_dump({"config": config}, sort_keys=False)


def with_budget(tmp_path: Path, name: str, budget: str) -> Path:
    """Stack `name` with `budget` (YAML flow mapping text) as its aiinfra:budget, in a file of its own beside
    a copy of the stack's usage file (stored GiB and traffic it prices)."""
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(stack_without_budget(name) + f"  aiinfra:budget: {budget}\n")
    usage = STACKS / f"usage.{name}.yaml"
    if usage.exists():
        (tmp_path / usage.name).write_text(usage.read_text())
    return path


def verdict_of(stderr: str) -> str:
    last = stderr.strip().splitlines()[-1]
    assert last.startswith(gate.VERDICT_PREFIX), f"the verdict is the last line of stderr: {stderr}"
    return last.removeprefix(gate.VERDICT_PREFIX)


# -- the key in the spec --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "path", "fix"),
    [
        ("{maxMonthlyUsd: -1}", "budget.maxMonthlyUsd", "at least 0."),
        ('{maxMonthlyUsd: "200000"}', "budget.maxMonthlyUsd", "Write a number without quotes"),
        ("{maxMonthlyCo2eKg: true}", "budget.maxMonthlyCo2eKg", "Write a number without quotes"),
        ("{maxMonthlyUsd: .nan}", "line 7", "finite number"),
        ("{maxMonthlyUsd: 1.0e+400}", "line 7", "finite number"),
        ("{maxMonthlyUsd: " + "9" * 40 + "}", "budget.maxMonthlyUsd", "up to 1e+15"),
        ("{maxMonthlyUsd: 10, failOnIncomplete: 'no'}", "budget.failOnIncomplete", "Write true or false"),
        ("{maxMonthlyUSD: 10}", "budget.maxMonthlyUSD", "maxMonthlyUsd"),
        ("{failOnIncomplete: true}", "budget", "maxMonthlyUsd or maxMonthlyCo2eKg"),
        ("[200000]", "budget", "mapping"),
    ],
)
def test_a_bad_budget_is_exit_2_naming_the_key_and_the_fix(
    tmp_path: Path, budget: str, path: str, fix: str
) -> None:
    stack = tmp_path / "Pulumi.bad.yaml"
    stack.write_text(
        "config:\n  aiinfra:clusters:\n    - name: train\n      cloud: aws\n      region: us-east-1\n"
        "      nodePools: [{name: h100, instanceType: p5.48xlarge, nodes: 1}]\n"
        f"  aiinfra:budget: {budget}\n"
    )
    for command in ("estimate", "check"):
        result = invoke(command, "-s", str(stack), code=2)
        assert path in result.stderr and fix in result.stderr, f"{command}: {result.stderr}"
    assert path in invoke("plan", "-s", str(stack), code=2).stderr, "the whole spec refuses it too"


def test_a_budget_is_read_with_its_defaults() -> None:
    budget, path = stack_budget("example")
    assert path == Path.cwd() / "stacks" / "Pulumi.example.yaml"
    assert budget is not None and budget.max_monthly_usd == 200000 and budget.max_monthly_co2e_kg == 10000
    assert budget.fail_on_incomplete is True, "a budget that does not say otherwise fails closed"
    assert stack_budget("reserved")[0] is None, "no aiinfra:budget, no budget"


def test_infra_schema_documents_the_budget_keys() -> None:
    schema = json.loads(invoke("schema", code=0).stdout)
    assert "aiinfra:budget" in schema["properties"]["config"]["properties"]
    keys = schema["$defs"]["Budget"]["properties"]
    assert set(keys) == {"maxMonthlyUsd", "maxMonthlyCo2eKg", "failOnIncomplete"}, keys
    assert keys["maxMonthlyUsd"]["anyOf"][0]["minimum"] == 0, "the schema refuses a negative limit"
    assert keys["failOnIncomplete"]["default"] is True
    assert all(k.get("description") for k in keys.values()), "every key says what it does"


# -- the shipped stacks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(STACKS.glob("Pulumi.*.yaml")), ids=lambda p: p.name)
def test_a_shipped_stack_with_unpriced_parts_declares_no_budget_or_says_why_it_does_not_fail_closed(
    path: Path,
) -> None:
    name = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
    budget = yaml.safe_load(path.read_text())["config"].get("aiinfra:budget")
    if budget is None:
        return
    doc = json.loads(invoke("estimate", "-s", name, "--format", "json", code=0).stdout)
    assert doc["budget"]["verdict"] == gate.WITHIN, f"{name} is within its own budget: {doc['budget']}"
    unknown = doc["totals"]["unpriced_lines"] or doc["totals"]["unsupported_resources"]
    if unknown:
        assert budget.get("failOnIncomplete") is False, f"{name} has unknown parts and would fail closed"
        text = path.read_text()
        comment = text[: text.index("aiinfra:budget")].rsplit("\n  aiinfra:", 1)[-1]
        assert "failOnIncomplete: false because" in comment, f"{name} says why it accepts a lower bound"


def test_the_example_declares_a_budget_that_fails_closed() -> None:
    budget = yaml.safe_load((STACKS / "Pulumi.example.yaml").read_text())["config"]["aiinfra:budget"]
    assert budget["maxMonthlyUsd"] > 0 and "failOnIncomplete" not in budget, "shown with its default"


# -- the stack's budget gates estimate and check ------------------------------------------------------------------


def test_the_stack_s_budget_gates_estimate_and_check_and_a_flag_overrides_it(tmp_path: Path) -> None:
    tight = with_budget(tmp_path, "example", "{maxMonthlyUsd: 1000}")
    over = invoke("estimate", "-s", str(tight), code=1)
    assert verdict_of(over.stderr) == gate.OVER
    assert f"above maxMonthlyUsd 1,000.00 (aiinfra:budget in {tight})" in over.stderr, over.stderr
    checked = invoke("check", "-s", str(tight), "--format", "json", code=1)
    (violation,) = json.loads(checked.stdout)["violations"]
    assert violation["rule_id"] == "budget-monthly-cost"
    assert violation["fix"].endswith(f"or raise maxMonthlyUsd (aiinfra:budget in {tight})."), (
        "where it is set"
    )
    assert verdict_of(checked.stderr) == gate.OVER
    flagged = invoke("check", "-s", str(tight), "--max-monthly-usd", "10", "--format", "json", code=1)
    assert json.loads(flagged.stdout)["violations"][0]["fix"].endswith("or raise --max-monthly-usd.")
    loose = invoke("estimate", "-s", str(tight), "--max-monthly-usd", "1e9", "--format", "json", code=0)
    shown = json.loads(loose.stdout)["budget"]
    assert shown["max_monthly_usd"] == 1e9 and shown["verdict"] == gate.WITHIN, "the flag wins over the stack"
    assert verdict_of(loose.stderr) == gate.WITHIN
    plain = invoke("estimate", "-s", str(tight), "--no-budget", "--format", "json", code=0)
    assert "budget" not in json.loads(plain.stdout) and gate.VERDICT_PREFIX not in plain.stderr
    invoke("check", "-s", str(tight), "--no-budget", code=0)


def test_a_declared_budget_fails_closed_on_unknown_parts_unless_the_stack_or_a_flag_says_otherwise(
    tmp_path: Path,
) -> None:
    # gcp-a3mega's Parallelstore has no price in the catalog: a lower bound, far below the limit
    strict = with_budget(tmp_path, "gcp-a3mega", "{maxMonthlyUsd: 10000000}")
    failed = invoke("estimate", "-s", str(strict), "--format", "json", code=1)
    assert verdict_of(failed.stderr) == gate.UNKNOWN
    assert "1 line is unpriced (train-storage-scratch-fs)" in failed.stderr, (
        "the message names what is unknown"
    )
    assert "failing closed by default" in failed.stderr and "failOnIncomplete: false" in failed.stderr, (
        f"it says why it failed and how a team accepts a lower bound: {failed.stderr}"
    )
    assert json.loads(failed.stdout)["budget"]["unknown"], "the JSON carries what is unknown"
    checked = invoke("check", "-s", str(strict), code=1)
    assert verdict_of(checked.stderr) == gate.UNKNOWN
    invoke("estimate", "-s", str(strict), "--no-fail-on-incomplete", code=0)

    lenient = with_budget(tmp_path, "gcp-a3mega", "{maxMonthlyUsd: 10000000, failOnIncomplete: false}")
    passed = invoke("estimate", "-s", str(lenient), "--format", "json", code=0)
    assert verdict_of(passed.stderr) == gate.WITHIN and "lower bound" in passed.stderr
    assert json.loads(passed.stdout)["budget"]["lower_bound"] is True
    invoke("check", "-s", str(lenient), code=0)
    forced = invoke("estimate", "-s", str(lenient), "--fail-on-incomplete", code=1)
    assert "(--fail-on-incomplete)" in forced.stderr, "a flag overrides the stack's failOnIncomplete"


def test_an_over_budget_lower_bound_is_over_budget_not_unknown(tmp_path: Path) -> None:
    stack = with_budget(tmp_path, "gcp-a3mega", "{maxMonthlyUsd: 1000}")
    result = invoke("estimate", "-s", str(stack), code=1)
    assert verdict_of(result.stderr) == gate.OVER, "a lower bound above the limit is above it"
    assert "monthly cost ≥ $" in result.stderr


def test_budget_from_gates_an_estimate_of_the_stack_from_another_source(tmp_path: Path) -> None:
    tight = with_budget(tmp_path, "example", "{maxMonthlyUsd: 1000}")
    graph = tmp_path / "plan.json"
    graph.write_text(invoke("plan", "-s", "example", "--format", "json", code=0).stdout)
    invoke("estimate", "--from", str(graph), code=0)  # a graph file alone has no budget
    result = invoke("estimate", "--from", str(graph), "--budget-from", str(tight), code=1)
    assert verdict_of(result.stderr) == gate.OVER
    both = invoke("estimate", "--from", str(graph), "--budget-from", "example", "--no-budget", code=2)
    assert "exclusive" in both.stderr


def test_help_says_flags_override_the_stack_s_budget() -> None:
    for command in ("estimate", "check"):
        text = " ".join(invoke(command, "--help", code=0).stdout.split())
        assert "overrides the stack's aiinfra:budget" in text.replace("│ ", ""), command
        assert "--no-budget" in text and "--no-fail-on-incomplete" in text, command


def test_an_estimate_of_a_stack_from_a_document_takes_that_stacks_usage_and_profile(tmp_path: Path) -> None:
    """`--from FILE --budget-from STACK` (the PR workflow's preview path) judges the numbers `-s STACK` shows:
    the stack's usage file prices its traffic and storage, and its usage profile sets the hours."""
    plan = tmp_path / "plan.json"
    plan.write_text(invoke("plan", "-s", "edge-multicloud", "--format", "json", code=0).stdout)
    stack_file = with_budget(tmp_path, "edge-multicloud", "{maxMonthlyUsd: 1000000, failOnIncomplete: false}")
    own = json.loads(invoke("estimate", "-s", str(stack_file), "--format", "json", code=0).stdout)
    judged = json.loads(
        invoke(
            "estimate", "--from", str(plan), "--budget-from", str(stack_file), "--format", "json", code=0
        ).stdout
    )
    assert judged["profile"] == own["profile"] == "inference-diurnal", "the stack's profile, not the default"
    assert judged["totals"]["monthly_cost_usd"] == own["totals"]["monthly_cost_usd"]
    steady = json.loads(
        invoke(
            "estimate",
            "--from",
            str(plan),
            "--budget-from",
            str(stack_file),
            "--profile",
            "training-steady",
            "--format",
            "json",
            code=0,
        ).stdout
    )
    assert steady["profile"] == "training-steady", "--profile still wins"
    assert steady["totals"]["monthly_cost_usd"] != own["totals"]["monthly_cost_usd"]


def test_the_stacks_usage_file_prices_a_documents_traffic_so_the_gate_can_pass(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(invoke("plan", "-s", "example", "--format", "json", code=0).stdout)
    passed = invoke("estimate", "--from", str(plan), "--budget-from", "example", "--format", "json", code=0)
    assert json.loads(passed.stdout)["totals"]["unpriced_lines"] == 0
    assert verdict_of(passed.stderr) == "within budget"
    empty = tmp_path / "usage.yaml"
    empty.write_text("resources: {}\n")
    args = ("estimate", "--from", str(plan), "--budget-from", "example", "--usage", str(empty))
    unknown = invoke(*args, "--format", "json", code=1)
    assert verdict_of(unknown.stderr) == "unknown parts: cannot pass", "--usage still wins, and fails closed"
