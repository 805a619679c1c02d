"""Azure Database for PostgreSQL flexible server (azure-native `dbforpostgresql:Server`, the classic provider's
`postgresql/flexibleServer:FlexibleServer`): the most used managed database of the Azure programs tried
(jaxxstorm/pulumi-examples azure flexible_server declared one, and came out *not estimated*).

A server bills its compute by the hour at its SKU's price (`sku.name` `Standard_D4s_v3` + `sku.tier`, or the
classic `skuName` `GP_Standard_D4s_v3`: tier prefix B, GP or MO) and its provisioned storage per GB-month
(`storage.storageSizeGB`, classic `storageMb`). With high availability (`highAvailability.mode` ZoneRedundant or
SameZone) Azure deploys a standby server beside the primary ("Deploying two servers; a primary in one zone,
and a secondary in a physically separate zone", azure.github.io/PSRule.Rules.Azure Azure.PostgreSQL.ZoneRedundantHA,
read 2026-12-05): its compute and storage are priced as a second server of the same SKU, and the line says so.
Backup storage beyond the server's size and a stopped server's hours are not modelled. Prices are
`postgresql-flexible` rows of catalog/data/azure/services.yaml: item `<SKU>` per server-hour (the SKU without
the classic tier prefix), `storage-gb-month` per GB-month."""

from __future__ import annotations

import functools
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, size
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.rules.common import item_charge
from aiinfra.estimate.rules.common import noted as _note
from aiinfra.estimate.rules.common import text as _text

D = Decimal
CLOUD = "azure"
SERVICE = "postgresql-flexible"
NATIVE = "azure-native:dbforpostgresql:Server"
CLASSIC = "azure:postgresql/flexibleServer:FlexibleServer"
TIER_PREFIXES = frozenset({"B", "GP", "MO"})
"""The classic provider's `skuName` prefixes: Burstable, General Purpose, Memory Optimized."""
HA_MODES = ("zoneredundant", "samezone")

_charge = functools.partial(item_charge, cloud=CLOUD)


def classic_sku(sku_name: str) -> str:
    """`GP_Standard_D4s_v3` → `Standard_D4s_v3` (the classic provider prefixes the tier: B, GP or MO)."""
    prefix, _, rest = sku_name.partition("_")
    return rest if prefix in TIER_PREFIXES and rest else sku_name


def _server(r: PlannedResource, ctx: Context, sku: str, size_gb: Decimal | None, ha: bool) -> list[Charge]:
    servers = D(2) if ha else D(1)
    standby = "; with high availability, a standby server of the same SKU and storage (× 2)" if ha else ""
    what = f"PostgreSQL flexible server {sku}" if sku else "PostgreSQL flexible server"
    compute = (
        _charge(r, ctx, SERVICE, sku, HOURS_PER_MONTH * servers, "server-hours", f"{what}: compute{standby}")
        if sku
        else _charge(
            r,
            ctx,
            SERVICE,
            "sku",
            None,
            "server-hours",
            f"{what}: compute",
            "no SKU: set sku.name (classic: skuName)",
        )
    )
    storage = _charge(
        r,
        ctx,
        SERVICE,
        "storage-gb-month",
        None if size_gb is None else size_gb * servers,
        "GB-months",
        f"{what}: provisioned storage{standby}",
        "storage size left to Azure: set storage.storageSizeGB (classic: storageMb)",
    )
    return [
        _note(compute, "backup storage beyond the server's size and stopped hours are not modelled"),
        storage,
    ]


@rule(NATIVE)
def native_server(r: PlannedResource, ctx: Context) -> list[Charge]:
    sku = _text(as_dict(ctx.value(r, "sku")).get("name"))
    gb = size(as_dict(ctx.value(r, "storage")).get("storageSizeGB"), "storage.storageSizeGB", unit="GB")
    mode = _text(as_dict(r.inputs.get("highAvailability")).get("mode")).lower()
    return _server(r, ctx, sku, gb, mode in HA_MODES)


@rule(CLASSIC)
def classic_server(r: PlannedResource, ctx: Context) -> list[Charge]:
    sku = classic_sku(_text(ctx.value(r, "skuName")))
    mb = size(ctx.value(r, "storageMb"), "storageMb", unit="MB", per_gib=D(1) / D(1024))
    mode = _text(as_dict(r.inputs.get("highAvailability")).get("mode")).lower()
    return _server(r, ctx, sku, None if mb is None else mb / D(1024), mode in HA_MODES)


free(
    "PostgreSQL flexible server configuration (database, firewall rule, server parameter, administrator): "
    "no charge (the server is priced)",
    "azure-native:dbforpostgresql:Database",
    "azure-native:dbforpostgresql:FirewallRule",
    "azure-native:dbforpostgresql:Configuration",
    "azure-native:dbforpostgresql:Administrator",
    "azure:postgresql/flexibleServerDatabase:FlexibleServerDatabase",
    "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
    "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
)
