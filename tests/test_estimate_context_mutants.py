"""What a rule learns from the graph around a resource (estimate/context.py), seen on estimate lines: the
group a line is shown under, the region a provider or a referenced cluster gives, a deployed output used
where the inputs are silent, a secret or unknown never read, usage entries of a component and its children
merged. Written to kill the mutants bench/mutation.py found alive (issue 19); prices come from the catalog."""

from __future__ import annotations

from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import SECRET_SIG, SIG_KEY, UNKNOWN
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile

CATALOG = default_catalog()
PREFIX = "urn:pulumi:t::p"
INSTANCE = "aws:ec2/instance:Instance"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
AGENT_POOL = "azure-native:containerservice:AgentPool"
CLASSIC_CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster"
CLASSIC_POOL = "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool"
H100 = "Standard_ND96isr_H100_v5"
P5 = "p5.48xlarge"


def res(
    type_: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    parent: PlannedResource | None = None,
    custom: bool = True,
    **extra: Any,
) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"{PREFIX}::{type_}::{name}",
        parent=parent.urn if parent is not None else None,
        inputs=inputs or {},
        custom=custom,
        **extra,
    )


def component(name: str, parent: PlannedResource | None = None) -> PlannedResource:
    return res("aiinfra:test:Group", name, parent=parent, custom=False)


def run(*resources: PlannedResource, usage: UsageFile | None = None, **config: str) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config=dict(config))
    return estimate(graph, CATALOG, profile=PROFILES["training-steady"], usage=usage)


def lines_of(result: Estimate, name: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == name and "root volume" not in ln.description]


def one(result: Estimate, name: str) -> Line:
    found = lines_of(result, name)
    assert len(found) == 1, f"one line for {name}: {[(ln.resource, ln.description) for ln in result.lines]}"
    return found[0]


def on_demand(machine: str, region: str) -> Any:
    offer = CATALOG.offer(machine, region)
    assert offer is not None and offer.on_demand is not None, f"the catalog prices {machine} in {region}"
    return offer.on_demand


# -- the group a line is shown under ----------------------------------------------------------------------


def test_a_line_is_grouped_under_its_components_outermost_first_with_a_repeated_name_once() -> None:
    cluster = component("train")
    pools = component("pools", cluster)
    same_name = res("aiinfra:test:Pool", "pools", parent=pools, custom=False)  # wraps one of the same name
    deep = res(INSTANCE, "deep", {"instanceType": P5}, parent=same_name)
    shallow = res(INSTANCE, "shallow", {"instanceType": P5}, parent=cluster)
    top = res(INSTANCE, "top", {"instanceType": P5})
    result = run(cluster, pools, same_name, deep, shallow, top, **{"aws:region": "us-east-1"})
    assert one(result, "deep").group == "train / pools"
    assert one(result, "shallow").group == "train"
    assert one(result, "top").group == "(stack)", "a resource directly under the stack"
    assert not lines_of(result, "train") and not lines_of(result, "pools"), "a component itself costs nothing"


def test_a_component_whose_parent_is_not_in_the_graph_groups_its_children_under_its_own_name() -> None:
    outside = res("aiinfra:test:Group", "gone", custom=False)
    inner = component("inner", outside)
    vm = res(INSTANCE, "vm", {"instanceType": P5}, parent=inner)
    assert one(run(inner, vm, **{"aws:region": "us-east-1"}), "vm").group == "inner"


# -- where a resource lives ---------------------------------------------------------------------------------


def test_a_resource_takes_its_region_from_the_provider_its_reference_names() -> None:
    provider = res("pulumi:providers:aws", "west", {"region": "us-west-2"})
    vm = res(INSTANCE, "vm", {"instanceType": P5}, provider=f"{provider.urn}::04b1c3e2-id")
    plain = res(INSTANCE, "plain", {"instanceType": P5})
    result = run(provider, vm, plain, **{"aws:region": "us-east-1"})
    assert one(result, "vm").region == "us-west-2", "the provider's region wins over the stack's"
    assert one(result, "vm").monthly_cost_usd == on_demand(P5, "us-west-2") * HOURS_PER_MONTH
    assert one(result, "plain").region == "us-east-1", "no provider reference: the stack config's region"


