"""`infra check` through the real CLI: the example stacks pass, JSON and markdown for scripts and pull
requests, exit 1 for a violation at or above --fail-on, exit 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app
from tests.conftest import ROOT

runner = CliRunner(env={"COLUMNS": "200"})


def run(*argv: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["check", *argv])
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}: {result.output}"
    return result


@pytest.fixture
def hot_stack(tmp_path: Path) -> Path:
    """The example stack moved to ap-south-1 (708 gCO2e/kWh in the catalog, which sells p5.48xlarge there):
    safe in every other way, so the carbon rule's low finding is its only violation."""
    text = (ROOT / "stacks" / "Pulumi.example.yaml").read_text(encoding="utf-8")
    text = text[: text.index("  # The monthly budget")]  # its carbon limit is for us-east-1's grid
    assert "aiinfra:budget" not in text, "the hot stack has no budget: the carbon finding is alone"
    path = tmp_path / "Pulumi.hot.yaml"
    path.write_text(
        text.replace("us-east-1a", "ap-south-1a").replace("us-east-1", "ap-south-1"), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("stack", ["example", "reserved"])
def test_the_example_stacks_pass_with_exit_0(stack: str) -> None:
    doc = json.loads(run("-s", stack, "--format", "json").stdout)
    assert doc["passed"] is True and doc["counts"]["total"] == 0, f"{stack} violates: {doc['violations']}"
    assert (
        doc["stack"] == stack and doc["resources_checked"] > 40 and "eks-private-endpoint" in doc["rules_run"]
    )


def test_the_table_says_there_is_nothing_to_fix() -> None:
    assert "No violations" in run("-s", "example").stdout


def test_markdown_is_a_pull_request_comment_with_its_marker() -> None:
    out = run("-s", "example", "--format", "markdown").stdout
    assert out.startswith("<!-- aiinfra-check -->\n"), "a bot finds and updates its comment by the marker"
    assert "passed" in out


def test_a_gpu_pool_on_a_dirty_grid_fails_the_check_with_exit_1(hot_stack: Path) -> None:
    result = run("-s", str(hot_stack), "--format", "json", code=1)
    doc = json.loads(result.stdout)
    assert doc["passed"] is False and doc["counts"] == {"high": 0, "medium": 0, "low": 1, "total": 1}
    (v,) = doc["violations"]
    assert v["rule_id"] == "gpu-carbon-intensity" and v["resource"] == "train-h100-nodes"
    assert set(v) == {"rule_id", "severity", "resource", "type", "message", "fix", "checkov"}


def test_fail_on_high_lets_a_low_finding_pass_but_still_shows_it(hot_stack: Path) -> None:
    doc = json.loads(run("-s", str(hot_stack), "--format", "json", "--fail-on", "high").stdout)
    assert doc["passed"] is True and doc["fail_on"] == "high" and doc["counts"]["low"] == 1, (
        "the finding is reported, it just does not fail the run"
    )
    out = run("-s", str(hot_stack), "--fail-on", "medium", "--format", "markdown").stdout
    assert "gpu-carbon-intensity" in out and "✅" in out


def test_a_higher_carbon_threshold_clears_the_finding(hot_stack: Path) -> None:
    run("-s", str(hot_stack), "--carbon-threshold", "800")


def test_a_budget_is_a_high_violation_against_the_stacks_own_estimate() -> None:
    result = run(
        "-s", "example", "--format", "json", "--max-monthly-usd", "1000", "--fail-on", "high", code=1
    )
    (v,) = json.loads(result.stdout)["violations"]
    assert v["rule_id"] == "budget-monthly-cost" and v["severity"] == "high" and v["resource"] == "example"
    estimate = json.loads(runner.invoke(app, ["estimate", "-s", "example", "--format", "json"]).stdout)
    total = f"${estimate['totals']['monthly_cost_usd']:,.2f}"
    assert total in v["message"], "the budget compares against what `infra estimate -s example` shows"
    run("-s", "example", "--max-monthly-usd", "10000000", "--max-monthly-co2e-kg", "1000000")


def test_an_unknown_stack_is_bad_input_with_exit_2() -> None:
    result = run("-s", "no-such-stack", code=2)
    assert "no stack file" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "argv",
    [
        ["--fail-on", "critical"],
        ["--format", "html"],
        ["--carbon-threshold", "-1"],
        ["--max-monthly-usd", "-5"],
    ],
)
def test_bad_flags_are_bad_input_with_exit_2(argv: list[str]) -> None:
    result = run("-s", "example", *argv, code=2)
    assert "Traceback" not in result.output
