"""`infra estimate`'s "cheaper / greener alternatives" section in the terminal: for each GPU pool, the same
machines in another region or on another purchase option (computed by `estimate.advise.alternatives`)."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from aiinfra.estimate.model import OPTION_LABEL
from aiinfra.estimate.render.fmt import fmt_amount, fmt_usd


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
        table = Table(
            title=Text(
                f"{pool['group']}: {pool['machines']}, {now}, {pool['region']} — "
                f"${fmt_usd(pool['monthly_cost_usd'])}, {fmt_amount(pool['monthly_co2e_kg'])} kg CO2e",
                style="bold",
            ),
            title_justify="left",
        )
        for name, right in (
            ("", False),
            ("region", False),
            ("purchase option", False),
            ("$/month", True),
            ("vs now", True),
            ("kgCO2e/month", True),
            ("vs now", True),
        ):
            table.add_column(name, justify="right" if right else "left")
        for kind in ("cheaper", "greener"):
            for r in pool[kind]:
                cost, co2e = r["monthly_cost_usd"], r["monthly_co2e_kg"]
                table.add_row(
                    kind,
                    r["region"],
                    OPTION_LABEL.get(r["purchase_option"], r["purchase_option"])
                    + (" (price unverified)" if r["unverified"] else ""),
                    fmt_usd(cost),
                    _delta(cost, pool["monthly_cost_usd"], fmt_usd),
                    fmt_amount(co2e),
                    _delta(co2e, pool["monthly_co2e_kg"], fmt_amount),
                )
        out.append(table)
    return out


def _delta(value: Any, now: Any, fmt: Any) -> str:
    if value is None or now is None:
        return "—"
    return str(fmt(value - now, signed=True))
