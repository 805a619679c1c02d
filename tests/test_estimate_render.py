"""The renderers of an estimate document: the terminal table, the PR comment and the HTML report, each read
from the saved JSON fixtures (a saved estimate must render like a fresh one)."""

from __future__ import annotations

import ast
import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from aiinfra.estimate.diff import diff
from aiinfra.estimate.render import (
    MARKER,
    fmt_amount,
    fmt_usd,
    render_html,
    render_markdown,
    render_table,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "estimates"
INJECTED = "<script>alert(1)</script>"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def example() -> dict[str, Any]:
    return load("example.json")


@pytest.fixture
def pr() -> dict[str, Any]:
    return load("example-pr.json")


def terminal(doc: dict[str, Any], changes: dict[str, Any] | None = None) -> str:
    console = Console(record=True, width=200)
    for renderable in render_table(doc, changes):
        console.print(renderable)
    return console.export_text()


def injected(doc: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    out["lines"][0]["resource"] = f"{INJECTED}|[bold]x[/]"
    out["unpriced"][0]["resource"] = INJECTED
    return out


# --------------------------------------------------------------------------------------------- numbers


def test_numbers_read_as_money_and_amounts_and_unknown_is_never_zero() -> None:
    assert fmt_usd(162307.64) == "162,307.64"
    assert fmt_usd(1, dollar=True) == "$1.00"
    assert fmt_usd(-98581.84, signed=True, dollar=True) == "-$98,581.84"
    assert fmt_usd(None) == "unpriced", "a null cost is unpriced, not $0"
    assert fmt_amount(21770.1) == "21,770.1"
    assert fmt_amount(2703) == "2,703", "whole kWh and kg print without a decimal"
    assert fmt_amount(0.04) == "0", "kWh and kg print at most one decimal"
    assert fmt_amount(None) == "—", "null energy or carbon is 'not modelled', not 0"
    assert fmt_amount(4936.6, signed=True) == "+4,936.6"


# --------------------------------------------------------------------------------------------- markdown


def test_the_markdown_comment_starts_with_the_marker_and_the_headline_totals(example: dict[str, Any]) -> None:
    text = render_markdown(example)
    assert text.startswith(MARKER + "\n"), "a pipeline finds its comment by the marker on the first line"
    assert "**≥ $162,307.64/month · 21,770.1 kWh · 8,252.4 kg CO2e**" in text, (
        "the headline shows the fixture totals, as a lower bound: the fixture has 2 unpriced lines"
    )
    assert "catalog 2026-11-22" in text.lower(), "the catalog version is named"
    assert "training-steady" in text, "the usage profile is named with the assumptions"


def test_the_markdown_comment_has_a_row_per_group_and_a_total(example: dict[str, Any]) -> None:
    text = render_markdown(example)
    for group, totals in example["groups"].items():
        row = f"| {group} | {fmt_usd(totals['monthly_cost_usd'])}"
        assert row in text, f"no row for group {group!r} with its cost"
    assert "| **total** | **≥ 162,307.64** |" in text, "2 unpriced lines make the total a lower bound"


def test_the_markdown_comment_folds_unpriced_and_unsupported_into_details(example: dict[str, Any]) -> None:
    doc = copy.deepcopy(example)
    doc["unsupported"] = [
        {"resource": "odd", "type": "aws:foo/bar:Bar", "reason": "no rule for aws:foo/bar:Bar"}
    ]
    text = render_markdown(doc)
    assert "<details><summary>2 unpriced (not in the total)</summary>" in text
    assert "<details><summary>1 not estimated" in text
    assert "stored amount unknown: set storageGiB for train-datasets-bucket" in text, (
        "each unpriced reason is listed"
    )


def test_pipes_and_html_in_markdown_cells_are_escaped(example: dict[str, Any]) -> None:
    text = render_markdown(injected(example))
    assert "\\|" in text and f"{INJECTED}|" not in text, "a | in a resource name would split the table cell"
    assert "<script>" not in text, "HTML in a resource name must not reach the comment as HTML"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    header = 0
    for row in text.splitlines():
        if not row.startswith("|"):
            header = 0
            continue
        cells = len(re.split(r"(?<!\\)\|", row))
        header = header or cells
        assert cells == header, (
            f"a row has {cells - 2} cells under a header of {header - 2} (an unescaped pipe?): {row}"
        )


def test_the_changes_section_appears_only_with_a_diff(example: dict[str, Any], pr: dict[str, Any]) -> None:
    assert "Changes since" not in render_markdown(pr), "no diff, no changes section"
    text = render_markdown(pr, diff(example, pr))
    assert "**≥ $258,145.29/month · 34,793.1 kWh · 13,189 kg CO2e** (+$95,837.65 · +13,023 kWh" in text, (
        "the headline carries the deltas"
    )
    assert "#### Changes since example" in text
    assert "| train-h100-nodes (node-hours) | changed | +$80,358.40 |" in text
    assert "nodes 4 → 6; quantity 2,920 → 4,380 node-hours" in text, "the driver is shown"
    assert "priced lines only" in text, "the note on unpriced lines is shown"


# --------------------------------------------------------------------------------------------- HTML


VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base", "embed", "track"}


class TagBalance(HTMLParser):
    """Checks that every element opened is closed, in order (what a browser would otherwise guess at)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.seen: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    return parser


@pytest.mark.parametrize("name", ["example.json", "reserved.json", "example-pr.json"])
def test_the_html_report_is_well_formed(name: str, example: dict[str, Any]) -> None:
    doc = load(name)
    for page in (render_html(doc), render_html(doc, diff(example, doc))):
        p = parsed(page)
        assert page.startswith("<!DOCTYPE html>")
        assert not p.errors, f"mismatched tags: {p.errors[:5]}"
        assert not p.stack, f"elements never closed: {p.stack}"


def test_the_html_chart_has_a_cost_and_a_carbon_bar_per_group(pr: dict[str, Any]) -> None:
    page = render_html(pr)
    assert page.count("<svg") == 1, "one inline SVG chart"
    groups = len(pr["groups"])
    assert page.count('class="bar cost"') == groups, "one cost bar per group"
    assert page.count('class="bar carbon"') == groups, "one carbon bar per group"
    widths = {
        cls: [float(w) for w in re.findall(rf'class="bar {cls}" x="\d+" y="\d+" width="([\d.]+)"', page)]
        for cls in ("cost", "carbon")
    }
    assert max(widths["cost"]) == max(widths["carbon"]) == 420.0, (
        "each metric is scaled to its own largest group"
    )
    assert "$241,315.20" in page and "12,354.3 kg" in page, "bars are labelled with their values"


def test_the_html_report_is_self_contained(example: dict[str, Any], pr: dict[str, Any]) -> None:
    page = render_html(pr, diff(example, pr))
    assert "<script" not in page.lower(), "no JavaScript"
    for needle in ("src=", "<link", "@import", "url(", "@font-face", "href="):
        assert needle not in page, f"no external asset: found {needle!r}"
    without_sources = page
    for ln in pr["lines"]:
        without_sources = without_sources.replace(_escaped(ln["source"]), "")
    assert "http" not in without_sources, "the only URLs are the price sources, as text"


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_the_html_report_escapes_text_from_the_document(example: dict[str, Any]) -> None:
    page = render_html(injected(example))
    assert "<script" not in page, "an injected <script> in a resource name must not become an element"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script" not in parsed(page).seen


def test_the_html_report_shows_totals_lists_and_the_diff_only_when_given(
    example: dict[str, Any], pr: dict[str, Any]
) -> None:
    page = render_html(example)
    text = " ".join(parsed(page).text)
    assert "≥ $162,307.64" in text and "21,770.1 kWh" in text and "8,252.4 kg CO2e" in text, (
        "the cost card is a lower bound: the fixture has 2 unpriced lines"
    )
    assert "Unpriced (not in the total): 2" in text
    assert f"Free: {len(example['free'])}" in text
    assert "≥ $52,772.89 (1 unpriced)" in text, "a scenario with unpriced lines is a lower bound"
    assert "Changes since" not in text
    diffed = " ".join(parsed(render_html(pr, diff(example, pr))).text)
    assert "Changes since example" in diffed and "+$95,837.65 vs example" in diffed


# --------------------------------------------------------------------------------------------- terminal


def test_the_terminal_table_shows_lines_groups_and_totals(example: dict[str, Any]) -> None:
    text = terminal(example)
    assert "Estimate example  profile training-steady  catalog 2026-11-22" in text, (
        "the header names the estimate"
    )
    assert re.search(
        r"total\s+│ 2 unpriced line\(s\) not included.*≥ 162,307\.64 │\s+21,770\.1 │\s+8,252\.4", text
    ), "the totals row shows the fixture totals as a lower bound, and that unpriced lines are left out"
    assert "train / train-h100" in text and "160,876.80" in text, "a group subtotal row"
    assert "2,920 node-hours" in text and "55.04" in text and "160,716.80" in text


def test_an_unpriced_line_says_unpriced_and_why_on_the_row_under_it(example: dict[str, Any]) -> None:
    rows = terminal(example).splitlines()
    at = next(i for i, r in enumerate(rows) if "train-datasets-bucket" in r)
    assert "unpriced" in rows[at], f"the cost cell says unpriced: {rows[at]}"
    assert "↳ stored amount unknown" in rows[at + 1], f"the reason is on the next row: {rows[at + 1]}"


def test_the_terminal_shows_scenarios_as_lower_bounds_and_the_free_count(example: dict[str, Any]) -> None:
    text = terminal(example)
    assert "≥ $52,772.89 (1 unpriced)" in text, "spot has no price for train-system"
    assert "$162,307.64" in text, "on-demand is fully priced"
    assert f"{len(example['free'])} resource(s) cost nothing" in text


def test_the_terminal_prints_resource_names_as_text_not_markup(example: dict[str, Any]) -> None:
    text = terminal(injected(example))
    assert "[bold]x[/]" in text, "rich markup in a resource name is printed as is"


def test_the_terminal_shows_changes_and_total_deltas_only_with_a_diff(
    example: dict[str, Any], pr: dict[str, Any]
) -> None:
    assert "Changes since" not in terminal(pr)
    text = terminal(pr, diff(example, pr))
    assert "Changes since example" in text
    assert "+$95,837.65" in text and "+13,023" in text and "+4,936.6" in text, "the totals carry their deltas"
    assert re.search(r"train-l40s-nodes \(node-hours\)\s+│ added\s+│\s+\+\$15,319\.25", text), (
        "an added pool row"
    )


# --------------------------------------------------------------------------------------------- imports


@pytest.mark.parametrize(
    "module",
    [*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "estimate/render").glob("*.py")), "estimate/diff.py"],
)
def test_the_renderers_import_neither_pulumi_nor_the_catalog(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    bad = [n for n in names if n.startswith(("pulumi", "aiinfra.catalog", "aiinfra.engine"))]
    assert not bad, f"{module} must work from the JSON alone, but imports {bad}"


def test_an_unpriced_line_no_purchase_option_prices_makes_every_scenario_a_lower_bound() -> None:
    from decimal import Decimal as D

    from aiinfra.estimate.model import Estimate, Line

    def ln(resource: str, cost: str | None, scenarios: dict[str, D | None]) -> Line:
        return Line(
            resource=resource,
            type="aws:ec2/instance:Instance",
            group="(stack)",
            cloud="aws",
            region="us-east-1",
            description=resource,
            quantity=D(730),
            unit="instance-hours",
            unit_price_usd=None if cost is None else D(cost) / 730,
            monthly_cost_usd=None if cost is None else D(cost),
            monthly_energy_kwh=None,
            monthly_co2e_kg=None,
            source="",
            scenarios=scenarios,
        )

    known = ln("gpu", "1000", {"on_demand": D(1000), "spot": D(300)})
    unknown = ln("old", None, {})  # a machine the catalog lacks: no option prices it
    disk = ln("disk", "5", {})
    totals = Estimate(stack="s", profile="p", lines=[known, unknown, disk]).scenario_totals()
    assert totals["on_demand"] == {"monthly_cost_usd": D(1005), "unpriced_lines": ["old"]}
    assert totals["spot"] == {"monthly_cost_usd": D(305), "unpriced_lines": ["old"]}
    complete = Estimate(stack="s", profile="p", lines=[known, disk]).scenario_totals()
    assert complete["spot"] == {"monthly_cost_usd": D(305), "unpriced_lines": []}


def test_a_scenario_names_each_resource_it_cannot_price_once() -> None:
    from aiinfra.estimate.render.fmt import _scenario_cost, _scenario_missing

    s = {"monthly_cost_usd": 12.5, "unpriced_lines": ["web", "web", "db"]}
    assert _scenario_missing(s) == "web, db", "the instance and its root volume are one resource"
    assert _scenario_cost(s) == "≥ $12.50 (3 unpriced)", "the count stays the count of lines"
