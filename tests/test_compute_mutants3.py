"""Machine charges at an edge location (estimate/compute.py `at_edge`), third measured run: a pool at a
location the catalog lacks has unknown carbon, and the estimate's warning says why (the location is not in
the catalog), as it does for a metro without a grid figure. Written to kill the mutants bench/mutation.py
found alive in the module's new sample."""

from __future__ import annotations

from decimal import Decimal

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.edge import EDGE_LOCATION_TAG, EdgeCatalog, EdgeOffer
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate

CATALOG = default_catalog()


def _edge_group(location: str) -> PlannedResource:
    return PlannedResource(
        type="aws:eks/nodeGroup:NodeGroup",
        name="edge",
        urn="urn:pulumi:t::p::aws:eks/nodeGroup:NodeGroup::edge",
        parent=None,
        inputs={
            "instanceTypes": ["g4dn.xlarge"],
            "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": 1},
            "tags": {EDGE_LOCATION_TAG: location},
        },
        custom=True,
    )


def test_a_metro_the_catalog_has_no_grid_row_for_warns_that_there_is_no_grid_figure() -> None:
    """A catalog (AIINFRA_CATALOG_DIR) whose edge data lists the LAX Local Zone and a price there but no grid
    row for Los Angeles: the pool is priced at the location and its carbon is unknown, saying why."""
    loc = CATALOG.edge.location("aws", "us-west-2-lax-1a")
    assert loc is not None and loc.metro == "Los Angeles"
    offer = EdgeOffer(
        "aws", loc.name, "g4dn.xlarge", "test price list", loc.retrieved, Decimal("0.631"), None
    )
    catalog = Catalog(
        accelerators=CATALOG.accelerators,
        instance_types=CATALOG.instance_types(),
        offers=CATALOG.offers(),
        pue=[p for p in [CATALOG.pue("aws", "*")] if p is not None],
        host_power=[h for h in [CATALOG.host_power("aws")] if h is not None],
        edge=EdgeCatalog([loc], [offer], []),
    )
    graph = ResourceGraph(
        stack="t", project="p", resources=[_edge_group(loc.name)], config={"aws:region": "us-west-2"}
    )
    result = estimate(graph, catalog)
    (machine,) = [ln for ln in result.lines if "root volume" not in ln.description]
    assert machine.unit_price_usd == Decimal("0.631") and machine.monthly_co2e_kg is None
    assert result.warnings == [
        "no grid carbon intensity for Los Angeles grid of edge location us-west-2-lax-1a (no grid figure for "
        "this metro) in the catalog: its carbon is not counted"
    ]


def test_a_pool_at_an_unknown_edge_location_warns_that_its_carbon_is_not_counted_and_why() -> None:
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[_edge_group("us-west-2-xyz-1a")],
        config={"aws:region": "us-west-2"},
    )
    result = estimate(graph, CATALOG)
    assert result.warnings == [
        "no grid carbon intensity for us-west-2-xyz-1a (location not in the catalog) in the catalog: its carbon "
        "is not counted"
    ]
