"""What `infra estimate` prints in a terminal (estimate/render/table.py) about resources it does not estimate,
after the not-estimated reasons, third measured run: each reason line is dimmed, as the count of free
resources is, under the yellow heading, so the list of names stands out. Written to kill the mutant
bench/mutation.py found alive in the module's new sample."""

from __future__ import annotations

from io import StringIO
from typing import Any

from rich.console import Console

from aiinfra.estimate.render import render_table

YELLOW, DIM, RESET = "\x1b[33m", "\x1b[2m", "\x1b[0m"


def printed_in_colour(doc: dict[str, Any]) -> list[str]:
    console = Console(width=200, file=StringIO(), force_terminal=True, color_system="standard")
    for renderable in render_table(doc, None):
        console.print(renderable)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def test_why_a_resource_is_not_estimated_is_dimmed_under_a_yellow_heading() -> None:
    doc = {
        "stack": "s",
        "profile": "p",
        "catalog_version": "c",
        "lines": [],
        "totals": {"monthly_cost_usd": 0, "monthly_energy_kwh": 0, "monthly_co2e_kg": 0, "unpriced_lines": 0},
        "groups": {},
        "unsupported": [
            {"resource": "web-0", "type": "digitalocean:index/droplet:Droplet", "reason": "no rule"}
        ],
        "free": [{"resource": "net", "reason": "networking"}],
    }
    text = printed_in_colour(doc)
    assert f"{YELLOW}Not estimated: 1 resource(s) no rule can price{RESET}" in text
    assert "  web-0 (digitalocean:index/droplet:Droplet)" in text, "the names are not dimmed"
    assert f"{DIM}  why: no rule{RESET}" in text
    assert f"{DIM}1 resource(s) cost nothing by themselves (networking, IAM, providers, ...){RESET}" in text
