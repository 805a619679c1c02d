"""The Azure slice end to end: the azure-ndv5 example through `infra plan/estimate/check`, a cluster's
children, the names the collision check knows, this cloud's bad inputs (exit 2 with the fix), and the
spend `destroy` cannot take back."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra import clouds
from aiinfra.components.stack import run_program
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.spec.loader import load_stack_spec, read_stack_config, stack_file
from aiinfra.spec.sanity import derived_names, sanity_issues
from tests.conftest import id_of
from tests.test_cli_bad_input import assert_bad_input, invoke, plain, write_stack

REPO = Path(__file__).resolve().parents[1]
STACK = REPO / "stacks" / "Pulumi.azure-ndv5.yaml"
AZURE = clouds.get("azure")
RESERVATION = (
    "/subscriptions/00000000-0000-0000-0000-000000000005/resourceGroups/capacity/providers/"
    "Microsoft.Compute/capacityReservationGroups/h100-crg"
)


def stack_doc() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(STACK.read_text(encoding="utf-8")))


def cluster(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["config"]["aiinfra:clusters"][0]


def pool(doc: dict[str, Any]) -> dict[str, Any]:
    return cluster(doc)["nodePools"][0]


def plan_doc(doc: dict[str, Any]) -> ResourceGraph:
    return plan_program(run_program, stack="azure-test", config=doc["config"])


@pytest.fixture(scope="module")
def ndv5() -> ResourceGraph:
    return plan_program(
        run_program, stack="azure-ndv5", config=read_stack_config(stack_file("azure-ndv5", REPO))
    )


# -- the example stack -------------------------------------------------------------------------------------


def test_the_azure_example_passes_every_sanity_check_without_a_warning() -> None:
    issues, warnings = sanity_issues(load_stack_spec("azure-ndv5", root=REPO))
    assert issues == [] and warnings == [], [str(i) for i in issues] + warnings


def test_every_name_the_azure_plan_declares_is_one_the_collision_check_knows(ndv5: ResourceGraph) -> None:
    known = set(derived_names(load_stack_spec("azure-ndv5", root=REPO)))
    unknown = sorted(
        r.name for r in ndv5.resources if r.name not in known and r.type != "pulumi:pulumi:Stack"
    )
    assert unknown == [], f"clouds/azure.py LIMITS must name every resource the components derive: {unknown}"


def test_the_cluster_is_a_resource_group_network_vault_aks_pool_and_operators(ndv5: ResourceGraph) -> None:
    top = ndv5.get("aiinfra:azure:GpuCluster", "train")
    assert {(r.type, r.name) for r in ndv5.children(top.urn)} == {
        ("azure-native:resources:ResourceGroup", "train-rg"),
        ("aiinfra:azure:ClusterNetwork", "train-net"),
        ("aiinfra:azure:KeyVault", "train-kv"),
        ("aiinfra:azure:AksCluster", "train"),
        ("aiinfra:azure:GpuAgentPool", "train-h100"),
        ("aiinfra:azure:GpuOperators", "train-gpu-operators"),
        ("aiinfra:azure:ClusterStorage", "train-storage"),
    }
    group = ndv5.get("azure-native:resources:ResourceGroup", "train-rg").inputs
    assert group == {
        "resourceGroupName": "aiinfra-azure-ndv5-train",
        "location": "eastus",
        "tags": {"team": "ml-platform", "aiinfra:cluster": "train", "aiinfra:stack": "azure-ndv5"},
    }


def test_the_h100_pool_is_on_infiniband_in_the_cluster_resource_group(ndv5: ResourceGraph) -> None:
    nodes = ndv5.get("azure-native:containerservice:AgentPool", "train-h100-nodes").inputs
    assert (nodes["vmSize"], nodes["count"], nodes["agentPoolName"]) == (
        "Standard_ND96isr_H100_v5",
        4,
        "h100",
    )
    assert nodes["resourceGroupName"] == "aiinfra-azure-ndv5-train" and nodes["resourceName"] == "train"
    assert nodes["nodeLabels"]["aiinfra.dev/infiniband"] == "true"
    ppg = id_of(ndv5, "azure-native:compute:ProximityPlacementGroup", "train-h100-ppg")
    assert nodes["proximityPlacementGroupID"] == ppg
    assert nodes["vnetSubnetID"] == id_of(ndv5, "azure-native:network:Subnet", "train-net-gpu")


def test_every_azure_resource_is_tagged_and_in_the_cluster_region(ndv5: ResourceGraph) -> None:
    tagged_types = {
        "azure-native:network:VirtualNetwork",
        "azure-native:network:NetworkSecurityGroup",
        "azure-native:network:NatGateway",
        "azure-native:keyvault:Vault",
        "azure-native:containerservice:ManagedCluster",
        "azure-native:containerservice:AgentPool",
        "azure-native:managedidentity:UserAssignedIdentity",
    }
    for r in ndv5.resources:
        if r.type in tagged_types:
            assert r.inputs["tags"]["aiinfra:cluster"] == "train", r.name
        if "location" in r.inputs:
            assert r.inputs["location"] == "eastus", r.name


def test_the_vault_has_purge_protection_rbac_and_no_public_access(ndv5: ResourceGraph) -> None:
    props = ndv5.get("azure-native:keyvault:Vault", "train-kv-vault").inputs["properties"]
    assert props["enablePurgeProtection"] is True and props["enableRbacAuthorization"] is True
    assert props["publicNetworkAccess"] == "Disabled" and props["networkAcls"]["defaultAction"] == "Deny"
    assert props["sku"] == {"family": "A", "name": "premium"}
    assert "accessPolicies" not in props, "RBAC, not access policies"
    key = ndv5.get("azure-native:keyvault:Key", "train-kv-kms-key").inputs["properties"]
    assert key["kty"] == "RSA-HSM" and "attributes" in key and "expires" not in key["attributes"]
    kms = ndv5.get("azure-native:containerservice:ManagedCluster", "train-aks").inputs["securityProfile"]
    assert kms["azureKeyVaultKms"]["keyId"].endswith("/keys/aks-kms/0123456789abcdef0123456789abcdef")


def test_a_cluster_without_lustre_has_no_lustre_subnet_and_without_infiniband_no_network_operator() -> None:
    doc = stack_doc()
    cluster(doc)["storage"] = []
    del pool(doc)["accelerator"]
    pool(doc).update(instanceType="Standard_NC80adis_H100_v5", interconnect=False)
    graph = plan_doc(doc)
    names = {r.name for r in graph.resources}
    assert "train-net-lustre" not in names
    assert not any("network-operator" in n or "nic-cluster-policy" in n for n in names), names
    assert "train-h100-ppg" not in names
    assert "train-gpu-operators-gpu-operator" in names, "GPU pools always get the GPU Operator"


# -- through the CLI ---------------------------------------------------------------------------------------


def test_infra_plan_of_the_azure_example_is_json_with_the_aks_cluster() -> None:
    result = invoke("plan", "-s", "azure-ndv5", "--format", "json")
    assert result.exit_code == 0, plain(result.stderr)
    types = {r["type"] for r in json.loads(result.stdout)["resources"]}
    assert {
        "azure-native:containerservice:ManagedCluster",
        "azure-native:containerservice:AgentPool",
    } <= types


def test_infra_estimate_prices_the_control_plane_the_system_pool_the_gpu_pool_and_egress() -> None:
    result = invoke("estimate", "-s", "azure-ndv5", "--format", "json")
    assert result.exit_code == 0, plain(result.stderr)
    report = json.loads(result.stdout)
    by = {(line["resource"], line["unit"]): line for line in report["lines"]}
    gpu = by[("train-h100-nodes", "node-hours")]
    assert (gpu["quantity"], gpu["unit_price_usd"]) == (4 * 730, 98.32)
    assert by[("train-aks", "cluster-hours")]["unit_price_usd"] == 0.10, "AKS Standard tier"
    assert by[("train-aks", "node-hours")]["quantity"] == 2 * 730, "the inline system pool, 2 nodes"
    assert ("train-net-nat", "gateway-hours") in by and ("train-net-nat-ip", "IP-hours") in by
    assert report["unsupported"] == [], "every resource is priced, free, or unpriced with a reason"
    system_disks = by[("train-aks", "disk-months")]
    assert (system_disks["quantity"], system_disks["unit_price_usd"]) == (2, 19.71), (
        "the system pool's managed 128 GiB OS disks: P10, one a node"
    )
    assert {u["resource"]: u["reason"].split(":")[0] for u in report["unpriced"]} == {
        "train-storage-scratch-fs": "amlfs AMLFS-Durable-Premium-250",
    }, "no sourced eastus AMLFS price yet: unpriced, never $0"
    vault = by[("train-kv-vault", "10K operations")]
    assert (vault["quantity"], vault["unit_price_usd"]) == (10, 0.03), (
        "0.1 million operations from stacks/usage.azure-ndv5.yaml, at the eastus per-10K price"
    )
    gpu_disks = by[("train-h100-nodes", "disk-months")]
    assert (gpu_disks["quantity"], gpu_disks["unit_price_usd"]) == (4, 73.22), (
        "the H100 pool's 500 GiB managed OS disks: P20 (services.yaml's eastus row), one a node"
    )
    blob = by[("train-storage-datasets-account", "GiB-months")]
    assert blob["quantity"] == 20480, "the dataset size from stacks/usage.azure-ndv5.yaml"
    key = by[("train-kv-kms-key", "key-months")]
    assert (key["quantity"], key["unit_price_usd"]) == (1, 1.0), (
        "an RSA-HSM 2048 key in a Premium vault, eastus"
    )
    assert "key_vault_key_test.golden" in key["source"]


def test_infra_check_passes_the_azure_example() -> None:
    result = invoke("check", "-s", "azure-ndv5")
    assert result.exit_code == 0, plain(result.output)


# -- this cloud's bad inputs: exit 2, one error naming the field and the fix --------------------------------


def _nc_on_infiniband(doc: dict[str, Any]) -> None:
    del pool(doc)["accelerator"]
    pool(doc).update(instanceType="Standard_NC80adis_H100_v5", interconnect=True)


def _region_without_nd(doc: dict[str, Any]) -> None:
    cluster(doc)["region"] = "francecentral"  # karpenter's Azure price table lists no ND H100 v5 there


def _capacity_block(doc: dict[str, Any]) -> None:
    pool(doc).update(capacity="capacity-block", reservation=RESERVATION)


def _bad_reservation(doc: dict[str, Any]) -> None:
    pool(doc).update(capacity="reservation", reservation="cr-0a1b2c3d4e5f67890")


def _lustre_size(doc: dict[str, Any]) -> None:
    cluster(doc)["storage"][1]["capacityGiB"] = 10000


def _open_endpoint(doc: dict[str, Any]) -> None:
    cluster(doc)["endpointPublicAccessCidrs"] = ["0.0.0.0/0"]


def _rdma_range(doc: dict[str, Any]) -> None:
    cluster(doc)["network"] = {"cidr": "172.16.0.0/16"}


@pytest.mark.parametrize(
    ("mutate", "field", "says"),
    [
        (_nc_on_infiniband, "nodePools[0].instanceType", "not offered with InfiniBand"),
        (_region_without_nd, "nodePools[0].instanceType", "Regions that offer it: australiaeast"),
        (_capacity_block, "nodePools[0].capacity", "capacity reservation group"),
        (_bad_reservation, "nodePools[0].reservation", "capacityReservationGroups"),
        (_lustre_size, "storage[1].capacityGiB", "Nearest: 8192 or 16384"),
        (_open_endpoint, "endpointPublicAccessCidrs[0]", "leave the list empty"),
        (_rdma_range, "network.cidr", "10.40.0.0/16"),
    ],
    ids=[
        "infiniband-on-nc",
        "region-without-nd",
        "capacity-block",
        "reservation-id",
        "lustre-size",
        "open-api",
        "vnet-on-the-rdma-range",
    ],
)
def test_a_bad_azure_stack_exits_2_naming_the_field_and_the_fix(
    tmp_path: Path, mutate: Any, field: str, says: str
) -> None:
    doc = stack_doc()
    mutate(doc)
    stderr = assert_bad_input(invoke("plan", "-s", str(write_stack(tmp_path, doc))))
    assert f"clusters[0].{field}" in stderr, stderr
    assert says in stderr, stderr


# -- spend destroy cannot take back --------------------------------------------------------------------------


def test_a_reservation_pool_is_named_as_committed_spend() -> None:
    doc = stack_doc()
    pool(doc).update(capacity="reservation", reservation=RESERVATION)
    graph = plan_doc(doc)
    assert any("no proximity placement group" in w for w in graph.warnings)
    (line,) = AZURE.committed_spend(graph.resources)
    assert RESERVATION in line and "train-h100-nodes" in line and "deleting the pool does not" in line


def test_on_demand_pools_commit_nothing(ndv5: ResourceGraph) -> None:
    assert AZURE.committed_spend(ndv5.resources) == []


# -- the profile ---------------------------------------------------------------------------------------------


def test_azure_builds_clusters_and_edge_sites_through_their_entry_points() -> None:
    assert AZURE.why_not("cluster") is None, "Azure clusters are built"
    assert AZURE.component == "aiinfra.components.azure.gpu_cluster:declare"
    assert AZURE.why_not("edge-sites") is None, "Extended Zone sites are built"
    assert AZURE.edge_component == "aiinfra.components.azure.edge_site:declare"


def test_offline_azure_names_are_the_explicit_name_inputs_as_the_provider_reports_them() -> None:
    rg = AZURE.created_outputs(
        "azure-native:resources:ResourceGroup", "x-rg", "eastus", {"resourceGroupName": "g"}
    )
    assert rg["name"] == "g"
    aks = AZURE.created_outputs(
        "azure-native:containerservice:ManagedCluster", "x-aks", "eastus", {"resourceName": "x"}
    )
    assert aks["name"] == "x" and aks["oidcIssuerProfile"]["issuerURL"].startswith("https://eastus.")
    pool = AZURE.created_outputs(
        "azure-native:containerservice:AgentPool",
        "x-p",
        "eastus",
        {"resourceName": "x", "agentPoolName": "p"},
    )
    assert pool["name"] == "p", "an agent pool's resourceName is its cluster's, not its own"


def test_a_spot_pool_is_priced_at_the_spot_rate_or_listed_unpriced_never_at_zero(tmp_path: Path) -> None:
    doc = stack_doc()
    pool(doc)["capacity"] = "spot"
    result = invoke("estimate", "-s", str(write_stack(tmp_path, doc, "Pulumi.spot.yaml")), "--format", "json")
    assert result.exit_code == 0, plain(result.stderr)
    report = json.loads(result.stdout)
    (line,) = [
        x for x in report["lines"] if x["resource"] == "train-h100-nodes" and x["unit"] == "node-hours"
    ]
    if line["unit_price_usd"] is None:
        reasons = [u["reason"] for u in report["unpriced"] if u["resource"] == "train-h100-nodes"]
        assert reasons and "spot" in reasons[0], reasons
    else:
        assert 0 < line["unit_price_usd"] < 98.32, "spot is cheaper than on-demand, and never free"
