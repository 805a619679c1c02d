"""`infra estimate`'s cheaper / greener alternatives in the terminal (estimate/render/alternatives.py), read
back from the printed text: the heading, one titled table per pool with each alternative's region, option,
cost, carbon and their change against now, which columns a narrower terminal loses first, and the list
when no table fits. The pool is built here; the widths are added up in comments."""

from __future__ import annotations

import copy
import re
from io import StringIO
from typing import Any

from rich.console import Console

from aiinfra.estimate.render.alternatives import render_alternatives

POOL: dict[str, Any] = {
    "group": "train",
    "machines": "4 × p5.48xlarge",
    "purchase_option": "on_demand",
    "region": "us-east-1",
    "monthly_cost_usd": 1000.0,
    "monthly_co2e_kg": 400.0,
    "cheaper": [
        {
            "region": "us-west-2",
            "purchase_option": "spot",
            "unverified": False,
            "monthly_cost_usd": 300.0,
            "monthly_co2e_kg": 410.5,
        }
    ],
    "greener": [
        {
            "region": "eu-north-1",
            "purchase_option": "commit_1y",
            "unverified": True,
            "monthly_cost_usd": 10200.0,
            "monthly_co2e_kg": None,
        }
    ],
}


def printed(pools: list[dict[str, Any]], width: int, ansi: bool = False) -> list[str]:
    console = Console(
        width=width, file=StringIO(), force_terminal=ansi, color_system="standard" if ansi else None
    )
    for r in render_alternatives(pools):
        console.print(r)
    return [r.rstrip() for r in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]


def pool(**fields: Any) -> dict[str, Any]:
    out = copy.deepcopy(POOL)
    out.update(fields)
    return out


def header(lines: list[str]) -> str:
    return next(r for r in lines if "region" in r and r.startswith("┃"))


def test_no_pool_no_section() -> None:
    assert render_alternatives([]) == []


def test_the_heading_and_the_pools_title() -> None:
    lines = printed([POOL], 300)
    assert lines[0] == (
        "Cheaper / greener alternatives for each GPU pool: the same machines in another region or on another"
        " purchase option, a month, same usage (--no-alternatives hides this; `infra advise` searches every"
        " machine)"
    )
    assert lines[1] == "train: 4 × p5.48xlarge, on-demand, us-east-1 — $1,000.00, 400 kg CO2e"
    assert "\x1b[1mCheaper / greener alternatives\x1b[0m" in "\n".join(printed([POOL], 300, ansi=True))


def test_the_current_option_is_named_for_people_or_as_spelt() -> None:
    assert printed([pool(purchase_option="commit_3y")], 300)[1].startswith(
        "train: 4 × p5.48xlarge, 3-year commitment,"
    )
    assert printed([pool(purchase_option="savings_plan")], 300)[1].startswith(
        "train: 4 × p5.48xlarge, savings_plan,"
    )
    assert printed([pool(purchase_option=None)], 300)[1].startswith("train: 4 × p5.48xlarge, , us-east-1")


def test_each_alternative_with_its_change_against_now() -> None:
    lines = printed([POOL], 300)
    assert re.fullmatch(
        r"┃ +┃ region +┃ purchase option +┃ +\$/month ┃ +vs now ┃ kgCO2e/month ┃ vs now ┃", header(lines)
    ), header(lines)
    assert (
        "│ cheaper │ us-west-2  │ spot                                 │    300.00 │   -700.00 │        410.5 │  +10.5 │"
        in lines
    )
    assert (
        "│ greener │ eu-north-1 │ 1-year commitment (price unverified) │ 10,200.00 │ +9,200.00 │            — │      — │"
        in lines
    ), "numbers sit right; an unknown carbon has no change against now"


def test_no_change_against_an_unknown_now() -> None:
    lines = printed([pool(monthly_co2e_kg=None)], 300)
    assert any(re.search(r"│ spot +│ +300\.00 │ +-700\.00 │ +410\.5 │ +— │$", r) for r in lines), lines


def test_a_narrower_terminal_loses_the_carbon_change_then_the_cost_change_then_the_table() -> None:
    # "" 7, region 10, option (prose) 11, $/month 9, vs now 9, kgCO2e/month 12, vs now 6:
    # all seven 9+12+13+11+11+14+8 + 8 rules = 86; without the carbon change 77; without the cost change 65
    assert header(printed([POOL], 86)).endswith("┃ kgCO2e/month ┃ vs now ┃")
    assert header(printed([POOL], 85)).endswith("┃    vs now ┃ kgCO2e/month ┃"), (
        "the carbon change goes first"
    )
    assert header(printed([POOL], 77)).endswith("┃   $/month ┃    vs now ┃ kgCO2e/month ┃")
    five = printed([POOL], 65)
    assert header(five).endswith("┃   $/month ┃ kgCO2e/month ┃"), five
    assert "vs now" not in "\n".join(five)
    listed = printed([POOL], 64)
    assert "┃" not in "\n".join(listed)
    assert listed[listed.index("cheaper") + 1].startswith("    region us-west-2 · purchase option spot ·")
