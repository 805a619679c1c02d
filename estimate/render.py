"""An estimate for people: a rich table for the terminal, Markdown for a pull-request comment, and one
self-contained HTML page to attach to a review or a ticket.

Every renderer reads the JSON document (`Estimate.to_json()`), optionally with a `diff()` of two documents,
so a saved estimate renders exactly like a fresh one. Nothing here imports pulumi or the catalog: rendering
must work where only the JSON is (a CI job that downloaded yesterday's artifact).

Unknown stays visible: a null cost prints "unpriced" (never $0), a null energy or carbon "—" (not
modelled), and a total that leaves unpriced lines out says so.
"""

from __future__ import annotations

import html
from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aiinfra.estimate.diff import fmt_price, fmt_quantity
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

MARKER = "<!-- aiinfra-estimate -->"
"""First line of the PR comment, so a pipeline finds and updates its one comment instead of adding more."""

METRICS = ("monthly_cost_usd", "monthly_energy_kwh", "monthly_co2e_kg")
MAX_MD_LINES = 150
"""Lines listed in the Markdown comment; GitHub caps a comment at 65,536 characters."""
MAX_MD_CHANGES = 50
MAX_TERMINAL_UNSUPPORTED = 10


# ---------------------------------------------------------------------------------------------- numbers


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def fmt_usd(value: Any, *, signed: bool = False, dollar: bool = False) -> str:
    """USD with thousands separators and 2 decimals; None is 'unpriced' (never $0)."""
    d = _dec(value)
    if d is None:
        return "unpriced"
    d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    sign = ("+" if d > 0 else "-" if d < 0 else "") if signed else ("-" if d < 0 else "")
    return f"{sign}{'$' if dollar else ''}{abs(d):,.2f}"


def fmt_amount(value: Any, *, signed: bool = False) -> str:
    """kWh or kg: thousands separators, 0 or 1 decimal; None is '—' (energy or carbon not modelled)."""
    d = _dec(value)
    if d is None:
        return "—"
    d = d.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    sign = ("+" if d > 0 else "-" if d < 0 else "") if signed else ("-" if d < 0 else "")
    text = f"{abs(d):,.0f}" if d == d.to_integral_value() else f"{abs(d):,.1f}"
    return sign + text


def _delta_cost(value: Any) -> str:
    return "unknown" if value is None else fmt_usd(value, signed=True, dollar=True)


def _quantity(line: dict[str, Any]) -> str:
    q = line.get("quantity")
    d = _dec(q)
    shown = fmt_quantity(None if d is None else round(d, 2))
    unit = line.get("unit") or ""
    if d == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]  # "1 key-month"
    return f"{shown} {unit}".strip()


def _unit_price(line: dict[str, Any]) -> str:
    price = line.get("unit_price_usd")
    return "—" if price is None else fmt_price(price)


# ---------------------------------------------------------------------------------------------- shape


