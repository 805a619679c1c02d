"""GCP edge rules: Google Distributed Cloud (GDC) connected clusters and node pools. Their capacity is the
hardware Google installs at the site, bought for a monthly fee on a 36- or 60-month commitment priced per
hardware configuration; there is no public per-hour price, so both are carried unpriced with that reason
(never $0). The machines draw the site's own power, whose grid the catalog cannot know: no energy model.
The line's source and notes come from the edge catalog (`catalog/data/edge/gcp.yaml`)."""

from __future__ import annotations

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import count
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge
from aiinfra.estimate.registry import rule

CLUSTER = "gcp:edgecontainer/cluster:Cluster"
NODE_POOL = "gcp:edgecontainer/nodePool:NodePool"
BOUGHT_WITH_HARDWARE = (
    "bought with the hardware (monthly commitment per hardware configuration; no public per-hour price)"
)
SITE_POWER = "customer site: the machines draw the site's power, on a grid the catalog cannot know"


def _location_facts(ctx: Context, zone: object) -> tuple[str, tuple[str, ...]]:
    """(source, notes) for a GDC zone, from the edge catalog's row when it has one."""
    loc = ctx.catalog.edge.location("gcp", zone) if isinstance(zone, str) else None
    if loc is None:
        return "", (f"{zone} is not a Distributed Cloud zone the edge catalog knows",)
    return f"{loc.source} (retrieved {loc.retrieved.isoformat()})", ((loc.note,) if loc.note else ())


def _zone_of_cluster(r: PlannedResource) -> object:
    control_plane = r.inputs.get("controlPlane") or {}
    for mode in ("local", "remote"):
        block = control_plane.get(mode) if isinstance(control_plane, dict) else None
        if isinstance(block, dict) and block.get("nodeLocation"):
            return block["nodeLocation"]
    return None


@rule(NODE_POOL)
def gdc_node_pool(r: PlannedResource, ctx: Context) -> list[Charge]:
    nodes = count(r.inputs.get("nodeCount"), "nodeCount", 0) or 0
    zone = r.inputs.get("nodeLocation")
    source, notes = _location_facts(ctx, zone)
    return [
        Charge(
            description=f"{nodes} × Distributed Cloud machines at {zone or 'an unknown zone'}",
            quantity=HOURS_PER_MONTH * nodes,
            unit="node-hours",
            unit_price_usd=None,
            source=source,
            reason=BOUGHT_WITH_HARDWARE,
            energy_note=SITE_POWER,
            assumptions=notes,
        )
    ]


@rule(CLUSTER)
def gdc_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    zone = _zone_of_cluster(r)
    source, notes = _location_facts(ctx, zone)
    return [
        Charge(
            description=f"Distributed Cloud cluster at {zone or 'an unknown zone'} (control plane on site)",
            quantity=HOURS_PER_MONTH,
            unit="cluster-hours",
            unit_price_usd=None,
            source=source,
            reason=BOUGHT_WITH_HARDWARE,
            energy_note=SITE_POWER,
            assumptions=notes,
        )
    ]
