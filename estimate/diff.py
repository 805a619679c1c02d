"""What changed between two estimates, line by line, and why: the review of a pull request that resizes a
pool, moves a region or switches a purchase option.

Works on the JSON documents (`Estimate.to_json()`), not on `Estimate` objects, so an estimate saved on the
main branch diffs against a fresh one from the PR branch without re-running anything. Unknown stays
unknown: a null cost is never read as $0, so a delta that involves a null is null and says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from aiinfra.estimate.model import OPTION_LABEL, num

METRICS: dict[str, int] = {"monthly_cost_usd": 2, "monthly_energy_kwh": 1, "monthly_co2e_kg": 1}
"""The totals a diff compares, with the decimals the estimate itself rounds them to."""


# "4 × p5.48xlarge (8× H100), on-demand, us-east-1" / "2–4 (desired 2) × m7i.xlarge (CPU only), ..."
_POOL = re.compile(
    r"^(?P<nodes>\d[\d,]*(?:–\d[\d,]*)?(?: \(desired \d[\d,]*\))?) × "
    r"(?P<itype>[^\s,()]+(?: \([^)]*\))?)"
)
# "EBS gp3 root volume of train-h100-nodes: 500 GiB × 4.00 (average nodes)"
_AVERAGE = re.compile(r"(?P<avg>\d[\d,]*(?:\.\d+)?) \(average nodes\)")
# the energy detail ends "× PUE 1.14 × 379.069 gCO2e/kWh (eGRID2020 SERC, 2020)"
_PUE = re.compile(r"PUE (?P<v>\d+(?:\.\d+)?)")
_GRID = re.compile(r"(?P<v>\d[\d,]*(?:\.\d+)?) gCO2e/kWh")


def line_key(line: dict[str, Any]) -> str:
    """`type::resource::unit`, what identifies a line across two estimates: one resource can bill several
    dimensions (NAT gateway hours and GB processed), and the unit tells them apart."""
    return f"{line['type']}::{line['resource']}::{line['unit']}"


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Compare two estimate documents: the totals of each, their deltas, and every line that was added,
    removed or changed, with a `driver` naming what moved. Unchanged lines are left out. Changes are
    sorted by absolute cost delta, largest first; changes whose cost delta is unknown (null) come after
    the known ones, ordered by carbon delta, so a big known move is never pushed down by an unknown."""
    old, new = _keyed(before.get("lines", [])), _keyed(after.get("lines", []))
    changes: list[dict[str, Any]] = []
    for key, ln in new.items():
        if key not in old:
            changes.append(_added(key, ln))
        else:
            change = _changed(key, old[key], ln)
            if change is not None:
                changes.append(change)
    changes.extend(_removed(key, ln) for key, ln in old.items() if key not in new)
    changes.sort(key=_order)

    b_totals, a_totals = before.get("totals", {}), after.get("totals", {})
    delta: dict[str, Any] = {m: _delta(b_totals.get(m), a_totals.get(m), p) for m, p in METRICS.items()}
    b_unpriced, a_unpriced = b_totals.get("unpriced_lines") or 0, a_totals.get("unpriced_lines") or 0
    if b_unpriced or a_unpriced:
        delta["note"] = (
            f"the cost delta covers priced lines only ({b_unpriced} unpriced before, {a_unpriced} after)"
        )
    return {
        "before": _side(before),
        "after": _side(after),
        "delta": delta,
        "changes": changes,
    }


def label_operations(change: dict[str, Any], operations: dict[tuple[str, str], str]) -> dict[str, Any]:
    """A diff whose `change` per line says what the update does to its resource (created, updated,
    replaced, deleted), from a preview's steps by (type, resource name); a line of a resource no step
    names keeps added/removed/changed."""
    for c in change.get("changes", []):
        c["change"] = operations.get((c.get("type"), c.get("resource")), c.get("change"))
    return change


def _side(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "stack": doc.get("stack"),
        "profile": doc.get("profile"),
        "catalog_version": doc.get("catalog_version"),
        "totals": dict(doc.get("totals", {})),
    }


