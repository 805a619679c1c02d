"""Azure integration and delivery: Logic Apps (Consumption) workflows and their API connections, CDN profiles
and endpoints, and a storage account's static website.

A Consumption workflow costs nothing while it does not run: it is billed per action (and trigger) execution
and per standard connector call, which the usage file gives (`actionExecutions`, `connectorExecutions`). An
API connection is billed through the workflow's connector calls. A classic CDN profile costs nothing by
itself; its endpoints are billed per GB delivered (`dataProcessedGB`), in volume tiers by the profile's SKU.
An Azure Front Door Standard or Premium profile (a cdn:Profile too) has a monthly base fee. Prices are
`service_prices` rows (services logic-apps, cdn, front-door); where none was read from a citable source the
line is unpriced and names the row to add."""

from __future__ import annotations

import functools
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.azure_services import regional_charge
from aiinfra.estimate.rules.common import missing_usage, noted, text, usage_amount

D = Decimal
PROFILE = "azure-native:cdn:Profile"
FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real azure-native token)."""

# -- Logic Apps ------------------------------------------------------------------------------------------------


@rule("azure-native:logic:Workflow")
def workflow(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A Consumption workflow: its action executions and standard connector calls a month (usage file)."""
    if text(r.inputs.get("state")).lower() in ("disabled", "suspended", "deleted"):
        return Free(f"workflow in state {text(r.inputs.get('state'))}: it does not run, no charge")
    usage = ctx.usage_for(r)
    return [
        noted(
            regional_charge(
                r,
                ctx,
                "logic-apps",
                "action-execution",
                usage_amount(usage.action_executions),
                "executions",
                "Logic Apps (Consumption): built-in action and trigger executions",
                missing_usage(ctx, r, "action executions", "actionExecutions"),
            ),
            "enterprise connector calls, integration accounts and data retention are not priced",
        ),
        regional_charge(
            r,
            ctx,
            "logic-apps",
            "standard-connector-execution",
            usage_amount(usage.connector_executions),
            "executions",
            "Logic Apps (Consumption): standard connector calls",
            missing_usage(ctx, r, "connector calls", "connectorExecutions"),
        ),
    ]


# -- CDN -----------------------------------------------------------------------------------------------------------

FRONT_DOOR_SKUS = ("standard_azurefrontdoor", "premium_azurefrontdoor")
FIRST_TIER_GB = D(10_000)
"""The first volume tier of classic CDN data transfer: 10 TB a month (infracost cdn_endpoint.go's tiers)."""


def _sku(profile: PlannedResource | None) -> str:
    return text(as_dict(profile.inputs.get("sku")).get("name")) if profile is not None else ""


@rule(PROFILE)
def cdn_profile(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A classic CDN profile is free (its endpoints carry the traffic); Front Door Standard or Premium pays a
    base fee a month."""
    sku = _sku(r)
    if sku.lower() not in FRONT_DOOR_SKUS:
        return Free("CDN profile: no charge by itself (data transfer is priced on its endpoints)")
    return [
        noted(
            regional_charge(
                r,
                ctx,
                "front-door",
                f"{sku}-base-month",
                D(1),
                "profile-months",
                f"Azure Front Door {sku} base fee",
            ),
            "requests and data transfer of its endpoints are not priced",
        )
    ]


@rule("azure-native:cdn:Endpoint")
def cdn_endpoint(r: PlannedResource, ctx: Context) -> list[Charge]:
    """GB delivered a month (`dataProcessedGB`) at its profile SKU's tiered rates: the first 10 TB, then the
    rest (a later tier's row)."""
    profile = ctx.referenced(r.inputs.get("profileName"), PROFILE, r)
    sku = _sku(profile) or "(profile SKU unknown)"
    gb = usage_amount(ctx.usage_for(r).data_processed_gb)
    first = min(gb, FIRST_TIER_GB) if gb is not None else None
    charges = [
        noted(
            regional_charge(
                r,
                ctx,
                "cdn",
                f"{sku}/first-10tb-gb",
                first,
                "GB",
                f"CDN {sku}: data transfer out, first 10 TB",
                missing_usage(ctx, r, "data transfer out", "dataProcessedGB"),
            ),
            "Zone 1 rate (North America, Europe); traffic delivered from other zones costs more",
            "rules engine rules and requests are not priced",
        )
    ]
    if gb is not None and gb > FIRST_TIER_GB:
        charges.append(
            regional_charge(
                r,
                ctx,
                "cdn",
                f"{sku}/over-10tb-gb",
                gb - FIRST_TIER_GB,
                "GB",
                f"CDN {sku}: data transfer out above 10 TB",
            )
        )
    return charges


# -- free types ------------------------------------------------------------------------------------------------

_free = functools.partial(free_listed, FREE_TYPES)
"""Register types that cost nothing by themselves (`registry.free_listed`)."""

_free(
    "API connection: no charge by itself (a workflow's calls through it are priced on the workflow as "
    "connector executions)",
    "azure-native:web:Connection",
)
_free(
    "static website: a setting on its storage account (storage and transactions are priced on the account)",
    "azure-native:storage:StorageAccountStaticWebsite",
)
