"""The pull-request comment (estimate/render/markdown.py) read back as a reviewer sees it: the marker line,
the escaping of every cell, the headline, the group table, the changes, the folded details (purchase
options, every line, unpriced, unsupported, assumptions) and their caps. Documents are small and built
here; the expected Markdown is written out by hand."""

from __future__ import annotations

from typing import Any

from aiinfra.estimate.render import render_markdown
from aiinfra.estimate.render.markdown import md_cell


def line(resource: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resource": resource,
        "group": "g",
        "description": f"{resource} machine",
        "quantity": 730,
        "unit": "instance-hours",
        "unit_price_usd": 0.01,
        "monthly_cost_usd": 7.3,
        "monthly_energy_kwh": 10,
        "monthly_co2e_kg": 4,
        "reason": "",
    }
    out.update(fields)
    return out


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
        "lines": list(lines) or [line("gpu"), OLD],
        "totals": {"monthly_cost_usd": 7.3, "monthly_energy_kwh": 10, "monthly_co2e_kg": 4},
        "groups": {"g": {"monthly_cost_usd": 7.3, "monthly_energy_kwh": 10, "monthly_co2e_kg": 4}},
    }
    out.update(fields)
    return out


def change(**fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "before": {"stack": "main"},
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


# --------------------------------------------------------------------------------------------- cells


def test_a_cell_escapes_what_would_format_or_split_the_table() -> None:
    assert md_cell("a|b*c`d[e]\\f") == "a\\|b\\*c\\`d\\[e\\]\\\\f"
    assert md_cell("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert md_cell("a\r\nb") == "a  b", "a line break would end the row"
    assert md_cell(None) == ""
    assert md_cell("plain text") == "plain text"


def test_a_cell_that_would_start_a_heading_or_list_is_escaped() -> None:
    assert md_cell("#1") == "\\#1"
    assert md_cell("-x") == "\\-x"
    assert md_cell("+x") == "\\+x"
    assert md_cell("x-#+") == "x-#+", "only the first character matters"
    assert md_cell("") == ""


# --------------------------------------------------------------------------------------------- comment


def test_the_comment_starts_with_the_marker_and_ends_with_the_footer() -> None:
    text = render_markdown(estimate())
    assert text.startswith("<!-- aiinfra-estimate -->\n### Cost estimate: mystack\n\n")
    assert text.endswith(
        "<sub>Catalog c1 · USD per month (730 h) · carbon location-based (grid average)"
        " · 0 free resource(s) not listed · `infra estimate`</sub>\n"
    )


def test_the_group_table_with_the_total_then_a_blank_line() -> None:
    text = render_markdown(
        estimate(
            totals={
                "monthly_cost_usd": 7.3,
                "monthly_energy_kwh": 10,
                "monthly_co2e_kg": 4,
                "unpriced_lines": 1,
            }
        )
    )
    assert (
        "| group | $/month | kWh/month | kgCO2e/month |\n"
        "| --- | ---: | ---: | ---: |\n"
        "| g | 7.30 + 1 unpriced | 10 | 4 |\n"
        "| **total** | **≥ 7.30** | **10** | **4** |\n"
        "\n<details>"
    ) in text


def test_the_headline_with_embodied_carbon_and_the_changes() -> None:
    totals = {
        "monthly_cost_usd": 7.3,
        "monthly_energy_kwh": 10,
        "monthly_co2e_kg": 4,
        "monthly_embodied_co2e_kg": 1234,
    }
    text = render_markdown(estimate(totals=totals), change())
    assert (
        "\n**$7.30/month · 10 kWh · 4 kg CO2e** (+ 1,234 kg CO2e embodied)"
        " (+$5.00 · +10 kWh · +2.5 kg CO2e vs main)\n"
    ) in text
    assert "embodied" not in render_markdown(estimate())


def test_warnings_are_quoted() -> None:
    text = render_markdown(estimate(warnings=["prices are from a *stale* catalog"]))
    assert "> **warning:** prices are from a \\*stale\\* catalog\n" in text


# --------------------------------------------------------------------------------------------- changes


def test_the_changes_table_and_its_note() -> None:
    text = render_markdown(estimate(), change())
    assert (
        "#### Changes since main\n\n"
        "| resource | change | Δ $/month | Δ kgCO2e/month | driver |\n"
        "| --- | --- | ---: | ---: | --- |\n"
        "| gpu (instance-hours) | changed | +$5.00 | +2.5 | nodes 4 → 6 |\n"
        "\n_priced only_\n\n"
    ) in text
    assert "smaller change" not in text
    assert "#### Changes" not in render_markdown(estimate())


def test_no_changes_says_so() -> None:
    text = render_markdown(estimate(), change(changes=[]))
    assert "#### Changes since main\n\nNo line changed.\n\n" in text


def test_only_fifty_changes_are_listed() -> None:
    one = change()["changes"][0]
    many = [{**one, "resource": f"r{i}"} for i in range(51)]
    text = render_markdown(estimate(), change(changes=many))
    assert "| r49 (instance-hours) |" in text
    assert "| r50 (instance-hours) |" not in text
    assert "\n… and 1 smaller change(s)." in text


# --------------------------------------------------------------------------------------------- details


def test_the_purchase_options_are_folded_with_their_caption() -> None:
    scenarios = {"spot": {"monthly_cost_usd": 300, "unpriced_lines": ["old"]}}
    text = render_markdown(estimate(scenarios=scenarios))
    assert (
        "<details><summary>Purchase options (same energy, different prices)</summary>\n\n"
        "| every compute pool on | $/month | no price under this option |\n"
        "| --- | ---: | --- |\n"
        "| spot | ≥ $300.00 (1 unpriced) | old |\n\n"
        "1 unpriced line(s) that no purchase option prices are unpriced in every row.\n\n"
        "</details>\n\n"
    ) in text
    assert "Purchase options" not in render_markdown(estimate())


def test_every_line_is_folded_in_a_table() -> None:
    text = render_markdown(estimate())
    assert (
        "<details><summary>All 2 lines</summary>\n\n"
        "| group | resource | description | quantity | $/unit | $/month | kWh/month | kgCO2e/month |\n"
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n"
        "| g | gpu | gpu machine | 730 instance-hours | 0.01 | 7.30 | 10 | 4 |\n"
        "| g | old | old machine | 730 instance-hours | — | unpriced | — | — |\n\n"
        "</details>\n"
    ) in text
    assert "more line(s)" not in text


def test_only_150_lines_are_listed() -> None:
    lines = [line(f"r{i}") for i in range(151)]
    text = render_markdown(estimate(*lines))
    assert "<details><summary>All 151 lines</summary>" in text
    assert "| g | r149 |" in text
    assert "| g | r150 |" not in text
    assert "\n… and 1 more line(s): see `infra estimate --format json`." in text


def test_unpriced_and_unsupported_resources_are_folded_with_their_reasons() -> None:
    unpriced = [{"resource": "old", "type": "aws:ec2/instance:Instance", "reason": "not in the catalog"}]
    unsupported = [
        {"resource": "odd", "type": "aws:foo/bar:Bar", "reason": "no rule"},
        {"resource": "odder", "type": "aws:foo/baz:Baz", "reason": "no rule"},
    ]
    text = render_markdown(estimate(unpriced=unpriced, unsupported=unsupported))
    assert (
        "<details><summary>1 unpriced (not in the total)</summary>\n\n"
        "- **old** (aws:ec2/instance:Instance): not in the catalog\n\n"
        "</details>\n\n"
        "<details><summary>2 not estimated (no rule for the type; not in the total)</summary>\n\n"
        "- **odd** (aws:foo/bar:Bar): no rule\n"
        "- **odder** (aws:foo/baz:Baz): no rule\n\n"
        "</details>\n"
    ) in text
    only_unsupported = render_markdown(estimate(unpriced=[], unsupported=unsupported))
    assert "<details><summary>2 not estimated" in only_unsupported, "an empty unpriced list skips only itself"
    assert "unpriced (not in the total)" not in only_unsupported
    assert "not in the total)</summary>" not in render_markdown(estimate()), "nothing skipped, no details"
