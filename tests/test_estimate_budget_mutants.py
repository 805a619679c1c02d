"""Budgets (estimate/budget.py) as a user meets them: the limit flags that are bad input, which lines make a
total a lower bound, the `--fail-on-incomplete` message, and the breach sentence `infra estimate` and the
budget rules print. Written to kill the mutants bench/mutation.py found alive; every expected text is
written out here, not computed by the code under test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aiinfra.engine.errors import BadInput
from aiinfra.estimate.budget import (
    Breach,
    breach,
    breaches,
    incomplete,
    incomplete_gates,
    limit,
    unknown_lines,
    unpriced_lines,
    user_prices,
)
from aiinfra.estimate.model import Estimate, Line, Skipped

D = Decimal


def line(name: str, cost: str | None = "10", kwh: str | None = None, co2e: str | None = None) -> Line:
    return Line(
        resource=name,
        type="aws:ec2/instance:Instance",
        group="",
        cloud="aws",
        region="us-east-1",
        description=name,
        quantity=D(1),
        unit="hours",
        unit_price_usd=None if cost is None else D(cost),
        monthly_cost_usd=None if cost is None else D(cost),
        monthly_energy_kwh=None if kwh is None else D(kwh),
        monthly_co2e_kg=None if co2e is None else D(co2e),
        source="test",
    )


def result(*lines: Line, unsupported: tuple[str, ...] = ()) -> Estimate:
    return Estimate("s", "p", list(lines), unsupported=[Skipped(n, "x:y:Z", "no rule") for n in unsupported])


# -- limits -----------------------------------------------------------------------------------------------


def test_a_limit_is_the_number_given_and_zero_is_a_limit() -> None:
    assert limit(None, "--max-monthly-usd") is None
    assert limit(1000.5, "--max-monthly-usd") == D("1000.5")
    assert limit(0.0, "--max-monthly-usd") == D("0"), (
        "0 is a limit (nothing may cost anything), not bad input"
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_limit_that_is_not_finite_is_bad_input_with_the_fix_and_the_unit(value: float) -> None:
    with pytest.raises(BadInput) as err:
        limit(value, "--max-monthly-usd", "USD")
    assert err.value.message == f"--max-monthly-usd must be a finite number, not {value}."
    assert (
        err.value.fix
        == "Give --max-monthly-usd a finite number, 0 or more (USD), e.g. --max-monthly-usd 1000."
    )


def test_a_negative_limit_is_bad_input_and_a_limit_without_a_unit_names_none() -> None:
    with pytest.raises(BadInput) as err:
        limit(-1.5, "maxMonthlyCo2eKg")
    assert err.value.message == "maxMonthlyCo2eKg must be 0 or more, not -1.5."
    assert err.value.fix == "Give maxMonthlyCo2eKg a finite number, 0 or more, e.g. maxMonthlyCo2eKg 1000."


def test_price_flags_become_user_prices_and_a_bad_one_is_bad_input() -> None:
    assert user_prices(None) == {}
    prices = user_prices(["p5.48xlarge=98.32"])
    assert list(prices) == ["p5.48xlarge"] and prices["p5.48xlarge"].usd_per_hour == D("98.32")
    with pytest.raises(BadInput) as err:
        user_prices(["p5.48xlarge"])
    assert err.value.message.startswith("--price 'p5.48xlarge' is not TYPE=USD_PER_HOUR."), err.value.message


# -- which lines leave a total a lower bound ----------------------------------------------------------------


def test_an_unpriced_line_is_unknown_for_the_cost_only() -> None:
    est = result(line("priced", "10", "5", "2"), line("unpriced", None, "5", "2"))
    assert unknown_lines(est) == ["unpriced"] and unpriced_lines(est) == 1
    assert unknown_lines(est, "co2e") == [] and unpriced_lines(est, "co2e") == 0, "both have a carbon figure"


def test_for_carbon_a_line_is_unknown_when_it_draws_energy_or_is_unpriced_without_a_figure() -> None:
    est = result(
        line("bucket", "3", None, None),  # priced, no energy of its own: adds nothing, lowers nothing
        line("dirty-grid", "10", "50", None),  # draws energy where the grid is unknown
        line("unpriced", None, None, None),  # no price and no carbon figure
        line("known", "10", "50", "20"),
    )
    assert unknown_lines(est, "co2e") == ["dirty-grid", "unpriced"]
    assert unpriced_lines(est, "co2e") == 2
    assert unknown_lines(est, "cost") == ["unpriced"]


# -- --fail-on-incomplete ------------------------------------------------------------------------------------


def test_a_complete_estimate_is_not_incomplete() -> None:
    assert incomplete(result(line("a")), "cost") is None
    assert incomplete(result(line("a", co2e="1", kwh="1")), "co2e") is None


def test_one_unpriced_line_reads_in_the_singular() -> None:
    assert incomplete(result(line("a"), line("gpu", None)), "cost") == (
        "1 line is unpriced (gpu): the monthly cost is unknown, not 0, so the gate fails"
    )


def test_unpriced_lines_and_unsupported_resources_are_counted_and_named_once() -> None:
    est = result(line("gpu", None), line("gpu", None), unsupported=("gpu", "queue"))
    assert incomplete(est, "cost") == (
        "2 lines are unpriced and 2 resources are not estimated (gpu, queue): the monthly cost is unknown, "
        "not 0, so the gate fails"
    )


def test_an_unsupported_resource_alone_makes_the_total_incomplete() -> None:
    assert incomplete(result(line("a"), unsupported=("queue",)), "cost") == (
        "1 resource is not estimated (queue): the monthly cost is unknown, not 0, so the gate fails"
    )


def test_carbon_that_is_not_known_reads_as_emissions_without_a_carbon_figure() -> None:
    est = result(line("gpu-a", "10", "5"), line("gpu-b", "10", "5"))
    assert incomplete(est, "co2e") == (
        "2 lines are without a carbon figure (gpu-a, gpu-b): the monthly emissions are unknown, not 0, "
        "so the gate fails"
    )


def test_the_message_names_five_resources_and_counts_the_rest() -> None:
    est = result(*(line(f"r{i}", None) for i in range(7)))
    assert incomplete(est, "cost") == (
        "7 lines are unpriced (r0, r1, r2, r3, r4, … (2 more)): the monthly cost is unknown, not 0, so the gate "
        "fails"
    )
    five = result(*(line(f"r{i}", None) for i in range(5)))
    assert incomplete(five, "cost") == (
        "5 lines are unpriced (r0, r1, r2, r3, r4): the monthly cost is unknown, not 0, so the gate fails"
    ), "exactly five names: none left to count"


@pytest.mark.parametrize(
    ("max_usd", "max_co2e", "gated"),
    [(None, None, ["cost"]), (100, None, ["cost"]), (None, 100, ["co2e"]), (100, 100, ["cost", "co2e"])],
)
def test_the_gates_are_the_limits_given_and_the_cost_when_none_is(
    max_usd: int | None, max_co2e: int | None, gated: list[str]
) -> None:
    est = result(line("gpu", None, None, None))  # unknown for both metrics
    messages = incomplete_gates(est, max_usd, max_co2e)
    words = {"cost": "the monthly cost is unknown", "co2e": "the monthly emissions are unknown"}
    assert len(messages) == len(gated)
    for message, metric in zip(messages, gated, strict=True):
        assert words[metric] in message, (metric, message)
    assert incomplete_gates(result(line("a", "1", "1", "1")), max_usd, max_co2e) == [], (
        "all known: no message"
    )


# -- breaches ------------------------------------------------------------------------------------------------


def test_a_cost_breach_of_a_complete_total_reads_without_a_lower_bound() -> None:
    b = Breach("cost", D("1234.5"), D("1000"), 0)
    assert b.describe() == "monthly cost $1,234.50 is"
    assert b.limit_text() == "1,000.00"


def test_a_cost_breach_with_unpriced_lines_is_a_lower_bound() -> None:
    b = Breach("cost", D("1234.5"), D("1000"), 2)
    assert b.describe() == "monthly cost ≥ $1,234.50 (a lower bound: 2 lines are unpriced) is"
    one = Breach("cost", D("1234.5"), D("1000"), 1)
    assert one.describe() == "monthly cost ≥ $1,234.50 (a lower bound: 1 line is unpriced) is"


def test_an_emissions_breach_reads_in_kilograms_with_one_decimal() -> None:
    assert Breach("co2e", D("2000.04"), D("1500"), 0).describe() == "monthly emissions 2,000.0 kg CO2e are"
    assert Breach("co2e", D("2000.04"), D("1500"), 3).describe() == (
        "monthly emissions ≥ 2,000.0 kg CO2e (a lower bound: 3 lines are without a carbon figure) are"
    )
    assert Breach("co2e", D("1"), D("1500.25"), 0).limit_text() == "1,500.2"


def test_a_total_equal_to_its_limit_is_within_it_and_one_cent_more_is_a_breach() -> None:
    est = result(line("a", "600", "10", "400"), line("b", "400", "10", "100"))  # $1,000, 500 kg
    assert breach(est, "cost", None) is None, "no limit: nothing to breach"
    assert breach(est, "cost", D("1000")) is None
    assert breach(est, "cost", D("999.99")) == Breach("cost", D("1000"), D("999.99"), 0)
    assert breach(est, "co2e", D("500")) is None
    assert breach(est, "co2e", D("499")) == Breach("co2e", D("500"), D("499"), 0)


def test_a_breach_counts_the_lines_that_make_its_total_a_lower_bound() -> None:
    est = result(line("a", "600", "10", "400"), line("gpu", None, "10", None))
    assert breach(est, "cost", D("100")) == Breach("cost", D("600"), D("100"), 1)
    assert breach(est, "co2e", D("100")) == Breach("co2e", D("400"), D("100"), 1)


def test_breaches_list_every_limit_exceeded_cost_first() -> None:
    est = result(line("a", "600", "10", "400"))
    assert breaches(est, D("100"), D("100")) == [
        Breach("cost", D("600"), D("100"), 0),
        Breach("co2e", D("400"), D("100"), 0),
    ]
    assert breaches(est, D("1000"), D("100")) == [Breach("co2e", D("400"), D("100"), 0)]
    assert breaches(est, None, None) == []
