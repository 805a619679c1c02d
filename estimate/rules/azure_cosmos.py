"""Azure Cosmos DB: an account and the databases, containers, keyspaces, graphs and tables that hold its
throughput, for every API (NoSQL, MongoDB, Cassandra, Gremlin, Table; azure-native v3 `cosmosdb` tokens and
v2 `documentdb` ones).

Throughput is billed where it is provisioned: a database's shared RU/s or a container's dedicated RU/s,
per 100 RU/s-hour in every region of the account (× 1.25 in a zone-redundant region); autoscale is billed
1.5 × that rate on the highest RU/s reached each hour, at least 10 % of its maximum (the usage file's
`utilization` gives the average share). An account with multi-region writes is billed on another meter.
A serverless account is billed per million request units (`requestUnitsMillions`) instead. Storage is billed
per GB-month in every region (`storageGiB`). Prices are `service_prices` rows (service cosmos-db)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.engine.inputs import value_kind
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import BadNumber, as_dict, as_list, unpriced
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import rule
from aiinfra.estimate.rules.azure_services import regional_charge
from aiinfra.estimate.rules.common import missing_usage, noted, text, usage_amount

D = Decimal
PACKAGES = ("cosmosdb", "documentdb")
"""azure-native v3's module name and v2's, for the same Cosmos DB types."""

AUTOSCALE_FACTOR = D("1.5")
"""Autoscale RU/s cost 1.5 × manual RU/s (single write region; infracost cosmosdb_cassandra_keyspace.go)."""
AUTOSCALE_FLOOR = D("0.1")
"""An autoscale throughput is billed at least 10 % of its maximum every hour."""
ZONE_REDUNDANT_FACTOR = D("1.25")
"""Provisioned RU/s in a zone-redundant region cost 1.25 × (infracost cosmosdb_cassandra_keyspace.go)."""


def tokens(*kinds: str) -> tuple[str, ...]:
    """`kinds` under both package names: "DatabaseAccount" → the v3 and the v2 token."""
    return tuple(f"azure-native:{p}:{k}" for k in kinds for p in PACKAGES)


ACCOUNTS = tokens("DatabaseAccount")
DATABASES = tokens(
    "SqlResourceSqlDatabase",
    "MongoDBResourceMongoDBDatabase",
    "CassandraResourceCassandraKeyspace",
    "GremlinResourceGremlinDatabase",
)
CONTAINERS = tokens(
    "SqlResourceSqlContainer",
    "MongoDBResourceMongoDBCollection",
    "CassandraResourceCassandraTable",
    "GremlinResourceGremlinGraph",
    "TableResourceTable",
)
PARENTS = {
    "SqlResourceSqlContainer": ("SqlResourceSqlDatabase", "databaseName"),
    "MongoDBResourceMongoDBCollection": ("MongoDBResourceMongoDBDatabase", "databaseName"),
    "CassandraResourceCassandraTable": ("CassandraResourceCassandraKeyspace", "keyspaceName"),
    "GremlinResourceGremlinGraph": ("GremlinResourceGremlinDatabase", "databaseName"),
}
"""A container kind's database kind and the input that names it (a Table has no database)."""


def _same_package(r: PlannedResource, kind: str) -> str:
    return f"{r.type.rsplit(':', 1)[0]}:{kind}"


