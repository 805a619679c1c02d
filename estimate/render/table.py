"""An estimate in the terminal: rich renderables that pick their layout by the width they are given."""

from __future__ import annotations

from typing import Any

from aiinfra.estimate.render.fmt import (
    _dec,
    _delta_cost,
    _groups,
    _option,
    _quantity,
    _scenario_caption,
    _scenario_cost,
    _unit_price,
    _unpriced_count,
    fmt_amount,
    fmt_usd,
)
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

MAX_TERMINAL_UNSUPPORTED = 10


def render_table(doc: dict[str, Any], diff: dict[str, Any] | None = None) -> list[RenderableType]:
    """Renderables for `Console.print`, top to bottom: a header (stack, profile, catalog), the lines by
    group with group subtotals and a total, the changes when `diff` is given, the purchase-option
    scenarios, what is not estimated, and the warnings. Text from the document is never read as rich
    markup (a resource named '[red]x' prints as is)."""
    out: list[RenderableType] = [_header(doc, diff), _lines_table(doc, diff)]
    embodied = doc.get("totals", {}).get("monthly_embodied_co2e_kg")
    if embodied:
        out.append(
            Text(
                f"embodied (manufacturing) carbon of the machines held: {fmt_amount(embodied)} kg CO2e/month, "
                "amortised over 4 years; not in the column above",
                style="dim",
            )
        )
    if diff is not None:
        out.append(_changes_table(diff))
    if doc.get("scenarios"):
        out.append(_scenarios_table(doc))
    out.extend(_not_estimated(doc))
    out.extend(Text(f"warning: {w}", style="yellow") for w in doc.get("warnings", []))
    return out


def _header(doc: dict[str, Any], diff: dict[str, Any] | None) -> RenderableType:
    head = Text.assemble(
        ("Estimate ", "bold"),
        (str(doc.get("stack", "")), "bold cyan"),
        "  profile ",
        (str(doc.get("profile", "")), "bold"),
        "  catalog ",
        str(doc.get("catalog_version") or "unknown"),
        f"  {doc.get('currency', 'USD')} per month (730 h)",
    )
    if diff is None:
        return head
    before = diff.get("before", {})
    return Group(
        head,
        Text.assemble(
            "compared with ",
            (str(before.get("stack", "")), "bold"),
            f" (profile {before.get('profile') or '?'}, catalog {before.get('catalog_version') or '?'})",
            style="dim",
        ),
    )


def _style_delta(value: Any) -> str:
    d = _dec(value)
    return "yellow" if d is None else "red" if d > 0 else "green" if d < 0 else ""