def _keyed(lines: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Lines by key. Should two lines ever share a key, the second becomes `key#2` (and so on) so that
    neither silently hides the other."""
    out: dict[str, dict[str, Any]] = {}
    for ln in lines:
        key, n = line_key(ln), 1
        while (key if n == 1 else f"{key}#{n}") in out:
            n += 1
        out[key if n == 1 else f"{key}#{n}"] = ln
    return out


def _dec(value: Any) -> Decimal | None:
    """A JSON number as an exact Decimal (via str, so 0.1 stays 0.1); None stays None."""
    return None if value is None else Decimal(str(value))


def _delta(before: Any, after: Any, places: int) -> float | int | None:
    """after − before, rounded like the inputs; None when either side is unknown (never null as 0)."""
    b, a = _dec(before), _dec(after)
    return None if b is None or a is None else num(a - b, places)


def _entry(key: str, ln: dict[str, Any], change: str) -> dict[str, Any]:
    return {
        "key": key,
        "resource": ln.get("resource"),
        "type": ln.get("type"),
        "group": ln.get("group"),
        "unit": ln.get("unit"),
        "change": change,
    }


def _added(key: str, ln: dict[str, Any]) -> dict[str, Any]:
    driver = "new resource"
    if ln.get("monthly_cost_usd") is None:
        driver += f"; unpriced: {ln.get('reason') or 'no reason given'}"
    return {
        **_entry(key, ln, "added"),
        "before_monthly_cost_usd": None,
        "after_monthly_cost_usd": ln.get("monthly_cost_usd"),
        "delta_monthly_cost_usd": _delta(0, ln.get("monthly_cost_usd"), 2),
        "before_monthly_co2e_kg": None,
        "after_monthly_co2e_kg": ln.get("monthly_co2e_kg"),
        "delta_monthly_co2e_kg": _delta(0, ln.get("monthly_co2e_kg"), 1),
        "driver": driver,
    }


def _removed(key: str, ln: dict[str, Any]) -> dict[str, Any]:
    return {
        **_entry(key, ln, "removed"),
        "before_monthly_cost_usd": ln.get("monthly_cost_usd"),
        "after_monthly_cost_usd": None,
        "delta_monthly_cost_usd": _delta(ln.get("monthly_cost_usd"), 0, 2),
        "before_monthly_co2e_kg": ln.get("monthly_co2e_kg"),
        "after_monthly_co2e_kg": None,
        "delta_monthly_co2e_kg": _delta(ln.get("monthly_co2e_kg"), 0, 1),
        "driver": "removed"
        + (f" (was unpriced: {ln.get('reason')})" if ln.get("monthly_cost_usd") is None else ""),
    }


_COMPARED = (
    "quantity",
    "unit_price_usd",
    "monthly_cost_usd",
    "monthly_energy_kwh",
    "monthly_co2e_kg",
    "description",
    "region",
    "purchase_option",
    "reason",
)
"""The fields whose change makes a line 'changed'. Sources, assumptions and scenario prices are context:
a new source URL with the same price is not a change a reviewer needs to see."""


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return _dec(a) == _dec(b)
    return bool(a == b)


def _changed(key: str, b: dict[str, Any], a: dict[str, Any]) -> dict[str, Any] | None:
    if all(_same(b.get(f), a.get(f)) for f in _COMPARED):
        return None
    return {
        **_entry(key, a, "changed"),
        "before_monthly_cost_usd": b.get("monthly_cost_usd"),
        "after_monthly_cost_usd": a.get("monthly_cost_usd"),
        "delta_monthly_cost_usd": _delta(b.get("monthly_cost_usd"), a.get("monthly_cost_usd"), 2),
        "before_monthly_co2e_kg": b.get("monthly_co2e_kg"),
        "after_monthly_co2e_kg": a.get("monthly_co2e_kg"),
        "delta_monthly_co2e_kg": _delta(b.get("monthly_co2e_kg"), a.get("monthly_co2e_kg"), 1),
        "driver": "; ".join(drivers(b, a)),
    }


def drivers(b: dict[str, Any], a: dict[str, Any]) -> list[str]:
    """What moved between two versions of one line, in a reviewer's words, configuration first (nodes,
    instance type, region, purchase option), then what is billed (quantity, unit price), then carbon
    (grid, PUE), then whether the line is priced at all."""
    out = _description_drivers(b, a)
    unit = a.get("unit") or ""
    if not _same(b.get("quantity"), a.get("quantity")):
        out.append(f"quantity {fmt_quantity(b.get('quantity'))} → {fmt_quantity(a.get('quantity'))} {unit}")
    bp, ap = b.get("unit_price_usd"), a.get("unit_price_usd")
    if bp is not None and ap is not None and not _same(bp, ap):
        out.append(f"unit price {fmt_price(bp)} → {fmt_price(ap)} USD/{_singular(unit)}")
    out.extend(_carbon_drivers(b, a, explained=bool(out)))

    b_cost, a_cost = b.get("monthly_cost_usd"), a.get("monthly_cost_usd")
    if b_cost is not None and a_cost is None:
        out.append(f"now unpriced: {a.get('reason') or 'no reason given'}")
    elif b_cost is None and a_cost is not None:
        was = f" (was: {b['reason']})" if b.get("reason") else ""
        out.append(
            f"now priced at {fmt_price(ap)} USD/{_singular(unit)}{was}"
            if ap is not None
            else f"now priced{was}"
        )
    elif b_cost is None and a_cost is None and b.get("reason") != a.get("reason"):
        out.append(f"still unpriced: {a.get('reason') or 'no reason given'}")
    elif not out and not _same(b_cost, a_cost):
        out.append(f"monthly cost {fmt_quantity(b_cost)} → {fmt_quantity(a_cost)} USD")
    return out or ["changed"]


def _description_drivers(b: dict[str, Any], a: dict[str, Any]) -> list[str]:
    """Name the parts of the description that moved (nodes, instance type, average nodes), plus region and
    purchase option; quote the whole description only when something else in it changed too."""
    out: list[str] = []
    bd, ad = b.get("description") or "", a.get("description") or ""
    explained = bd
    mb, ma = _POOL.match(bd), _POOL.match(ad)
    if mb and ma:
        if mb["nodes"] != ma["nodes"]:
            out.append(f"nodes {mb['nodes']} → {ma['nodes']}")
        if mb["itype"] != ma["itype"]:
            out.append(f"instance type {mb['itype']} → {ma['itype']}")
        explained = ma.group(0) + explained[mb.end() :]
    sb, sa = _AVERAGE.search(explained), _AVERAGE.search(ad)
    if sb and sa and sb["avg"] != sa["avg"]:
        out.append(f"average nodes {sb['avg']} → {sa['avg']}")
        explained = explained[: sb.start()] + sa.group(0) + explained[sb.end() :]

    rb, ra = b.get("region"), a.get("region")
    if rb != ra:
        out.append(f"region {rb or 'unknown'} → {ra or 'unknown'}")
        if rb and ra:
            explained = explained.replace(rb, ra)
    ob, oa = b.get("purchase_option"), a.get("purchase_option")
    if ob != oa:
        out.append(f"purchase option {ob or 'none'} → {oa or 'none'}")
        lb, la = OPTION_LABEL.get(ob or ""), OPTION_LABEL.get(oa or "")
        if lb and la:
            explained = explained.replace(f", {lb},", f", {la},")
    if explained != ad:
        out.append(f'description "{bd}" → "{ad}"')
    return out


def _carbon_drivers(b: dict[str, Any], a: dict[str, Any], explained: bool) -> list[str]:
    """Grid intensity and PUE, read from the energy detail; if energy or carbon moved and nothing else
    explains it, the power model itself changed."""
    out: list[str] = []
    bd, ad = b.get("energy_detail") or "", a.get("energy_detail") or ""
    for label, pattern, suffix in (("PUE", _PUE, ""), ("grid", _GRID, " gCO2e/kWh")):
        mb, ma = pattern.search(bd), pattern.search(ad)
        if mb and ma and _dec(mb["v"].replace(",", "")) != _dec(ma["v"].replace(",", "")):
            out.append(f"{label} {mb['v']} → {ma['v']}{suffix}")
    moved = not _same(b.get("monthly_energy_kwh"), a.get("monthly_energy_kwh")) or not _same(
        b.get("monthly_co2e_kg"), a.get("monthly_co2e_kg")
    )
    if moved and not out and not explained:
        out.append(f"energy model: {ad or 'not modelled'}" if bd != ad else "energy or carbon changed")
    return out


def _order(change: dict[str, Any]) -> tuple[int, Decimal, Decimal, str]:
    cost, co2 = _dec(change["delta_monthly_cost_usd"]), _dec(change["delta_monthly_co2e_kg"])
    return (
        cost is None,
        -abs(cost) if cost is not None else Decimal(0),
        -abs(co2) if co2 is not None else Decimal(0),
        change["key"],
    )


def fmt_quantity(value: Any) -> str:
    """A quantity for reading: thousands separators, up to 4 decimals, no trailing zeros."""
    if value is None:
        return "unknown"
    d = _dec(value)
    assert d is not None
    text = f"{round(d, 4):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_price(value: Any) -> str:
    """A unit price: at least 2 decimals, up to 6 (0.005, 0.2016, 55.04)."""
    d = _dec(value)
    assert d is not None
    text = f"{round(d, 6):,f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{whole}.{frac.ljust(2, '0')}"


def _singular(unit: str) -> str:
    """'node-hours' → 'node-hour', for 'USD/node-hour'; units that do not end in a plural s stay."""
    return unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit
