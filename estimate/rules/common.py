"""What the per-cloud rule modules share: the managed-service energy note and one catalog-priced item of a
service whose missing price names the row to add. Registers no rule."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.model import Charge, Free
from aiinfra.estimate.storage import MANAGED, service_charge

__all__ = ["MANAGED", "item_charge", "missing_usage", "noted", "services_file", "text", "usage_amount"]


def services_file(cloud: str) -> str:
    return f"catalog/data/{cloud}/services.yaml"


def item_charge(
    r: PlannedResource,
    ctx: Context,
    service: str,
    item: str,
    quantity: Decimal | None,
    unit: str,
    description: str,
    missing: str = "",
    *,
    cloud: str,
    region: str | None = None,
) -> Charge:
    """`quantity` × the catalog's price of `service`/`item` in `region` (else `r`'s); a missing price names
    the row to add (or, for a service with a price table, what the table lacks and where it prices the item),
    and a missing quantity says `missing` (which usage key to set)."""
    charge = service_charge(
        ctx,
        cloud=cloud,
        region=region or region_of(r, ctx, cloud),
        service=service,
        item=item,
        quantity=quantity,
        unit=unit,
        description=description,
        energy_note=MANAGED,
        missing_quantity=missing,
    )
    if quantity is not None and charge.unit_price_usd is None:
        where = charge.region or "*"
        return dataclasses.replace(
            charge,
            reason=ctx.catalog.service_gap(cloud, service, item, where)
            or _missing_row(ctx, cloud, service, item, where),
        )
    return charge


def _missing_row(ctx: Context, cloud: str, service: str, item: str, region: str) -> str:
    """The catalog row a priced item lacks in `region`, and the regions that have one."""
    elsewhere = ctx.catalog.service_regions(cloud, service, item)
    priced = f"; services.yaml prices it in {', '.join(elsewhere)}" if elsewhere else ""
    return (
        f"no price for {service} {item} in {region} in the catalog; add a service_prices row (service: "
        f"{service}, item: {item}) for region {region} to {services_file(cloud)}{priced}"
    )


def stand_in(r: PlannedResource, type_token: str, inputs: dict[str, Any]) -> PlannedResource:
    """A resource that a component (or a resource of another provider) is or creates, where `r` is (same URN,
    name, provider and parent), to price it by that resource's own rule."""
    return dataclasses.replace(r, type=type_token, inputs=inputs, custom=True, remote=False, outputs={})


def priced(answer: list[Charge] | Free) -> list[Charge]:
    """The charges a rule gave a stand-in (the rules stand-ins are handed to never answer Free for them)."""
    assert not isinstance(answer, Free), answer
    return answer


def usage_amount(value: float | None) -> Decimal | None:
    """A usage-file quantity as an exact Decimal (through str, so 0.1 stays 0.1); not given stays None."""
    return Decimal(str(value)) if value is not None else None


def missing_usage(ctx: Context, r: PlannedResource, what: str, key: str) -> str:
    """The reason of a usage-based line whose quantity the usage file does not give."""
    return f"{what} unknown: set {key} for {r.name} in {ctx.usage_path}"


def text(value: Any) -> str:
    """A value as stripped text; None and "" as ""."""
    return str(value).strip() if value not in (None, "") else ""


def noted(c: Charge, *notes: str) -> Charge:
    return dataclasses.replace(c, assumptions=(*c.assumptions, *notes))
