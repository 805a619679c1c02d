"""How a rule finds the resource an input points at (estimate/context.py `referenced` and `by_id`), seen on
estimate lines: a classic AKS node pool is priced in the region of the cluster whose id its
kubernetesClusterId is, before any name or sibling match, and a reference that is not text (a sealed secret)
falls back to the sibling cluster instead of breaking the estimate. Written to kill the mutants
bench/mutation.py found alive (issue 19); prices come from the catalog."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import SECRET_SIG, SIG_KEY
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import PROFILES

CATALOG = default_catalog()
CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster"
POOL = "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool"
H100 = "Standard_ND96isr_H100_v5"


def res(
    type_: str, name: str, inputs: dict[str, Any], parent: PlannedResource | None = None, **extra: Any
) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=parent.urn if parent is not None else None,
        inputs=inputs,
        custom=True,
        **extra,
    )


def group(name: str) -> PlannedResource:
    return PlannedResource(
        type="aiinfra:test:Group", name=name, urn=f"urn:pulumi:t::p::aiinfra:test:Group::{name}",
        parent=None, inputs={}, custom=False,
    )  # fmt: skip


def gpu_line(*resources: PlannedResource) -> Line:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={})
    result = estimate(graph, CATALOG, profile=PROFILES["training-steady"])
    (line,) = [ln for ln in result.lines if ln.resource == "gpu" and ln.unit == "node-hours"]
    return line


def pool(ref: Any, parent: PlannedResource | None = None) -> PlannedResource:
    return res(POOL, "gpu", {"vmSize": H100, "nodeCount": 1, "kubernetesClusterId": ref}, parent)


def price(region: str) -> Any:
    offer = CATALOG.offer(H100, region)
    assert offer is not None and offer.on_demand is not None, f"the catalog prices {H100} in {region}"
    return offer.on_demand * HOURS_PER_MONTH


def test_a_pool_is_priced_in_the_region_of_the_cluster_whose_id_it_names() -> None:
    ours, theirs = group("ours"), group("theirs")
    deployed = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/k"
    resources = [
        ours,
        theirs,
        res(CLUSTER, "near", {"location": "westeurope"}, ours, id="/subscriptions/s/other"),
        res(CLUSTER, "far", {"location": "eastus"}, theirs, id=deployed),
        pool(deployed, ours),
    ]
    line = gpu_line(*resources)
    assert line.region == "eastus", "the cluster with that id, not the pool's sibling"
    assert line.monthly_cost_usd == price("eastus")


def test_a_pool_whose_cluster_id_matches_no_resource_is_unpriced_without_a_region() -> None:
    ours, theirs = group("ours"), group("theirs")
    resources = [
        ours,
        theirs,
        res(CLUSTER, "far", {"location": "eastus"}, theirs, id="/subscriptions/s/k"),
        pool("/subscriptions/s/elsewhere", ours),
    ]
    line = gpu_line(*resources)
    assert line.region is None and line.monthly_cost_usd is None


def test_a_sealed_secret_cluster_reference_falls_back_to_the_sibling_cluster() -> None:
    sealed = {SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"}
    ours = group("ours")
    resources = [
        ours,
        res(CLUSTER, "aks", {"location": "eastus"}, ours, id="/subscriptions/s/k"),
        pool(sealed, ours),
    ]
    line = gpu_line(*resources)
    assert line.region == "eastus", "a reference that is not text: the pool's sibling cluster"
    assert line.monthly_cost_usd == price("eastus")