def _account(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    return ctx.referenced(r.inputs.get("accountName"), _same_package(r, "DatabaseAccount"), r)


def _capabilities(account: PlannedResource) -> set[str]:
    return {text(as_dict(c).get("name")).lower() for c in as_list(account.inputs.get("capabilities"))}


def serverless(account: PlannedResource) -> bool:
    return "enableserverless" in _capabilities(account)


def _plain(value: Any) -> str:
    """A location name as the region key it prices in ("West US" → "westus"); "" for unknown values."""
    if not isinstance(value, str) or value_kind(value) is not None:
        return ""
    return value.replace(" ", "").lower()


def regions(
    account: PlannedResource | None, ctx: Context, near: PlannedResource
) -> list[tuple[str | None, bool]]:
    """(region, zone-redundant) of each of the account's `locations`, in failover order; a location the plan
    cannot know (an output) is the account's own region, and an account outside the plan is one region,
    the resource's."""
    if account is None:
        return [(ctx.region(near, "azure"), False)]
    own = ctx.region(account, "azure")
    found = sorted(
        (as_dict(loc) for loc in as_list(account.inputs.get("locations"))),
        key=lambda loc: p if isinstance(p := loc.get("failoverPriority"), int) else 0,
    )
    out = [(_plain(loc.get("locationName")) or own, loc.get("isZoneRedundant") is True) for loc in found]
    return out or [(own, False)]


def _multi_write(account: PlannedResource | None) -> bool:
    return account is not None and account.inputs.get("enableMultipleWriteLocations") is True


# -- the account ------------------------------------------------------------------------------------------------


@rule(*ACCOUNTS)
def database_account(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Storage in every region (`storageGiB`); a serverless account also its request units. Throughput is
    priced on the databases and containers that provision it."""
    places = regions(r, ctx, r)
    usage = ctx.usage_for(r)
    gb = usage_amount(usage.storage_gib)
    charges: list[Charge] = []
    notes = [
        "periodic backup's two copies are included; continuous backup and analytical storage are not priced"
    ]
    if r.inputs.get("enableFreeTier") is True:
        notes.append("free tier (the first 1,000 RU/s and 25 GB of the account) is not deducted")
    if serverless(r):
        place, zoned = places[0]
        units = usage_amount(usage.request_units_millions)
        charges.append(
            noted(
                regional_charge(
                    r,
                    ctx,
                    "cosmos-db",
                    "serverless-ru-million",
                    units * ZONE_REDUNDANT_FACTOR if units is not None and zoned else units,
                    "million RUs",
                    "Cosmos DB serverless request units" + (" (zone-redundant, × 1.25)" if zoned else ""),
                    missing_usage(ctx, r, "request units", "requestUnitsMillions"),
                    region=place,
                ),
                *notes,
            )
        )
        notes = []
    for place, _ in places:
        charges.append(
            noted(
                regional_charge(
                    r,
                    ctx,
                    "cosmos-db",
                    "storage-gb-month",
                    gb,
                    "GB-months",
                    f"Cosmos DB transactional storage ({place or 'region unknown'})",
                    missing_usage(ctx, r, "stored amount", "storageGiB"),
                    region=place,
                ),
                *notes,
            )
        )
        notes = []
    return charges


# -- throughput ---------------------------------------------------------------------------------------------------


def _throughput(r: PlannedResource) -> tuple[Decimal | None, Decimal | None]:
    """(manual RU/s, autoscale max RU/s) from `options`; a value that is not a number raises BadNumber."""
    options = as_dict(r.inputs.get("options"))
    manual = size_of(options.get("throughput"), "options.throughput", unit="RU/s")
    auto = size_of(
        as_dict(options.get("autoscaleSettings")).get("maxThroughput"),
        "options.autoscaleSettings.maxThroughput",
        unit="RU/s",
    )
    return manual, auto


def _throughput_charges(
    r: PlannedResource,
    ctx: Context,
    account: PlannedResource | None,
    manual: Decimal | None,
    auto: Decimal | None,
) -> list[Charge]:
    multi = _multi_write(account)
    item = "multi-region-write-ru-100-hour" if multi else "ru-100-hour"
    share: Decimal | None = None
    if auto is not None:
        given = usage_amount(ctx.usage_for(r).utilization)
        share = max(given, AUTOSCALE_FLOOR) if given is not None else None
    charges = []
    for place, zoned in regions(account, ctx, r):
        factor = D(1)
        what = f"{manual:,.0f} RU/s" if manual is not None else f"autoscale up to {auto:,.0f} RU/s"
        if auto is not None and not multi:
            factor *= AUTOSCALE_FACTOR
        if manual is not None and zoned and not multi:
            factor *= ZONE_REDUNDANT_FACTOR
            what += ", zone-redundant × 1.25"
        if manual is not None:
            hundreds: Decimal | None = manual / 100
        else:
            assert auto is not None
            hundreds = auto / 100 * share if share is not None else None
        line = regional_charge(
            r,
            ctx,
            "cosmos-db",
            item,
            hundreds * factor * HOURS_PER_MONTH if hundreds is not None else None,
            "100 RU/s-hours",
            f"Cosmos DB throughput {what} ({place or 'region unknown'})"
            + (", multi-region writes" if multi else ""),
            f"autoscale use unknown: set utilization (the average share of maxThroughput, 0.1 to 1) for "
            f"{r.name} in {ctx.usage_path}",
            region=place,
        )
        if auto is not None:
            line = noted(
                line,
                "autoscale: billed on the highest RU/s each hour, at least 10 % of the maximum"
                + ("" if multi else ", at 1.5 × the manual rate"),
            )
        charges.append(line)
    return charges


@rule(*DATABASES)
def database(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A database (keyspace) with shared throughput: its RU/s in every region; without: nothing."""
    account = _account(r, ctx)
    if account is not None and serverless(account):
        return Free("database of a serverless account: billed per request unit on the account")
    manual, auto = _throughput(r)
    if manual is None and auto is None:
        return Free("database without shared throughput: its containers carry their own")
    return _throughput_charges(r, ctx, account, manual, auto)


@rule(*CONTAINERS)
def container(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A container (collection, table, graph) with dedicated throughput: its RU/s in every region; without:
    nothing when its database shares throughput, else unpriced (the service's default applies)."""
    account = _account(r, ctx)
    if account is not None and serverless(account):
        return Free("container of a serverless account: billed per request unit on the account")
    manual, auto = _throughput(r)
    if manual is not None or auto is not None:
        return _throughput_charges(r, ctx, account, manual, auto)
    parent_kind, key = PARENTS.get(r.type.rsplit(":", 1)[1], ("", ""))
    parent = ctx.referenced(r.inputs.get(key), _same_package(r, parent_kind), r) if parent_kind else None
    if parent is not None and _shares(parent):
        return Free(f"shares the throughput of its database {parent.name} (priced there)")
    return [
        unpriced(
            "Cosmos DB container throughput",
            "100 RU/s-hours",
            "no options.throughput or options.autoscaleSettings on the container nor shared throughput on its "
            "database: Azure then provisions its default dedicated throughput, which this estimate does not "
            "assume; set options.throughput",
        )
    ]


def _shares(database: PlannedResource) -> bool:
    """Whether a database provisions throughput (a bad value counts: that database's own line says so)."""
    try:
        return any(v is not None for v in _throughput(database))
    except BadNumber:
        return True