def _groups(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(group, subtotals, lines) in the order the document lists its groups. Subtotals come from the
    document's `groups` when present (the estimator's exact sums) and are added up here otherwise."""
    lines: dict[str, list[dict[str, Any]]] = {}
    for ln in doc.get("lines", []):
        lines.setdefault(ln.get("group") or "(no group)", []).append(ln)
    names = list(doc.get("groups", {})) + [g for g in lines if g not in doc.get("groups", {})]
    out = []
    for name in names:
        members = lines.get(name, [])
        totals = doc.get("groups", {}).get(name) or {
            m: float(sum((_dec(ln.get(m)) or Decimal(0) for ln in members), Decimal(0))) for m in METRICS
        }
        out.append((name, totals, members))
    return out


def _unpriced_count(lines: list[dict[str, Any]]) -> int:
    return sum(1 for ln in lines if ln.get("monthly_cost_usd") is None)


def _assumptions(doc: dict[str, Any]) -> list[tuple[str, int]]:
    """Each distinct assumption and how many lines rest on it, most common first."""
    counts = Counter(a for ln in doc.get("lines", []) for a in ln.get("assumptions", []))
    return counts.most_common()


def _free_summary(doc: dict[str, Any]) -> list[tuple[str, int]]:
    return Counter(f.get("reason", "") for f in doc.get("free", [])).most_common()


def _scenario_cost(s: dict[str, Any]) -> str:
    missing = s.get("unpriced_lines") or []
    cost = fmt_usd(s.get("monthly_cost_usd"), dollar=True)
    return f"≥ {cost} ({len(missing)} unpriced)" if missing else cost


OPTION_NAMES = {
    "on_demand": "on-demand",
    "spot": "spot",
    "commit_1y": "1-year commitment",
    "commit_3y": "3-year commitment",
    "capacity_block": "capacity block",
}


def _option(name: str) -> str:
    return OPTION_NAMES.get(name, name)


# ---------------------------------------------------------------------------------------------- terminal


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


def _scenario_caption(doc: dict[str, Any]) -> str:
    n = sum(
        1 for ln in doc.get("lines", []) if ln.get("monthly_cost_usd") is None and not ln.get("scenarios")
    )
    return f"{n} other unpriced line(s) are in no scenario" if n else ""


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


# ---------------------------------------------------------------------------------------------- markdown


def _md(text: Any) -> str:
    """Cell text for a GitHub table: `|` would end the cell, `<` could open HTML (a `</details>` in a
    resource name would break the comment), backticks, emphasis and links would format, newlines end
    the row."""
    s = "" if text is None else str(text)
    for ch in ("\\", "|", "`", "*", "[", "]"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("<", "&lt;").replace(">", "&gt;").replace("\r", " ").replace("\n", " ")


def _headline(doc: dict[str, Any], diff: dict[str, Any] | None) -> str:
    t = doc.get("totals", {})
    line = (
        f"**{fmt_usd(t.get('monthly_cost_usd'), dollar=True)}/month · {fmt_amount(t.get('monthly_energy_kwh'))} kWh"
        f" · {fmt_amount(t.get('monthly_co2e_kg'))} kg CO2e**"
    )
    if t.get("monthly_embodied_co2e_kg"):
        line += f" (+ {fmt_amount(t.get('monthly_embodied_co2e_kg'))} kg CO2e embodied)"
    if diff is not None:
        d = diff.get("delta", {})
        line += (
            f" ({_delta_cost(d.get('monthly_cost_usd'))} · {fmt_amount(d.get('monthly_energy_kwh'), signed=True)} kWh"
            f" · {fmt_amount(d.get('monthly_co2e_kg'), signed=True)} kg CO2e"
            f" vs {_md(diff.get('before', {}).get('stack'))})"
        )
    return line


def render_markdown(doc: dict[str, Any], diff: dict[str, Any] | None = None) -> str:
    """A pull-request comment: the hidden marker, the headline totals (with deltas when diffed), a table
    by group, the changes with their drivers when diffed, then the detail folded in `<details>` blocks
    (purchase options, every line, unpriced, unsupported, assumptions) and the catalog version."""
    t = doc.get("totals", {})
    out = [MARKER, f"### Cost estimate: {_md(doc.get('stack'))}", "", _headline(doc, diff), ""]
    n_unpriced = t.get("unpriced_lines") or 0
    if n_unpriced:
        out += [f"> {n_unpriced} line(s) unpriced and not in the total: see *Unpriced* below.", ""]
    for w in doc.get("warnings", []):
        out += [f"> **warning:** {_md(w)}", ""]

    out += ["| group | $/month | kWh/month | kgCO2e/month |", "| --- | ---: | ---: | ---: |"]
    for group, totals, lines in _groups(doc):
        unpriced = _unpriced_count(lines)
        cost = fmt_usd(totals.get("monthly_cost_usd")) + (f" + {unpriced} unpriced" if unpriced else "")
        out.append(
            f"| {_md(group)} | {cost} | {fmt_amount(totals.get('monthly_energy_kwh'))} "
            f"| {fmt_amount(totals.get('monthly_co2e_kg'))} |"
        )
    out.append(
        f"| **total** | **{fmt_usd(t.get('monthly_cost_usd'))}** | **{fmt_amount(t.get('monthly_energy_kwh'))}** "
        f"| **{fmt_amount(t.get('monthly_co2e_kg'))}** |"
    )
    out.append("")

    if diff is not None:
        out += _md_changes(diff)
    out += _md_scenarios(doc)
    out += _md_lines(doc)
    out += _md_skipped(doc)
    out += _md_assumptions(doc)
    free = len(doc.get("free", []))
    out.append(
        f"<sub>Catalog {_md(doc.get('catalog_version') or 'unknown')} · {_md(doc.get('currency', 'USD'))} per month"
        f" (730 h) · carbon location-based (grid average) · {free} free resource(s) not listed"
        " · `infra estimate`</sub>"
    )
    return "\n".join(out) + "\n"


def _md_changes(diff: dict[str, Any]) -> list[str]:
    changes = diff.get("changes", [])
    before = _md(diff.get("before", {}).get("stack"))
    out = [f"#### Changes since {before}", ""]
    if not changes:
        return [*out, "No line changed.", ""]
    out += [
        "| resource | change | Δ $/month | Δ kgCO2e/month | driver |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for c in changes[:MAX_MD_CHANGES]:
        out.append(
            f"| {_md(c.get('resource'))} ({_md(c.get('unit'))}) | {_md(c.get('change'))} "
            f"| {_delta_cost(c.get('delta_monthly_cost_usd'))} | {fmt_amount(c.get('delta_monthly_co2e_kg'), signed=True)} "
            f"| {_md(c.get('driver'))} |"
        )
    if len(changes) > MAX_MD_CHANGES:
        out.append(f"\n… and {len(changes) - MAX_MD_CHANGES} smaller change(s).")
    note = diff.get("delta", {}).get("note")
    if note:
        out += ["", f"_{_md(note)}_"]
    return [*out, ""]


def _md_scenarios(doc: dict[str, Any]) -> list[str]:
    scenarios = doc.get("scenarios", {})
    if not scenarios:
        return []
    out = [
        "<details><summary>Purchase options (same energy, different prices)</summary>",
        "",
        "| every compute pool on | $/month | no price under this option |",
        "| --- | ---: | --- |",
    ]
    for option, s in scenarios.items():
        out.append(
            f"| {_md(_option(option))} | {_scenario_cost(s)} | {_md(', '.join(s.get('unpriced_lines') or []))} |"
        )
    caption = _scenario_caption(doc)
    if caption:
        out += ["", _md(caption) + "."]
    return [*out, "", "</details>", ""]


def _md_lines(doc: dict[str, Any]) -> list[str]:
    lines = doc.get("lines", [])
    out = [
        f"<details><summary>All {len(lines)} lines</summary>",
        "",
        "| group | resource | description | quantity | $/unit | $/month | kWh/month | kgCO2e/month |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for ln in lines[:MAX_MD_LINES]:
        out.append(
            f"| {_md(ln.get('group'))} | {_md(ln.get('resource'))} | {_md(ln.get('description'))} | {_md(_quantity(ln))} "
            f"| {_unit_price(ln)} | {fmt_usd(ln.get('monthly_cost_usd'))} | {fmt_amount(ln.get('monthly_energy_kwh'))} "
            f"| {fmt_amount(ln.get('monthly_co2e_kg'))} |"
        )
    if len(lines) > MAX_MD_LINES:
        out.append(f"\n… and {len(lines) - MAX_MD_LINES} more line(s): see `infra estimate --format json`.")
    return [*out, "", "</details>", ""]


def _md_skipped(doc: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key, title in (
        ("unpriced", "unpriced (not in the total)"),
        ("unsupported", "not estimated (no rule for the type; not in the total)"),
    ):
        items = doc.get(key, [])
        if not items:
            continue
        out += [f"<details><summary>{len(items)} {title}</summary>", ""]
        out += [
            f"- **{_md(s.get('resource'))}** ({_md(s.get('type'))}): {_md(s.get('reason'))}" for s in items
        ]
        out += ["", "</details>", ""]
    return out


def _md_assumptions(doc: dict[str, Any]) -> list[str]:
    out = ["<details><summary>Assumptions</summary>", "", f"- usage profile: **{_md(doc.get('profile'))}**"]
    out += [f"- {_md(a)} ({n} line{'s' if n != 1 else ''})" for a, n in _assumptions(doc)]
    return [*out, "", "</details>", ""]


# ---------------------------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;
color:#1d2330;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde2ea}
.meta,.note,footer{color:#5b6577;font-size:.9rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #dde2ea;border-radius:8px;padding:.8rem 1.2rem;min-width:12rem}
.card .label{color:#5b6577;font-size:.85rem}.card .value{font-size:1.5rem;font-weight:600}
.up{color:#b42318}.down{color:#217a3c}.unknown{color:#9a6700}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid #e6e9ef;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f9}td.num,th.num{text-align:right;white-space:nowrap}
tr.group td{background:#f8f9fb;font-weight:600}tr.total td{font-weight:700;border-top:2px solid #1d2330}
tr.reason td{color:#5b6577;font-size:.82rem;border-bottom-style:dashed}
.unpriced{color:#9a6700;font-weight:600}
details.src{font-size:.78rem;color:#5b6577}details.src summary{cursor:pointer}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;fill:#1d2330}
svg .bar.cost,svg .key.cost{fill:#2f6db5}svg .bar.carbon,svg .key.carbon{fill:#3f9b5a}
"""


