"""How an estimate's numbers read (estimate/render/fmt.py): signs and rounding of money and amounts, the
singular unit of a quantity of 1, subtotals added up when a document has no `groups`, the group order, the
lower-bound totals, carbon on a grid with no carbon figure, and the purchase-option names. The expected
texts are written out by hand; the documents are small and built here, so each number is traceable."""

from __future__ import annotations

from typing import Any

from aiinfra.estimate.render import fmt_amount, fmt_usd, render_markdown
from aiinfra.estimate.render.fmt import (
    _quantity,
    _unit_price,
    group_co2e,
    left_out_note,
    line_co2e,
    total_co2e,
    total_cost,
)


def line(resource: str, group: str | None = "g", **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resource": resource,
        "type": "aws:ec2/instance:Instance",
        "description": f"{resource} machine",
        "quantity": 730,
        "unit": "instance-hours",
        "unit_price_usd": 0.01,
        "monthly_cost_usd": 7.3,
        "monthly_energy_kwh": None,
        "monthly_co2e_kg": None,
        "assumptions": [],
        "scenarios": {},
        "reason": "",
    }
    if group is not None:
        out["group"] = group
    out.update(fields)
    return out


def doc(*lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"stack": "s", "profile": "p", "catalog_version": "c", "lines": list(lines)}
    out.update(fields)
    return out


def md_rows(text: str) -> list[str]:
    return [r for r in text.splitlines() if r.startswith("| ")]


# --------------------------------------------------------------------------------------------- numbers


def test_money_is_unsigned_without_a_dollar_unless_asked() -> None:
    assert fmt_usd(5) == "5.00", "no sign and no $ by default"
    assert fmt_usd(0.5) == "0.50", "a positive amount under 1 is not negative"
    assert fmt_usd(-0.5) == "-0.50", "a negative amount keeps its minus"
    assert fmt_usd(5, dollar=True) == "$5.00"


def test_a_signed_money_delta_shows_plus_minus_or_nothing() -> None:
    assert fmt_usd(0.5, signed=True) == "+0.50", "a rise under a dollar is still a rise"
    assert fmt_usd(5, signed=True) == "+5.00"
    assert fmt_usd(-5, signed=True) == "-5.00"
    assert fmt_usd(0, signed=True) == "0.00", "no change has no sign"


def test_an_amount_unknown_is_a_dash_and_signed_amounts_show_their_direction() -> None:
    assert fmt_amount(None) == "—", "energy or carbon not modelled"
    assert fmt_amount(0.5) == "0.5"
    assert fmt_amount(-0.5) == "-0.5"
    assert fmt_amount(0.5, signed=True) == "+0.5", "a rise under 1 kWh is still a rise"
    assert fmt_amount(-2, signed=True) == "-2"
    assert fmt_amount(0, signed=True) == "0", "no change has no sign"


def test_one_unit_of_a_plural_unit_reads_singular() -> None:
    assert _quantity({"quantity": 1, "unit": "key-months"}) == "1 key-month"
    assert _quantity({"quantity": 2, "unit": "key-months"}) == "2 key-months"
    assert _quantity({"quantity": 1, "unit": "access"}) == "1 access", "a unit ending in ss is not a plural"


def test_a_unit_price_is_shown_or_a_dash_when_there_is_none() -> None:
    assert _unit_price({"unit_price_usd": 0.2016}) == "0.2016"
    assert _unit_price({}) == "—"
    assert _unit_price({"unit_price_usd": None}) == "—"


# --------------------------------------------------------------------------------------------- groups


def test_group_subtotals_are_added_up_from_the_lines_when_the_document_has_none() -> None:
    text = render_markdown(
        doc(
            line("a", monthly_cost_usd=1.5, monthly_energy_kwh=10, monthly_co2e_kg=4),
            line("b", monthly_cost_usd=2.25, monthly_energy_kwh=None, monthly_co2e_kg=0.5),
            line("c", monthly_cost_usd=None, reason="no price"),
            totals={"monthly_cost_usd": 3.75, "monthly_energy_kwh": 10, "monthly_co2e_kg": 4.5},
        )
    )
    assert "| g | 3.75 + 1 unpriced | 10 | 4.5 |" in md_rows(text), (
        "the group's cost, energy and carbon are the sums of its lines; the unpriced one is counted"
    )


