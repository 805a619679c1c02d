"""Azure edge rules: AKS clusters and agent pools whose nodes run in an Extended Zone (the cluster's
`extendedLocation` is an EdgeZone). Their machines are priced at the zone's own price from the edge catalog
(`catalog/data/edge/azure.yaml`) and never at the parent region's: Microsoft publishes no per-zone price
(a 2024 FAQ said Los Angeles bills at West US rates, later pages say to ask sales), so a zone without a
recorded price is unpriced with the catalog's reason. The energy is the machines' as in the region (the PUE
of the parent region's data centres is the nearest figure the catalog has), and the carbon that of the
zone's metro grid, or not counted where the catalog has no figure for it.

The regional rules (`aiinfra.estimate.rules.azure`) stay the rules of these types; this module wraps them,
so a cluster outside an Extended Zone is estimated exactly as before."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.machines import Machines
from aiinfra.estimate.model import Charge, Free, Grid
from aiinfra.estimate.registry import RULES
from aiinfra.estimate.rules import azure as regional

EDGE_ZONE = "edgezone"
Rule = Callable[[PlannedResource, Context], "list[Charge] | Free"]


def extended_zone(cluster: PlannedResource | None) -> str | None:
    """The Extended Zone a ManagedCluster's nodes run in, or None for a regional cluster."""
    if cluster is None:
        return None
    where = cluster.inputs.get("extendedLocation")
    if isinstance(where, dict) and str(where.get("type", "")).lower() == EDGE_ZONE:
        name = where.get("name")
        return name if isinstance(name, str) else None
    return None


def metro_grid(ctx: Context, zone: str) -> Grid:
    """The grid of the zone's metro, from the edge catalog; unknown (not the region's) when it has none."""
    loc = ctx.catalog.edge.location("azure", zone)
    if loc is None:
        return Grid(f"Extended Zone {zone}", None, "not in the edge catalog")
    where = f"{loc.metro} (Extended Zone {zone})"
    grid = ctx.catalog.edge.grid("azure", loc.metro)
    if grid is None or grid.location_g_per_kwh is None:
        return Grid(where, None, grid.reason if grid is not None else "no grid figure in the edge catalog")
    return Grid(where, grid.location_g_per_kwh, f"{grid.grid_area}, {grid.year}; {grid.source}")


def at_zone(ctx: Context, zone: str, charge: Charge, size: str) -> Charge:
    """A node line of `size` priced at the Extended Zone's own price (or unpriced with why), on its metro's
    grid. Lines that are not machines (the control plane) are left as they are."""
    if charge.purchase_option is None:
        return charge
    offer = ctx.catalog.edge.offer("azure", zone, size)
    price = offer.price("on_demand") if offer is not None and charge.purchase_option == "on_demand" else None
    if price is not None and offer is not None:
        priced: dict[str, object] = {"unit_price_usd": price, "source": offer.source, "reason": ""}
        note = f"priced at Extended Zone {zone}'s own price"
    else:
        reason = (
            offer.reason
            if offer is not None and offer.reason
            else f"no {charge.purchase_option.replace('_', '-')} price for {size} at Extended Zone {zone} in "
            "the edge catalog"
        )
        priced = {
            "unit_price_usd": None,
            "source": offer.source if offer is not None else "",
            "reason": reason,
        }
        note = f"not priced at the parent region's rate: Extended Zone {zone} has its own price"
    return dataclasses.replace(
        charge,
        description=f"{charge.description} (Extended Zone {zone})",
        scenarios={},
        assumptions=(*charge.assumptions, note),
        grid=metro_grid(ctx, zone),
        **priced,  # type: ignore[arg-type]
    )


def _sizes(machines: list[Machines]) -> list[str]:
    return [m.types[0] for m in machines if m.types]


def _size_of(charge: Charge, sizes: list[str]) -> str:
    """Which pool's machine a line is about (a cluster's inline pools each give their own lines)."""
    return next((s for s in sizes if s in charge.description), sizes[0] if sizes else "")


def _wrap(base: Rule, cluster_of: Callable[[PlannedResource, Context], PlannedResource | None]) -> Rule:
    def edge_aware(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
        out = base(r, ctx)
        zone = extended_zone(cluster_of(r, ctx))
        if zone is None or isinstance(out, Free):
            return out
        machines = (
            regional.agent_pool_machines(r, ctx)
            if r.type == regional.AGENT_POOL
            else regional.cluster_machines(r, ctx)
        )
        sizes = _sizes(machines)
        return [at_zone(ctx, zone, c, _size_of(c, sizes)) for c in out]

    edge_aware.__doc__ = (
        f"{base.__doc__ or base.__name__}, at an Extended Zone's own price where it is in one"
    )
    return edge_aware


# Replace, not add: the registry keeps one rule per type, and these wrap the regional ones.
RULES[regional.AGENT_POOL] = _wrap(RULES[regional.AGENT_POOL], regional._cluster_of)
RULES[regional.MANAGED_CLUSTER] = _wrap(RULES[regional.MANAGED_CLUSTER], lambda r, _ctx: r)