def _h(text: Any) -> str:
    """Every string from the document goes through here: it is data, never markup."""
    return html.escape("" if text is None else str(text), quote=True)


def _delta_class(value: Any) -> str:
    d = _dec(value)
    return "unknown" if d is None else "up" if d > 0 else "down" if d < 0 else ""


def render_html(doc: dict[str, Any], diff: dict[str, Any] | None = None) -> str:
    """One HTML page with everything inline (CSS, an SVG chart; no JavaScript, fonts or remote assets), so
    it opens the same from a CI artifact, an e-mail or a laptop offline: totals, cost and carbon by group
    as bars, the changes when `diff` is given, every line with its source, the purchase-option scenarios,
    and the unpriced, unsupported and free resources."""
    stack = _h(doc.get("stack"))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Estimate: {stack}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Cost, energy and carbon estimate: {stack}</h1>",
        f'<p class="meta">profile {_h(doc.get("profile"))} · catalog {_h(doc.get("catalog_version") or "unknown")}'
        f" · {_h(doc.get('currency', 'USD'))} per month (730 h) · carbon location-based (grid average)</p>",
        "</header>",
        _html_cards(doc, diff),
        "<section>",
        "<h2>By group</h2>",
        _svg_chart(doc),
        "</section>",
    ]
    if diff is not None:
        parts.append(_html_changes(diff))
    parts += [_html_lines(doc), _html_scenarios(doc), _html_skipped(doc), _html_assumptions(doc)]
    parts += [
        f"<footer><p>Catalog {_h(doc.get('catalog_version') or 'unknown')}; generated by infra estimate.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _html_cards(doc: dict[str, Any], diff: dict[str, Any] | None) -> str:
    t = doc.get("totals", {})
    delta = (diff or {}).get("delta", {})
    cards = []
    for key, label, value, d in (
        ("monthly_cost_usd", "cost per month", fmt_usd(t.get("monthly_cost_usd"), dollar=True), None),
        ("monthly_energy_kwh", "energy per month", f"{fmt_amount(t.get('monthly_energy_kwh'))} kWh", " kWh"),
        ("monthly_co2e_kg", "carbon per month", f"{fmt_amount(t.get('monthly_co2e_kg'))} kg CO2e", " kg"),
    ):
        body = f'<div class="label">{label}</div><div class="value">{_h(value)}</div>'
        if diff is not None:
            dv = delta.get(key)
            shown = _delta_cost(dv) if d is None else fmt_amount(dv, signed=True) + d
            body += f'<div class="delta {_delta_class(dv)}">{_h(shown)} vs {_h(diff.get("before", {}).get("stack"))}</div>'
        cards.append(f'<div class="card">{body}</div>')
    out = '<section class="cards">' + "".join(cards) + "</section>"
    n = t.get("unpriced_lines") or 0
    if n:
        out += f'<p class="note unpriced">{n} line(s) unpriced and not in the total: see Unpriced below.</p>'
    if diff is not None and delta.get("note"):
        out += f'<p class="note">{_h(delta["note"])}</p>'
    for w in doc.get("warnings", []):
        out += f'<p class="note unknown">warning: {_h(w)}</p>'
    return out


def _svg_chart(doc: dict[str, Any]) -> str:
    """Two bars per group, cost and carbon, each scaled to its own largest group (dollars and kilograms
    share no axis), labelled with their values."""
    groups = _groups(doc)
    if not groups:
        return '<p class="note">No lines.</p>'
    label_w, bar_w, value_w, bar_h, gap, group_gap, top = 250, 420, 190, 14, 3, 14, 28
    width = label_w + bar_w + value_w
    height = top + len(groups) * (2 * bar_h + gap + group_gap)
    max_cost = max((_dec(g[1].get("monthly_cost_usd")) or Decimal(0) for g in groups), default=Decimal(0))
    max_co2 = max((_dec(g[1].get("monthly_co2e_kg")) or Decimal(0) for g in groups), default=Decimal(0))
    out = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="100%"'
        f' style="max-width:{width}px" aria-label="cost and carbon per month by group">',
        "<title>Cost and carbon per month by group</title>",
        f'<rect class="key cost" x="{label_w}" y="6" width="12" height="12"></rect>',
        f'<text x="{label_w + 18}" y="16">cost, USD/month</text>',
        f'<rect class="key carbon" x="{label_w + 160}" y="6" width="12" height="12"></rect>',
        f'<text x="{label_w + 178}" y="16">carbon, kg CO2e/month (own scale)</text>',
    ]
    y = top
    for name, totals, lines in groups:
        shown = name if len(name) <= 38 else name[:37] + "…"
        out.append(f'<g class="group"><title>{_h(name)}</title>')
        out.append(f'<text x="{label_w - 8}" y="{y + bar_h + 2}" text-anchor="end">{_h(shown)}</text>')
        unpriced = _unpriced_count(lines)
        cost_text = fmt_usd(totals.get("monthly_cost_usd"), dollar=True) + (
            f" + {unpriced} unpriced" if unpriced else ""
        )
        co2_text = f"{fmt_amount(totals.get('monthly_co2e_kg'))} kg"
        for cls, value, top_value, text, row in (
            ("cost", totals.get("monthly_cost_usd"), max_cost, cost_text, 0),
            ("carbon", totals.get("monthly_co2e_kg"), max_co2, co2_text, 1),
        ):
            v = _dec(value) or Decimal(0)
            w = 0.0 if top_value <= 0 or v <= 0 else max(1.0, float(v / top_value) * bar_w)
            by = y + row * (bar_h + gap)
            out.append(
                f'<rect class="bar {cls}" x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h}">'
                f"<title>{_h(name)}: {_h(text)}</title></rect>"
            )
            out.append(f'<text x="{label_w + w + 6:.1f}" y="{by + bar_h - 3}">{_h(text)}</text>')
        out.append("</g>")
        y += 2 * bar_h + gap + group_gap
    out.append("</svg>")
    return "\n".join(out)


