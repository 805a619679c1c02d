"""An estimate in the terminal: rich renderables that pick their layout by the width they are given."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from aiinfra.estimate.render.fmt import (
    _dec,
    _delta_cost,
    _groups,
    _option,
    _quantity,
    _scenario_caption,
    _scenario_cost,
    _scenario_missing,
    _unit_price,
    _unpriced_count,
    fmt_amount,
    fmt_usd,
    group_co2e,
    left_out_note,
    line_co2e,
    total_co2e,
    total_cost,
)
from aiinfra.estimate.render.layout import ByWidth, Cell, Column, Row, fit_table, item

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


LINE_COLUMNS = [
    Column("resource"),
    Column("description", prose=True, min_width=20),
    Column("quantity", "right"),
    Column("$/unit", "right"),
    Column("$/month", "right"),
    Column("kWh/month", "right"),
    Column("kgCO2e/month", "right"),
]
LINE_COLUMNS_NARROW = [LINE_COLUMNS[i] for i in (0, 1, 4, 5, 6)]
"""Quantity and unit price move under the description when the full table is too wide."""


def _lines_table(doc: dict[str, Any], diff: dict[str, Any] | None) -> RenderableType:
    title = "Cost, energy and carbon per month"

    def pick(width: int) -> RenderableType:
        for columns, moved in ((LINE_COLUMNS, False), (LINE_COLUMNS_NARROW, True)):
            fitted = fit_table(
                columns, _line_rows(doc, diff, moved), width, title=title, title_justify="left"
            )
            if fitted:
                return fitted[0]
        return Group(Text(title, style="bold"), *_line_items(doc, diff))

    return ByWidth(pick)


def _bold(text: str) -> Text:
    return Text(text, style="bold")


def _line_rows(doc: dict[str, Any], diff: dict[str, Any] | None, moved: bool) -> list[Row]:
    """Rows of the lines table; with `moved`, quantity × unit price is written under the description."""

    def row(*cells: Cell) -> list[Cell]:
        return [cells[i] for i in (0, 1, 4, 5, 6)] if moved else list(cells)

    rows: list[Row] = []
    for group, totals, lines in _groups(doc):
        unpriced = _unpriced_count(lines)
        label = "group subtotal" + (f" ({unpriced} unpriced not included)" if unpriced else "")
        rows.append(
            row(
                _bold(group),
                Text(label, style="dim"),
                "",
                "",
                _bold(fmt_usd(totals.get("monthly_cost_usd"))),
                _bold(fmt_amount(totals.get("monthly_energy_kwh"))),
                _bold(group_co2e(totals, lines)),
            )
        )
        for ln in lines:
            cost = ln.get("monthly_cost_usd")
            description = Text(str(ln.get("description", "")))
            if moved:
                description.append(f"\n{_quantity(ln)} × {_unit_price(ln)}", style="dim")
            rows.append(
                row(
                    Text("  " + str(ln.get("resource", ""))),
                    description,
                    Text(_quantity(ln)),
                    Text(_unit_price(ln)),
                    Text(fmt_usd(cost), style="yellow" if cost is None else ""),
                    Text(fmt_amount(ln.get("monthly_energy_kwh"))),
                    Text(line_co2e(ln), style="yellow" if line_co2e(ln) == "unknown" else ""),
                )
            )
            if cost is None:
                reason = Text("↳ " + (ln.get("reason") or "no reason given"), style="dim")
                rows.append(row("", reason, "", "", "", "", ""))
        rows.append(None)
    totals = doc.get("totals", {})
    rows.append(
        row(
            _bold("total"),
            Text(left_out_note(doc), style="yellow"),
            "",
            "",
            _bold(total_cost(doc)),
            _bold(fmt_amount(totals.get("monthly_energy_kwh"))),
            _bold(total_co2e(doc)),
        )
    )
    if diff is not None:
        delta = diff.get("delta", {})
        rows.append(
            row(
                _bold(f"Δ vs {diff.get('before', {}).get('stack', 'before')}"),
                Text(delta.get("note", ""), style="dim"),
                "",
                "",
                Text(
                    _delta_cost(delta.get("monthly_cost_usd")),
                    style=_style_delta(delta.get("monthly_cost_usd")),
                ),
                Text(fmt_amount(delta.get("monthly_energy_kwh"), signed=True)),
                Text(
                    fmt_amount(delta.get("monthly_co2e_kg"), signed=True),
                    style=_style_delta(delta.get("monthly_co2e_kg")),
                ),
            )
        )
    return rows


def _metrics(cost: str, kwh: str, kg: str) -> str:
    return f"{cost} · {kwh} kWh · {kg} kg CO2e"


def _line_items(doc: dict[str, Any], diff: dict[str, Any] | None) -> list[RenderableType]:
    """The lines as a compact list, for a terminal too narrow for any table: a group with its subtotal,
    then each line (`name — $X/month · Y kWh · Z kg CO2e`) with its description, quantity and unit price
    indented under it."""

    def cost_text(value: Any) -> str:
        return "unpriced" if value is None else f"${fmt_usd(value)}/month"

    out: list[RenderableType] = []
    for group, totals, lines in _groups(doc):
        unpriced = _unpriced_count(lines)
        head = Text.assemble(
            (group, "bold"),
            " — ",
            (
                _metrics(
                    cost_text(totals.get("monthly_cost_usd")),
                    fmt_amount(totals.get("monthly_energy_kwh")),
                    group_co2e(totals, lines),
                ),
                "bold",
            ),
        )
        if unpriced:
            head.append(f" ({unpriced} unpriced not included)", style="dim")
        out.append(head)
        for ln in lines:
            cost = ln.get("monthly_cost_usd")
            line_head = Text.assemble(
                str(ln.get("resource", "")),
                " — ",
                (cost_text(cost), "yellow" if cost is None else ""),
                " · ",
                f"{fmt_amount(ln.get('monthly_energy_kwh'))} kWh · {line_co2e(ln)} kg CO2e",
            )
            details: list[Text | str] = [
                Text.assemble(
                    str(ln.get("description", "")), (f" · {_quantity(ln)} × {_unit_price(ln)}", "dim")
                )
            ]
            if cost is None:
                details.append(Text("↳ " + (ln.get("reason") or "no reason given"), style="dim"))
            out.append(Padding(item(line_head, details), (0, 0, 0, 2)))
    totals = doc.get("totals", {})
    total = Text.assemble(
        ("total", "bold"),
        " — ",
        (
            _metrics(
                f"{total_cost(doc, dollar=True)}/month",
                fmt_amount(totals.get("monthly_energy_kwh")),
                total_co2e(doc),
            ),
            "bold",
        ),
    )
    if left_out_note(doc):
        total.append(f" ({left_out_note(doc)})", style="yellow")
    out.append(total)
    if diff is not None:
        delta = diff.get("delta", {})
        out.append(
            item(
                Text.assemble(
                    (f"Δ vs {diff.get('before', {}).get('stack', 'before')}", "bold"),
                    " — ",
                    _metrics(
                        _delta_cost(delta.get("monthly_cost_usd")),
                        fmt_amount(delta.get("monthly_energy_kwh"), signed=True),
                        fmt_amount(delta.get("monthly_co2e_kg"), signed=True),
                    ),
                ),
                [Text(delta.get("note", ""), style="dim")],
            )
        )
    return out


CHANGE_COLUMNS = [
    Column("resource"),
    Column("change"),
    Column("Δ $/month", "right"),
    Column("Δ kgCO2e", "right"),
    Column("driver", prose=True, min_width=20),
]


def _changes_table(diff: dict[str, Any]) -> RenderableType:
    changes = diff.get("changes", [])
    before = diff.get("before", {}).get("stack", "before")
    if not changes:
        return Text(f"No line changed since {before}.", style="dim")
    title = f"Changes since {before} (per month)"
    cells = [
        (
            Text(f"{c.get('resource', '')} ({c.get('unit', '')})"),
            Text(str(c.get("change", ""))),
            Text(
                _delta_cost(c.get("delta_monthly_cost_usd")),
                style=_style_delta(c.get("delta_monthly_cost_usd")),
            ),
            Text(fmt_amount(c.get("delta_monthly_co2e_kg"), signed=True)),
            Text(str(c.get("driver", ""))),
        )
        for c in changes
    ]

    def pick(width: int) -> RenderableType:
        fitted = fit_table(CHANGE_COLUMNS, list(cells), width, title=title, title_justify="left")
        if fitted:
            return fitted[0]
        items = [
            item(Text.assemble(name, " — ", change, ": ", cost, " · ", co2, " kg CO2e"), [driver])
            for name, change, cost, co2, driver in cells
        ]
        return Group(Text(title, style="bold"), *items)

    return ByWidth(pick)


SCENARIO_COLUMNS = [
    Column("option"),
    Column("$/month", "right"),
    Column("no price under this option", prose=True, min_width=16),
]


def _scenarios_table(doc: dict[str, Any]) -> RenderableType:
    title = "Purchase options: every compute pool on one option (same energy, different prices)"
    caption = _scenario_caption(doc)
    cells = [
        (Text(_option(option)), Text(_scenario_cost(s)), Text(_scenario_missing(s)))
        for option, s in doc.get("scenarios", {}).items()
    ]

    def pick(width: int) -> RenderableType:
        fitted = fit_table(
            SCENARIO_COLUMNS,
            list(cells),
            width,
            title=title,
            title_justify="left",
            caption=caption,
            caption_justify="left",
        )
        if fitted:
            return fitted[0]
        items = [
            item(
                Text.assemble(option, " — ", cost),
                [Text("no price: ", style="dim") + missing] if missing else [],
            )
            for option, cost, missing in cells
        ]
        return Group(Text(title, style="bold"), *items, Text(caption, style="dim"))

    return ByWidth(pick)


def _not_estimated(doc: dict[str, Any]) -> list[RenderableType]:
    out: list[RenderableType] = []
    unsupported = doc.get("unsupported", [])
    if unsupported:
        out.append(Text(f"Not estimated: {len(unsupported)} resource(s) no rule can price", style="yellow"))
        listed = unsupported[:MAX_TERMINAL_UNSUPPORTED]
        for s in listed:
            out.append(Text(f"  {s.get('resource', '')} ({s.get('type', '')})"))
        if len(unsupported) > MAX_TERMINAL_UNSUPPORTED:
            out.append(Text(f"  … and {len(unsupported) - MAX_TERMINAL_UNSUPPORTED} more (--format json)"))
        why: dict[str, list[str]] = {}
        for s in listed:
            why.setdefault(str(s.get("reason") or ""), []).append(str(s.get("resource", "")))
        why.pop("", None)
        for reason, names in why.items():
            who = "" if len(why) == 1 else f" ({', '.join(names[:3])}{', …' if len(names) > 3 else ''})"
            out.append(Text(f"  why{who}: {reason}", style="dim"))
    free = doc.get("free", [])
    if free:
        out.append(
            Text(
                f"{len(free)} resource(s) cost nothing by themselves (networking, IAM, providers, ...)",
                style="dim",
            )
        )
    return out
