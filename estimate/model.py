"""What an estimate is made of: line items per resource, what could not be priced and why, and the totals.
Money is Decimal USD; energy kWh; carbon kg CO2e; everything per month (730 hours)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

HOURS_PER_MONTH = Decimal(730)
"""8,760 hours a year / 12, the month every cloud price calculator uses."""

OPTION_LABEL = {
    "on_demand": "on-demand",
    "spot": "spot",
    "commit_1y": "1-year commitment",
    "commit_3y": "3-year commitment",
    "capacity_block": "capacity block",
    "reservation": "capacity reservation",
}
"""How descriptions and renderers spell a purchase option (`reservation`: a targeted capacity reservation,
billed at the on-demand rate)."""


@dataclass(frozen=True)
class Power:
    """The energy side of a line: what the resource draws and where, before the estimator applies PUE and
    the grid. `kwh_it` is the IT energy per month (before PUE)."""

    kwh_it: Decimal
    detail: str
    """How it was computed, e.g. '4 × 5,240 W at 90 % × 730 h'."""
    source: str


@dataclass(frozen=True)
class Charge:
    """One billed dimension of one resource, as a rule produces it (the estimator adds where and totals).

    `unit_price_usd` None means unpriced: `reason` says why and the line is carried with no cost (never $0).
    `scenarios`, on compute lines, are the monthly cost under every purchase option the catalog prices
    (on_demand, spot, commit_1y, commit_3y, capacity_block): the same energy at different prices."""

    description: str
    quantity: Decimal
    unit: str
    unit_price_usd: Decimal | None
    source: str
    reason: str = ""
    power: Power | None = None
    energy_note: str = ""
    """Why there is no power model, when `power` is None (e.g. 'managed control plane: not modelled')."""
    scenarios: dict[str, Decimal | None] = field(default_factory=dict)
    purchase_option: str | None = None
    assumptions: tuple[str, ...] = ()
    region: str | None = None
    """Where the charge is priced, when the rule found it elsewhere than the resource's own inputs (an AKS
    agent pool is priced in its cluster's region); None = the resource's region as the context finds it."""
    embodied_kg: Decimal | None = None
    """Manufacturing emissions of the machines for the hours they are held (reported apart from the
    operational carbon, which `power` leads to); None where no embodied model applies."""
    embodied_detail: str = ""
    grid: EdgeGridUse | None = None
    """The grid the machines draw when it is not their region's (an edge site's metro); None = the region's."""
    warning: str = ""
    """A warning the estimate shows for this line (an assumed default the program should give), or ""."""


@dataclass(frozen=True)
class EdgeGridUse:
    """An edge location's metro grid for one charge: a figure with its area and year, or unknown with why."""

    g_per_kwh: Decimal | None
    area: str
    year: int | None
    unknown: str = ""


@dataclass(frozen=True)
class Free:
    """A resource that costs nothing by itself (security groups, placement groups, IAM, EFA, ...)."""

    reason: str


@dataclass(frozen=True)
class Line:
    resource: str
    type: str
    group: str
    """The components the resource sits under, outermost first: 'train / train-h100'."""
    cloud: str
    region: str | None
    description: str
    quantity: Decimal
    unit: str
    unit_price_usd: Decimal | None
    monthly_cost_usd: Decimal | None
    monthly_energy_kwh: Decimal | None
    monthly_co2e_kg: Decimal | None
    source: str
    energy_detail: str = ""
    purchase_option: str | None = None
    scenarios: dict[str, Decimal | None] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    reason: str = ""
    """Why the line has no price (empty when priced)."""
    monthly_embodied_co2e_kg: Decimal | None = None
    embodied_detail: str = ""


@dataclass(frozen=True)
class Skipped:
    resource: str
    type: str
    reason: str


