"""GCP edge rules (estimate/rules/gcp_edge.py) seen through `estimate`: Google Distributed Cloud node pools
and clusters in a zone the edge catalog knows and in one it does not, without a node count or with zero,
and clusters whose control plane names its zone under `local`, under `remote`, or nowhere. The source and
note come from the edge catalog (catalog/data/edge/gcp.yaml), read in the test. Written to kill the
mutants bench/mutation.py found alive."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH

from .conftest import line

CATALOG = default_catalog()
POOL = "gcp:edgecontainer/nodePool:NodePool"
CLUSTER = "gcp:edgecontainer/cluster:Cluster"
ZONE = "us-central1-edge-den"
BOUGHT = "bought with the hardware (monthly commitment per hardware configuration; no public per-hour price)"
SITE_POWER = "customer site: the machines draw the site's power, on a grid the catalog cannot know"


def res(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"gcp:region": "us-central1"}
    )
    return estimate(graph, CATALOG)


def known() -> tuple[str, tuple[str, ...]]:
    loc = CATALOG.edge.location("gcp", ZONE)
    assert loc is not None and loc.note, "the edge catalog knows Distributed Cloud zones, with a note"
    return f"{loc.source} (retrieved {loc.retrieved.isoformat()})", (loc.note,)


def test_a_node_pool_in_a_known_zone_is_its_machines_all_month_unpriced_with_the_catalogs_source() -> None:
    source, notes = known()
    pool = line(run(res(POOL, "gpu", nodeLocation=ZONE, nodeCount=3)), "gpu", "node-hours")
    assert pool.description == f"3 × Distributed Cloud machines at {ZONE}"
    assert pool.quantity == 3 * HOURS_PER_MONTH
    assert pool.monthly_cost_usd is None and pool.unit_price_usd is None
    assert pool.reason == BOUGHT
    assert pool.source == source and pool.assumptions == notes
    assert pool.monthly_energy_kwh is None and SITE_POWER in pool.energy_detail


def test_a_node_pool_without_a_count_or_with_zero_nodes_has_no_node_hours() -> None:
    result = run(res(POOL, "none", nodeLocation=ZONE), res(POOL, "zero", nodeLocation=ZONE, nodeCount=0))
    for name in ("none", "zero"):
        pool = line(result, name, "node-hours")
        assert pool.quantity == 0
        assert pool.description == f"0 × Distributed Cloud machines at {ZONE}"


def test_a_node_pool_in_a_zone_the_catalog_does_not_know_says_so_without_a_source() -> None:
    result = run(res(POOL, "far", nodeLocation="mars-north1-x", nodeCount=1), res(POOL, "lost", nodeCount=1))
    far = line(result, "far", "node-hours")
    assert far.source == ""
    assert far.assumptions == ("mars-north1-x is not a Distributed Cloud zone the edge catalog knows",)
    assert far.reason == BOUGHT
    lost = line(result, "lost", "node-hours")
    assert lost.description == "1 × Distributed Cloud machines at an unknown zone"
    assert lost.assumptions == ("None is not a Distributed Cloud zone the edge catalog knows",)


def test_a_cluster_finds_its_zone_under_a_local_or_a_remote_control_plane() -> None:
    source, notes = known()
    result = run(
        res(CLUSTER, "local", controlPlane={"local": {"nodeLocation": ZONE, "nodeCount": 1}}),
        res(CLUSTER, "remote", controlPlane={"remote": {"nodeLocation": ZONE}}),
        res(CLUSTER, "empty", controlPlane={"local": {"nodeCount": 1}}),
        res(CLUSTER, "bare"),
    )
    for name in ("local", "remote"):
        cluster = line(result, name, "cluster-hours")
        assert cluster.description == f"Distributed Cloud cluster at {ZONE} (control plane on site)"
        assert cluster.quantity == HOURS_PER_MONTH and cluster.monthly_cost_usd is None
        assert cluster.reason == BOUGHT and SITE_POWER in cluster.energy_detail
        assert cluster.source == source and cluster.assumptions == notes
    for name in ("empty", "bare"):
        cluster = line(result, name, "cluster-hours")
        assert cluster.description == "Distributed Cloud cluster at an unknown zone (control plane on site)"
        assert cluster.source == ""


def test_a_node_count_that_is_not_a_whole_number_is_refused_naming_nodecount() -> None:
    result = run(res(POOL, "gpu", nodeLocation=ZONE, nodeCount=2.5))
    assert result.invalid_inputs == [
        "gpu (gcp:edgecontainer/nodePool:NodePool): nodeCount = 2.5 is not a whole number; give a whole "
        "number from 0 to 100,000"
    ]
    assert not [ln for ln in result.lines if ln.resource == "gpu" and ln.monthly_cost_usd is not None]
