"""Azure storage prices in four European regions, read from a scripted snapshot of the Azure Retail Prices API
(andy-diericks/azure-pricing-radar @cf741f25, data/latest/storage-<scope>.json): Premium Block Blob and
premium Azure Files capacity and the managed-disk tiers the catalog lists in eastus. Each expected figure is
the snapshot's retailPrice for that meter, written here by hand; standard (tiered) Blob stays unpriced."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.usage import ResourceUsage, UsageFile

D = Decimal
CATALOG = default_catalog()
SNAPSHOT = "andy-diericks/azure-pricing-radar/blob/cf741f25c50759745f8eb5dcaf6c3746669c8f31/data/latest"
SCOPE = {
    "westeurope": "eu-west",
    "northeurope": "northeurope",
    "francecentral": "francecentral",
    "swedencentral": "swedencentral",
}


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:t::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, location: str, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure-native:location": location}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def line(result: Estimate, resource: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == resource and ln.unit == unit]
    assert len(found) == 1, [(ln.resource, ln.unit) for ln in result.lines]
    return found[0]


def cites_snapshot(source: str, region: str, meter: str) -> bool:
    return f"{SNAPSHOT}/storage-{SCOPE[region]}.json" in source and f"meterName '{meter}'" in source


# (region, sku, retailPrice of 'Premium Block Blob' '<sku> Data Stored', USD per GB-month)
BLOB = [
    ("westeurope", "Premium_LRS", "0.195"),
    ("westeurope", "Premium_ZRS", "0.259"),
    ("northeurope", "Premium_LRS", "0.18"),
    ("northeurope", "Premium_ZRS", "0.239"),
    ("francecentral", "Premium_LRS", "0.188"),
    ("francecentral", "Premium_ZRS", "0.249"),
    ("swedencentral", "Premium_LRS", "0.15"),
    ("swedencentral", "Premium_ZRS", "0.259"),
]


@pytest.mark.parametrize(("region", "sku", "usd"), BLOB)
def test_premium_blob_capacity_in_a_european_region_is_its_snapshot_price(
    region: str, sku: str, usd: str
) -> None:
    account = res("azure-native:storage:StorageAccount", "data", kind="BlockBlobStorage", sku={"name": sku})
    blob = line(run(account, location=region, data={"storageGiB": 1000}), "data", "GiB-months")
    assert (blob.unit_price_usd, blob.monthly_cost_usd, blob.region) == (D(usd), D(usd) * 1000, region)
    redundancy = sku.split("_")[1]
    assert cites_snapshot(blob.source, region, f"Premium {redundancy} Data Stored")


# (region, redundancy, retailPrice of 'Premium Files' 'Premium <r> Provisioned', USD per GB-month)
FILES = [
    ("westeurope", "LRS", "0.192"),
    ("westeurope", "ZRS", "0.24"),
    ("northeurope", "LRS", "0.176"),
    ("northeurope", "ZRS", "0.22"),
    ("francecentral", "LRS", "0.176"),
    ("francecentral", "ZRS", "0.22"),
    ("swedencentral", "LRS", "0.192"),
    ("swedencentral", "ZRS", "0.24"),
]


@pytest.mark.parametrize(("region", "redundancy", "usd"), FILES)
def test_a_premium_file_share_in_a_european_region_is_priced_by_its_quota(
    region: str, redundancy: str, usd: str
) -> None:
    account = res(
        "azure-native:storage:StorageAccount",
        "files",
        kind="FileStorage",
        sku={"name": f"Premium_{redundancy}"},
    )
    share = res("azure-native:storage:FileShare", "home", accountName="files", shareQuota=100)
    priced = line(run(account, share, location=region), "home", "GiB-months")
    assert (priced.quantity, priced.monthly_cost_usd) == (100, D(usd) * 100)
    assert cites_snapshot(priced.source, region, f"Premium {redundancy} Provisioned")


# (region, sku, GiB, billed tier, retailPrice of '<tier> LRS Disk', USD per disk-month)
DISKS = [
    ("westeurope", "Premium_LRS", 100, "P10", "21.68"),
    ("westeurope", "Premium_LRS", 20, "P4", "5.8072"),
    ("northeurope", "Premium_LRS", 100, "P10", "19.71"),
    ("francecentral", "Standard_LRS", 30, "S4", "1.69"),
    ("francecentral", "Standard_LRS", 128, "S10", "6.476"),
    ("francecentral", "StandardSSD_LRS", 1024, "E30", "84.48"),
    ("swedencentral", "StandardSSD_LRS", 1000, "E30", "76.8"),
    ("swedencentral", "Standard_LRS", 100, "S10", "5.888"),
]


@pytest.mark.parametrize(("region", "sku", "gib", "tier", "usd"), DISKS)
def test_a_managed_disk_in_a_european_region_is_its_tiers_snapshot_price(
    region: str, sku: str, gib: int, tier: str, usd: str
) -> None:
    disk = res("azure-native:compute:Disk", "data", location=region, sku={"name": sku}, diskSizeGB=gib)
    priced = line(run(disk, location=region), "data", "disk-months")
    assert (priced.quantity, priced.monthly_cost_usd, priced.region) == (1, D(usd), region)
    assert f"{sku} {tier}" in priced.description
    assert cites_snapshot(priced.source, region, f"{tier} LRS Disk")


def test_every_european_row_is_unverified_and_dated() -> None:
    for region in SCOPE:
        rows = [
            CATALOG.storage_price("azure", service, tier, region)
            for service in ("blob", "azure-files")
            for tier in ("Premium-LRS", "Premium-ZRS")
        ]
        for row in rows:
            assert row is not None and row.region == region
            assert row.unverified == ("usd_per_gib_month",) and str(row.retrieved) == "2026-12-05"
        for item in ("Standard_LRS/S4", "Standard_LRS/S10", "Premium_LRS/P4", "Premium_LRS/P10"):
            disk = CATALOG.service_price("azure", "managed-disk", item, region)
            assert disk is not None and disk.region == region and disk.unverified == ("usd",)


def test_what_the_snapshot_does_not_settle_stays_unpriced() -> None:
    # Standard Blob capacity is tiered by amount stored, and the snapshot's key drops the tier: no row.
    for region in SCOPE:
        for tier in ("Hot-LRS", "Hot-ZRS", "Cool-LRS"):
            assert CATALOG.storage_price("azure", "blob", tier, region) is None
    account = res(
        "azure-native:storage:StorageAccount", "data", kind="StorageV2", sku={"name": "Standard_LRS"}
    )
    hot = line(run(account, location="westeurope", data={"storageGiB": 1000}), "data", "GiB-months")
    assert hot.monthly_cost_usd is None
    # belgiumcentral is in the snapshot but not a catalog region; a disk there stays unpriced.
    disk = res(
        "azure-native:compute:Disk",
        "d",
        location="belgiumcentral",
        sku={"name": "Premium_LRS"},
        diskSizeGB=100,
    )
    assert line(run(disk, location="belgiumcentral"), "d", "disk-months").monthly_cost_usd is None
    # Not in the snapshot at all: the AKS Premium tier, HSM keys outside eastus.
    premium = CATALOG.service_price("azure", "aks", "premium-cluster-hour", "westeurope")
    assert premium is not None and premium.usd is None