def _td(text: Any, cls: str = "") -> str:
    return f'<td class="{cls}">{_h(text)}</td>' if cls else f"<td>{_h(text)}</td>"


def _html_lines(doc: dict[str, Any]) -> str:
    heads = ["resource", "description", "quantity", "$/unit", "$/month", "kWh/month", "kgCO2e/month"]
    numeric = {"quantity", "$/unit", "$/month", "kWh/month", "kgCO2e/month"}
    out = [
        "<section>",
        "<h2>Lines</h2>",
        "<table>",
        "<thead><tr>"
        + "".join(f'<th class="num">{h}</th>' if h in numeric else f"<th>{h}</th>" for h in heads)
        + "</tr></thead>",
        "<tbody>",
    ]
    for group, totals, lines in _groups(doc):
        unpriced = _unpriced_count(lines)
        out.append(
            '<tr class="group">'
            + _td(group)
            + _td("group subtotal" + (f" ({unpriced} unpriced not included)" if unpriced else ""))
            + "<td></td><td></td>"
            + _td(fmt_usd(totals.get("monthly_cost_usd")), "num")
            + _td(fmt_amount(totals.get("monthly_energy_kwh")), "num")
            + _td(fmt_amount(totals.get("monthly_co2e_kg")), "num")
            + "</tr>"
        )
        for ln in lines:
            cost = ln.get("monthly_cost_usd")
            description = _h(ln.get("description"))
            if ln.get("source") or ln.get("energy_detail"):
                description += (
                    '<details class="src"><summary>source</summary>'
                    f"<p>{_h(ln.get('source'))}</p><p>energy: {_h(ln.get('energy_detail'))}</p></details>"
                )
            out.append(
                "<tr>"
                + _td(ln.get("resource"))
                + f"<td>{description}</td>"
                + _td(_quantity(ln), "num")
                + _td(_unit_price(ln), "num")
                + _td(fmt_usd(cost), "num unpriced" if cost is None else "num")
                + _td(fmt_amount(ln.get("monthly_energy_kwh")), "num")
                + _td(fmt_amount(ln.get("monthly_co2e_kg")), "num")
                + "</tr>"
            )
            if cost is None:
                out.append(
                    f'<tr class="reason"><td></td><td colspan="6">↳ {_h(ln.get("reason") or "no reason given")}</td></tr>'
                )
    t = doc.get("totals", {})
    n = t.get("unpriced_lines") or 0
    out.append(
        '<tr class="total">'
        + _td("total")
        + _td(f"{n} unpriced line(s) not included" if n else "")
        + "<td></td><td></td>"
        + _td(fmt_usd(t.get("monthly_cost_usd")), "num")
        + _td(fmt_amount(t.get("monthly_energy_kwh")), "num")
        + _td(fmt_amount(t.get("monthly_co2e_kg")), "num")
        + "</tr>"
    )
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out)


