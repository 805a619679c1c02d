"""Azure Database for PostgreSQL flexible server, both providers: compute per server-hour by SKU, provisioned
storage per GB-month, a high-availability standby as a second server; amounts from the catalog rows used."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate, Line
from aiinfra.estimate.rules.azure_postgres import CLASSIC, NATIVE, classic_sku

CATALOG = default_catalog()


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={})
    return estimate(graph, CATALOG, usage_path="stacks/usage.t.yaml")


def price(item: str, region: str) -> Decimal:
    found = CATALOG.service_price("azure", "postgresql-flexible", item, region)
    assert found is not None, f"no row {item} {region}"
    return found.usd


def lines(result: Estimate, name: str) -> dict[str, Line]:
    return {ln.unit: ln for ln in result.lines if ln.resource == name}


def test_a_native_server_bills_its_sku_hours_and_provisioned_storage() -> None:
    result = run(
        res(
            NATIVE,
            "db",
            location="westus",
            sku={"name": "Standard_D4s_v3", "tier": "GeneralPurpose"},
            storage={"storageSizeGB": 128},
        ),
        res("azure-native:dbforpostgresql:Database", "app", serverName="db"),
        res("azure-native:dbforpostgresql:FirewallRule", "office", serverName="db"),
    )
    assert not result.unsupported and not result.unpriced
    got = lines(result, "db")
    assert got["server-hours"].quantity == HOURS_PER_MONTH
    assert got["server-hours"].monthly_cost_usd == HOURS_PER_MONTH * price("Standard_D4s_v3", "westus")
    assert got["GB-months"].monthly_cost_usd == 128 * price("storage-gb-month", "westus")
    assert "standby" not in got["server-hours"].description
    assert sorted(f.resource for f in result.free) == ["app", "office"]


def test_high_availability_bills_a_standby_of_the_same_sku_and_storage() -> None:
    result = run(
        res(
            NATIVE,
            "db",
            location="westus",
            sku={"name": "Standard_E4s_v3", "tier": "MemoryOptimized"},
            storage={"storageSizeGB": 64},
            highAvailability={"mode": "ZoneRedundant"},
        ),
    )
    got = lines(result, "db")
    assert got["server-hours"].quantity == 2 * HOURS_PER_MONTH
    assert got["server-hours"].monthly_cost_usd == 2 * HOURS_PER_MONTH * price("Standard_E4s_v3", "westus")
    assert got["GB-months"].quantity == 128
    assert "standby server of the same SKU" in got["server-hours"].description
    disabled = run(
        res(
            NATIVE,
            "db",
            location="westus",
            sku={"name": "Standard_E4s_v3"},
            highAvailability={"mode": "Disabled"},
        )
    )
    assert lines(disabled, "db")["server-hours"].quantity == HOURS_PER_MONTH


def test_the_classic_server_drops_the_tier_prefix_and_reads_storage_in_mb() -> None:
    assert classic_sku("GP_Standard_D4s_v3") == "Standard_D4s_v3"
    assert classic_sku("B_Standard_B1ms") == "Standard_B1ms"
    assert classic_sku("Standard_B1ms") == "Standard_B1ms", "no prefix: as given"
    result = run(res(CLASSIC, "db", location="eastus", skuName="B_Standard_B1ms", storageMb=32768))
    got = lines(result, "db")
    assert got["server-hours"].monthly_cost_usd == HOURS_PER_MONTH * price("Standard_B1ms", "eastus")
    assert got["GB-months"].quantity == 32
    assert got["GB-months"].monthly_cost_usd is None, "no eastus storage row: unpriced, never $0"
    assert got["GB-months"].reason.startswith("no price for postgresql-flexible storage-gb-month in eastus")
    assert got["GB-months"].reason.endswith("services.yaml prices it in westus"), "where a row exists"


def test_a_server_without_storage_size_or_sku_is_unpriced_naming_the_field() -> None:
    got = lines(run(res(NATIVE, "db", location="westus")), "db")
    assert got["server-hours"].monthly_cost_usd is None and "set sku.name" in got["server-hours"].reason
    assert got["GB-months"].monthly_cost_usd is None and "storage.storageSizeGB" in got["GB-months"].reason


def test_a_storage_size_that_is_not_a_number_is_bad_input_naming_the_field() -> None:
    result = run(
        res(NATIVE, "db", location="westus", sku={"name": "Standard_B1ms"}, storage={"storageSizeGB": "lots"})
    )
    assert any("storage.storageSizeGB" in problem for problem in result.invalid_inputs), result.invalid_inputs
    assert not any(ln.unit == "GB-months" and ln.monthly_cost_usd is not None for ln in result.lines)
