"""Charges for stored bytes and for flat-rate managed services, shared by every cloud's rules."""

from __future__ import annotations

from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Power

MANAGED = "managed service: energy not modelled (no public power figure)"
"""The energy note of a managed service's line: no public power figure to model it from."""

GIB_PER_TB = Decimal("931.3225746154785")  # 10^12 / 2^30: a GiB-month is 1/931 of a TB-month


def storage_charge(
    ctx: Context,
    *,
    cloud: str,
    region: str | None,
    service: str,
    tier: str,
    gib: Decimal | None,
    media: str,
    description: str,
    missing_quantity: str = "",
) -> Charge:
    """`gib` GiB-months of `service`/`tier`. `gib` None = the amount is usage the plan cannot know: the line
    is carried unpriced with `missing_quantity` as the reason."""
    price = ctx.catalog.storage_price(cloud, service, tier, region) if region else None
    unit_price = price.usd_per_gib_month if price is not None else None
    assumptions: list[str] = []
    if price is not None and price.region == "*" and region:
        assumptions.append(
            f"{service} {tier}: no {region} price in the catalog, the catalog's default applies"
        )
    if gib is None:
        reason = missing_quantity
    elif region is None:
        reason = "the region is unknown"
    elif price is None:
        reason = f"no {service} {tier} price in {region} in the catalog"
    elif unit_price is None:  # the catalog names the tier but its price is not public
        reason = f"{service} {tier}: price not published in the catalog ({price.source})"
    else:
        reason = ""
    power = None
    coefficient = ctx.catalog.storage_power(media)
    if gib is not None and coefficient is not None:
        replication = price.replication if price is not None else 1
        tb = gib / GIB_PER_TB
        kwh = tb * replication * coefficient.w_per_tb * HOURS_PER_MONTH / 1000
        power = Power(
            kwh,
            f"{tb:.2f} TB × {replication} copies × {coefficient.w_per_tb} W/TB ({media}) × {HOURS_PER_MONTH} h",
            coefficient.source,
        )
    return Charge(
        description=description,
        quantity=gib if gib is not None else Decimal(0),
        unit="GiB-months",
        unit_price_usd=unit_price if reason == "" else None,
        source=price.source if price is not None else "",
        reason=reason,
        power=power,
        energy_note="" if power is not None else "amount unknown",
        assumptions=tuple(assumptions),
        region=region,
    )


def service_charge(
    ctx: Context,
    *,
    cloud: str,
    region: str | None,
    service: str,
    item: str,
    quantity: Decimal | None,
    unit: str,
    description: str,
    energy_note: str,
    missing_quantity: str = "",
) -> Charge:
    """`quantity` × the catalog's price of one `item` of a managed service (control plane hours, NAT
    gateway hours and GB, public IPs, keys). Energy is not modelled for these: `energy_note` says so."""
    price = ctx.catalog.service_price(cloud, service, item, region or "*")
    if quantity is None:
        reason = missing_quantity
    elif price is None or price.usd is None:
        reason = f"no {service} {item} price in the catalog"
    else:
        reason = ""
    return Charge(
        description=description,
        quantity=quantity if quantity is not None else Decimal(0),
        unit=unit,
        unit_price_usd=price.usd if price is not None and reason == "" else None,
        source=price.source if price is not None else "",
        reason=reason,
        energy_note=energy_note,
        region=region,
    )


def nat_gateway_charges(
    r: PlannedResource, ctx: Context, *, cloud: str, region: str | None, description: str = "NAT gateway"
) -> list[Charge]:
    """A managed NAT gateway: its hours, and the GB it processes (usage `dataProcessedGB`; unpriced with
    the fix when the usage file does not say)."""
    usage = ctx.usage_for(r)
    gb = Decimal(str(usage.data_processed_gb)) if usage.data_processed_gb is not None else None
    return [
        service_charge(
            ctx,
            cloud=cloud,
            region=region,
            service="nat-gateway",
            item="gateway-hour",
            quantity=HOURS_PER_MONTH,
            unit="gateway-hours",
            description=description,
            energy_note=MANAGED,
        ),
        service_charge(
            ctx,
            cloud=cloud,
            region=region,
            service="nat-gateway",
            item="gb-processed",
            quantity=gb,
            unit="GB processed",
            description="NAT gateway data processing",
            energy_note=MANAGED,
            missing_quantity=f"traffic unknown: set dataProcessedGB for {r.name} in {ctx.usage_path}",
        ),
    ]