def _html_changes(diff: dict[str, Any]) -> str:
    changes = diff.get("changes", [])
    before = _h(diff.get("before", {}).get("stack"))
    out = ["<section>", f"<h2>Changes since {before}</h2>"]
    if not changes:
        return "\n".join([*out, "<p>No line changed.</p>", "</section>"])
    out += [
        "<table>",
        '<thead><tr><th>resource</th><th>change</th><th class="num">Δ $/month</th>'
        '<th class="num">Δ kgCO2e/month</th><th>driver</th></tr></thead>',
        "<tbody>",
    ]
    for c in changes:
        cost = c.get("delta_monthly_cost_usd")
        out.append(
            "<tr>"
            + _td(f"{c.get('resource')} ({c.get('unit')})")
            + _td(c.get("change"))
            + _td(_delta_cost(cost), f"num {_delta_class(cost)}".strip())
            + _td(fmt_amount(c.get("delta_monthly_co2e_kg"), signed=True), "num")
            + _td(c.get("driver"))
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return "\n".join(out)


def _html_scenarios(doc: dict[str, Any]) -> str:
    scenarios = doc.get("scenarios", {})
    if not scenarios:
        return ""
    out = [
        "<section>",
        "<h2>Purchase options</h2>",
        '<p class="note">Every compute pool on one purchase option: the same energy and carbon, different prices.</p>',
        "<table>",
        '<thead><tr><th>option</th><th class="num">$/month</th><th>no price under this option</th></tr></thead>',
        "<tbody>",
    ]
    for option, s in scenarios.items():
        out.append(
            "<tr>"
            + _td(_option(option))
            + _td(_scenario_cost(s), "num")
            + _td(", ".join(s.get("unpriced_lines") or []))
            + "</tr>"
        )
    out += ["</tbody>", "</table>"]
    caption = _scenario_caption(doc)
    if caption:
        out.append(f'<p class="note">{_h(caption)}.</p>')
    out.append("</section>")
    return "\n".join(out)


def _html_list(items: list[dict[str, Any]]) -> str:
    return (
        "<ul>"
        + "".join(
            f"<li><strong>{_h(s.get('resource'))}</strong> ({_h(s.get('type'))}): {_h(s.get('reason'))}</li>"
            for s in items
        )
        + "</ul>"
    )


def _html_skipped(doc: dict[str, Any]) -> str:
    out = []
    for key, title in (
        ("unpriced", "Unpriced (not in the total)"),
        ("unsupported", "Not estimated (no rule for the type; not in the total)"),
    ):
        items = doc.get(key, [])
        if items:
            out += ["<section>", f"<h2>{title}: {len(items)}</h2>", _html_list(items), "</section>"]
    free = doc.get("free", [])
    if free:
        summary = ", ".join(f"{_h(reason)}: {n}" for reason, n in _free_summary(doc))
        out += [
            "<section>",
            f"<h2>Free: {len(free)}</h2>",
            f"<details><summary>{summary}</summary>{_html_list(free)}</details>",
            "</section>",
        ]
    return "\n".join(out)


def _html_assumptions(doc: dict[str, Any]) -> str:
    items = [f"<li>usage profile: <strong>{_h(doc.get('profile'))}</strong></li>"]
    items += [f"<li>{_h(a)} ({n} line{'s' if n != 1 else ''})</li>" for a, n in _assumptions(doc)]
    return "\n".join(["<section>", "<h2>Assumptions</h2>", "<ul>", *items, "</ul>", "</section>"])
