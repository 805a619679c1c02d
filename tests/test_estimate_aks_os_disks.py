"""AKS node OS disks: ephemeral ones cost nothing, managed ones are Premium SSDs billed by tier per node
(AKS's default size by vCPUs when none is given), and a type left to AKS is an unpriced line naming the
field, never a silent gap (pulumi/templates kubernetes-azure-python sets no osDiskType). Prices come from the
shipped catalog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiinfra.estimate.model import Line
from aiinfra.estimate.rules.azure import AKS_EPHEMERAL, premium_storage
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.test_estimate_azure import CATALOG, cluster, res, run

POOL = "azure-native:containerservice:AgentPool"
CLASSIC_CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster"
CLASSIC_POOL = "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool"


def p10() -> Decimal:
    row = CATALOG.service_price("azure", "managed-disk", "Premium_LRS/P10", "eastus")
    assert row is not None and row.usd is not None, "the catalog prices a P10 disk in eastus"
    return row.usd


def pool(name: str = "web", **inputs: Any) -> Any:
    return res(POOL, name, {"resourceName": "aks", "resourceGroupName": "rg", **inputs})


def disks(result: Any, name: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == name and ln.unit == "disk-months"]


@pytest.mark.parametrize(
    ("size", "premium"),
    [
        ("Standard_D4s_v5", True),
        ("Standard_ND96isr_H100_v5", True),
        ("Standard_NC24ads_A100_v4", True),
        ("Standard_B2ms", True),
        ("Standard_DS2_v2", True),
        ("Standard_GS5-8", True),
        ("Standard_A2_v2", False),
        ("Standard_D4_v5", False),
        ("Standard_NC6", False),
        ("not-a-size", False),
    ],
)
def test_premium_storage_is_read_from_the_size_name(size: str, premium: bool) -> None:
    assert premium_storage(size) is premium


def test_managed_os_disks_are_the_premium_tier_of_their_size_per_node() -> None:
    result = run(
        cluster(),
        pool(vmSize="Standard_D4s_v5", count=3, osDiskType="Managed", osDiskSizeGB=100),
    )
    (line,) = disks(result, "web")
    assert line.quantity == 3 and line.unit_price_usd == p10(), "100 GiB is billed as P10 (128 GiB), 3 nodes"
    assert line.monthly_cost_usd == 3 * p10()
    assert "Premium_LRS P10 (100 GiB, billed as 128 GiB) × 3.00 (average nodes)" in line.description
    assert line.region == "eastus", "the cluster's region"


def test_a_managed_disk_without_a_size_takes_aks_default_for_the_vcpus() -> None:
    small = run(cluster(), pool(vmSize="Standard_D4s_v5", count=2, osDiskType="Managed"))
    (line,) = disks(small, "web")
    assert line.monthly_cost_usd == 2 * p10(), "4 vCPUs: AKS's 128 GiB default, a P10"
    assert "no osDiskSizeGB: AKS's default 128 GiB for 4 vCPUs" in line.assumptions
    big = run(cluster(), pool(vmSize="Standard_D16s_v5", count=1, osDiskType="Managed"))
    (line,) = disks(big, "web")
    assert "P20 (512 GiB" in line.description, "16-63 vCPUs: 512 GiB"
    gpu = run(cluster(), pool(vmSize="Standard_ND96isr_H100_v5", count=1, osDiskType="Managed"))
    (line,) = disks(gpu, "web")
    assert "no osDiskSizeGB: AKS's default 1,024 GiB for 96 vCPUs" in line.assumptions


def test_ephemeral_os_disks_add_no_line_and_say_why() -> None:
    result = run(cluster(), pool(vmSize="Standard_D4s_v5", count=2, osDiskType="Ephemeral"))
    assert disks(result, "web") == []
    (nodes,) = [ln for ln in result.lines if ln.resource == "web"]
    assert AKS_EPHEMERAL in nodes.assumptions


def test_a_type_left_to_aks_is_unpriced_naming_the_field() -> None:
    result = run(cluster(), pool(vmSize="Standard_D4s_v5", count=2))
    (line,) = disks(result, "web")
    assert line.monthly_cost_usd is None and line.quantity == 2, "unpriced, for each of its 2 nodes"
    assert line.reason.startswith("no osDiskType: AKS gives the pool ephemeral OS disks (no charge)")
    assert "set osDiskType (Ephemeral or Managed)" in line.reason
    assert [ln for ln in result.lines if ln.monthly_cost_usd is None] == [line], "the total says ≥"


def test_a_size_without_premium_storage_is_unpriced() -> None:
    result = run(cluster(), pool(vmSize="Standard_A2_v2", count=1, osDiskType="Managed", osDiskSizeGB=64))
    (line,) = disks(result, "web")
    assert line.monthly_cost_usd is None
    assert "Standard_A2_v2 takes no Premium SSD" in line.reason and "osDiskType: Ephemeral" in line.reason


def test_autoscaled_pools_pay_for_the_disks_of_their_average_nodes() -> None:
    usage = UsageFile(resources={"web": ResourceUsage(nodes=5)})
    result = run(cluster(), pool(vmSize="Standard_D4s_v5", count=1, osDiskType="Managed"), usage=usage)
    (line,) = disks(result, "web")
    assert line.quantity == 5, "the usage file's nodes"
    weekday = run(
        cluster(),
        pool(
            vmSize="Standard_D4s_v5",
            count=1,
            enableAutoScaling=True,
            minCount=0,
            maxCount=4,
            osDiskType="Managed",
        ),
        profile="batch-weekday",
    )
    (line,) = disks(weekday, "web")
    assert 0 < line.quantity < 4, "between the pool's min and max, weighted by the profile's hours"


def test_inline_profiles_name_their_own_fields() -> None:
    result = run(
        cluster(
            agentPoolProfiles=[
                {"name": "system", "vmSize": "Standard_D4s_v5", "count": 1, "mode": "System"},
                {"name": "cpu", "vmSize": "Standard_A2_v2", "count": 1, "osDiskType": "Managed"},
            ]
        )
    )
    first, second = disks(result, "aks")
    assert "no osDiskType" in first.reason
    assert "set agentPoolProfiles[1].osDiskType: Ephemeral" in second.reason


def test_classic_pools_default_to_managed_os_disks() -> None:
    """The classic provider's default osDiskType is Managed, so its pools' OS disks are priced."""
    aks = res(
        CLASSIC_CLUSTER,
        "k8s",
        {
            "location": "eastus",
            "defaultNodePool": {
                "name": "sys",
                "vmSize": "Standard_D4s_v5",
                "nodeCount": 2,
                "osDiskSizeGb": 30,
            },
        },
    )
    node_pool = res(
        CLASSIC_POOL, "gpu", {"kubernetesClusterId": "k8s-id", "vmSize": "Standard_D4s_v5", "nodeCount": 1}
    )
    result = run(aks, node_pool)
    (default_pool,) = disks(result, "k8s")
    assert "P4 (30 GiB, billed as 32 GiB) × 2.00" in default_pool.description
    p4 = CATALOG.service_price("azure", "managed-disk", "Premium_LRS/P4", "eastus")
    assert p4 is not None and default_pool.monthly_cost_usd == 2 * p4.usd
    (pool_disks,) = disks(result, "gpu")
    assert pool_disks.monthly_cost_usd == p10(), "no osDiskSizeGb: AKS's 128 GiB for 4 vCPUs"
    assert "no osDiskSizeGb: AKS's default 128 GiB for 4 vCPUs" in pool_disks.assumptions
