"""Stored bytes and flat-rate managed services (estimate/storage.py) seen through `estimate`: a region the
catalog does not price, the catalog's every-region default, a tier whose price is not published, a managed
service the catalog does not price, and an amount the plan cannot know (quantity 0, never 1). Written to kill
the mutants bench/mutation.py found alive."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.model import ServicePrice, StoragePrice
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.usage import ResourceUsage, UsageFile

D = Decimal
CATALOG = default_catalog()
DAY = dt.date(2026, 1, 1)
GIB_PER_TB = D(10**12) / D(2**30)


def resource(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def lustre(name: str = "fs", gib: int = 4800) -> PlannedResource:
    return resource(
        "aws:fsx/lustreFileSystem:LustreFileSystem",
        name,
        deploymentType="PERSISTENT_2",
        perUnitStorageThroughput=250,
        storageCapacity=gib,
    )


def bucket(name: str = "data") -> PlannedResource:
    return resource("aws:s3/bucket:Bucket", name)


def graph(*resources: PlannedResource, region: str | None = "us-east-1") -> ResourceGraph:
    return ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"aws:region": region} if region else {}
    )


def only_line(result: Estimate, resource: str, unit: str | None = None) -> Line:
    found = [ln for ln in result.lines if ln.resource == resource and (unit is None or ln.unit == unit)]
    assert len(found) == 1, f"one line for {resource} {unit or ''}, got {len(found)}"
    return found[0]


def catalog_with(*, storage: list[StoragePrice] = (), services: list[ServicePrice] = ()) -> Catalog:  # type: ignore[assignment]
    """The shipped machines, PUE, grid and storage power with only the given storage and service prices."""
    return Catalog(
        accelerators=CATALOG.accelerators,
        instance_types=CATALOG.instance_types(),
        pue=[p for p in (CATALOG.pue("aws", "us-east-1"),) if p is not None],
        grid=[g for g in (CATALOG.grid("aws", "us-east-1"),) if g is not None],
        storage_prices=storage,
        service_prices=services,
        storage_power=[
            p for p in (CATALOG.storage_power("ssd"), CATALOG.storage_power("hdd")) if p is not None
        ],
    )


def s3(region: str, usd: str | None) -> StoragePrice:
    return StoragePrice(
        "aws", "s3", "STANDARD", region, None if usd is None else D(usd), "test sheet", DAY, 3
    )


def test_a_region_the_catalog_has_no_storage_price_for_leaves_the_file_system_unpriced_with_the_reason() -> (
    None
):
    fs = only_line(estimate(graph(lustre(), region="eu-west-1"), CATALOG), "fs")
    assert fs.monthly_cost_usd is None and fs.unit_price_usd is None
    assert fs.reason == "no fsx-lustre PERSISTENT_2-250 price in eu-west-1 in the catalog", fs.reason
    assert fs.quantity == 4800, "the capacity is known even when its price is not"
    assert "× 1 copies" in fs.energy_detail, "without a price row the replication is unknown: one copy"


def test_a_priced_file_system_has_no_reason_and_its_energy_counts_every_copy() -> None:
    fs = only_line(estimate(graph(lustre()), CATALOG), "fs")
    tier = CATALOG.storage_price("aws", "fsx-lustre", "PERSISTENT_2-250", "us-east-1")
    ssd = CATALOG.storage_power("ssd")
    pue = CATALOG.pue("aws", "us-east-1")
    assert tier is not None and ssd is not None and pue is not None
    assert fs.reason == "" and fs.monthly_cost_usd == 4800 * tier.usd_per_gib_month  # type: ignore[operator]
    tb = D(4800) / GIB_PER_TB
    expected = tb * tier.replication * ssd.w_per_tb * 730 / 1000 * pue.pue
    assert abs(fs.monthly_energy_kwh - expected) < D("1e-9"), (
        f"{fs.monthly_energy_kwh} kWh, expected {expected}"
    )  # type: ignore[operator]
    assert f"{tb:.2f} TB × {tier.replication} copies × {ssd.w_per_tb} W/TB (ssd) × 730 h" in fs.energy_detail
    assert fs.assumptions == (), "a regional price needs no assumption"


def test_the_catalog_default_price_applies_in_an_unlisted_region_and_the_line_says_so() -> None:
    catalog = catalog_with(storage=[s3("*", "0.03"), s3("us-east-1", "0.023")])
    usage = UsageFile(resources={"data": ResourceUsage(storage_gib=1000)})
    away = only_line(estimate(graph(bucket(), region="eu-west-1"), catalog, usage=usage), "data")
    assert away.monthly_cost_usd == 1000 * D("0.03")
    assert away.assumptions == (
        "s3 STANDARD: no eu-west-1 price in the catalog, the catalog's default applies",
    ), away.assumptions
    home = only_line(estimate(graph(bucket()), catalog, usage=usage), "data")
    assert home.monthly_cost_usd == 1000 * D("0.023") and home.assumptions == ()


def test_a_tier_the_catalog_names_without_a_published_price_is_unpriced_with_its_source() -> None:
    catalog = catalog_with(storage=[s3("us-east-1", None)])
    usage = UsageFile(resources={"data": ResourceUsage(storage_gib=1000)})
    line = only_line(estimate(graph(bucket()), catalog, usage=usage), "data")
    assert line.monthly_cost_usd is None and line.unit_price_usd is None
    assert line.reason == "s3 STANDARD: price not published in the catalog (test sheet)", line.reason
    assert line.source == "test sheet | power: " + CATALOG.storage_power("hdd").source  # type: ignore[union-attr]


def test_an_unknown_stored_amount_is_quantity_zero_unpriced_with_the_fix_and_no_energy() -> None:
    result = estimate(graph(bucket()), CATALOG, usage_path="stacks/usage.t.yaml")
    line = only_line(result, "data")
    assert line.quantity == 0, "an unknown amount is shown as 0 GiB-months, not 1"
    assert line.monthly_cost_usd is None and line.unit_price_usd is None
    assert line.reason == "stored amount unknown: set storageGiB for data in stacks/usage.t.yaml", line.reason
    assert line.monthly_energy_kwh is None and line.energy_detail == "amount unknown"
    assert [s.resource for s in result.unpriced] == ["data"]


def test_a_file_system_in_an_unknown_region_says_the_region_is_unknown() -> None:
    fs = only_line(estimate(graph(lustre(), region=None), CATALOG), "fs")
    assert fs.reason == "the region is unknown" and fs.monthly_cost_usd is None


def test_a_managed_service_the_catalog_does_not_price_is_unpriced_never_zero() -> None:
    cluster = resource("aws:eks/cluster:Cluster", "k8s", version="1.31")
    line = only_line(estimate(graph(cluster), catalog_with()), "k8s")
    assert line.quantity == 730 and line.unit == "cluster-hours"
    assert line.monthly_cost_usd is None and line.unit_price_usd is None
    assert line.reason == "no eks cluster-hour price in the catalog", line.reason
    unpublished = ServicePrice("aws", "eks", "cluster-hour", "*", None, "test sheet", DAY)
    line = only_line(estimate(graph(cluster), catalog_with(services=[unpublished])), "k8s")
    assert line.reason == "no eks cluster-hour price in the catalog" and line.unit_price_usd is None
    assert line.source == "test sheet"


def test_a_managed_service_price_for_every_region_prices_the_cluster_hours() -> None:
    cluster = resource("aws:eks/cluster:Cluster", "k8s", version="1.31")
    price = ServicePrice("aws", "eks", "cluster-hour", "*", D("0.10"), "test sheet", DAY)
    line = only_line(estimate(graph(cluster), catalog_with(services=[price])), "k8s")
    assert line.reason == "" and line.monthly_cost_usd == 730 * D("0.10") and line.unit_price_usd == D("0.10")
    assert "Kubernetes 1.31" in line.description
    assert line.monthly_energy_kwh is None and "energy not modelled" in line.energy_detail


def test_nat_traffic_without_a_usage_entry_is_zero_gb_unpriced_with_the_fix() -> None:
    nat = resource("aws:ec2/natGateway:NatGateway", "nat")
    result = estimate(graph(nat), CATALOG, usage_path="stacks/usage.t.yaml")
    hours = only_line(result, "nat", "gateway-hours")
    assert hours.quantity == 730 and hours.monthly_cost_usd is not None and hours.monthly_cost_usd > 0
    traffic = only_line(result, "nat", "GB processed")
    assert traffic.quantity == 0, "an unknown amount is 0 GB, not 1"
    assert traffic.unit_price_usd is None and traffic.monthly_cost_usd is None
    assert traffic.reason == "traffic unknown: set dataProcessedGB for nat in stacks/usage.t.yaml"
    assert traffic.description == "NAT gateway data processing"


def test_the_kms_key_is_one_key_month() -> None:
    key = only_line(estimate(graph(resource("aws:kms/key:Key", "key")), CATALOG), "key")
    price = CATALOG.service_price("aws", "kms", "key-month", "us-east-1")
    assert price is not None and price.usd is not None
    assert key.quantity == 1 and key.monthly_cost_usd == price.usd and key.unit == "key-months"
