"""Prices added for known gaps: Azure managed-disk tiers and Managed Lustre per region (catalog/data/azure/
managed-disk.csv, the amlfs rows of storage.yaml, the eastus P20/P30 rows of services.yaml) and Redshift node-hours
per region (aws/services.yaml). Expected figures are the sources' own numbers, written here by hand (the meter or
feed field named in each case); the estimates use the shipped catalog."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.catalog.load import DATA_DIR, SERVICE_TABLES, load_service_table
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import Line
from aiinfra.estimate.rules.azure_services import DISK_TIERS
from aiinfra.estimate.usage import PROFILES

D = Decimal
CATALOG = default_catalog()
TABLE = DATA_DIR / "azure" / "managed-disk.csv"
REGIONS = ("francecentral", "northeurope", "swedencentral", "westeurope")


def rows() -> list[dict[str, str]]:
    lines = [ln for ln in TABLE.read_text().splitlines() if ln and not ln.startswith(("#", "@"))]
    return list(csv.DictReader(lines))


def test_the_table_is_a_service_table_every_row_converts_and_each_tier_is_in_each_region_once() -> None:
    assert "managed-disk" in SERVICE_TABLES
    table = load_service_table(DATA_DIR, "azure", "managed-disk")
    assert table is not None
    prices = table.check()
    assert len(prices) == len(rows()) == 268, "67 tier meters (P and E in LRS and ZRS, S in LRS) × 4 regions"
    assert all(p.unverified == ("usd",) and "azure-pricing-radar @cf741f25" in p.source for p in prices)
    by_item: dict[str, set[str]] = {}
    for p in prices:
        by_item.setdefault(p.item, set()).add(p.region)
    expected = {
        f"{sku}/{tier}"
        for sku, family in (
            ("Premium_LRS", "P"),
            ("Premium_ZRS", "P"),
            ("StandardSSD_LRS", "E"),
            ("StandardSSD_ZRS", "E"),
            ("Standard_LRS", "S"),
        )
        for tier in DISK_TIERS[family]
        if tier
    }
    assert set(by_item) == expected, "every tier the disk rules can ask for, named as they ask"
    assert all(regions == set(REGIONS) for regions in by_item.values())


@pytest.mark.parametrize(
    ("item", "region", "usd"),
    [
        ("Premium_LRS/P20", "westeurope", "80.54"),  # 'P20 LRS Disk'
        ("Premium_LRS/P20", "northeurope", "73.22"),
        ("Premium_LRS/P15", "swedencentral", "41.811428"),  # 'P15 LRS Disk'
        ("Premium_LRS/P30", "francecentral", "163.548"),
        ("Premium_ZRS/P20", "westeurope", "120.79"),  # 'P20 ZRS Disk'
        ("Premium_LRS/P80", "westeurope", "3964.34"),
        ("StandardSSD_LRS/E10", "westeurope", "9.6"),  # 'E10 LRS Disk'
        ("Standard_LRS/S20", "westeurope", "21.76"),  # 'S20 LRS Disk'
    ],
)
def test_a_tier_is_the_snapshots_disk_meter(item: str, region: str, usd: str) -> None:
    found = CATALOG.service_price("azure", "managed-disk", item, region)
    assert found is not None and found.usd == D(usd)


def test_the_services_yaml_rows_of_the_same_regions_equal_the_table() -> None:
    table = load_service_table(DATA_DIR, "azure", "managed-disk")
    assert table is not None
    overlapping = 0
    for region in REGIONS:
        for item in ("Standard_LRS/S4", "Standard_LRS/S10", "Premium_LRS/P4", "Premium_LRS/P10"):
            yaml_row = CATALOG.service_price("azure", "managed-disk", item, region)
            table_row = table.price(item, region)
            assert yaml_row is not None and table_row is not None
            assert yaml_row.usd == table_row.usd, f"{item} in {region}"
            overlapping += 1
    assert overlapping == 16


def test_eastus_p20_and_p30_come_from_the_cited_pages_and_other_eastus_tiers_stay_unpriced() -> None:
    p20 = CATALOG.service_price("azure", "managed-disk", "Premium_LRS/P20", "eastus")
    p30 = CATALOG.service_price("azure", "managed-disk", "Premium_LRS/P30", "eastus")
    assert p20 is not None and p20.usd == D("73.22") and "techtarget" in p20.source
    assert p30 is not None and p30.usd == D("135.17") and "lucidity.cloud" in p30.source
    assert p20.unverified == p30.unverified == ("usd",)
    assert CATALOG.service_price("azure", "managed-disk", "Premium_LRS/P15", "eastus") is None
    gap = CATALOG.service_gap("azure", "managed-disk", "Premium_LRS/P15", "eastus")
    assert gap is not None and gap.endswith(
        "it prices Premium_LRS/P15 in 4 regions: francecentral, northeurope, swedencentral, westeurope"
    )


# (region, SKU, retailPrice of 'Azure Managed Lustre' 'Provisioned Capacity', USD per GiB-hour)
LUSTRE = [
    ("westeurope", "AMLFS-Durable-Premium-40", "0.000121"),
    ("westeurope", "AMLFS-Durable-Premium-250", "0.000373"),
    ("northeurope", "AMLFS-Durable-Premium-125", "0.000238"),
    ("northeurope", "AMLFS-Durable-Premium-500", "0.000512"),
    ("francecentral", "AMLFS-Durable-Premium-40", "0.000145"),
    ("swedencentral", "AMLFS-Durable-Premium-250", "0.000373"),
]


@pytest.mark.parametrize(("region", "sku", "hourly"), LUSTRE)
def test_managed_lustre_is_the_snapshots_gib_hour_meter_times_730(region: str, sku: str, hourly: str) -> None:
    row = CATALOG.storage_price("azure", "amlfs", sku, region)
    assert row is not None and row.usd_per_gib_month == D(hourly) * 730
    assert "meterName 'Provisioned Capacity'" in row.source and row.unverified == ("usd_per_gib_month",)


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:t::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={})
    return estimate(graph, CATALOG, profile=PROFILES["training-steady"])


def only(result: Estimate, name: str, unit: str) -> Line:
    (found,) = [ln for ln in result.lines if ln.resource == name and ln.unit == unit]
    return found


def test_a_lustre_file_system_in_westeurope_is_priced_per_provisioned_tib_and_in_eastus_stays_unpriced() -> (
    None
):
    def fs(name: str, location: str) -> PlannedResource:
        return res(
            "azure-native:storagecache:AmlFilesystem",
            name,
            location=location,
            sku={"name": "AMLFS-Durable-Premium-250"},
            storageCapacityTiB=16,
        )

    result = run(fs("eu", "westeurope"), fs("us", "eastus"))
    eu = only(result, "eu", "GiB-months")
    assert eu.quantity == 16 * 1024
    assert eu.monthly_cost_usd == 16 * 1024 * D("0.000373") * 730 == D("4461.19936")
    assert only(result, "us", "GiB-months").monthly_cost_usd is None, "no eastus price: unpriced, never $0"


def test_a_p20_os_disk_pool_in_eastus_and_westeurope_is_priced_from_the_new_rows() -> None:
    def pool(name: str, location: str) -> PlannedResource:
        return res(
            "azure-native:containerservice:ManagedCluster",
            name,
            location=location,
            agentPoolProfiles=[
                {
                    "name": "gpu",
                    "vmSize": "Standard_D16s_v5",
                    "count": 2,
                    "osDiskType": "Managed",
                    "osDiskSizeGB": 500,
                }
            ],
        )

    result = run(pool("us", "eastus"), pool("eu", "westeurope"))
    us, eu = only(result, "us", "disk-months"), only(result, "eu", "disk-months")
    assert "Premium_LRS P20 (500 GiB, billed as 512 GiB)" in us.description
    assert (us.quantity, us.monthly_cost_usd) == (2, 2 * D("73.22"))
    assert (eu.quantity, eu.monthly_cost_usd) == (2, 2 * D("80.54"))


# (node type, region, OnDemand:PricePerUnit in yeo/ec2.shop's redshift-reservedinstance 1 year No Upfront feed)
REDSHIFT = [
    ("ra3.xlplus", "us-east-1", "1.086"),
    ("ra3.xlplus", "eu-west-1", "1.202"),
    ("ra3.xlplus", "ap-southeast-2", "1.303"),
    ("ra3.4xlarge", "us-east-1", "3.26"),  # the earlier row, from Infracost's golden: the same figure
    ("ra3.16xlarge", "us-east-1", "13.04"),
]


@pytest.mark.parametrize(("node", "region", "usd"), REDSHIFT)
def test_redshift_node_hours_per_region_are_the_feeds_on_demand_price(
    node: str, region: str, usd: str
) -> None:
    row = CATALOG.service_price("aws", "redshift", node, region)
    assert row is not None and row.usd == D(usd) and row.unverified == ("usd",)


def test_redshift_regions_the_feed_lacks_have_no_regional_row() -> None:
    assert CATALOG.service_price("aws", "redshift", "ra3.xlplus", "mx-central-1") is None
    zurich = CATALOG.service_price("aws", "redshift", "dc2.large", "eu-central-2")
    assert zurich is not None and (zurich.region, zurich.usd) == ("eu-central-2", D("0.324"))
    ireland = CATALOG.service_price("aws", "redshift", "dc2.large", "eu-west-1")
    assert ireland is not None and ireland.region == "*", (
        "no dc2 offer in the feed there: the '*' row as before"
    )
