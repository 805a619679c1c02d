"""An azure-native VirtualMachineScaleSet's per-instance disks (estimate/rules/azure.py `scale_set_disks`):
the managed OS disk and the data disks of `virtualMachineProfile.storageProfile`, each × the average
instances; ephemeral OS disks free; a type or size left to Azure unpriced naming the field; and the Windows
licence; and a VM's data disks copied from its image. Prices are read from the shipped catalog, never
hard-coded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import ResourceUsage, UsageFile

D = Decimal
CATALOG = default_catalog()
VMSS = "azure-native:compute:VirtualMachineScaleSet"
SIZE = "Standard_D4s_v5"
PATH = "virtualMachineProfile.storageProfile"


def scale_set(name: str = "ss", capacity: int = 3, region: str = "eastus", **profile: Any) -> PlannedResource:
    return PlannedResource(
        type=VMSS,
        name=name,
        urn=f"urn:pulumi:t::p::{VMSS}::{name}",
        parent=None,
        inputs={
            "location": region,
            "sku": {"name": SIZE, "capacity": capacity},
            "virtualMachineProfile": profile,
        },
        custom=True,
    )


def run(*resources: PlannedResource, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def disks(result: Estimate, name: str = "ss") -> list[Line]:
    return [ln for ln in result.lines if ln.resource == name and ln.unit == "disk-months"]


def price(item: str, region: str = "eastus") -> Decimal:
    row = CATALOG.service_price("azure", "managed-disk", item, region)
    assert row is not None and row.usd is not None, f"the catalog prices managed-disk {item} in {region}"
    return row.usd


def hourly(region: str = "eastus") -> Decimal:
    offer = CATALOG.offer(SIZE, region)
    assert offer is not None and offer.on_demand is not None
    return offer.on_demand


def managed(sku: str, gib: int | None = None, **extra: Any) -> dict[str, Any]:
    disk: dict[str, Any] = {"managedDisk": {"storageAccountType": sku}, **extra}
    if gib is not None:
        disk["diskSizeGB"] = gib
    return disk


def test_each_instance_has_its_os_disk_and_data_disks_priced_by_billed_tier() -> None:
    result = run(
        scale_set(
            storageProfile={
                "osDisk": managed("Premium_LRS", 100, createOption="FromImage"),
                "dataDisks": [
                    managed("StandardSSD_LRS", 1000, createOption="Empty", lun=0),
                    managed("Standard_LRS", 20, createOption="Empty", lun=2),
                ],
            }
        )
    )
    by_description = {ln.description: ln for ln in disks(result)}
    assert set(by_description) == {
        "OS disk: Premium_LRS P10 (100 GiB, billed as 128 GiB) × 3.00 (average instances)",
        "data disk 0: StandardSSD_LRS E30 (1,000 GiB, billed as 1,024 GiB) × 3.00 (average instances)",
        "data disk 2: Standard_LRS S4 (20 GiB, billed as 32 GiB) × 3.00 (average instances)",
    }
    os_disk = by_description[
        "OS disk: Premium_LRS P10 (100 GiB, billed as 128 GiB) × 3.00 (average instances)"
    ]
    assert (os_disk.quantity, os_disk.monthly_cost_usd) == (3, 3 * price("Premium_LRS/P10"))
    assert os_disk.monthly_cost_usd == D("59.13"), "3 × the catalog's eastus P10 row (19.71)"
    data = [ln for ln in disks(result) if ln.description.startswith("data disk")]
    assert sorted(ln.monthly_cost_usd or 0 for ln in data) == sorted(
        [3 * price("StandardSSD_LRS/E30"), 3 * price("Standard_LRS/S4")]
    )
    machines = [ln for ln in result.lines if ln.resource == "ss" and ln.unit == "node-hours"]
    assert [ln.monthly_cost_usd for ln in machines] == [3 * HOURS_PER_MONTH * hourly()]
    assert result.unpriced == [], "every disk is priced"
    assert result.monthly_cost_usd == 3 * HOURS_PER_MONTH * hourly() + 3 * (
        price("Premium_LRS/P10") + price("StandardSSD_LRS/E30") + price("Standard_LRS/S4")
    )
    assert not any("not priced" in a for ln in result.lines for a in ln.assumptions), "no silent gap note"


def test_ephemeral_os_disks_are_free_and_said_so_on_the_instance_hours() -> None:
    result = run(
        scale_set(
            storageProfile={
                "osDisk": {
                    "createOption": "FromImage",
                    "diffDiskSettings": {"option": "Local"},
                    "diskSizeGB": 64,
                }
            }
        )
    )
    assert disks(result) == [], "an ephemeral OS disk lives on the host: no disk line"
    (machine,) = [ln for ln in result.lines if ln.resource == "ss"]
    assert any(a.startswith("ephemeral OS disks") and "no charge" in a for a in machine.assumptions)
    assert result.unpriced == []


def test_a_disk_type_or_size_left_to_azure_is_unpriced_per_instance_naming_the_field() -> None:
    result = run(
        scale_set(
            capacity=4,
            storageProfile={
                "osDisk": {"createOption": "FromImage", "diskSizeGB": 64},
                "dataDisks": [managed("Premium_LRS", createOption="FromImage", lun=1)],
            },
        )
    )
    os_disk, data = disks(result)
    assert os_disk.monthly_cost_usd is None and os_disk.quantity == 4, "4 disks, unpriced, never $0"
    assert os_disk.reason.startswith(f"no {PATH}.osDisk.managedDisk.storageAccountType: Azure picks")
    assert data.description == "data disk 1 (Premium_LRS) × 4.00 (average instances)"
    assert data.monthly_cost_usd is None and data.quantity == 4
    assert data.reason.startswith(
        f"no {PATH}.dataDisks[0].diskSizeGB: the disk takes its size from the image"
    )
    assert {s.resource for s in result.unpriced} == {"ss"}, "the total is a lower bound"
    no_profile = run(scale_set())
    (unsized,) = disks(no_profile)
    assert unsized.monthly_cost_usd is None and f"{PATH}.osDisk.managedDisk" in unsized.reason, (
        "a scale set that says nothing of its OS disk still has one per instance"
    )


def test_a_scale_set_of_no_instances_bills_no_disks() -> None:
    result = run(scale_set(capacity=0, storageProfile={"osDisk": {"createOption": "FromImage"}}))
    assert disks(result) == [] and result.unpriced == []


def test_the_usage_files_nodes_set_the_average_instances_the_disks_are_billed_for() -> None:
    result = run(scale_set(storageProfile={"osDisk": managed("Premium_LRS", 30)}), ss={"nodes": 2})
    (os_disk,) = disks(result)
    assert (
        os_disk.description == "OS disk: Premium_LRS P4 (30 GiB, billed as 32 GiB) × 2.00 (average instances)"
    )
    assert os_disk.monthly_cost_usd == 2 * price("Premium_LRS/P4")


def test_a_tier_the_region_lacks_is_unpriced_for_every_instance_naming_the_row() -> None:
    row = CATALOG.service_price("azure", "managed-disk", "Premium_LRS/P80", "eastus")
    assert row is None or row.usd is None, "the test needs a tier the catalog does not price"
    result = run(scale_set(capacity=2, storageProfile={"osDisk": managed("Premium_LRS", 30000)}))
    (os_disk,) = disks(result)
    assert os_disk.quantity == 2 and os_disk.monthly_cost_usd is None
    assert "Premium_LRS/P80" in os_disk.reason


def test_a_windows_scale_set_names_its_licence_unless_it_brings_its_own() -> None:
    windows = {"osProfile": {"windowsConfiguration": {"provisionVMAgent": True}}}
    result = run(scale_set(**windows, storageProfile={"osDisk": managed("Premium_LRS", 128)}))
    (licence,) = [ln for ln in result.lines if ln.description == "Windows Server licence"]
    assert licence.monthly_cost_usd is None and licence.reason.startswith("Windows Server licence")
    hybrid = run(
        scale_set(
            **windows, licenseType="Windows_Server", storageProfile={"osDisk": managed("Premium_LRS", 128)}
        )
    )
    assert [ln for ln in hybrid.lines if "Windows" in ln.description] == [], "Azure Hybrid Benefit"
    linux = run(scale_set(storageProfile={"osDisk": managed("Premium_LRS", 128)}))
    assert [ln.unit for ln in linux.lines] == ["node-hours", "disk-months"]


def test_a_vms_data_disks_copied_from_its_image_are_billed_with_it_and_attached_ones_are_not() -> None:
    vm = PlannedResource(
        type="azure-native:compute:VirtualMachine",
        name="vm",
        urn="urn:pulumi:t::p::azure-native:compute:VirtualMachine::vm",
        parent=None,
        inputs={
            "location": "eastus",
            "hardwareProfile": {"vmSize": SIZE},
            "storageProfile": {
                "osDisk": managed("Premium_LRS", 30, createOption="FromImage"),
                "dataDisks": [
                    managed("Premium_LRS", 100, createOption="FromImage", lun=0),
                    managed("Premium_LRS", createOption="FromImage", lun=1),
                    {"createOption": "Attach", "lun": 2, "managedDisk": {"id": "/subscriptions/s/disks/d"}},
                ],
            },
        },
        custom=True,
    )
    result = run(vm)
    found = {ln.description: ln for ln in disks(result, "vm")}
    assert set(found) == {
        "OS disk: Premium_LRS P4 (30 GiB, billed as 32 GiB)",
        "data disk 0: Premium_LRS P10 (100 GiB, billed as 128 GiB)",
        "data disk 1 (Premium_LRS)",
    }, "an attached disk is its own resource"
    assert found["data disk 0: Premium_LRS P10 (100 GiB, billed as 128 GiB)"].monthly_cost_usd == price(
        "Premium_LRS/P10"
    )
    unsized = found["data disk 1 (Premium_LRS)"]
    assert unsized.monthly_cost_usd is None and unsized.reason.startswith(
        "no disk size: it comes from the image"
    )
