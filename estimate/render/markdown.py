"""An estimate as a pull-request comment (GitHub-flavoured Markdown), and the one escaper for table cells
that every PR comment of this project uses (the estimate's and the guardrail check's)."""

from __future__ import annotations

from typing import Any

from aiinfra.estimate.render.fmt import (
    _assumptions,
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

MARKER = "<!-- aiinfra-estimate -->"
"""First line of the PR comment, so a pipeline finds and updates its one comment instead of adding more."""

MAX_MD_LINES = 150
"""Lines listed in the Markdown comment; GitHub caps a comment at 65,536 characters."""
MAX_MD_CHANGES = 50


_MD_ESCAPED = str.maketrans({ch: "\\" + ch for ch in "\\|`*[]"})


def md_cell(text: Any) -> str:
    """Text as one cell of a GitHub-flavoured Markdown table (or any inline spot of a PR comment), shown as
    written: a `|` would end the cell and a newline the row (they become `\\|` and a space); `<` and `>`
    could open HTML (a `</details>` in a resource name would break the comment), so they become entities;
    backticks, emphasis and link brackets would format; a leading `#`, `-`, `+` or `>` could start a
    heading, list or quote where the text stands alone. Every PR comment of this project escapes with this
    function (the estimate's and the guardrail check's)."""
    s = "" if text is None else str(text)
    s = s.translate(_MD_ESCAPED).replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("\r", " ").replace("\n", " ")
    return "\\" + s if s[:1] in ("#", "-", "+") else s


_md = md_cell


def _headline(doc: dict[str, Any], diff: dict[str, Any] | None) -> str:
    t = doc.get("totals", {})
    line = (
        f"**{total_cost(doc, dollar=True)}/month · {fmt_amount(t.get('monthly_energy_kwh'))} kWh"
        f" · {total_co2e(doc)} kg CO2e**"
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
    if left_out_note(doc):
        out += [f"> {left_out_note(doc)} in the total: see *Unpriced* and *not estimated* below.", ""]
    for w in doc.get("warnings", []):
        out += [f"> **warning:** {_md(w)}", ""]

    out += ["| group | $/month | kWh/month | kgCO2e/month |", "| --- | ---: | ---: | ---: |"]
    for group, totals, lines in _groups(doc):
        unpriced = _unpriced_count(lines)
        cost = fmt_usd(totals.get("monthly_cost_usd")) + (f" + {unpriced} unpriced" if unpriced else "")
        out.append(
            f"| {_md(group)} | {cost} | {fmt_amount(totals.get('monthly_energy_kwh'))} "
            f"| {group_co2e(totals, lines)} |"
        )
    out.append(
        f"| **total** | **{total_cost(doc)}** | **{fmt_amount(t.get('monthly_energy_kwh'))}** "
        f"| **{total_co2e(doc)}** |"
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
        out.append(f"| {_md(_option(option))} | {_scenario_cost(s)} | {_md(_scenario_missing(s))} |")
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
            f"| {line_co2e(ln)} |"
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
