"""The plan-and-estimate services (services/stack.py) raise typed errors that the CLI maps to exit codes in
one place; budgets are checked by one module (estimate/budget.py) for `infra estimate` and `infra check`;
the usage profile names come from the spec, and each has a definition."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, get_args

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.engine.errors import BadInput, ProgramFailed
from aiinfra.estimate.budget import breaches, limit
from aiinfra.estimate.usage import PROFILE_NAMES, PROFILES, profile_for
from aiinfra.services import stack as services
from aiinfra.spec.models import NamedUsageProfile, UsageProfile

runner = CliRunner(env={"COLUMNS": "200"})


def invoke(*argv: str) -> Any:
    return runner.invoke(app, list(argv))


@pytest.fixture
def no_plan(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records any plan: bad flags must be refused before anything is planned."""
    planned: list[str] = []

    def record(stack: str) -> Any:
        planned.append(stack)
        raise AssertionError("planned despite bad input")

    monkeypatch.setattr(services, "plan_stack_spec", record)
    return planned


BAD_NUMBERS = ["nan", "inf", "-inf", "-1"]


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize("option", ["--max-monthly-usd", "--max-monthly-co2e-kg"])
def test_infra_estimate_refuses_a_budget_that_is_not_a_finite_number_of_0_or_more(
    option: str, value: str, no_plan: list[str]
) -> None:
    result = invoke("estimate", "-s", "example", option, value)
    assert result.exit_code == 2, (
        f"{option} {value} is bad input (exit 2), got {result.exit_code}: {result.output}"
    )
    assert option in result.output and "0 or more" in result.output, "the message names the flag and the fix"
    assert "Traceback" not in result.output and no_plan == [], "refused before anything is planned"


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize("option", ["--max-monthly-usd", "--max-monthly-co2e-kg", "--carbon-threshold"])
def test_infra_check_refuses_a_limit_that_is_not_a_finite_number_of_0_or_more(
    option: str, value: str, no_plan: list[str]
) -> None:
    result = invoke("check", "-s", "example", option, value)
    assert result.exit_code == 2, (
        f"{option} {value} is bad input (exit 2), got {result.exit_code}: {result.output}"
    )
    assert option in result.output and "0 or more" in result.output, "the message names the flag and the fix"
    assert "Traceback" not in result.output and no_plan == [], "refused before anything is planned"


def test_a_limit_of_zero_is_a_limit_and_none_is_no_limit() -> None:
    assert limit(0.0, "--max-monthly-usd") == Decimal(0), "0 is a valid (strict) budget"
    assert limit(None, "--max-monthly-usd") is None, "no flag, no budget"
    with pytest.raises(BadInput, match="finite"):
        limit(float("nan"), "--max-monthly-usd")


def estimate_of(cost: float, co2e: float, lines: list[tuple[float | None, float | None]]) -> Any:
    return SimpleNamespace(
        monthly_cost_usd=Decimal(str(cost)),
        monthly_co2e_kg=Decimal(str(co2e)),
        lines=[SimpleNamespace(monthly_cost_usd=c, monthly_co2e_kg=e) for c, e in lines],
    )


def test_a_breach_over_a_partly_unpriced_total_reads_as_at_least() -> None:
    result = estimate_of(1000, 50, [(None, None), (1000, 50)])
    cost, co2e = breaches(result, Decimal(10), Decimal(1))
    assert cost.describe().startswith("monthly cost ≥ $1,000.00"), "an unpriced line makes the cost a floor"
    assert co2e.unpriced == 1 and "≥ 50.0 kg" in co2e.describe(), "and the emissions, when it has none"


def test_a_total_within_its_limit_or_with_no_limit_is_no_breach() -> None:
    result = estimate_of(1000, 50, [(1000, 50)])
    assert breaches(result, Decimal(1000), None) == [], "a total equal to the budget is within it"
    (only,) = breaches(result, None, Decimal(49))
    assert only.metric == "co2e" and "≥" not in only.describe(), "fully priced: no lower-bound mark"


def test_every_usage_profile_the_spec_names_has_a_definition() -> None:
    assert set(PROFILE_NAMES) == set(PROFILES), (
        "estimate/usage.py defines exactly the profiles the spec names"
    )
    assert set(get_args(UsageProfile)) == {*get_args(NamedUsageProfile), "custom"}, "custom is the one extra"
    for name in PROFILE_NAMES:
        assert profile_for(name).name == name, f"profile {name} resolves to its own definition"


def test_the_cli_offers_the_spec_s_profile_names() -> None:
    from aiinfra.cli.estimate import PROFILES as offered

    assert tuple(offered) == PROFILE_NAMES, "one list: the CLI derives its names from the spec"


def test_an_unknown_stack_is_a_typed_bad_input_from_the_service() -> None:
    with pytest.raises(BadInput, match="no stack file"):
        services.plan_stack("no-such-stack")


def test_a_missing_graph_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        services.graph_file(tmp_path / "nope.json")


def test_a_program_that_fails_is_program_failed_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: broken\nruntime: python\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    with pytest.raises(ProgramFailed, match="boom"):
        services.program_graph(tmp_path, "dev")
    result = invoke("estimate", "--program", str(tmp_path))
    assert result.exit_code == 1 and "boom" in result.output, (
        f"the program's failure is exit 1: {result.output}"
    )
    assert "Traceback" not in result.output, "one line, no traceback"


def test_an_unknown_profile_is_bad_input_with_a_suggestion() -> None:
    result = invoke(
        "estimate",
        "--from",
        str(Path(__file__).parent / "data" / "graphs" / "preview.json"),
        "--profile",
        "training-stedy",
    )
    assert result.exit_code == 2 and "training-steady" in result.output, result.output