def test_the_unpriced_count_of_a_group_counts_only_its_unpriced_lines() -> None:
    text = render_markdown(
        doc(
            line("a", monthly_cost_usd=1),
            line("b", monthly_cost_usd=2),
            line("c", monthly_cost_usd=None),
            totals={"monthly_cost_usd": 3},
        )
    )
    assert "| g | 3.00 + 1 unpriced | 0 | 0 |" in md_rows(text)
    complete = render_markdown(doc(line("a", monthly_cost_usd=1), totals={"monthly_cost_usd": 1}))
    assert "| g | 1.00 | 0 | 0 |" in md_rows(complete), "no unpriced line, no '+ 0 unpriced'"


def test_groups_follow_the_documents_order_then_those_only_lines_name() -> None:
    text = render_markdown(
        doc(
            line("a1", group="a", monthly_cost_usd=1),
            line("b1", group="b", monthly_cost_usd=2),
            line("x", group=None, monthly_cost_usd=4),
            groups={
                "b": {"monthly_cost_usd": 2},
                "a": {"monthly_cost_usd": 1},
                "empty": {"monthly_cost_usd": 0},
            },
            totals={"monthly_cost_usd": 7},
        )
    )
    rows = md_rows(text)
    names = [r.split(" | ")[0][2:] for r in rows[2 : rows.index(next(r for r in rows if "**total**" in r))]]
    assert names == ["b", "a", "empty", "(no group)"], (
        "the document's groups first in its order (each once), then a line without a group"
    )


# --------------------------------------------------------------------------------------------- totals


def test_the_total_is_a_lower_bound_when_the_document_says_lines_are_unpriced() -> None:
    d = doc(line("a"), totals={"monthly_cost_usd": 10, "unpriced_lines": 2})
    assert total_cost(d) == "≥ 10.00"
    assert left_out_note(d) == "2 unpriced line(s) not included"
    complete = doc(line("a"), totals={"monthly_cost_usd": 10, "unpriced_lines": 0})
    assert total_cost(complete) == "10.00", "no $ unless asked; complete totals have no ≥"
    assert total_cost(complete, dollar=True) == "$10.00"
    assert left_out_note(complete) == ""


def test_unknown_grid_lines_come_from_the_totals_or_are_counted_from_the_lines() -> None:
    from_totals = doc(line("a"), totals={"monthly_cost_usd": 1, "unknown_grid_lines": 3})
    assert (
        left_out_note(from_totals) == "the carbon of 3 line(s) on a grid with no carbon figure not included"
    )
    counted = doc(
        line("a", monthly_energy_kwh=5, monthly_co2e_kg=None),
        line("b", monthly_energy_kwh=5, monthly_co2e_kg=2),
    )
    assert left_out_note(counted) == "the carbon of 1 line(s) on a grid with no carbon figure not included", (
        "a document without totals: the lines that draw energy but have no carbon figure"
    )


def test_the_carbon_total_is_exact_a_lower_bound_or_unknown() -> None:
    known = line("a", monthly_energy_kwh=10, monthly_co2e_kg=8.5)
    grid = line("b", monthly_energy_kwh=5, monthly_co2e_kg=None)
    assert total_co2e(doc(known, totals={"monthly_co2e_kg": 8.5})) == "8.5"
    assert total_co2e(doc(known, grid, totals={"monthly_co2e_kg": 8.5})) == "≥ 8.5"
    assert total_co2e(doc(grid, totals={"monthly_co2e_kg": 0})) == "unknown", "no line has a carbon figure"


