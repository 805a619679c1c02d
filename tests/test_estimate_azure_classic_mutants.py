"""What the first measured mutation run of estimate/rules/azure_classic.py (seed 1, sample 60; 70 %) found
unchecked: how a legacy VM is known to be Windows, an attached OS disk, data disks after an attached one and
unmanaged ones, a classic account's access tier and soft delete, a vault without a SKU, the tenant-scope template
token, and the units, labels and field paths of HDInsight lines the program leaves incomplete."""

from __future__ import annotations

from typing import Any

from aiinfra.estimate.registry import not_estimated_for
from aiinfra.estimate.rules.azure_services import WINDOWS_LICENCE
from tests.conftest import line
from tests.test_estimate_azure_classic import (
    ACCOUNT,
    KAFKA,
    SPARK,
    VAULT,
    VM,
    _roles,
    lines,
    price,
    res,
    run,
)

SIZE = "Standard_A1_v2"


def licences(vm: Any) -> list[Any]:
    return [ln for ln in run(vm).lines if "licence" in ln.description.lower()]


def test_a_legacy_vm_is_windows_by_its_image_or_its_os_disk_alone() -> None:
    by_image = res(
        VM,
        "img",
        location="eastus",
        vmSize=SIZE,
        storageImageReference={"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer"},
        storageOsDisk={"createOption": "FromImage", "managedDiskType": "Premium_LRS", "diskSizeGb": 128},
    )
    by_disk = res(
        VM,
        "disk",
        location="eastus",
        vmSize=SIZE,
        storageOsDisk={"createOption": "FromImage", "osType": "Windows", "vhdUri": "https://sa/vhds/os.vhd"},
    )
    linux = res(VM, "lin", location="eastus", vmSize=SIZE, storageOsDisk={"vhdUri": "https://sa/vhds/l.vhd"})
    for vm in (by_image, by_disk):
        (licence,) = licences(vm)
        assert licence.reason == WINDOWS_LICENCE
    assert licences(linux) == []


def test_an_attached_os_disk_is_its_own_resource_and_the_vm_says_so() -> None:
    vm = res(VM, "att", location="eastus", vmSize=SIZE, storageOsDisk={"createOption": "Attach"})
    result = run(vm)
    assert [ln.unit for ln in lines(result, "att")] == ["instance-hours"]
    assert (
        "OS disk attached (storageOsDisk.createOption Attach): priced as its own resource"
        in line(result, "att", "instance-hours").assumptions
    )


def test_data_disks_after_an_attached_one_are_priced_and_unmanaged_ones_are_not() -> None:
    vm = res(
        VM,
        "dd",
        location="eastus",
        vmSize=SIZE,
        storageOsDisk={"createOption": "FromImage", "vhdUri": "https://sa/vhds/os.vhd"},
        storageDataDisks=[
            {"lun": 0, "createOption": "Attach", "managedDiskId": "/disks/x"},
            {"lun": 1, "createOption": "Empty", "vhdUri": "https://sa/vhds/d1.vhd", "diskSizeGb": 100},
            {"lun": 2, "createOption": "Empty", "managedDiskType": "Premium_LRS", "diskSizeGb": 100},
        ],
    )
    disks = [ln for ln in lines(run(vm), "dd") if ln.unit == "disk-months"]
    assert [(ln.description, ln.monthly_cost_usd) for ln in disks] == [
        (
            "data disk 2: Premium_LRS P10 (100 GiB, billed as 128 GiB)",
            price("managed-disk", "Premium_LRS/P10"),
        )
    ]


def test_a_classic_account_takes_its_access_tier_and_names_soft_delete() -> None:
    cool = res(
        ACCOUNT,
        "cold",
        location="eastus",
        accountTier="Standard",
        accountReplicationType="LRS",
        accessTier="Cool",
        blobProperties={"deleteRetentionPolicy": {"days": 7}},
    )
    stored = line(run(cool, cold={"storageGiB": 10}), "cold", "GiB-months")
    assert "Cool-LRS" in stored.description and "Hot" not in stored.description
    assert any("versioning" in a or "soft" in a.lower() for a in stored.assumptions), stored.assumptions


def test_a_vault_without_a_sku_is_a_standard_vault() -> None:
    priced = line(
        run(res(VAULT, "kv", location="eastus"), kv={"requestsMillions": 1}), "kv", "10K operations"
    )
    assert priced.description == "Key Vault (standard): operations, 1 million"


def test_every_scope_of_classic_template_deployment_is_not_estimated() -> None:
    for token in (
        "azure:core/tenantTemplateDeployment:TenantTemplateDeployment",
        "azure:core/subscriptionTemplateDeployment:SubscriptionTemplateDeployment",
        "azure:management/groupTemplateDeployment:GroupTemplateDeployment",
    ):
        assert not_estimated_for(token) is not None, token


def test_incomplete_hdinsight_roles_name_their_unit_label_and_field() -> None:
    roles = _roles("Standard_D3_V2", None)
    del roles["workerNode"]["vmSize"]
    del roles["zookeeperNode"]["vmSize"]
    roles["kafkaManagementNode"] = {"username": "u"}
    del roles["headNode"]["vmSize"]
    result = run(res(KAFKA, "k", location="eastus", roles=roles))
    by = {ln.description: ln for ln in lines(result, "k")}
    assert by["Kafka head nodes × 2"].unit == "node-hours"
    assert by["HDInsight Kafka worker nodes: (no vmSize)"].monthly_cost_usd is None
    assert by["Kafka ZooKeeper nodes × 3"].reason == "no roles.zookeeperNode.vmSize"
    assert by["HDInsight Kafka management (REST proxy) nodes: (no vmSize)"].monthly_cost_usd is None


def test_kafka_worker_disks_are_disk_months_and_a_bad_edge_count_names_its_field() -> None:
    roles = _roles("Standard_D3_V2", 2)
    roles["workerNode"]["numberOfDisksPerNode"] = 3
    disks = [
        ln
        for ln in lines(run(res(KAFKA, "k", location="eastus", roles=roles)), "k")
        if "disks" in ln.description
    ]
    assert [ln.unit for ln in disks] == ["disk-months"]
    edge = _roles("Standard_D3_V2", 2, edgeNode={"vmSize": "A5", "targetInstanceCount": "lots"})
    result = run(res(SPARK, "s", location="eastus", roles=edge))
    assert any("roles.edgeNode.targetInstanceCount" in i for i in result.invalid_inputs), (
        result.invalid_inputs
    )


def test_an_hsm_key_above_2048_bits_is_an_advanced_key() -> None:
    key = res("azure:keyvault/key:Key", "k", location="eastus", keyType="RSA-HSM", keySize=3072)
    (month,) = run(key).lines
    assert "RSA-HSM 3072" in month.description
    assert month.monthly_cost_usd == price("key-vault", "hsm-advanced-key-month")
