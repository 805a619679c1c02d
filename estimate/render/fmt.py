"""Numbers and shared shape for every renderer of an estimate document: money, amounts, quantities, the
groups of lines with their subtotals, and the purchase options."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aiinfra.estimate.diff import fmt_price, fmt_quantity

METRICS = ("monthly_cost_usd", "monthly_energy_kwh", "monthly_co2e_kg")

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


def _left_out(doc: dict[str, Any]) -> tuple[int, int]:
    """(unpriced lines, unsupported resources) the document's total leaves out."""
    t = doc.get("totals", {})
    unsupported = t.get("unsupported_resources")
    if unsupported is None:
        unsupported = len(doc.get("unsupported", []))
    return int(t.get("unpriced_lines") or 0), int(unsupported or 0)


def total_cost(doc: dict[str, Any], *, dollar: bool = False) -> str:
    """The total cost, as '≥ X' when unpriced lines or unsupported resources are left out of it: a total
    with unknown parts never reads as complete."""
    cost = fmt_usd(doc.get("totals", {}).get("monthly_cost_usd"), dollar=dollar)
    return f"≥ {cost}" if any(_left_out(doc)) else cost


def left_out_note(doc: dict[str, Any]) -> str:
    """'2 unpriced line(s) and 1 unsupported resource(s) not included', or '' when nothing is left out;
    and the lines whose carbon is unknown (energy drawn on a grid with no carbon figure)."""
    unpriced, unsupported = _left_out(doc)
    parts = [f"{unpriced} unpriced line(s)"] if unpriced else []
    parts += [f"{unsupported} unsupported resource(s)"] if unsupported else []
    grid = unknown_grid_lines(doc)
    parts += [f"the carbon of {grid} line(s) on a grid with no carbon figure"] if grid else []
    return f"{' and '.join(parts)} not included" if parts else ""


def _grid_unknown(line: dict[str, Any]) -> bool:
    return line.get("monthly_co2e_kg") is None and line.get("monthly_energy_kwh") is not None


def unknown_grid_lines(doc: dict[str, Any]) -> int:
    """The lines that draw energy but have no carbon figure (their region's or metro's grid intensity is
    unknown): from the document's totals, or counted from its lines."""
    n = doc.get("totals", {}).get("unknown_grid_lines")
    if n is None:
        n = sum(1 for ln in doc.get("lines", []) if _grid_unknown(ln))
    return int(n or 0)


def total_co2e(doc: dict[str, Any]) -> str:
    """The carbon total: '≥ X' when lines draw energy on a grid with no carbon figure (their carbon is
    unknown, not 0 kg), 'unknown' when no line has a carbon figure at all."""
    value = fmt_amount(doc.get("totals", {}).get("monthly_co2e_kg"))
    if not unknown_grid_lines(doc):
        return value
    known = any(ln.get("monthly_co2e_kg") is not None for ln in doc.get("lines", []))
    return f"≥ {value}" if known else "unknown"


def group_co2e(totals: dict[str, Any], lines: list[dict[str, Any]]) -> str:
    """A group's carbon subtotal, as `total_co2e` reads a document's: '≥ X' or 'unknown' when lines of the
    group draw energy on a grid with no carbon figure."""
    value = fmt_amount(totals.get("monthly_co2e_kg"))
    if not any(_grid_unknown(ln) for ln in lines):
        return value
    return f"≥ {value}" if any(ln.get("monthly_co2e_kg") is not None for ln in lines) else "unknown"


def line_co2e(line: dict[str, Any]) -> str:
    """A line's carbon: 'unknown' when it draws energy on a grid with no carbon figure; '—' when carbon is
    not modelled for it (it draws no power of its own)."""
    return "unknown" if _grid_unknown(line) else fmt_amount(line.get("monthly_co2e_kg"))


def _unpriced_count(lines: list[dict[str, Any]]) -> int:
    return sum(1 for ln in lines if ln.get("monthly_cost_usd") is None)


def _assumptions(doc: dict[str, Any]) -> list[tuple[str, int]]:
    """Each distinct assumption and how many lines rest on it, most common first."""
    counts = Counter(a for ln in doc.get("lines", []) for a in ln.get("assumptions", []))
    return counts.most_common()


def _free_summary(doc: dict[str, Any]) -> list[tuple[str, int]]:
    return Counter(f.get("reason", "") for f in doc.get("free", [])).most_common()


def _scenario_missing(s: dict[str, Any]) -> str:
    """The resources a scenario has no price for, each named once (one resource can bill several lines)."""
    return ", ".join(dict.fromkeys(s.get("unpriced_lines") or []))


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


def _scenario_caption(doc: dict[str, Any]) -> str:
    n = sum(
        1 for ln in doc.get("lines", []) if ln.get("monthly_cost_usd") is None and not ln.get("scenarios")
    )
    return f"{n} unpriced line(s) that no purchase option prices are unpriced in every row" if n else ""