def test_a_groups_carbon_is_exact_a_lower_bound_or_unknown() -> None:
    known = line("a", monthly_energy_kwh=10, monthly_co2e_kg=8.5)
    grid = line("b", monthly_energy_kwh=5, monthly_co2e_kg=None)
    assert group_co2e({"monthly_co2e_kg": 8.5}, [known]) == "8.5"
    assert group_co2e({"monthly_co2e_kg": 8.5}, [known, grid]) == "≥ 8.5"
    assert group_co2e({"monthly_co2e_kg": 0}, [grid]) == "unknown"


def test_a_lines_carbon_is_unknown_only_when_it_draws_energy_without_a_figure() -> None:
    assert line_co2e({"monthly_energy_kwh": 5, "monthly_co2e_kg": None}) == "unknown"
    assert line_co2e({"monthly_energy_kwh": None, "monthly_co2e_kg": None}) == "—", "not modelled"
    assert line_co2e({"monthly_energy_kwh": 5, "monthly_co2e_kg": 2}) == "2"


# ----------------------------------------------------------------------------------- comment details


def test_assumptions_are_listed_with_how_many_lines_rest_on_them() -> None:
    text = render_markdown(
        doc(
            line("a", assumptions=["runs all month", "on-demand"]),
            line("b", assumptions=["runs all month"]),
            totals={"monthly_cost_usd": 14.6},
        )
    )
    assert "- runs all month (2 lines)" in text
    assert "- on-demand (1 line)" in text


def test_the_diffed_headline_shows_the_cost_change_signed_with_a_dollar() -> None:
    d = doc(line("a"), totals={"monthly_cost_usd": 7.3})
    text = render_markdown(d, {"before": {"stack": "main"}, "delta": {"monthly_cost_usd": 5}, "changes": []})
    assert "(+$5.00 · — kWh · — kg CO2e vs main)" in text


def test_every_purchase_option_is_named_for_people_with_what_it_cannot_price() -> None:
    gpu = line("gpu", scenarios={"on_demand": 1000, "spot": 300})
    text = render_markdown(
        doc(
            gpu,
            totals={"monthly_cost_usd": 1000},
            scenarios={
                "on_demand": {"monthly_cost_usd": 1000, "unpriced_lines": []},
                "spot": {"monthly_cost_usd": 300, "unpriced_lines": ["web", "web"]},
                "commit_1y": {"monthly_cost_usd": 700, "unpriced_lines": []},
                "commit_3y": {"monthly_cost_usd": 500, "unpriced_lines": []},
                "capacity_block": {"monthly_cost_usd": 800, "unpriced_lines": []},
                "savings_plan": {"monthly_cost_usd": 600, "unpriced_lines": []},
            },
        )
    )
    rows = md_rows(text)
    assert "| on-demand | $1,000.00 |  |" in rows
    assert "| spot | ≥ $300.00 (2 unpriced) | web |" in rows, "the resource named once, its lines counted"
    assert "| 1-year commitment | $700.00 |  |" in rows
    assert "| 3-year commitment | $500.00 |  |" in rows
    assert "| capacity block | $800.00 |  |" in rows
    assert "| savings_plan | $600.00 |  |" in rows, "an option without a name for people is shown as spelt"
    assert "no purchase option prices" not in text, "every line is priced: no caption"


def test_the_scenario_caption_counts_unpriced_lines_no_option_prices() -> None:
    scenarios = {"on_demand": {"monthly_cost_usd": 1005, "unpriced_lines": ["old"]}}
    gpu = line("gpu", monthly_cost_usd=1000, scenarios={"on_demand": 1000})
    disk = line("disk", monthly_cost_usd=5)  # priced, with no scenarios of its own: not in the caption
    old = line("old", monthly_cost_usd=None, reason="not in the catalog")
    text = render_markdown(doc(gpu, disk, old, totals={"monthly_cost_usd": 1005}, scenarios=scenarios))
    assert "1 unpriced line(s) that no purchase option prices are unpriced in every row." in text
    fine = render_markdown(doc(gpu, disk, totals={"monthly_cost_usd": 1005}, scenarios=scenarios))
    assert "no purchase option prices" not in fine, "a priced line without scenarios is not unpriced"