def _lines_table(doc: dict[str, Any], diff: dict[str, Any] | None) -> Table:
    table = Table(title="Cost, energy and carbon per month", title_justify="left")
    for name, justify in [
        ("resource", "left"),
        ("description", "left"),
        ("quantity", "right"),
        ("$/unit", "right"),
        ("$/month", "right"),
        ("kWh/month", "right"),
        ("kgCO2e/month", "right"),
    ]:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for group, totals, lines in _groups(doc):
        unpriced = _unpriced_count(lines)
        label = "group subtotal" + (f" ({unpriced} unpriced not included)" if unpriced else "")
        table.add_row(
            Text(group, style="bold"),
            Text(label, style="dim"),
            "",
            "",
            Text(fmt_usd(totals.get("monthly_cost_usd")), style="bold"),
            Text(fmt_amount(totals.get("monthly_energy_kwh")), style="bold"),
            Text(fmt_amount(totals.get("monthly_co2e_kg")), style="bold"),
        )
        for ln in lines:
            cost = ln.get("monthly_cost_usd")
            table.add_row(
                Text("  " + str(ln.get("resource", ""))),
                Text(str(ln.get("description", ""))),
                Text(_quantity(ln)),
                Text(_unit_price(ln)),
                Text(fmt_usd(cost), style="yellow" if cost is None else ""),
                Text(fmt_amount(ln.get("monthly_energy_kwh"))),
                Text(fmt_amount(ln.get("monthly_co2e_kg"))),
            )
            if cost is None:
                table.add_row(
                    "", Text("↳ " + (ln.get("reason") or "no reason given"), style="dim"), *[""] * 5
                )
        table.add_section()
    totals = doc.get("totals", {})
    n_unpriced = totals.get("unpriced_lines") or 0
    table.add_row(
        Text("total", style="bold"),
        Text(f"{n_unpriced} unpriced line(s) not included" if n_unpriced else "", style="yellow"),
        "",
        "",
        Text(fmt_usd(totals.get("monthly_cost_usd")), style="bold"),
        Text(fmt_amount(totals.get("monthly_energy_kwh")), style="bold"),
        Text(fmt_amount(totals.get("monthly_co2e_kg")), style="bold"),
    )
    if diff is not None:
        delta = diff.get("delta", {})
        table.add_row(
            Text(f"Δ vs {diff.get('before', {}).get('stack', 'before')}", style="bold"),
            Text(delta.get("note", ""), style="dim"),
            "",
            "",
            Text(
                _delta_cost(delta.get("monthly_cost_usd")), style=_style_delta(delta.get("monthly_cost_usd"))
            ),
            Text(fmt_amount(delta.get("monthly_energy_kwh"), signed=True)),
            Text(
                fmt_amount(delta.get("monthly_co2e_kg"), signed=True),
                style=_style_delta(delta.get("monthly_co2e_kg")),
            ),
        )
    return table


def _changes_table(diff: dict[str, Any]) -> RenderableType:
    changes = diff.get("changes", [])
    before = diff.get("before", {}).get("stack", "before")
    if not changes:
        return Text(f"No line changed since {before}.", style="dim")
    table = Table(title=f"Changes since {before} (per month)", title_justify="left")
    for name, justify in [
        ("resource", "left"),
        ("change", "left"),
        ("Δ $/month", "right"),
        ("Δ kgCO2e", "right"),
        ("driver", "left"),
    ]:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for c in changes:
        cost = c.get("delta_monthly_cost_usd")
        table.add_row(
            Text(f"{c.get('resource', '')} ({c.get('unit', '')})"),
            Text(str(c.get("change", ""))),
            Text(_delta_cost(cost), style=_style_delta(cost)),
            Text(fmt_amount(c.get("delta_monthly_co2e_kg"), signed=True)),
            Text(str(c.get("driver", ""))),
        )
    return table


def _scenarios_table(doc: dict[str, Any]) -> Table:
    table = Table(
        title="Purchase options: every compute pool on one option (same energy, different prices)",
        title_justify="left",
        caption=_scenario_caption(doc),
        caption_justify="left",
    )
    table.add_column("option")
    table.add_column("$/month", justify="right")
    table.add_column("no price under this option", overflow="fold")
    for option, s in doc.get("scenarios", {}).items():
        table.add_row(
            Text(_option(option)), Text(_scenario_cost(s)), Text(", ".join(s.get("unpriced_lines") or []))
        )
    return table


def _not_estimated(doc: dict[str, Any]) -> list[RenderableType]:
    out: list[RenderableType] = []
    unsupported = doc.get("unsupported", [])
    if unsupported:
        out.append(
            Text(f"Not estimated: {len(unsupported)} resource(s) of types no rule knows", style="yellow")
        )
        for s in unsupported[:MAX_TERMINAL_UNSUPPORTED]:
            out.append(Text(f"  {s.get('resource', '')} ({s.get('type', '')})"))
        if len(unsupported) > MAX_TERMINAL_UNSUPPORTED:
            out.append(Text(f"  … and {len(unsupported) - MAX_TERMINAL_UNSUPPORTED} more (--format json)"))
    free = doc.get("free", [])
    if free:
        out.append(
            Text(
                f"{len(free)} resource(s) cost nothing by themselves (networking, IAM, providers, ...)",
                style="dim",
            )
        )
    return out
