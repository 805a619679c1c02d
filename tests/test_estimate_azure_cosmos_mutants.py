"""What the first measured mutation run of estimate/rules/azure_cosmos.py (seed 1, sample 60; 81.7 %) found
unchecked: MongoDB collections and Gremlin graphs sharing their database's throughput, the account's locations
read by name and ordered by failover priority, a serverless account's zone-redundant request units, and the free
tier note."""

from __future__ import annotations

from tests.conftest import line
from tests.test_estimate_azure_cosmos import ACCOUNT, account, of, price, res, run

COSMOS = "azure-native:cosmosdb"


def test_mongo_collections_and_gremlin_graphs_share_their_databases_throughput() -> None:
    result = run(
        account(),
        res(
            f"{COSMOS}:MongoDBResourceMongoDBDatabase",
            "mdb",
            accountName="acct-id",
            options={"throughput": 400},
        ),
        res(
            f"{COSMOS}:MongoDBResourceMongoDBCollection", "coll", accountName="acct-id", databaseName="mdb-id"
        ),
        res(
            f"{COSMOS}:GremlinResourceGremlinDatabase",
            "gdb",
            accountName="acct-id",
            options={"throughput": 400},
        ),
        res(f"{COSMOS}:GremlinResourceGremlinGraph", "graph", accountName="acct-id", databaseName="gdb-id"),
    )
    assert {s.resource for s in result.free} == {"coll", "graph"}
    assert of(result, "coll") == [] and of(result, "graph") == []


def serverless(*locations: dict[str, object]) -> object:
    return res(ACCOUNT, "sls", capabilities=[{"name": "EnableServerless"}], locations=list(locations))


def test_request_units_are_billed_in_the_first_failover_region_by_name() -> None:
    """A location without a failoverPriority counts as 0, ahead of priority 1; "West US" is westus."""
    result = run(
        serverless({"locationName": "Central US", "failoverPriority": 1}, {"locationName": "West US"}),
        sls={"requestUnitsMillions": 10},
    )
    units = line(result, "sls", "million RUs")
    assert units.region == "westus"
    assert units.monthly_cost_usd == 10 * price("serverless-ru-million")


def test_storage_is_billed_in_the_regions_the_locations_name_not_the_accounts_own() -> None:
    result = run(account("acct", ("Central US", False)), acct={"storageGiB": 10})
    storage = line(result, "acct", "GB-months")
    assert storage.region == "centralus"
    assert storage.monthly_cost_usd == 10 * price("storage-gb-month", "centralus")


def test_zone_redundant_request_units_cost_a_quarter_more_and_no_locations_is_not_zone_redundant() -> None:
    zoned = run(
        serverless({"locationName": "West US", "failoverPriority": 0, "isZoneRedundant": True}),
        sls={"requestUnitsMillions": 8},
    )
    units = line(zoned, "sls", "million RUs")
    assert units.quantity == 10 and units.description.endswith("(zone-redundant, × 1.25)")
    plain = line(run(serverless(), sls={"requestUnitsMillions": 8}), "sls", "million RUs")
    assert plain.quantity == 8 and "zone-redundant" not in plain.description


def test_the_free_tier_is_named_only_on_an_account_that_takes_it() -> None:
    note = "free tier (the first 1,000 RU/s and 25 GB of the account) is not deducted"
    free = line(run(account("f", enableFreeTier=True)), "f", "GB-months")
    assert note in free.assumptions
    paid = line(run(account("p", enableFreeTier=False)), "p", "GB-months")
    assert note not in paid.assumptions


def test_an_account_without_locations_is_priced_in_the_stacks_azure_region() -> None:
    storage = line(run(res(ACCOUNT, "bare"), bare={"storageGiB": 2}), "bare", "GB-months")
    assert storage.region == "westus", "azure-native:location of the stack"
    assert storage.monthly_cost_usd == 2 * price("storage-gb-month")
