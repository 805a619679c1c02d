"""Azure edge rules (estimate/rules/azure_edge.py): an AKS cluster in an Extended Zone with two inline pools
of different sizes, each line re-priced at the zone for its own pool's size. Written to kill the mutants
bench/mutation.py found alive."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate

CATALOG = default_catalog()
CLUSTER = "azure-native:containerservice:ManagedCluster"
SMALL, LARGE = "Standard_NV36ads_A10_v5", "Standard_NV72ads_A10_v5"


def cluster(**inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=CLUSTER,
        name="lax",
        urn=f"urn:pulumi:t::p::{CLUSTER}::lax",
        parent=None,
        inputs={"resourceName": "lax", "resourceGroupName": "rg", "location": "westus", **inputs},
        custom=True,
    )


def test_each_inline_pool_of_an_extended_zone_cluster_is_priced_at_the_zone_for_its_own_size() -> None:
    zone = CATALOG.edge.location("azure", "losangeles")
    assert zone is not None and {SMALL, LARGE} <= set(zone.machines), "both sizes are offered in the zone"
    pools = [
        {"name": "small", "vmSize": SMALL, "count": 1, "mode": "System"},
        {"name": "large", "vmSize": LARGE, "count": 2, "mode": "User"},
    ]
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[
            cluster(agentPoolProfiles=pools, extendedLocation={"type": "EdgeZone", "name": "losangeles"})
        ],
        config={},
    )
    result = estimate(graph, CATALOG)
    nodes = {ln.description.split(":")[0]: ln for ln in result.lines if ln.unit == "node-hours"}
    assert set(nodes) == {"pool small", "pool large"}
    for label, size in (("pool small", SMALL), ("pool large", LARGE)):
        line = nodes[label]
        assert line.description.endswith("at losangeles (extended-zone, Los Angeles)"), line.description
        offer = CATALOG.edge.offer("azure", "losangeles", size)
        price = offer.price("on_demand") if offer is not None else None
        if price is None:
            assert line.monthly_cost_usd is None
            assert f"{size} at losangeles" in line.reason, line.reason
        else:
            assert line.unit_price_usd == price
