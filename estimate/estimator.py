"""The estimator: every resource of a graph through its rule, then PUE and the grid on the energy."""

from __future__ import annotations

import datetime as dt
import os

from aiinfra.catalog import Catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate.context import Context, cloud_of
from aiinfra.estimate.inputs import BadNumber, Unreadable, with_notes
from aiinfra.estimate.model import Charge, Estimate, Free, Line, Skipped
from aiinfra.estimate.registry import rule_for
from aiinfra.estimate.usage import PROFILES, Profile, UsageFile
from aiinfra.guard import InputError
from aiinfra.guard.show import escape_controls

FREE_PACKAGES = {
    "pulumi": "Pulumi provider or stack: configuration, no charge",
    "kubernetes": "Kubernetes object: runs on the cluster's nodes, which are priced",
}


TODAY_ENV = "AIINFRA_TODAY"
"""An ISO date (YYYY-MM-DD) to estimate as of, instead of the current date: reproducible estimates in CI
and golden tests (what a cluster's Kubernetes version costs depends on the day)."""


def estimate_day() -> dt.date:
    """The day an estimate is for: $AIINFRA_TODAY when set, else the current date."""
    given = os.environ.get(TODAY_ENV, "").strip()
    if not given:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        raise InputError(
            f"{TODAY_ENV}={escape_controls(given)[:40]!r} is not a date.",
            f"Give an ISO date such as 2026-12-04, or unset {TODAY_ENV} to estimate as of today.",
        ) from None


def estimate(
    graph: ResourceGraph,
    catalog: Catalog,
    *,
    profile: Profile = PROFILES["training-steady"],
    usage: UsageFile | None = None,
    usage_path: str = "stacks/usage.<stack>.yaml",
    today: dt.date | None = None,
) -> Estimate:
    """`today`: the day the estimate is for (which Kubernetes versions are in standard or extended
    support); default `estimate_day()`."""
    ctx = Context(catalog, graph, profile, usage or UsageFile(), usage_path, today or estimate_day())
    result = Estimate(stack=graph.stack, profile=profile.name, catalog_version=catalog.version)
    missing_grid: set[str] = set()
    for r in graph.resources:
        if not r.custom:
            continue  # a component groups resources; it creates nothing itself
        package = r.type.split(":", 1)[0]
        rule = rule_for(r.type)
        if rule is None:
            if package in FREE_PACKAGES:
                result.free.append(Skipped(r.name, r.type, FREE_PACKAGES[package]))
            else:
                result.unsupported.append(Skipped(r.name, r.type, "no estimate rule for this resource type"))
            continue
        try:
            out = rule(r, ctx)
        except BadNumber as e:  # a hostile or absurd count or size: unpriced, never a crash (inputs.py)
            out = [e.charge(f"{r.type.rsplit(':', 1)[-1]} {r.name}: unusable input")]
            if not isinstance(e, Unreadable):  # a secret or unknown is unpriced, not wrong
                result.invalid_inputs.append(f"{r.name} ({r.type}): {e.reason}")
        if isinstance(out, Free):
            result.free.append(Skipped(r.name, r.type, out.reason))
            continue
        used = ctx.outputs_used(r)
        if used:  # the inputs were silent; what the cloud decided stood in (Context.value)
            out = with_notes(out, [f"{k} = {_shown(v)} from deployed outputs" for k, v in used.items()])
        cloud = cloud_of(r.type) or package
        region = ctx.region(r, cloud)
        for charge in out:
            line = _line(r, ctx, cloud, charge.region or region, charge, missing_grid)
            result.lines.append(line)
            if line.monthly_cost_usd is None:
                result.unpriced.append(Skipped(r.name, r.type, line.reason))
    for where in sorted(missing_grid):
        result.warnings.append(
            f"no grid carbon intensity for {where} in the catalog: its carbon is not counted"
        )
    return result


def _line(
    r: PlannedResource, ctx: Context, cloud: str, region: str | None, c: Charge, missing_grid: set[str]
) -> Line:
    cost = c.quantity * c.unit_price_usd if c.unit_price_usd is not None and not c.reason else None
    kwh = co2e = None
    detail = c.energy_note
    if c.power is not None:
        pue = ctx.catalog.pue(cloud, region or "*")
        factor = pue.pue if pue is not None else None
        kwh = c.power.kwh_it * factor if factor is not None else None
        detail = c.power.detail + (f" × PUE {factor}" if factor is not None else " (no PUE for this cloud)")
        grid = ctx.catalog.grid(cloud, region) if region and c.grid is None else None
        if c.grid is not None:
            if c.grid.g_per_kwh is not None and kwh is not None:
                co2e = kwh * c.grid.g_per_kwh / 1000
                detail += f" × {c.grid.g_per_kwh} gCO2e/kWh ({c.grid.where}: {c.grid.detail})"
            else:
                missing_grid.add(c.grid.where)
        elif grid is not None and kwh is not None:
            co2e = kwh * grid.location_g_per_kwh / 1000
            detail += f" × {grid.location_g_per_kwh} gCO2e/kWh ({grid.grid_area}, {grid.year})"
        else:
            missing_grid.add(f"{cloud} {region or '(unknown region)'}")
    source = c.source
    if c.power is not None and c.power.source:
        source = f"{source} | power: {c.power.source}" if source else f"power: {c.power.source}"
    return Line(
        resource=r.name,
        type=r.type,
        group=ctx.group(r),
        cloud=cloud,
        region=region,
        description=c.description,
        quantity=c.quantity,
        unit=c.unit,
        unit_price_usd=c.unit_price_usd,
        monthly_cost_usd=cost,
        monthly_energy_kwh=kwh,
        monthly_co2e_kg=co2e,
        source=source,
        energy_detail=detail,
        purchase_option=c.purchase_option,
        scenarios=dict(c.scenarios),
        assumptions=c.assumptions,
        reason=c.reason,
        monthly_embodied_co2e_kg=c.embodied_kg,
        embodied_detail=c.embodied_detail,
    )


def _shown(value: object) -> str:
    """A deployed output as a note shows it: lists joined, cut to 60 characters."""
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:59] + "…"
