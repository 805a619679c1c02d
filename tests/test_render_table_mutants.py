"""What `infra estimate` prints in a terminal (estimate/render/table.py), read back from the printed text:
the header, the lines table at each layout (full, quantity and unit price moved under the description,
a compact list), the change row and the changes table, the purchase options, what is not estimated, and
the colours that flag unknown and rising numbers. The documents are small and built here; every expected
text is written out by hand, and the widths at which a table stops fitting are added up in comments."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

from rich.console import Console

from aiinfra.estimate.render import render_table

YELLOW, RED, DIM, BOLD = "\x1b[33m", "\x1b[31m", "\x1b[2m", "\x1b[1m"


def line(resource: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resource": resource,
        "group": "g",
        "description": f"{resource} machine",
        "quantity": 730,
        "unit": "instance-hours",
        "unit_price_usd": 1.3699,
        "monthly_cost_usd": 1000,
        "monthly_energy_kwh": 10,
        "monthly_co2e_kg": 4,
        "reason": "",
    }
    out.update(fields)
    return out


GPU = line("gpu")
OLD = line(
    "old",
    unit_price_usd=None,
    monthly_cost_usd=None,
    monthly_energy_kwh=None,
    monthly_co2e_kg=None,
    reason="not in the catalog",
)


def estimate(*lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "stack": "mystack",
        "profile": "p",
        "catalog_version": "c1",
        "lines": list(lines) or [GPU, OLD],
        "totals": {
            "monthly_cost_usd": 1000,
            "monthly_energy_kwh": 10,
            "monthly_co2e_kg": 4,
            "unpriced_lines": 1,
        },
        "groups": {"g": {"monthly_cost_usd": 1000, "monthly_energy_kwh": 10, "monthly_co2e_kg": 4}},
    }
    out.update(fields)
    return out


def change(**fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "before": {"stack": "main", "profile": "p0", "catalog_version": "c0"},
        "delta": {
            "monthly_cost_usd": 5,
            "monthly_energy_kwh": 10,
            "monthly_co2e_kg": 2.5,
            "note": "priced only",
        },
        "changes": [
            {
                "resource": "gpu",
                "unit": "instance-hours",
                "change": "changed",
                "delta_monthly_cost_usd": 5,
                "delta_monthly_co2e_kg": 2.5,
                "driver": "nodes 4 → 6",
            }
        ],
    }
    out.update(fields)
    return out


def printed(
    doc: dict[str, Any], diff: dict[str, Any] | None = None, width: int = 200, ansi: bool = False
) -> str:
    console = Console(
        width=width, file=StringIO(), force_terminal=ansi, color_system="standard" if ansi else None
    )
    for renderable in render_table(doc, diff):
        console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def rows(text: str) -> list[str]:
    return [r.rstrip() for r in text.splitlines()]


# --------------------------------------------------------------------------------------------- header


def test_the_header_names_the_stack_profile_and_catalog() -> None:
    text = rows(printed(estimate()))
    assert text[0] == "Estimate mystack  profile p  catalog c1  USD per month (730 h)"
    assert "compared with" not in printed(estimate()), "no diff, no comparison line"
    unknown = rows(printed(estimate(catalog_version=None)))
    assert unknown[0] == "Estimate mystack  profile p  catalog unknown  USD per month (730 h)"


def test_a_diffed_header_says_what_it_is_compared_with() -> None:
    text = rows(printed(estimate(), change()))
    assert text[0] == "Estimate mystack  profile p  catalog c1  USD per month (730 h)"
    assert text[1] == "compared with main (profile p0, catalog c0)"


def test_embodied_carbon_is_printed_under_the_table_when_the_document_has_it() -> None:
    totals = {
        "monthly_cost_usd": 1000,
        "monthly_energy_kwh": 10,
        "monthly_co2e_kg": 4,
        "monthly_embodied_co2e_kg": 1234,
    }
    text = printed(estimate(totals=totals))
    assert "embodied (manufacturing) carbon of the machines held: 1,234 kg CO2e/month" in text
    assert "embodied" not in printed(estimate())


# --------------------------------------------------------------------------------------------- lines


def test_the_full_table_has_a_row_per_line_with_the_reason_under_an_unpriced_one() -> None:
    text = rows(printed(estimate(), width=200))
    header = next(r for r in text if "resource" in r and "description" in r)
    assert re.search(
        r"resource .*description .*quantity .*\$/unit .*\$/month .*kWh/month .*kgCO2e/month", header
    )
    gpu = next(r for r in text if r.startswith("│   gpu"))
    assert re.search(r"gpu machine +│ 730 instance-hours │ 1\.3699 │ +1,000\.00 │ +10 │ +4 │", gpu)
    at = next(i for i, r in enumerate(text) if r.startswith("│   old"))
    assert "unpriced" in text[at]
    assert "↳ not in the catalog" in text[at + 1], "the reason is on the row under the unpriced line"
    assert "↳" not in text[text.index(gpu) + 1], "a priced line has no reason row"
    assert "no reason given" not in "\n".join(text)


def test_an_unpriced_line_without_a_reason_says_so() -> None:
    text = printed(estimate(GPU, {**OLD, "reason": ""}), width=200)
    assert "↳ no reason given" in text


def test_numbers_are_right_aligned_in_the_full_table() -> None:
    small = line("tiny", monthly_cost_usd=1, monthly_energy_kwh=5, monthly_co2e_kg=1)
    big = line("huge", monthly_cost_usd=1000, monthly_energy_kwh=12345, monthly_co2e_kg=9999)
    text = rows(printed(estimate(small, big), width=200))
    tiny = next(r for r in text if r.startswith("│   tiny"))
    assert re.search(r"│ +1\.00 │ +5 │ +1 │$", tiny), f"kWh and kg sit at the right of their column: {tiny}"


def test_a_narrower_table_moves_quantity_and_unit_price_under_the_description() -> None:
    # the full table at 200 columns is 122 wide; at 100 the quantity and $/unit columns move
    text = rows(printed(estimate(), width=100))
    header = next(r for r in text if "description" in r)
    assert re.fullmatch(r"┃ resource +┃ description +┃ +\$/month ┃ kWh/month ┃ kgCO2e/month ┃", header), (
        header
    )
    at = next(i for i, r in enumerate(text) if r.startswith("│   gpu"))
    assert re.search(r"│   gpu +│ gpu machine +│ +1,000\.00 │ +10 │ +4 │", text[at])
    assert "730 instance-hours × 1.3699" in text[at + 1]


def test_the_total_row_and_the_change_row() -> None:
    text = rows(printed(estimate(), change(), width=200))
    total = next(r for r in text if r.startswith("│ total"))
    assert re.search(r"1 unpriced line\(s\) not included .*│ ≥ 1,000\.00 │ +10 │ +4 │", total)
    delta = next(r for r in text if r.startswith("│ Δ vs main"))
    assert re.search(r"priced only .*│ +\+\$5\.00 │ +\+10 │ +\+2\.5 │", delta), delta
    assert "Δ vs" not in printed(estimate()), "no diff, no change row"


def test_the_compact_list_when_no_table_fits() -> None:
    text = rows(printed(estimate(), change(), width=60))
    assert "┃" not in "\n".join(text), "no table at 60 columns"
    assert text[3] == "Cost, energy and carbon per month"
    assert text[4].startswith("g — $1,000.00/month · 10 kWh · 4 kg CO2e (1 unpriced")
    assert "  gpu — $1,000.00/month · 10 kWh · 4 kg CO2e" in text, "each line right under its group"
    assert "      gpu machine · 730 instance-hours × 1.3699" in text
    assert "  old — unpriced · — kWh · — kg CO2e" in text
    assert "      ↳ not in the catalog" in text
    assert any(r.startswith("total — ≥ $1,000.00/month · 10 kWh · 4 kg CO2e") for r in text)
    assert "Δ vs main — +$5.00 · +10 kWh · +2.5 kg CO2e" in text
    assert "    priced only" in text
    assert "" not in text, "no blank line between the entries"


# --------------------------------------------------------------------------------------------- changes


def test_the_changes_table_fits_at_80_columns_and_becomes_a_list_at_79() -> None:
    # resource "gpu (instance-hours)" 20, change 7, "Δ $/month" 9, "Δ kgCO2e" 8, driver (prose) at least 20:
    # (20+2) + (7+2) + (9+2) + (8+2) + (20+2) + 6 rules = 80 columns
    fits = rows(printed(estimate(), change(), width=80))
    header = next(r for r in fits if "driver" in r)
    assert header == "┃ resource             ┃ change  ┃ Δ $/month ┃ Δ kgCO2e ┃ driver               ┃"
    assert "│ gpu (instance-hours) │ changed │    +$5.00 │     +2.5 │ nodes 4 → 6          │" in fits
    listed = rows(printed(estimate(), change(), width=79))
    assert "gpu (instance-hours) — changed: +$5.00 · +2.5 kg CO2e" in listed
    assert "    nodes 4 → 6" in listed
    assert "Changes since main (per month)" in listed


def test_no_changes_says_so() -> None:
    text = printed(estimate(), change(changes=[]), width=200)
    assert "No line changed since main." in text
    assert "Changes since" not in text
    assert "No line changed" not in printed(estimate(), change(), width=200)


def test_a_change_of_unknown_cost_is_yellow_and_a_rise_red() -> None:
    unknown = change(
        changes=[{**change()["changes"][0], "delta_monthly_cost_usd": None, "resource": "odd"}],
    )
    text = printed(estimate(), unknown, width=200, ansi=True)
    assert f"{YELLOW}  unknown" in text or f"{YELLOW}unknown" in text, "an unknown change is yellow"
    rise = printed(estimate(), change(), width=200, ansi=True)
    assert re.search(r"gpu \(instance-hours\) │ changed │ \x1b\[31m +\+\$5\.00", rise), "a rise is red"


# --------------------------------------------------------------------------------------------- colours


def test_the_full_table_dims_labels_and_flags_the_left_out_note() -> None:
    text = printed(estimate(), change(), width=200, ansi=True)
    assert f"{DIM}group subtotal (1 unpriced not included)" in text
    assert f"{YELLOW}1 unpriced line(s) not included" in text
    assert f"{DIM}priced only" in text


def test_the_compact_list_flags_an_unpriced_line_and_dims_the_note() -> None:
    text = printed(estimate(), change(), width=60, ansi=True)
    assert f"old — {YELLOW}unpriced" in text
    assert f"    {DIM}priced only" in text


# --------------------------------------------------------------------------------------------- options


SCENARIOS = {
    "on_demand": {"monthly_cost_usd": 1000, "unpriced_lines": []},
    "spot": {"monthly_cost_usd": 300, "unpriced_lines": ["web", "db", "cache", "queue", "search"]},
}


def test_the_purchase_options_table_fits_at_57_columns_and_becomes_a_list_at_56() -> None:
    # option "on-demand" 9, $/month "≥ $300.00 (5 unpriced)" 22, no price (prose) at least 16:
    # (9+2) + (22+2) + (16+2) + 4 rules = 57 columns
    doc = estimate(scenarios=SCENARIOS)
    fits = rows(printed(doc, width=57))
    assert any(re.fullmatch(r"│ spot +│ ≥ \$300\.00 \(5 unpriced\) │ web, db, cache, +│", r) for r in fits), (
        fits
    )
    assert any(re.fullmatch(r"│ on-demand │ +\$1,000\.00 │ +│", r) for r in fits)
    listed = rows(printed(doc, width=56))
    at = listed.index("Purchase options: every compute pool on one option (same")
    assert listed[at + 1 : at + 5] == [
        "energy, different prices)",
        "on-demand — $1,000.00",
        "spot — ≥ $300.00 (5 unpriced)",
        "    no price: web, db, cache, queue, search",
    ]
    assert listed[at + 5] == "1 unpriced line(s) that no purchase option prices are"
    assert printed(doc, width=56, ansi=True).count(f"{BOLD}Purchase options") == 1, "the title is bold"


def test_no_purchase_options_no_table() -> None:
    assert "Purchase options" not in printed(estimate(), width=200)


# --------------------------------------------------------------------------------------------- skipped


def test_unsupported_resources_are_listed_up_to_ten_and_free_ones_counted() -> None:
    unsupported = [{"resource": f"odd{i}", "type": "aws:foo/bar:Bar"} for i in range(12)]
    free = [{"resource": f"net{i}", "reason": "networking"} for i in range(3)]
    text = rows(printed(estimate(unsupported=unsupported, free=free), width=200))
    assert "Not estimated: 12 resource(s) no rule can price" in text
    assert "  odd9 (aws:foo/bar:Bar)" in text
    assert "  odd10 (aws:foo/bar:Bar)" not in text, "ten are listed"
    assert "  … and 2 more (--format json)" in text
    assert "3 resource(s) cost nothing by themselves (networking, IAM, providers, ...)" in text
    plain = printed(estimate(), width=200)
    assert "Not estimated" not in plain and "cost nothing" not in plain


def test_not_estimated_resources_say_why_once_per_reason() -> None:
    """A reason shared by every listed resource is said once; several reasons name whose they are (up to
    three names, then an ellipsis); an item without a reason adds no line."""
    one = [
        {"resource": f"web-{i}", "type": "digitalocean:index/droplet:Droplet", "reason": "no rule for DO"}
        for i in range(2)
    ]
    text = rows(printed(estimate(unsupported=one), width=200))
    assert text.count("  why: no rule for DO") == 1
    mixed = [
        *[{"resource": f"d{i}", "type": "x:y:Z", "reason": "template"} for i in range(4)],
        {"resource": "cluster", "type": "eks:index:Cluster", "reason": "remote component"},
        {"resource": "bare", "type": "x:y:Z"},
    ]
    text = rows(printed(estimate(unsupported=mixed), width=200))
    assert "  why (d0, d1, d2, …): template" in text
    assert "  why (cluster): remote component" in text
    assert not any(line.startswith("  why") and "bare" in line for line in text)
