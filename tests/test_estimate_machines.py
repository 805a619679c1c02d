"""One extractor of "which machines does this graph run" (estimate/machines.py, per-cloud extractors in
estimate/rules/<cloud>.py) serves the estimate's compute rules and the carbon policy rule: on a graph with
every compute shape of the three clouds, both see the same machines."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import CatalogLookupError, default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.context import Context
from aiinfra.estimate.machines import extracted_types, known_machines
from aiinfra.estimate.usage import PROFILES
from aiinfra.policy.graph_rules import gpu_carbon_intensity
from aiinfra.policy.model import CheckOptions

CATALOG = default_catalog()
STACK = "urn:pulumi:t::p"


def res(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"{STACK}::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        provider=None,
    )


MIXED = [
    res("aws:ec2/launchTemplate:LaunchTemplate", "lt", {"instanceType": "p5.48xlarge"}),
    res(
        "aws:eks/nodeGroup:NodeGroup",
        "eks-lt",
        {"launchTemplate": {"id": "lt-id"}, "scalingConfig": {"desiredSize": 2, "minSize": 2, "maxSize": 2}},
    ),
    res(
        "aws:eks/nodeGroup:NodeGroup",
        "eks",
        {"instanceTypes": ["g5.xlarge"], "scalingConfig": {"desiredSize": 1}},
    ),
    res("aws:ec2/instance:Instance", "ec2", {"instanceType": "g5.xlarge"}),
    res(
        "aws:autoscaling/group:Group",
        "asg",
        {"launchTemplate": {"id": "lt-id"}, "desiredCapacity": 1, "maxSize": 3},
    ),
    res(
        "gcp:container/nodePool:NodePool",
        "gke-pool",
        {"location": "us-central1-a", "nodeCount": 1, "nodeConfig": {"machineType": "a3-highgpu-8g"}},
    ),
    res("gcp:container/cluster:Cluster", "gke", {"location": "us-central1-a", "initialNodeCount": 1}),
    res("gcp:compute/instance:Instance", "gce", {"zone": "us-central1-a", "machineType": "g2-standard-4"}),
    res("gcp:tpu/v2Vm:V2Vm", "tpu", {"zone": "us-central1-a", "acceleratorType": "v5litepod-8"}),
    res(
        "azure-native:containerservice:ManagedCluster",
        "aks",
        {
            "location": "eastus",
            "agentPoolProfiles": [{"name": "gpu", "vmSize": "Standard_NC24ads_A100_v4", "count": 1}],
        },
    ),
    res(
        "azure-native:containerservice:AgentPool",
        "aks-pool",
        {"resourceName": "aks", "vmSize": "Standard_NC24ads_A100_v4"},
    ),
    res(
        "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool",
        "classic",
        {
            "vmSize": "Standard_NC24ads_A100_v4",
            "nodeCount": 1,
        },
    ),
    res(
        "azure-native:compute:VirtualMachine",
        "vm",
        {"location": "eastus", "hardwareProfile": {"vmSize": "Standard_NC24ads_A100_v4"}},
    ),
    res(
        "azure-native:compute:VirtualMachineScaleSet",
        "vmss",
        {
            "location": "eastus",
            "sku": {"name": "Standard_NC24ads_A100_v4", "capacity": 2},
        },
    ),
]
GRAPH = ResourceGraph(
    stack="t",
    project="p",
    resources=MIXED,
    config={"aws:region": "us-east-1", "gcp:region": "us-central1", "azure-native:location": "eastus"},
)
MACHINE_UNITS = ("node-hours", "instance-hours", "TPU host-hours")


def seen_by_extractor() -> set[tuple[str, str]]:
    ctx = Context(CATALOG, GRAPH, PROFILES["training-steady"])
    return {(m.resource.name, m.types[0]) for m in known_machines(GRAPH, ctx) if m.types}


def test_every_compute_shape_of_the_three_clouds_has_an_extractor() -> None:
    shapes = {r.type for r in MIXED} - {"aws:ec2/launchTemplate:LaunchTemplate"}
    assert shapes <= extracted_types(), f"no extractor for {sorted(shapes - extracted_types())}"
    names = {name for name, _ in seen_by_extractor()}
    assert names == {r.name for r in MIXED} - {"lt"}, "every compute resource yields machines"
    assert ("eks-lt", "p5.48xlarge") in seen_by_extractor(), "a node group's type may come from its template"
    assert ("gke", "e2-medium") in seen_by_extractor(), (
        "a GKE cluster's default pool runs GKE's default machine"
    )


def test_the_estimate_prices_exactly_the_machines_the_extractor_sees() -> None:
    result = estimate(GRAPH, CATALOG)
    priced = {
        (ln.resource, machine)
        for ln in result.lines
        if ln.unit in MACHINE_UNITS
        for _, machine in seen_by_extractor()
        if f" {machine} " in f" {ln.description} "
    }
    assert priced == seen_by_extractor(), (
        f"the estimate's machine lines and the extractor differ: {priced ^ seen_by_extractor()}"
    )


def test_the_carbon_rule_sees_every_gpu_machine_the_estimate_prices() -> None:
    options = CheckOptions(carbon_threshold_g_per_kwh=0, catalog=CATALOG)
    flagged = {v.resource for v in gpu_carbon_intensity(GRAPH, options)}
    gpus = set()
    for name, machine in seen_by_extractor():
        cloud = next(r for r in MIXED if r.name == name).type.split(":")[0].replace("azure-native", "azure")
        try:
            t = CATALOG.instance_type(machine, cloud=cloud)
        except CatalogLookupError:
            continue  # not in the catalog (e2-medium): no accelerator the rule could report
        if t.accelerator and t.accelerator_count > 0:
            gpus.add(name)
    assert flagged == gpus, f"with a threshold of 0 every GPU machine is reported: {flagged ^ gpus}"
    assert {"eks-lt", "asg", "aks", "classic", "vmss"} <= flagged, "the shapes the old rule missed are seen"
