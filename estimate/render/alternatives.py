"""`infra estimate`'s "cheaper / greener alternatives" section in the terminal: for each GPU pool, the same
machines in another region or on another purchase option (computed by `estimate.advise.alternatives`)."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text

from aiinfra.estimate.model import OPTION_LABEL
from aiinfra.estimate.render.fmt import fmt_amount, fmt_usd
from aiinfra.estimate.render.layout import Column, Row, fitted


def render_alternatives(pools: list[dict[str, Any]]) -> list[RenderableType]:
    """A heading and one small table per pool; nothing when no pool has an alternative."""
    if not pools:
        return []
    out: list[RenderableType] = [
        Text.assemble(
            ("Cheaper / greener alternatives", "bold"),
            " for each GPU pool: the same machines in another region or on another purchase option, "
            "a month, same usage (--no-alternatives hides this; `infra advise` searches every machine)",
        )
    ]
    for pool in pools:
        now = OPTION_LABEL.get(pool["purchase_option"] or "", pool["purchase_option"] or "")
        rows: list[Row] = []
        for kind in ("cheaper", "greener"):
            for r in pool[kind]:
                cost, co2e = r["monthly_cost_usd"], r["monthly_co2e_kg"]
                rows.append(
                    [
                        kind,
                        r["region"],
                        OPTION_LABEL.get(r["purchase_option"], r["purchase_option"])
                        + (" (price unverified)" if r["unverified"] else ""),
                        fmt_usd(cost),
                        _delta(cost, pool["monthly_cost_usd"], fmt_usd),
                        fmt_amount(co2e),
                        _delta(co2e, pool["monthly_co2e_kg"], fmt_amount),
                    ]
                )
        title = (
            f"{pool['group']}: {pool['machines']}, {now}, {pool['region']} — "
            f"${fmt_usd(pool['monthly_cost_usd'])}, {fmt_amount(pool['monthly_co2e_kg'])} kg CO2e"
        )
        out.append(fitted(COLUMNS, rows, title=title))
    return out


COLUMNS = [
    Column(""),
    Column("region"),
    Column("purchase option", prose=True, min_width=11),
    Column("$/month", "right"),
    Column("vs now", "right", drop=1),
    Column("kgCO2e/month", "right"),
    Column("vs now", "right", drop=2),
]
"""Narrow terminals lose the carbon change first, then the cost change; narrower still, a list."""


def _delta(value: Any, now: Any, fmt: Any) -> str:
    if value is None or now is None:
        return "—"
    return str(fmt(value - now, signed=True))
