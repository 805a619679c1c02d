"""Azure edge rules: AKS clusters and agent pools whose nodes run in an Extended Zone (the cluster's
`extendedLocation` is an EdgeZone). Their machines are re-priced by `estimate.compute.at_edge`, as AWS edge
nodes are: at the zone's own price from the edge catalog (`catalog/data/edge/azure.yaml`), never at the parent
region's — Microsoft publishes no per-zone price (a 2024 FAQ said Los Angeles bills at West US rates, later
pages say to ask sales), so a zone without a recorded price is unpriced with the reason — and with the
carbon of the zone's metro grid, or none where the catalog has no figure. The energy is the machines' as in
the region (its PUE is the nearest figure the catalog has).

The regional rules (`aiinfra.estimate.rules.azure`) stay the rules of these types; this module wraps them,
so a cluster outside an Extended Zone is estimated exactly as before."""

from __future__ import annotations

from collections.abc import Callable

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.compute import at_edge
from aiinfra.estimate.context import Context
from aiinfra.estimate.machines import Machines
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.registry import RULES
from aiinfra.estimate.rules import azure as regional

CLOUD = "azure"
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


def _machines_of(charge: Charge, machines: list[Machines]) -> Machines | None:
    """Which pool a line is about (a cluster's inline pools each give their own lines, named by size)."""
    return next((m for m in machines if m.types and m.types[0] in charge.description), None)


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
        priced: list[Charge] = []
        for charge in out:
            m = _machines_of(charge, machines)
            priced += (
                [charge] if m is None else at_edge([charge], ctx, cloud=CLOUD, location=zone, pool=m.pool)
            )
        return priced

    edge_aware.__doc__ = (
        f"{base.__doc__ or base.__name__}, at an Extended Zone's own price where it is in one"
    )
    return edge_aware


# Replace, not add: the registry keeps one rule per type, and these wrap the regional ones.
RULES[regional.AGENT_POOL] = _wrap(RULES[regional.AGENT_POOL], regional._cluster_of)
RULES[regional.MANAGED_CLUSTER] = _wrap(RULES[regional.MANAGED_CLUSTER], lambda r, _ctx: r)