def classic(ref: str, cluster_parent: PlannedResource | None, pool_parent: PlannedResource | None) -> Line:
    """A classic AKS node pool without a location whose kubernetesClusterId is `ref`, beside a component
    listed before anything else under its parent; a cluster `aks` in eastus; and a cluster `far` in
    westeurope under a component of its own."""
    elsewhere = component("elsewhere")
    parents = [p for p in (pool_parent, cluster_parent) if p is not None]
    resources = [
        *[p for i, p in enumerate(parents) if p not in parents[:i]],
        res("aiinfra:test:Addons", "addons", parent=pool_parent, custom=False),
        res(CLASSIC_CLUSTER, "aks", {"location": "eastus"}, parent=cluster_parent),
        res(
            CLASSIC_POOL,
            "gpu",
            {"vmSize": H100, "nodeCount": 1, "kubernetesClusterId": ref},
            parent=pool_parent,
        ),
        elsewhere,
        res(CLASSIC_CLUSTER, "far", {"location": "westeurope"}, parent=elsewhere),
    ]
    (nodes,) = [ln for ln in run(*resources).lines if ln.resource == "gpu" and ln.unit == "node-hours"]
    return nodes


def test_a_classic_aks_node_pool_is_priced_in_the_region_of_the_cluster_it_references() -> None:
    price = on_demand(H100, "eastus") * HOURS_PER_MONTH
    k8s, other = component("k8s"), component("other")
    for ref, cluster_parent, pool_parent, why in (
        ("aks-id", other, k8s, "an offline plan's `<name>-id`, wherever the cluster sits"),
        ("aks", other, k8s, "a reference by the cluster's name"),
        (
            "/subscriptions/x/aks",
            k8s,
            k8s,
            "a deployed ID: the pool's sibling cluster, not its other sibling",
        ),
        ("/subscriptions/x/aks", None, None, "the same for resources directly under the stack"),
    ):
        gpu = classic(ref, cluster_parent, pool_parent)
        assert (gpu.region, gpu.monthly_cost_usd) == ("eastus", price), why
    alone = classic("/subscriptions/x/aks", other, k8s)
    assert alone.region is None and alone.monthly_cost_usd is None, "no cluster found, no region: unpriced"


def test_a_gcp_disk_reads_its_size_and_type_from_inputs_else_from_deployed_outputs() -> None:
    disk = "gcp:compute/disk:Disk"
    given = res(disk, "given", {"zone": "us-central1-a", "type": "pd-ssd", "size": 100})
    decided = res(disk, "decided", {"zone": "us-central1-a"}, outputs={"type": "pd-ssd", "size": 100})
    result = run(given, decided)
    price = CATALOG.storage_price("gcp", "persistent-disk", "pd-ssd", "us-central1")
    assert price is not None, "the catalog prices pd-ssd in us-central1"
    for name in ("given", "decided"):
        line = one(result, name)
        assert (line.quantity, line.monthly_cost_usd) == (100, 100 * price.usd_per_gib_month), name
    assert not any("deployed outputs" in a for a in one(result, "given").assumptions)
    assert "size = 100 from deployed outputs" in one(result, "decided").assumptions


# -- values: inputs, deployed outputs, secrets and unknowns --------------------------------------------------


def agent_pool(inputs: dict[str, Any], outputs: dict[str, Any] | None = None) -> PlannedResource:
    return res(
        AGENT_POOL,
        "gpu",
        # ephemeral OS disks: the pool's one line is its nodes (tests/test_estimate_aks_os_disks.py)
        {
            "resourceName": "aks",
            "resourceGroupName": "rg",
            "location": "eastus",
            "osDiskType": "Ephemeral",
            **inputs,
        },
        outputs=outputs or {},
    )


def test_a_deployed_output_stands_in_for_a_silent_input_and_the_line_says_so() -> None:
    gpu = one(run(agent_pool({"count": 2}, {"vmSize": H100, "count": 5})), "gpu")
    assert gpu.monthly_cost_usd == on_demand(H100, "eastus") * 2 * HOURS_PER_MONTH, (
        "the input count wins, the output gives the size the program left to the cloud"
    )
    assert f"vmSize = {H100} from deployed outputs" in gpu.assumptions
    assert not any(n.startswith("count") for n in gpu.assumptions), "an input used is no output used"


