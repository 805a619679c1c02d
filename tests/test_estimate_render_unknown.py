"""Issue 11, honest totals in every renderer: a line that draws energy on a grid with no carbon figure has
unknown carbon, not 0 kg. Its line reads "unknown", its group's and the document's carbon totals read
"≥ X" (or "unknown" when nothing has a figure), and the note under the headline says how many lines; the
cost total stays "≥ $X" with its counts whenever a part is unpriced or not estimated."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from aiinfra.estimate.render import render_html, render_markdown, render_table

DATA = Path(__file__).parent / "data" / "estimates"


def terminal(doc: dict[str, Any], width: int = 200) -> str:
    console = Console(record=True, width=width)
    for renderable in render_table(doc):
        console.print(renderable)
    return console.export_text()


def without_grid(doc: dict[str, Any], *resources: str) -> dict[str, Any]:
    """`doc` as if the grids of `resources` had no carbon figure: their carbon unknown, out of the totals."""
    out = copy.deepcopy(doc)
    for ln in out["lines"]:
        if ln["resource"] in resources:
            kg = Decimal(str(ln["monthly_co2e_kg"]))
            ln["monthly_co2e_kg"] = None
            out["totals"]["monthly_co2e_kg"] = float(Decimal(str(out["totals"]["monthly_co2e_kg"])) - kg)
            group = out.get("groups", {}).get(ln["group"])
            if group is not None:
                group["monthly_co2e_kg"] = float(Decimal(str(group["monthly_co2e_kg"])) - kg)
    return out


@pytest.fixture
def example() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((DATA / "example.json").read_text())
    return doc


def test_a_line_on_an_unknown_grid_makes_the_carbon_total_a_lower_bound_everywhere(
    example: dict[str, Any],
) -> None:
    doc = without_grid(example, "train-h100-nodes")
    known = f"{Decimal('8252.4') - Decimal('8234.6'):,}"  # what the other lines emit
    md = render_markdown(doc)
    assert f"· ≥ {known} kg CO2e**" in md, "the headline's carbon is a lower bound"
    assert f"| **≥ {known}** |" in md, "so is the total row"
    assert "the carbon of 1 line(s) on a grid with no carbon figure not included" in md
    row = next(r for r in md.splitlines() if r.startswith("| train / train-h100 | train-h100-nodes |"))
    assert row.endswith("| unknown |"), f"the line reads unknown, not — or 0: {row}"
    text = terminal(doc)
    assert re.search(rf"total .*≥ 162,307\.64 │\s+21,770\.1 │\s+≥ {re.escape(known)}", text), text
    assert re.search(r"train-h100-nodes .*│\s+21,723\.2 │\s+unknown", text), "the terminal line reads unknown"
    html = render_html(doc)
    assert f"≥ {known} kg CO2e" in html and ">unknown<" in html


def test_a_group_whose_only_energy_is_on_an_unknown_grid_reads_unknown_not_0_kg(
    example: dict[str, Any],
) -> None:
    doc = without_grid(example, "train-h100-nodes", "train-h100-lt")
    md = render_markdown(doc)
    group = next(r for r in md.splitlines() if r.startswith("| train / train-h100 | "))
    assert group.endswith("| unknown |"), f"no line of the group has a carbon figure: {group}"
    narrow = terminal(doc, width=60)
    assert "train / train-h100 — " in narrow and "unknown kg CO2e" in narrow, narrow


def test_with_no_carbon_figure_at_all_the_total_is_unknown_not_0_kg(example: dict[str, Any]) -> None:
    drawing = [ln["resource"] for ln in example["lines"] if ln["monthly_co2e_kg"] is not None]
    doc = without_grid(example, *drawing)
    assert doc["totals"]["monthly_co2e_kg"] == pytest.approx(0), "the fixture's known carbon is all gone"
    md = render_markdown(doc)
    assert "· unknown kg CO2e**" in md and "0 kg CO2e" not in md, md.splitlines()[2]
    assert "| **unknown** |" in md


def test_a_complete_document_shows_plain_totals(example: dict[str, Any]) -> None:
    md = render_markdown(example)
    assert "· 8,252.4 kg CO2e**" in md and "≥ 8,252.4" not in md, "no line on an unknown grid: no ≥"
    head = "\n".join(md.splitlines()[:6])
    assert "grid with no carbon figure" not in md and "unknown" not in head, head


def test_a_count_in_the_totals_is_what_the_renderers_read(example: dict[str, Any]) -> None:
    doc = copy.deepcopy(example)
    doc["totals"]["unknown_grid_lines"] = 3  # as `infra estimate --format json` writes it
    assert "the carbon of 3 line(s) on a grid with no carbon figure" in render_markdown(doc)
    doc["totals"]["unknown_grid_lines"] = 0
    assert "grid with no carbon figure" not in render_markdown(doc)
