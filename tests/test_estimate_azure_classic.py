"""Classic Azure provider rules (estimate/rules/azure_classic.py): the legacy VirtualMachine with its disks
and Windows licence, storage accounts, Key Vault (operations from the usage file, HSM keys, free secrets and
access policies), HDInsight clusters per role, and ARM template deployments reported as not estimated with
why. Every expected amount is computed here from the catalog row it looks up, never hard-coded."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import SECRET_SIG, SIG_KEY
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.context import Context
from aiinfra.estimate.estimator import estimate_day
from aiinfra.estimate.machines import known_machines
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.registry import not_estimated_for, rule_for
from aiinfra.estimate.rules.azure_classic import (
    ARM_NOT_ESTIMATED,
    FREE_TYPES,
    HDINSIGHT,
    HEAD_NODES,
    TEMPLATE_DEPLOYMENTS,
    ZOOKEEPER_NODES,
    hdinsight_item,
    template_types,
)
from aiinfra.estimate.rules.azure_services import WINDOWS_LICENCE
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
VM = "azure:compute/virtualMachine:VirtualMachine"
ACCOUNT = "azure:storage/account:Account"
VAULT = "azure:keyvault/keyVault:KeyVault"
KEY = "azure:keyvault/key:Key"
SPARK = "azure:hdinsight/sparkCluster:SparkCluster"
HADOOP = "azure:hdinsight/hadoopCluster:HadoopCluster"
HBASE = "azure:hdinsight/hBaseCluster:HBaseCluster"
KAFKA = "azure:hdinsight/kafkaCluster:KafkaCluster"
ARM = "azure:core/resourceGroupTemplateDeployment:ResourceGroupTemplateDeployment"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure:location": "eastus"}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def lines(result: Estimate, resource: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == resource]


def price(service: str, item: str, region: str = "eastus") -> Decimal:
    row = CATALOG.service_price("azure", service, item, region)
    assert row is not None and row.usd is not None and row.region == region, f"{service} {item} {region}"
    return row.usd


def hourly(instance_type: str, region: str = "eastus") -> Decimal:
    offer = CATALOG.offer(instance_type, region)
    assert offer is not None and offer.on_demand is not None, f"the catalog prices {instance_type}"
    return offer.on_demand


# -- the legacy VM ----------------------------------------------------------------------------------------------


def test_a_legacy_linux_vm_is_its_size_its_managed_os_disk_and_its_empty_data_disks() -> None:
    vm = res(
        VM,
        "web",
        location="eastus",
        vmSize="Standard_A1_v2",
        osProfileLinuxConfig={"disablePasswordAuthentication": True},
        storageOsDisk={"createOption": "FromImage", "managedDiskType": "Premium_LRS", "diskSizeGb": 100},
        storageDataDisks=[
            {"lun": 0, "createOption": "Empty", "managedDiskType": "Standard_LRS", "diskSizeGb": 100},
            {"lun": 1, "createOption": "Attach", "managedDiskId": "/disks/other"},
        ],
    )
    result = run(vm)
    assert line(result, "web", "instance-hours").monthly_cost_usd == HOURS_PER_MONTH * hourly(
        "Standard_A1_v2"
    )
    disks = {ln.description: ln.monthly_cost_usd for ln in lines(result, "web") if ln.unit == "disk-months"}
    assert disks == {
        "OS disk: Premium_LRS P10 (100 GiB, billed as 128 GiB)": price("managed-disk", "Premium_LRS/P10"),
        "data disk 0: Standard_LRS S10 (100 GiB, billed as 128 GiB)": price(
            "managed-disk", "Standard_LRS/S10"
        ),
    }, "the attached disk is its own resource"
    assert not [ln for ln in result.lines if "licence" in ln.description.lower()], "Linux: no licence"
    assert result.unsupported == [] and result.unpriced == []
    graph = ResourceGraph(stack="t", project="p", resources=[vm], config={"azure:location": "eastus"})
    ctx = Context(CATALOG, graph, PROFILES["training-steady"], UsageFile(), "u.yaml", estimate_day())
    (m,) = known_machines(graph, ctx)
    assert m.types == ("Standard_A1_v2",) and m.desired == 1, "the planner sees the VM's machine"


def test_a_legacy_windows_vm_names_its_licence_and_a_disk_type_azure_picks_is_unpriced_with_the_fix() -> None:
    windows = res(
        VM,
        "win",
        location="eastus",
        vmSize="Standard_A1_v2",
        osProfileWindowsConfig={"provisionVmAgent": True},
        storageOsDisk={"createOption": "FromImage", "diskSizeGb": 128},
    )
    hybrid = res(
        VM,
        "byol",
        location="eastus",
        vmSize="Standard_A1_v2",
        licenseType="Windows_Server",
        storageImageReference={"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer"},
        storageOsDisk={"createOption": "FromImage", "vhdUri": "https://sa.blob.core.windows.net/vhds/os.vhd"},
    )
    result = run(windows, hybrid)
    (licence,) = [ln for ln in lines(result, "win") if "licence" in ln.description.lower()]
    assert licence.monthly_cost_usd is None and licence.reason == WINDOWS_LICENCE
    os_disk = line(result, "win", "disk-months")
    assert os_disk.monthly_cost_usd is None
    assert os_disk.reason == (
        "no storageOsDisk.managedDiskType: Azure picks the disk type by VM size; set it to price the disk"
    )
    assert [ln.unit for ln in lines(result, "byol")] == ["instance-hours"], (
        "Hybrid Benefit: no licence; an unmanaged VHD is page blobs on its storage account, not a disk line"
    )
    assert any("vhdUri" in a for a in line(result, "byol", "instance-hours").assumptions)


def test_a_legacy_vm_without_a_size_is_unpriced_saying_so() -> None:
    assert line(run(res(VM, "bare", location="eastus")), "bare", "instance-hours").reason == "no vmSize"


# -- storage accounts -------------------------------------------------------------------------------------------


def test_a_classic_storage_account_is_priced_from_its_tier_and_replication_and_the_stored_gib() -> None:
    account = res(ACCOUNT, "data", location="eastus", accountTier="Standard", accountReplicationType="LRS")
    priced = line(run(account, data={"storageGiB": 500}), "data", "GiB-months")
    hot = CATALOG.storage_price("azure", "blob", "Hot-LRS", "eastus")
    assert hot is not None and hot.usd_per_gib_month is not None
    assert priced.monthly_cost_usd == 500 * hot.usd_per_gib_month
    without = line(run(account), "data", "GiB-months")
    assert without.monthly_cost_usd is None
    assert without.reason == "stored amount unknown: set storageGiB for data in stacks/usage.t.yaml"
    grs = res(ACCOUNT, "geo", location="eastus", accountTier="Standard", accountReplicationType="GRS")
    geo = line(run(grs, geo={"storageGiB": 10}), "geo", "GiB-months")
    assert "Hot-GRS" in geo.description and geo.monthly_cost_usd is None, "no Hot-GRS row: unpriced, not $0"
    files = res(ACCOUNT, "f", accountTier="Premium", accountReplicationType="LRS", accountKind="FileStorage")
    assert [s.resource for s in run(files).free] == ["f"]


def test_classic_blob_versioning_is_named_on_the_storage_account() -> None:
    account = res(
        ACCOUNT,
        "v",
        location="eastus",
        accountTier="Standard",
        accountReplicationType="LRS",
        blobProperties={"versioningEnabled": True},
    )
    assert any("versioning" in a for a in line(run(account), "v", "GiB-months").assumptions)


# -- Key Vault --------------------------------------------------------------------------------------------------


def test_a_vault_is_its_operations_from_the_usage_file_and_without_them_says_which_key_to_set() -> None:
    vault = res(VAULT, "kv", location="eastus", skuName="standard")
    priced = line(run(vault, kv={"requestsMillions": 2}), "kv", "10K operations")
    assert priced.quantity == 200 and priced.description == "Key Vault (standard): operations, 2 million"
    assert priced.monthly_cost_usd == 200 * price("key-vault", "operations-10k")
    unknown = line(run(vault), "kv", "10K operations")
    assert unknown.monthly_cost_usd is None
    assert unknown.reason == (
        "Key Vault operations (requests to its secrets, keys and certificates) unknown: set requestsMillions "
        "for kv in stacks/usage.t.yaml"
    )
    west = res(VAULT, "w", location="westus", skuName="premium")
    assert line(run(west, w={"requestsMillions": 1}), "w", "10K operations").monthly_cost_usd is None


def test_an_hsm_key_is_priced_per_key_month_and_a_software_key_a_secret_and_a_policy_are_free() -> None:
    result = run(
        res(KEY, "hsm", location="eastus", keyType="RSA-HSM", keySize=2048),
        res(KEY, "ec", location="eastus", keyType="EC-HSM", curve="P-256"),
        res(KEY, "soft", location="eastus", keyType="RSA", keySize=2048),
        res("azure:keyvault/secret:Secret", "s", value="x"),
        res("azure:keyvault/accessPolicy:AccessPolicy", "p", objectId="o"),
    )
    assert line(result, "hsm", "key-months").monthly_cost_usd == price("key-vault", "hsm-key-month")
    assert line(result, "ec", "key-months").monthly_cost_usd == price("key-vault", "hsm-advanced-key-month")
    free = {s.resource: s.reason for s in result.free}
    assert set(free) == {"soft", "s", "p"}
    assert all("vault's operations" in free[name] for name in ("soft", "s", "p")), free
    assert result.unsupported == []


def test_the_listed_free_types_are_classic_tokens_with_a_free_rule() -> None:
    assert FREE_TYPES and all(t.startswith("azure:") and t.count(":") == 2 for t in FREE_TYPES)
    for t in FREE_TYPES:
        rule = rule_for(t)
        assert rule is not None and type(rule(res(t, "x"), None)).__name__ == "Free"  # type: ignore[arg-type]


# -- HDInsight ---------------------------------------------------------------------------------------------------


def _roles(size: str, workers: int | None = 3, **extra: Any) -> dict[str, Any]:
    worker: dict[str, Any] = {"vmSize": size, "username": "u", "password": "[secret]"}
    if workers is not None:
        worker["targetInstanceCount"] = workers
    return {
        "headNode": {"vmSize": size, "username": "u", "password": "[secret]"},
        "workerNode": worker,
        "zookeeperNode": {"vmSize": size, "username": "u", "password": "[secret]"},
        **extra,
    }


def test_hdinsight_items_are_the_node_size_in_lower_case_with_a_bare_legacy_name_prefixed() -> None:
    assert hdinsight_item("Standard_D12_V2") == "standard_d12_v2"
    assert hdinsight_item("A5") == "standard_a5"
    assert hdinsight_item("Standard_G2") == "standard_g2"
    assert hdinsight_item("Large") == "large"


def test_a_spark_cluster_is_two_head_nodes_its_workers_and_three_zookeeper_nodes_at_hdinsight_prices() -> (
    None
):
    spark = res(SPARK, "spark", location="westeurope", roles=_roles("Standard_G2", 4))
    result = run(spark)
    node = price("hdinsight", "standard_g2", "westeurope")
    got = {ln.description: (ln.quantity, ln.monthly_cost_usd) for ln in lines(result, "spark")}
    assert got == {
        f"HDInsight Spark head nodes: Standard_G2 × {HEAD_NODES}": (
            HEAD_NODES * HOURS_PER_MONTH,
            HEAD_NODES * HOURS_PER_MONTH * node,
        ),
        "HDInsight Spark worker nodes: Standard_G2 × 4": (4 * HOURS_PER_MONTH, 4 * HOURS_PER_MONTH * node),
        f"HDInsight Spark ZooKeeper nodes: Standard_G2 × {ZOOKEEPER_NODES}": (
            ZOOKEEPER_NODES * HOURS_PER_MONTH,
            ZOOKEEPER_NODES * HOURS_PER_MONTH * node,
        ),
    }
    assert (HEAD_NODES, ZOOKEEPER_NODES) == (2, 3)
    assert result.monthly_cost_usd == (2 + 4 + 3) * HOURS_PER_MONTH * node
    vm = CATALOG.offer("Standard_G2", "westeurope")
    assert vm is None or vm.on_demand != node, "HDInsight's price, not the VM's"


def test_roles_marked_secret_as_a_whole_are_read_from_the_plan_and_ciphertext_is_unpriced() -> None:
    plan_secret = {SIG_KEY: SECRET_SIG, "value": _roles("Standard_G2", 2)}
    export_secret = {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(_roles("Standard_G2", 2))}
    sealed = {SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"}
    result = run(
        res(SPARK, "a", location="westeurope", roles=plan_secret),
        res(SPARK, "b", location="westeurope", roles=export_secret),
        res(SPARK, "c", location="westeurope", roles=sealed),
    )
    node = price("hdinsight", "standard_g2", "westeurope")
    for name in ("a", "b"):
        assert sum(ln.monthly_cost_usd or 0 for ln in lines(result, name)) == 7 * HOURS_PER_MONTH * node
    (c,) = lines(result, "c")
    assert (
        c.monthly_cost_usd is None
        and c.reason == "roles: the value is a secret in this document, so it is not read"
    )
    assert result.invalid_inputs == [], "a secret is not a bad input"


def test_a_size_without_an_hdinsight_price_is_unpriced_per_role_naming_size_count_and_row() -> None:
    result = run(res(SPARK, "west", location="westus", roles=_roles("Standard_D12_V2", 3)))
    got = lines(result, "west")
    assert [(ln.description, ln.quantity) for ln in got] == [
        ("HDInsight Spark head nodes: Standard_D12_V2 × 2", 2 * HOURS_PER_MONTH),
        ("HDInsight Spark worker nodes: Standard_D12_V2 × 3", 3 * HOURS_PER_MONTH),
        ("HDInsight Spark ZooKeeper nodes: Standard_D12_V2 × 3", 3 * HOURS_PER_MONTH),
    ]
    for ln in got:
        assert ln.monthly_cost_usd is None, "never the VM's price, never $0"
        assert ln.reason.startswith("HDInsight bills each node by the hour at its own price per node size")
        assert "(service: hdinsight, item: standard_d12_v2)" in ln.reason
    assert len(result.unpriced) == 3


def test_hadoop_edge_nodes_hbase_region_nodes_and_kafka_disks_and_management_nodes() -> None:
    hadoop = res(
        HADOOP,
        "h",
        location="eastus",
        roles={
            "headNode": {"vmSize": "Standard_D3_V2"},
            "workerNode": {"vmSize": "Standard_D4_V2", "targetInstanceCount": 3},
            "zookeeperNode": {"vmSize": "Standard_D3_V2"},
            "edgeNode": {"vmSize": "A5", "targetInstanceCount": 2},
        },
    )
    hbase = res(HBASE, "hb", location="eastus", roles=_roles("Standard_D14", 2))
    kafka_roles = _roles("Standard_D3_V2", 2)
    kafka_roles["workerNode"]["numberOfDisksPerNode"] = 2
    kafka_roles["kafkaManagementNode"] = {"vmSize": "Standard_D4_V2"}
    kafka = res(KAFKA, "k", location="eastus", roles=kafka_roles)
    result = run(hadoop, hbase, kafka)
    costs = {ln.description: ln.monthly_cost_usd for ln in lines(result, "h")}
    d3, d4, a5 = (price("hdinsight", i) for i in ("standard_d3_v2", "standard_d4_v2", "standard_a5"))
    assert costs == {
        "HDInsight Hadoop head nodes: Standard_D3_V2 × 2": 2 * HOURS_PER_MONTH * d3,
        "HDInsight Hadoop worker nodes: Standard_D4_V2 × 3": 3 * HOURS_PER_MONTH * d4,
        "HDInsight Hadoop ZooKeeper nodes: Standard_D3_V2 × 3": 3 * HOURS_PER_MONTH * d3,
        "HDInsight Hadoop edge nodes: A5 × 2": 2 * HOURS_PER_MONTH * a5,
    }
    region = [ln for ln in lines(result, "hb") if "region nodes" in ln.description]
    assert [ln.monthly_cost_usd for ln in region] == [
        2 * HOURS_PER_MONTH * price("hdinsight", "standard_d14")
    ]
    kafka_lines = {ln.description: ln for ln in lines(result, "k")}
    disks = kafka_lines["HDInsight Kafka worker managed disks: 2 per node × 2"]
    assert disks.monthly_cost_usd is None and "chooses these disks' type and size" in disks.reason
    management = kafka_lines["HDInsight Kafka management (REST proxy) nodes: Standard_D4_V2"]
    assert management.monthly_cost_usd is None and "not estimated" in management.reason
    assert kafka_lines["HDInsight Kafka worker nodes: Standard_D3_V2 × 2"].monthly_cost_usd == (
        2 * HOURS_PER_MONTH * d3
    )


def test_a_cluster_without_a_worker_count_or_a_size_is_unpriced_saying_what_to_set() -> None:
    roles = _roles("Standard_G2", None)
    del roles["headNode"]["vmSize"]
    result = run(res(SPARK, "s", location="westeurope", roles=roles))
    reasons = {ln.description: ln.reason for ln in lines(result, "s")}
    assert reasons["HDInsight Spark worker nodes: Standard_G2"] == (
        "no roles.workerNode.targetInstanceCount: set the number of worker nodes"
    )
    assert reasons["Spark head nodes × 2"] == "no roles.headNode.vmSize"


def test_every_hdinsight_cluster_kind_has_the_rule() -> None:
    assert set(HDINSIGHT.values()) == {"Spark", "Hadoop", "HBase", "Interactive Query", "Kafka"}
    assert len({rule_for(t) for t in HDINSIGHT}) == 1


# -- ARM template deployments -----------------------------------------------------------------------------------

TEMPLATE = {
    "resources": [
        {"type": "Microsoft.Storage/storageAccounts", "name": "sa"},
        {"type": "Microsoft.Network/publicIPAddresses", "name": "ip"},
        {"type": "Microsoft.Storage/storageAccounts", "name": "sb"},
    ]
}


def test_an_arm_template_deployment_is_not_estimated_saying_why_what_it_declares_and_what_would_price_it() -> (
    None
):
    result = run(
        res(ARM, "dep", templateContent=json.dumps(TEMPLATE), deploymentMode="Incremental"),
        res(
            "azure-native:resources:Deployment",
            "nat",
            properties={"template": TEMPLATE, "mode": "Incremental"},
        ),
        res("azure-native:resources:Deployment", "linked", properties={"templateLink": {"uri": "https://x"}}),
    )
    declared = (
        " (the template declares: Microsoft.Network/publicIPAddresses, Microsoft.Storage/storageAccounts)"
    )
    assert result.lines == [], "nothing priced or unpriced: not estimated"
    assert [(s.resource, s.reason) for s in result.unsupported] == [
        ("dep", ARM_NOT_ESTIMATED + declared),
        ("nat", ARM_NOT_ESTIMATED + declared),
        ("linked", ARM_NOT_ESTIMATED),  # a linked template is not read
    ], "listed as not estimated, so the total reads ≥"
    assert "infra estimate --from" in ARM_NOT_ESTIMATED and "no estimate rule" not in ARM_NOT_ESTIMATED


def test_template_types_reads_lists_symbolic_names_and_refuses_nothing() -> None:
    assert template_types({"resources": {"sa": {"type": "Microsoft.Storage/storageAccounts"}}}) == [
        "Microsoft.Storage/storageAccounts"
    ]
    assert template_types("{not json") == [] and template_types(None) == [] and template_types({}) == []
    assert all(not_estimated_for(t) is not None and rule_for(t) is None for t in TEMPLATE_DEPLOYMENTS)


# -- bad input through the CLI ----------------------------------------------------------------------------------


def _export(tmp_path: Path, *resources: tuple[str, str, dict[str, Any]]) -> Path:
    doc = {
        "version": 3,
        "deployment": {
            "resources": [
                {"urn": f"urn:pulumi:dev::p::{t}::{n}", "type": t, "custom": True, "inputs": inputs}
                for t, n, inputs in resources
            ]
        },
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("value", [-4, 2.5, "lots"])
def test_a_worker_count_no_cloud_takes_exits_2_naming_the_resource_the_input_and_the_fix(
    tmp_path: Path, value: Any
) -> None:
    roles = _roles("Standard_G2", None)
    roles["workerNode"]["targetInstanceCount"] = value
    doc = _export(tmp_path, (SPARK, "spark", {"location": "westeurope", "roles": roles}))
    out = CliRunner().invoke(app, ["estimate", "--from", str(doc)])
    assert out.exit_code == 2, out.output
    assert f"spark ({SPARK}): roles.workerNode.targetInstanceCount" in out.output
    assert "give a whole number from 0 to" in out.output and "Traceback" not in out.output


def test_a_negative_operations_count_in_the_usage_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    doc = _export(tmp_path, (VAULT, "kv", {"location": "eastus", "skuName": "standard"}))
    usage = tmp_path / "usage.yaml"
    usage.write_text("resources:\n  kv: {requestsMillions: -1}\n")
    out = CliRunner().invoke(app, ["estimate", "--from", str(doc), "--usage", str(usage)])
    assert out.exit_code == 2, out.output
    assert "requestsMillions" in out.output and "Traceback" not in out.output
    usage.write_text("resources:\n  kv: {requestsMillions: 3}\n")
    ok = CliRunner().invoke(app, ["estimate", "--from", str(doc), "--usage", str(usage), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    (kv,) = json.loads(ok.stdout)["lines"]
    assert D(str(kv["monthly_cost_usd"])) == round(300 * price("key-vault", "operations-10k"), 2)