@dataclass
class Estimate:
    stack: str
    profile: str
    lines: list[Line] = field(default_factory=list)
    unpriced: list[Skipped] = field(default_factory=list)
    """Billable resources (or dimensions) without a price: carried with a reason, never as $0."""
    unsupported: list[Skipped] = field(default_factory=list)
    """Resource types no rule knows: their cost is not in the totals."""
    free: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    catalog_version: str = ""
    invalid_inputs: list[str] = field(default_factory=list)
    """`resource: input = value …; fix` for each count or size no cloud would take (NaN, negative, absurd,
    not a number): such a resource is carried unpriced, and the services refuse the input (exit 2)."""

    @property
    def monthly_cost_usd(self) -> Decimal:
        return sum((ln.monthly_cost_usd for ln in self.lines if ln.monthly_cost_usd is not None), Decimal(0))

    @property
    def monthly_energy_kwh(self) -> Decimal:
        return sum(
            (ln.monthly_energy_kwh for ln in self.lines if ln.monthly_energy_kwh is not None), Decimal(0)
        )

    @property
    def monthly_co2e_kg(self) -> Decimal:
        """Operational carbon: the energy drawn × the grid."""
        return sum((ln.monthly_co2e_kg for ln in self.lines if ln.monthly_co2e_kg is not None), Decimal(0))

    @property
    def monthly_embodied_co2e_kg(self) -> Decimal:
        """Manufacturing carbon of the machines held, amortised over their lifespan (not in monthly_co2e_kg)."""
        return sum(
            (ln.monthly_embodied_co2e_kg for ln in self.lines if ln.monthly_embodied_co2e_kg is not None),
            Decimal(0),
        )

    def scenario_totals(self) -> dict[str, dict[str, Any]]:
        """Total monthly cost if every compute line used each purchase option (others as estimated): the
        same energy at different prices. A line without that option's price makes the scenario partial, and
        so does an unpriced line no option changes (a machine the catalog lacks): it is unknown in every one."""
        options = sorted({o for ln in self.lines for o in ln.scenarios}, key=_OPTION_ORDER.index)
        out: dict[str, dict[str, Any]] = {}
        fixed = sum(
            (
                ln.monthly_cost_usd
                for ln in self.lines
                if not ln.scenarios and ln.monthly_cost_usd is not None
            ),
            Decimal(0),
        )
        unknown_everywhere = [
            ln.resource for ln in self.lines if not ln.scenarios and ln.monthly_cost_usd is None
        ]
        for option in options:
            total, missing = fixed, list(unknown_everywhere)
            for ln in self.lines:
                if not ln.scenarios:
                    continue
                price = ln.scenarios.get(option)
                if price is None:
                    missing.append(ln.resource)
                else:
                    total += price
            out[option] = {"monthly_cost_usd": total, "unpriced_lines": missing}
        return out

    def groups(self) -> dict[str, dict[str, Decimal]]:
        """Totals per group (cluster / pool), in the order groups first appear."""
        out: dict[str, dict[str, Decimal]] = {}
        for ln in self.lines:
            g = out.setdefault(
                ln.group,
                {
                    "monthly_cost_usd": Decimal(0),
                    "monthly_energy_kwh": Decimal(0),
                    "monthly_co2e_kg": Decimal(0),
                },
            )
            for k in g:
                v = getattr(ln, k)
                if v is not None:
                    g[k] += v
        return out

    def to_json(self) -> dict[str, Any]:
        """The `infra estimate --format json` contract (DESIGN.md), plus scenarios, groups and the lists of
        free and unsupported resources. Numbers are JSON numbers; unknown is null."""
        return {
            "stack": self.stack,
            "currency": "USD",
            "profile": self.profile,
            "catalog_version": self.catalog_version,
            "totals": {
                "monthly_cost_usd": num(self.monthly_cost_usd, 2),
                "monthly_energy_kwh": num(self.monthly_energy_kwh, 1),
                "monthly_co2e_kg": num(self.monthly_co2e_kg, 1),
                "monthly_embodied_co2e_kg": num(self.monthly_embodied_co2e_kg, 1),
                "unpriced_lines": len([ln for ln in self.lines if ln.monthly_cost_usd is None]),
                "unsupported_resources": len(self.unsupported),
                # lines that draw energy on a grid with no carbon figure: their carbon is unknown, not 0 kg
                "unknown_grid_lines": sum(
                    1 for ln in self.lines if ln.monthly_co2e_kg is None and ln.monthly_energy_kwh is not None
                ),
            },
            "scenarios": {
                k: {"monthly_cost_usd": num(v["monthly_cost_usd"], 2), "unpriced_lines": v["unpriced_lines"]}
                for k, v in self.scenario_totals().items()
            },
            "groups": {
                g: {k: num(v, 2 if k.endswith("usd") else 1) for k, v in t.items()}
                for g, t in self.groups().items()
            },
            "lines": [line_json(ln) for ln in self.lines],
            "unpriced": [skipped_json(s) for s in self.unpriced],
            "unsupported": [skipped_json(s) for s in self.unsupported],
            "free": [skipped_json(s) for s in self.free],
            "warnings": list(self.warnings),
        }


_OPTION_ORDER = ["on_demand", "spot", "commit_1y", "commit_3y", "capacity_block"]


def num(value: Decimal | None, places: int = 4) -> float | int | None:
    """A Decimal as a JSON number, rounded for reading (the Decimal stays exact inside)."""
    if value is None:
        return None
    rounded = round(value, places)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def line_json(ln: Line) -> dict[str, Any]:
    return {
        "resource": ln.resource,
        "type": ln.type,
        "group": ln.group,
        "cloud": ln.cloud,
        "region": ln.region,
        "description": ln.description,
        "quantity": num(ln.quantity, 4),
        "unit": ln.unit,
        "unit_price_usd": num(ln.unit_price_usd, 6),
        "monthly_cost_usd": num(ln.monthly_cost_usd, 2),
        "monthly_energy_kwh": num(ln.monthly_energy_kwh, 1),
        "monthly_co2e_kg": num(ln.monthly_co2e_kg, 1),
        "energy_detail": ln.energy_detail,
        "monthly_embodied_co2e_kg": num(ln.monthly_embodied_co2e_kg, 1),
        "embodied_detail": ln.embodied_detail,
        "purchase_option": ln.purchase_option,
        "scenarios": {k: num(v, 2) for k, v in ln.scenarios.items()},
        "assumptions": list(ln.assumptions),
        "source": ln.source,
        "reason": ln.reason,
    }


def skipped_json(s: Skipped) -> dict[str, str]:
    return {"resource": s.resource, "type": s.type, "reason": s.reason}
