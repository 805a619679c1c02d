"""Machine charges at an edge location (estimate/compute.py `at_edge`), third measured run: a pool at a
location the catalog lacks has unknown carbon, and the estimate's warning says why (the location is not in
the catalog), as it does for a metro without a grid figure. Written to kill the mutant bench/mutation.py
found alive in the module's new sample."""

from __future__ import annotations

from aiinfra.catalog import default_catalog
from aiinfra.catalog.edge import EDGE_LOCATION_TAG
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate


def test_a_pool_at_an_unknown_edge_location_warns_that_its_carbon_is_not_counted_and_why() -> None:
    group = PlannedResource(
        type="aws:eks/nodeGroup:NodeGroup",
        name="far",
        urn="urn:pulumi:t::p::aws:eks/nodeGroup:NodeGroup::far",
        parent=None,
        inputs={
            "instanceTypes": ["g4dn.xlarge"],
            "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": 1},
            "tags": {EDGE_LOCATION_TAG: "us-west-2-xyz-1a"},
        },
        custom=True,
    )
    graph = ResourceGraph(stack="t", project="p", resources=[group], config={"aws:region": "us-west-2"})
    result = estimate(graph, default_catalog())
    assert result.warnings == [
        "no grid carbon intensity for us-west-2-xyz-1a (location not in the catalog) in the catalog: its carbon "
        "is not counted"
    ]
