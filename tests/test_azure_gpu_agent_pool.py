"""AksGpuAgentPool and AksGpuOperators under the recording mocks: exact children and inputs, what is absent."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from aiinfra.catalog import default_catalog
from aiinfra.clouds.azure import SUBSCRIPTION_ID
from aiinfra.components.azure.gpu_agent_pool import TYPE, AksGpuAgentPool, AksGpuAgentPoolArgs
from aiinfra.components.azure.infiniband import TYPE as OPERATORS
from aiinfra.components.azure.infiniband import AksGpuOperators, AksGpuOperatorsArgs
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, names_by_type, plan

POOL = "azure-native:containerservice:AgentPool"
PPG = "azure-native:compute:ProximityPlacementGroup"
RA = "azure-native:authorization:RoleAssignment"
RESERVATION = (
    "/subscriptions/00000000-0000-0000-0000-000000000005/resourceGroups/capacity/providers/"
    "Microsoft.Compute/capacityReservationGroups/h100-crg"
)


def pool_graph(size: str = "Standard_ND96isr_H100_v5", **overrides: Any) -> ResourceGraph:
    vm = default_catalog().instance_type(size)

    def program() -> None:
        args = AksGpuAgentPoolArgs(
            resource_group_name="rg",
            location="eastus",
            subscription_id=SUBSCRIPTION_ID,
            cluster_name="train",
            cluster_identity_principal_id="principal",
            agent_pool_name="h100",
            vm_size=vm,
            subnet_id="gpu-subnet-id",
            min_nodes=4,
            desired_nodes=4,
            max_nodes=4,
        )
        for key, value in overrides.items():
            setattr(args, key, value)
        AksGpuAgentPool("train-h100", args)

    return plan(program)


def pool_inputs(size: str = "Standard_ND96isr_H100_v5", **overrides: Any) -> dict[str, Any]:
    return pool_graph(size, **overrides).get(POOL, "train-h100-nodes").inputs


def test_an_infiniband_pool_is_a_proximity_placement_group_and_one_agent_pool() -> None:
    graph = pool_graph()
    assert names_by_type(children_of(graph, TYPE, "train-h100")) == {
        (PPG, "train-h100-ppg"),
        (POOL, "train-h100-nodes"),
    }
    assert graph.warnings == []


def test_the_agent_pool_is_one_ubuntu_scale_set_without_aks_gpu_driver_tainted_and_labelled() -> None:
    inputs = pool_inputs()
    assert inputs == {
        "resourceGroupName": "rg",
        "resourceName": "train",
        "agentPoolName": "h100",
        "mode": "User",
        "type": "VirtualMachineScaleSets",
        "vmSize": "Standard_ND96isr_H100_v5",
        "count": 4,
        "enableAutoScaling": False,
        "osType": "Linux",
        "osSKU": "Ubuntu",
        "osDiskSizeGB": 500,
        "osDiskType": "Managed",
        "gpuProfile": {"driver": "None"},
        "vnetSubnetID": "gpu-subnet-id",
        "enableNodePublicIP": False,
        "nodeLabels": {
            "aiinfra.dev/pool": "train-h100",
            "aiinfra.dev/accelerator": "H100",
            "aiinfra.dev/accelerator-vendor": "nvidia",
            "aiinfra.dev/infiniband": "true",
        },
        "nodeTaints": ["nvidia.com/gpu=true:NoSchedule"],
        "scaleSetPriority": "Regular",
        # the placement group's ARM id, in the pool's resource group
        "proximityPlacementGroupID": "/subscriptions/00000000-0000-0000-0000-000000000005/resourceGroups/rg/"
        "providers/Microsoft.Compute/proximityPlacementGroups/train-h100-ppg",
        "upgradeSettings": {"maxSurge": "0", "maxUnavailable": "1"},
        "tags": {},
    }, "no spot settings, no reservation, no zone, no autoscaler bounds on a fixed on-demand pool"


def test_the_placement_group_is_standard_and_zonal_with_a_size_intent_only_in_a_zone() -> None:
    regional = pool_graph().get(PPG, "train-h100-ppg").inputs
    assert regional["proximityPlacementGroupType"] == "Standard"
    assert "zones" not in regional and "intent" not in regional
    zonal = pool_graph(zone="2")
    assert zonal.get(PPG, "train-h100-ppg").inputs["zones"] == ["2"]
    assert zonal.get(PPG, "train-h100-ppg").inputs["intent"] == {"vmSizes": ["Standard_ND96isr_H100_v5"]}
    assert zonal.get(POOL, "train-h100-nodes").inputs["availabilityZones"] == ["2"]


def test_spot_evicts_by_deleting_caps_at_on_demand_and_carries_the_spot_taint() -> None:
    inputs = pool_inputs(capacity="spot")
    assert inputs["scaleSetPriority"] == "Spot"
    assert inputs["scaleSetEvictionPolicy"] == "Delete"
    assert inputs["spotMaxPrice"] == -1, "-1: never above the on-demand price"
    assert "upgradeSettings" not in inputs, "AKS upgrades Spot pools without surge settings"
    assert inputs["nodeTaints"] == [
        "nvidia.com/gpu=true:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ]


def test_a_reservation_pool_uses_the_group_grants_aks_on_it_and_gets_no_placement_group() -> None:
    graph = pool_graph(capacity="reservation", reservation=RESERVATION)
    assert names_by_type(children_of(graph, TYPE, "train-h100")) == {
        (RA, "train-h100-reservation-contributor"),
        (POOL, "train-h100-nodes"),
    }
    inputs = graph.get(POOL, "train-h100-nodes").inputs
    assert inputs["capacityReservationGroupID"] == RESERVATION
    assert inputs["scaleSetPriority"] == "Regular" and "proximityPlacementGroupID" not in inputs
    grant = graph.get(RA, "train-h100-reservation-contributor").inputs
    assert grant["scope"] == RESERVATION and grant["principalId"] == "principal"
    assert grant["roleDefinitionId"].endswith("/b24988ac-6180-42a0-ab88-20f7382dd24c")
    assert any("no proximity placement group" in w for w in graph.warnings)


def test_an_autoscaled_pool_gives_aks_its_bounds() -> None:
    inputs = pool_inputs(min_nodes=0, desired_nodes=0, max_nodes=8)
    assert (inputs["enableAutoScaling"], inputs["minCount"], inputs["maxCount"], inputs["count"]) == (
        True,
        0,
        8,
        0,
    )


def test_a_pool_without_interconnect_on_an_nc_size_has_no_placement_group_and_no_infiniband_label() -> None:
    graph = pool_graph("Standard_NC80adis_H100_v5", interconnect=False)
    assert names_by_type(children_of(graph, TYPE, "train-h100")) == {(POOL, "train-h100-nodes")}
    labels = graph.get(POOL, "train-h100-nodes").inputs["nodeLabels"]
    assert "aiinfra.dev/infiniband" not in labels


def test_interconnect_on_a_size_without_infiniband_is_refused() -> None:
    with pytest.raises(Exception, match="no InfiniBand"):
        pool_graph("Standard_NC80adis_H100_v5", interconnect=True)


def test_an_infiniband_pool_above_one_placement_group_warns() -> None:
    graph = pool_graph(min_nodes=0, desired_nodes=0, max_nodes=120)
    assert any("at most 100" in w for w in graph.warnings)


# -- the GPU and network operators -------------------------------------------------------------------------

NS = "kubernetes:core/v1:Namespace"
RELEASE = "kubernetes:helm.sh/v3:Release"


def operators_graph(infiniband: bool) -> ResourceGraph:
    def program() -> None:
        import pulumi_kubernetes as k8s

        provider = k8s.Provider("k8s", kubeconfig="{}")
        AksGpuOperators(
            "train-gpu-operators",
            AksGpuOperatorsArgs(k8s_provider=provider, infiniband=infiniband),
            opts=pulumi.ResourceOptions(),
        )

    return plan(program)


def test_with_infiniband_both_operators_run_with_the_mellanox_rule_and_the_nic_cluster_policy() -> None:
    graph = operators_graph(infiniband=True)
    assert names_by_type(children_of(graph, OPERATORS, "train-gpu-operators")) == {
        (NS, "train-gpu-operators-gpu-operator-ns"),
        (NS, "train-gpu-operators-network-operator-ns"),
        (RELEASE, "train-gpu-operators-gpu-operator"),
        (RELEASE, "train-gpu-operators-network-operator"),
        ("kubernetes:nfd.k8s-sigs.io/v1alpha1:NodeFeatureRule", "train-gpu-operators-mellanox-nodes"),
        ("kubernetes:mellanox.com/v1alpha1:NicClusterPolicy", "train-gpu-operators-nic-cluster-policy"),
    }
    network = graph.get(RELEASE, "train-gpu-operators-network-operator").inputs
    assert (network["chart"], network["version"], network["name"], network["namespace"]) == (
        "network-operator",
        "v26.4.0",
        "network-operator",
        "network-operator",
    )
    assert network["repositoryOpts"] == {"repo": "https://helm.ngc.nvidia.com/nvidia"}
    assert network["values"]["nfd"]["deployNodeFeatureRules"] is False
    gpu = graph.get(RELEASE, "train-gpu-operators-gpu-operator").inputs
    assert (gpu["chart"], gpu["version"]) == ("gpu-operator", "v26.3.3")
    assert gpu["values"]["driver"]["rdma"]["enabled"] is True and gpu["values"]["nfd"]["enabled"] is False
    policy = graph.get(
        "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy", "train-gpu-operators-nic-cluster-policy"
    )
    assert policy.inputs["metadata"] == {"name": "nic-cluster-policy"}
    rule = graph.get(
        "kubernetes:nfd.k8s-sigs.io/v1alpha1:NodeFeatureRule", "train-gpu-operators-mellanox-nodes"
    )
    assert rule.inputs["metadata"] == {"name": "aiinfra-mellanox-ib"}, "cluster-scoped: no namespace"


def test_operator_namespaces_admit_privileged_pods() -> None:
    graph = operators_graph(infiniband=True)
    for ns in ("gpu-operator", "network-operator"):
        meta = graph.get(NS, f"train-gpu-operators-{ns}-ns").inputs["metadata"]
        assert meta == {"name": ns, "labels": {"pod-security.kubernetes.io/enforce": "privileged"}}


def test_without_infiniband_only_the_gpu_operator_runs_with_its_own_nfd_and_no_rdma() -> None:
    graph = operators_graph(infiniband=False)
    assert names_by_type(children_of(graph, OPERATORS, "train-gpu-operators")) == {
        (NS, "train-gpu-operators-gpu-operator-ns"),
        (RELEASE, "train-gpu-operators-gpu-operator"),
    }
    values = graph.get(RELEASE, "train-gpu-operators-gpu-operator").inputs["values"]
    assert values["driver"]["rdma"]["enabled"] is False and values["nfd"]["enabled"] is True