@pytest.mark.parametrize("silent", ["", [], {}, None])
def test_an_empty_input_is_silent_and_the_deployed_output_is_used(silent: Any) -> None:
    gpu = one(run(agent_pool({"vmSize": silent, "count": 1}, {"vmSize": H100})), "gpu")
    assert gpu.monthly_cost_usd == on_demand(H100, "eastus") * HOURS_PER_MONTH


@pytest.mark.parametrize(
    ("hidden", "reason"),
    [
        ("[secret]", "vmSize: the value is a secret in this document, so it is not read"),
        ({SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"}, "vmSize: the value is a secret"),
        (UNKNOWN, "vmSize: the value is unknown until apply"),
        ("04da6b54-80e4-46f7-96ec-b56ff0331ba9", "vmSize: the value is unknown until apply"),
    ],
    ids=["blinded-secret", "sealed-secret", "unknown", "wire-unknown"],
)
def test_a_secret_or_unknown_size_is_never_read_and_the_line_says_why(hidden: Any, reason: str) -> None:
    for inputs, outputs in (({"vmSize": hidden}, None), ({}, {"vmSize": hidden})):
        result = run(agent_pool({**inputs, "count": 1}, outputs))
        gpu = one(result, "gpu")
        assert gpu.monthly_cost_usd is None and gpu.reason.startswith(reason), (inputs, outputs, gpu.reason)
        assert not result.invalid_inputs, "a hidden value is not a wrong one"


def test_a_secret_input_with_a_deployed_output_reads_the_output() -> None:
    gpu = one(run(agent_pool({"vmSize": "[secret]", "count": 1}, {"vmSize": H100})), "gpu")
    assert gpu.monthly_cost_usd == on_demand(H100, "eastus") * HOURS_PER_MONTH
    assert f"vmSize = {H100} from deployed outputs" in gpu.assumptions


def test_a_pool_with_no_size_anywhere_is_unpriced_for_that_not_as_hidden() -> None:
    gpu = one(run(agent_pool({"count": 1})), "gpu")
    assert gpu.monthly_cost_usd is None and "secret" not in gpu.reason and "unknown until" not in gpu.reason
    assert not any("deployed outputs" in n for n in gpu.assumptions)


# -- usage ------------------------------------------------------------------------------------------------------


def test_usage_of_a_component_and_of_its_child_are_merged_field_by_field() -> None:
    cluster = component("cluster")
    group = res(
        NODE_GROUP,
        "g",
        {"instanceTypes": [P5], "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": 8}},
        parent=cluster,
    )
    usage = UsageFile(
        resources={
            "cluster": ResourceUsage(nodes=3, hours_per_month=100),
            "g": ResourceUsage(hours_per_month=200),
        }
    )
    line = one(run(cluster, group, usage=usage, **{"aws:region": "us-east-1"}), "g")
    assert line.quantity == 3 * 200, "the component's nodes, the pool's own hours over the component's"
    assert line.monthly_cost_usd == on_demand(P5, "us-east-1") * 3 * 200


@pytest.mark.parametrize("size", ["", None])
def test_a_managed_instance_group_whose_target_size_is_empty_is_unpriced_as_one_without_it(size: Any) -> None:
    """An empty input is nothing a rule can use, as an absent one: `Context.value` gives None for both, so the
    group is not priced as 0 instances."""
    template = res(
        "gcp:compute/instanceTemplate:InstanceTemplate",
        "tpl",
        {"machineType": "e2-standard-4", "name": "tpl"},
    )
    inputs: dict[str, Any] = {"zone": "us-central1-a", "versions": [{"instanceTemplate": "tpl"}]}
    if size is not None:
        inputs["targetSize"] = size
    group = res("gcp:compute/instanceGroupManager:InstanceGroupManager", "mig", inputs)
    line = one(run(template, group), "mig")
    assert line.monthly_cost_usd is None
    assert line.reason == "no targetSize: set it or give an autoscaler"
