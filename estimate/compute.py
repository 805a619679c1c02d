"""Charges for machines, shared by every cloud's rules: node-hours from the pool's size and the usage
profile, the price of the purchase option, every other option as a scenario, and the energy the nodes draw
at the profile's utilisation (billed hours and drawn power kept apart)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from aiinfra import clouds
from aiinfra.catalog.embodied import embodied
from aiinfra.catalog.model import PURCHASE_OPTIONS
from aiinfra.catalog.power import instance_power
from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.model import HOURS_PER_MONTH, OPTION_LABEL, Charge, EdgeGridUse, Power
from aiinfra.estimate.usage import NOT_USED, Phase, custom_profile

RESERVED = ("capacity_block", "commit_1y", "commit_3y")
"""Options paid for every hour of the month whatever the pool does."""


@dataclass(frozen=True)
class Pool:
    """A group of identical machines: `lo`/`desired`/`hi` nodes of `instance_type`."""

    instance_type: str
    lo: int
    desired: int
    hi: int
    option: str
    """A purchase option (PURCHASE_OPTIONS), or `reservation` (a targeted capacity reservation: billed at the
    on-demand rate for every reserved hour)."""
    what: str = "node"

    def nodes(self, scale: str) -> int:
        return {"min": self.lo, "desired": self.desired, "max": self.hi, "off": 0}[scale]


def average_nodes(r: PlannedResource, ctx: Context, pool: Pool) -> Decimal:
    """The pool's average running nodes over the month under the usage profile (or the usage file's
    `nodes`): what per-node disks are billed for."""
    usage = ctx.usage_for(r)
    if usage.nodes is not None:
        return Decimal(usage.nodes)
    running = sum((pool.nodes(p.scale) * p.hours for p in ctx.profile.phases), Decimal(0))
    return running / HOURS_PER_MONTH


def _fmt(d: Decimal, places: int = 0) -> str:
    return f"{d:,.{places}f}"


def machine_charges(
    r: PlannedResource, ctx: Context, *, cloud: str, region: str | None, pool: Pool
) -> list[Charge]:
    usage = ctx.usage_for(r)
    profile = ctx.profile
    assumptions = [f"usage profile {profile.name}: {profile.description}"]
    if usage.hours_per_month is not None or usage.utilization is not None:
        hours = Decimal(str(usage.hours_per_month)) if usage.hours_per_month is not None else HOURS_PER_MONTH
        util = Decimal(str(usage.utilization)) if usage.utilization is not None else profile.mean_utilization
        profile = custom_profile(hours, util)
        assumptions = [f"usage file ({ctx.usage_path}): {profile.description}"]
    if usage.nodes is not None:
        pool = Pool(pool.instance_type, usage.nodes, usage.nodes, usage.nodes, pool.option, pool.what)
        assumptions.append(f"usage file ({ctx.usage_path}): {usage.nodes} nodes")
    phases = profile.phases

    running_hours = sum((pool.nodes(p.scale) * p.hours for p in phases), Decimal(0))
    reserved = pool.option in RESERVED or pool.option == "reservation"
    billed_hours = pool.desired * HOURS_PER_MONTH if reserved else running_hours
    if reserved:
        assumptions.append(
            f"{OPTION_LABEL[pool.option]}: {pool.desired} nodes paid for all {HOURS_PER_MONTH} h whatever runs"
        )
    sizes = {pool.lo, pool.desired, pool.hi}
    nodes_text = f"{pool.desired}" if len(sizes) == 1 else f"{pool.lo}–{pool.hi} (desired {pool.desired})"

    mine = ctx.usage.user_price(pool.instance_type)
    try:
        t = ctx.catalog.instance_type(pool.instance_type, cloud=cloud)
    except LookupError:
        return [
            Charge(
                description=f"{nodes_text} × {pool.instance_type} {pool.what}s, {region or 'unknown region'}",
                quantity=billed_hours,
                unit=f"{pool.what}-hours",
                unit_price_usd=mine.usd_per_hour if mine is not None else None,
                source=mine.source if mine is not None else "",
                reason=""
                if mine is not None
                else f"{pool.instance_type} is not in the catalog: give its price with "
                f"`--price {pool.instance_type}=USD_PER_HOUR`",
                energy_note="no power model for a machine type the catalog does not know",
                purchase_option=pool.option,
                assumptions=tuple(assumptions),
                region=region,
            )
        ]

    power, detail = _energy(ctx, t, pool, phases)
    draw_source = instance_power(ctx.catalog, t, Decimal(1)).source
    offer = ctx.catalog.offer(t.name, region) if region else None
    price_option = "on_demand" if pool.option == "reservation" else pool.option
    price = offer.price(price_option) if offer is not None else None
    source = offer.source if offer is not None else ""
    if region is None:
        reason = f"the region of {r.name} is unknown: {region_hint(cloud)}"
    elif price is None and mine is not None:
        price, reason, source = mine.usd_per_hour, "", mine.source
    elif price is None:
        reason = ctx.catalog.unpriced_reason(t.name, region, price_option) or "no price"
    else:
        reason = ""
        if mine is not None:
            assumptions.append(f"{NOT_USED} ({mine.source}): the catalog prices {t.name} in {region}")
    if pool.option == "reservation":
        assumptions.append("a capacity reservation is billed at the on-demand rate")

    scenarios: dict[str, Decimal | None] = {}
    if offer is not None:
        for option in PURCHASE_OPTIONS:
            each = offer.price(option)
            hours = pool.desired * HOURS_PER_MONTH if option in RESERVED else running_hours
            scenarios[option] = None if each is None else each * hours
    made = embodied(ctx.catalog, t)
    accel = f"{t.accelerator_count}× {t.accelerator}" if t.accelerator else "CPU only"
    return [
        Charge(
            description=(
                f"{nodes_text} × {t.name} ({accel}), {OPTION_LABEL[pool.option]}, {region or 'unknown region'}"
            ),
            quantity=billed_hours,
            unit=f"{pool.what}-hours",
            unit_price_usd=price,
            source=source,
            reason=reason,
            power=Power(power, detail, draw_source),
            scenarios=scenarios,
            purchase_option=pool.option,
            assumptions=tuple(assumptions),
            region=region,
            embodied_kg=made.kg_per_hour * billed_hours if made is not None else None,
            embodied_detail=f"{made.detail} × {billed_hours:,.0f} h held" if made is not None else "",
        )
    ]


def _energy(ctx: Context, t, pool: Pool, phases: tuple[Phase, ...]) -> tuple[Decimal, str]:  # type: ignore[no-untyped-def]
    """IT energy a month (kWh) and how it was computed, phase by phase."""
    kwh = Decimal(0)
    parts = []
    for p in phases:
        n = pool.nodes(p.scale)
        draw = instance_power(ctx.catalog, t, p.utilization)
        kwh += n * draw.power_w * p.hours / 1000
        parts.append(f"{n} × {_fmt(draw.power_w)} W at {_fmt(p.utilization * 100)} % × {_fmt(p.hours, 1)} h")
    return kwh, " + ".join(parts) + f" ({instance_power(ctx.catalog, t, Decimal(1)).method})"


def at_edge(charges: list[Charge], ctx: Context, *, cloud: str, location: str, pool: Pool) -> list[Charge]:
    """`charges` (machine_charges of `pool`, priced in the parent region) re-priced at edge `location`: the
    location's own price for the purchase option (an edge price is not the region's), or unpriced with the
    catalog's reason (not published; bought with the hardware), and the metro's grid instead of the
    region's (unknown stays unknown). Non-machine lines (root volumes) are left as they are."""
    loc = ctx.catalog.edge.location(cloud, location)
    out: list[Charge] = []
    for c in charges:
        if c.power is None:
            out.append(c)
            continue
        if loc is None:
            out.append(
                dataclasses.replace(
                    c,
                    unit_price_usd=None,
                    reason=f"edge location {location} is not in the catalog (`infra catalog edge` lists them)",
                    scenarios={},
                    grid=EdgeGridUse(None, location, None, "location not in the catalog"),
                )
            )
            continue
        option = "on_demand" if pool.option == "reservation" else pool.option
        offer = ctx.catalog.edge.offer(cloud, loc.name, pool.instance_type)
        price = offer.price(option) if offer is not None and option in ("on_demand", "spot") else None
        if price is not None:
            reason, source = "", f"{offer.source} (price at {location})" if offer else ""
        elif offer is not None and offer.reason:
            reason, source = f"{offer.reason} ({location})", offer.source
        else:
            label = option.replace("_", "-")
            reason, source = (
                f"no {label} price for {pool.instance_type} at {location} in the catalog",
                loc.source,
            )
        metro = ctx.catalog.edge.grid(cloud, loc.metro)
        if metro is not None and metro.location_g_per_kwh is not None:
            grid = EdgeGridUse(metro.location_g_per_kwh, metro.grid_area or loc.metro, metro.year)
        else:
            why = metro.reason if metro is not None and metro.reason else "no grid figure for this metro"
            grid = EdgeGridUse(None, f"{loc.metro} grid of edge location {location}", None, why)
        region = c.region or loc.parent_region(location)
        description = c.description.removesuffix(f", {region}") + f", at {location} ({loc.kind}, {loc.metro})"
        out.append(
            dataclasses.replace(
                c,
                description=description,
                unit_price_usd=price,
                source=source,
                reason=reason,
                scenarios={},
                grid=grid,
                assumptions=(*c.assumptions, f"priced at edge location {location}, not at {region}'s price"),
            )
        )
    return out


def region_hint(cloud: str) -> str:
    """How a user gives a program's region: the provider's own, else the stack config key its provider
    reads (`infra estimate --config KEY=REGION`), else the environment variables it falls back to."""
    profile = clouds.profiles().get(cloud)
    if profile is None:
        return f"set the provider's region or the stack's {cloud} region"
    key = profile.region_config_key
    keys = (key, *profile.region_config_fallbacks)
    env = [v for k in keys for v in profile.config_env.get(k, ())]
    also = f", or {' / '.join(env)} in the environment" if env else ""
    return f"set the provider's region or the stack's {cloud} region ({key}: `--config {key}=REGION`{also})"
