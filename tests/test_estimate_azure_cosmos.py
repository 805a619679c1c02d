"""Azure Cosmos DB rules (estimate/rules/azure_cosmos.py): throughput where it is provisioned (a database's
shared RU/s or a container's own, manual or autoscale, in every region of the account), serverless request
units and storage on the account, and what is free. Prices come from the shipped catalog, never hard-coded."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.rules.azure_cosmos import ACCOUNTS, CONTAINERS, DATABASES
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
ACCOUNT = "azure-native:cosmosdb:DatabaseAccount"
SQLDB = "azure-native:cosmosdb:SqlResourceSqlDatabase"
SQLC = "azure-native:cosmosdb:SqlResourceSqlContainer"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        id=f"{name}-id",
    )


def run(*resources: PlannedResource, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure-native:location": "westus"}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def price(item: str, region: str = "westus") -> Decimal:
    row = CATALOG.service_price("azure", "cosmos-db", item, region)
    assert row is not None and row.usd is not None and row.region == region, f"cosmos-db {item} in {region}"
    return row.usd


def of(result: Estimate, resource: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == resource]


def account(name: str = "acct", *locations: tuple[str, bool], **extra: Any) -> PlannedResource:
    locs = [
        {"locationName": loc, "failoverPriority": i, "isZoneRedundant": zoned}
        for i, (loc, zoned) in enumerate(locations or [("West US", False)])
    ]
    return res(ACCOUNT, name, databaseAccountOfferType="Standard", locations=locs, **extra)


def test_shared_database_throughput_is_billed_in_every_region_and_its_containers_share_it() -> None:
    result = run(
        account("acct", ("Central US", False), ("West US", True)),
        res(SQLDB, "db", accountName="acct-id", options={"throughput": 400}),
        res(SQLC, "orders", accountName="acct-id", databaseName="db-id"),
        acct={"storageGiB": 10},
    )
    db = of(result, "db")
    assert [ln.region for ln in db] == ["centralus", "westus"], "in failover order"
    assert db[0].quantity == 4 * HOURS_PER_MONTH and db[0].monthly_cost_usd == 4 * HOURS_PER_MONTH * price(
        "ru-100-hour", "centralus"
    )
    zoned = 4 * D("1.25") * HOURS_PER_MONTH
    assert db[1].quantity == zoned and db[1].monthly_cost_usd == zoned * price("ru-100-hour")
    assert "zone-redundant × 1.25" in db[1].description
    (shared,) = [s for s in result.free if s.resource == "orders"]
    assert shared.reason == "shares the throughput of its database db (priced there)"
    storage = of(result, "acct")
    assert [(ln.region, ln.quantity) for ln in storage] == [("centralus", 10), ("westus", 10)]
    assert storage[0].monthly_cost_usd == 10 * price("storage-gb-month", "centralus")
    assert storage[1].monthly_cost_usd == 10 * price("storage-gb-month")
    assert all(ln.unit == "GB-months" for ln in storage), "no request-unit line on a provisioned account"


def test_autoscale_is_one_and_a_half_times_the_rate_on_its_average_share_at_least_a_tenth() -> None:
    def autoscale(share: float | None) -> Line:
        usage = {"hot": {"utilization": share}} if share is not None else {}
        result = run(
            account(),
            res(SQLC, "hot", accountName="acct-id", options={"autoscaleSettings": {"maxThroughput": 4000}}),
            **usage,
        )
        return line(result, "hot", "100 RU/s-hours")

    half = autoscale(0.5)
    assert half.quantity == 40 * D("0.5") * D("1.5") * HOURS_PER_MONTH
    assert half.monthly_cost_usd == half.quantity * price("ru-100-hour")
    assert any("at 1.5 × the manual rate" in a for a in half.assumptions)
    assert autoscale(0.02).quantity == 40 * D("0.1") * D("1.5") * HOURS_PER_MONTH, "billed at least 10 %"
    unknown = autoscale(None)
    assert unknown.monthly_cost_usd is None and unknown.reason == (
        "autoscale use unknown: set utilization (the average share of maxThroughput, 0.1 to 1) for hot in "
        "stacks/usage.t.yaml"
    )


def test_a_serverless_account_pays_request_units_and_storage_and_its_databases_are_free() -> None:
    result = run(
        account("sls", capabilities=[{"name": "EnableServerless"}]),
        res(SQLDB, "db", accountName="sls-id"),
        res(SQLC, "c", accountName="sls-id", databaseName="db-id"),
        sls={"requestUnitsMillions": 10, "storageGiB": 4},
    )
    units = line(result, "sls", "million RUs")
    assert units.quantity == 10 and units.monthly_cost_usd == 10 * price("serverless-ru-million")
    storage = line(result, "sls", "GB-months")
    assert storage.monthly_cost_usd == 4 * price("storage-gb-month")
    reasons = {s.resource: s.reason for s in result.free}
    assert "serverless account" in reasons["db"] and "serverless account" in reasons["c"]
    missing = line(run(account("sls", capabilities=[{"name": "EnableServerless"}])), "sls", "million RUs")
    assert missing.reason == "request units unknown: set requestUnitsMillions for sls in stacks/usage.t.yaml"


def test_a_multi_region_write_account_names_the_meter_the_catalog_lacks() -> None:
    result = run(
        account("multi", ("West US", True), ("Central US", False), enableMultipleWriteLocations=True),
        res(SQLC, "c", accountName="multi-id", options={"throughput": 1000}),
    )
    lines = of(result, "c")
    assert len(lines) == 2 and all(ln.monthly_cost_usd is None for ln in lines)
    assert all("item: multi-region-write-ru-100-hour" in ln.reason for ln in lines)
    assert lines[0].quantity == 10 * HOURS_PER_MONTH, "the zone-redundant factor is not applied to this meter"
    assert lines[0].description.endswith(", multi-region writes")


def test_a_container_with_no_throughput_anywhere_is_unpriced_and_a_bare_database_is_free() -> None:
    result = run(
        account(),
        res(SQLDB, "db", accountName="acct-id"),
        res(SQLC, "c", accountName="acct-id", databaseName="db-id"),
    )
    (c,) = of(result, "c")
    assert c.monthly_cost_usd is None and c.reason.startswith(
        "no options.throughput or options.autoscaleSettings on the container nor shared throughput on its "
        "database"
    )
    (db,) = [s for s in result.free if s.resource == "db"]
    assert db.reason == "database without shared throughput: its containers carry their own"
    storage = line(result, "acct", "GB-months")
    assert storage.reason == "stored amount unknown: set storageGiB for acct in stacks/usage.t.yaml"
    assert any("continuous backup and analytical storage are not priced" in a for a in storage.assumptions)


def test_other_apis_and_v2_documentdb_tokens_follow_the_same_rules() -> None:
    result = run(
        res("azure-native:documentdb:DatabaseAccount", "old", locations=[{"locationName": "westus"}]),
        res(
            "azure-native:documentdb:SqlResourceSqlContainer",
            "v2",
            accountName="old-id",
            options={"throughput": 400},
        ),
        account("cass"),
        res(
            "azure-native:cosmosdb:CassandraResourceCassandraKeyspace",
            "ks",
            accountName="cass-id",
            options={"throughput": 600},
        ),
        res(
            "azure-native:cosmosdb:CassandraResourceCassandraTable",
            "t",
            accountName="cass-id",
            keyspaceName="ks-id",
        ),
        res("azure-native:cosmosdb:TableResourceTable", "tbl", accountName="cass-id"),
    )
    assert line(result, "v2", "100 RU/s-hours").monthly_cost_usd == 4 * HOURS_PER_MONTH * price("ru-100-hour")
    assert line(result, "ks", "100 RU/s-hours").quantity == 6 * HOURS_PER_MONTH
    assert {s.resource for s in result.free} == {"t"}, "the table shares its keyspace's throughput"
    assert line(result, "tbl", "100 RU/s-hours").monthly_cost_usd is None, "a Table has no database to share"


def test_a_location_the_plan_cannot_know_is_the_accounts_own_region() -> None:
    result = run(
        res(ACCOUNT, "acct", locations=[{"locationName": UNKNOWN}]),
        res(SQLDB, "db", accountName="acct-id", options={"throughput": 400}),
    )
    # a location read from another resource's output (resource_group.location) is unknown in a preview
    assert [ln.region for ln in of(result, "db")] == ["westus"]
    whole = run(
        res(ACCOUNT, "acct", locations=UNKNOWN),
        res(SQLDB, "db", accountName="acct-id", options={"throughput": 400}),
    )
    assert [ln.region for ln in of(whole, "db")] == ["westus"], "a list unknown until apply is one region"


def test_a_throughput_that_is_not_a_number_is_an_invalid_input_naming_the_field() -> None:
    result = run(account(), res(SQLDB, "db", accountName="acct-id", options={"throughput": "lots"}))
    (invalid,) = result.invalid_inputs
    assert invalid.startswith(f"db ({SQLDB}): options.throughput = 'lots' is not a size in RU/s; give a size")


def test_a_negative_usage_value_is_refused_with_its_path_and_fix(tmp_path: Path) -> None:
    from aiinfra.estimate.usage import UsageFileError, read_usage_file

    path = tmp_path / "usage.yaml"
    path.write_text("resources:\n  acct:\n    requestUnitsMillions: -1\n")
    with pytest.raises(UsageFileError) as e:
        read_usage_file(path)
    assert "resources.acct.requestUnitsMillions: Input should be greater than or equal to 0" in str(e.value)
    assert "requestUnitsMillions" in str(e.value).rsplit("The usage file is a mapping", 1)[1]


def test_every_cosmos_token_is_a_real_v3_token_or_its_v2_spelling() -> None:
    import pulumi_azure_native

    root = Path(pulumi_azure_native.__file__).parent / "cosmosdb"
    for token in (*ACCOUNTS, *DATABASES, *CONTAINERS):
        package, module, kind = token.split(":")
        v3 = f"{package}:cosmosdb:{kind}"
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower().replace("mongo_d_b", "mongo_db")
        assert f"'{v3}'" in (root / f"{snake}.py").read_text(), v3
        assert module in ("cosmosdb", "documentdb")
