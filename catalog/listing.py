"""The rows `infra catalog` shows: offers with price per accelerator-hour, power and carbon side by side;
where an accelerator is offered; everything about one instance type. Pure functions over a Catalog."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from aiinfra.catalog.model import PURCHASE_OPTIONS, InstanceType, Offer
from aiinfra.catalog.power import PowerDraw, instance_power
from aiinfra.catalog.query import Catalog

ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class GpuOffer:
    """One instance type in one region, priced and with its footprint per accelerator-hour at full load."""

    cloud: str
    region: str
    zones: tuple[str, ...]
    instance_type: str
    accelerator: str | None
    """None for a CPU-only machine (shown by `show`, never by `gpus`); its per-accelerator fields are None."""
    accelerator_count: int
    on_demand_usd_per_hour: Decimal | None
    spot_usd_per_hour: Decimal | None
    usd_per_accelerator_hour: Decimal | None
    price_basis: str | None
    """The purchase option `usd_per_accelerator_hour` is computed from: on_demand, else the cheapest other
    option the type is sold by (p5e is capacity blocks only); None when the offer is unpriced."""
    board_power_w: int
    """Max board power of one accelerator."""
    instance_power_w: Decimal
    """Whole machine at full load, IT power before PUE."""
    pue: Decimal | None
    grid_g_per_kwh: Decimal | None
    co2e_kg_per_accelerator_hour: Decimal | None
    """instance_power_w / accelerator_count × PUE × grid, at full load; None without a grid figure."""
    source: str
    retrieved: str


def _basis(offer: Offer) -> tuple[Decimal | None, str | None]:
    if offer.on_demand is not None:
        return offer.on_demand, "on_demand"
    priced = [(offer.price(o), o) for o in PURCHASE_OPTIONS if offer.price(o) is not None]
    if not priced:
        return None, None
    price, option = min(priced, key=lambda p: p[0])  # type: ignore[arg-type,return-value]
    return price, option


def gpu_offer(
    catalog: Catalog, offer: Offer, machines: dict[str, tuple[InstanceType, PowerDraw]] | None = None
) -> GpuOffer:
    """One offer as a row; `machines` keeps each instance type's full-load draw across the rows of one
    listing (a type is offered in many regions)."""
    known = machines.get(offer.instance_type) if machines is not None else None
    if known is None:
        t = catalog.instance_type(offer.instance_type)
        known = (t, instance_power(catalog, t, ONE))
        if machines is not None:
            machines[offer.instance_type] = known
    t, draw = known
    price, basis = _basis(offer)
    count = t.accelerator_count
    per_acc = price / count if price is not None and count else None
    pue = catalog.pue(t.cloud, offer.region)
    grid = catalog.grid(t.cloud, offer.region)
    co2e = None
    if grid is not None and count:
        kwh = draw.power_w / t.accelerator_count / 1000 * (pue.pue if pue else ONE)
        co2e = kwh * grid.location_g_per_kwh / 1000
    return GpuOffer(
        cloud=t.cloud,
        region=offer.region,
        zones=offer.zones,
        instance_type=t.name,
        accelerator=t.accelerator,
        accelerator_count=t.accelerator_count,
        on_demand_usd_per_hour=offer.on_demand,
        spot_usd_per_hour=offer.spot,
        usd_per_accelerator_hour=per_acc,
        price_basis=basis,
        board_power_w=catalog.accelerator_power(t)[1],
        instance_power_w=draw.power_w,
        pue=pue.pue if pue else None,
        grid_g_per_kwh=grid.location_g_per_kwh if grid else None,
        co2e_kg_per_accelerator_hour=co2e,
        source=offer.source,
        retrieved=offer.retrieved.isoformat(),
    )


def gpu_offers(
    catalog: Catalog,
    *,
    accelerator: str | None = None,
    cloud: str | None = None,
    region: str | None = None,
) -> list[GpuOffer]:
    """Offers cheapest per accelerator-hour first; unpriced offers last, by name."""
    if accelerator is not None:
        accelerator = catalog.accelerator(accelerator).name  # unknown names fail with a suggestion
    machines: dict[str, tuple[InstanceType, PowerDraw]] = {}
    rows = [
        gpu_offer(catalog, o, machines)
        for o in catalog.offers(cloud=cloud, region=region, accelerator=accelerator)
    ]
    return sorted(
        rows,
        key=lambda r: (
            r.usd_per_accelerator_hour is None,
            r.usd_per_accelerator_hour or 0,
            r.cloud,
            r.region,
            r.instance_type,
        ),
    )


@dataclass(frozen=True, slots=True)
class Place:
    """A region that offers an accelerator, with the zones (where known) and the instance types."""

    cloud: str
    region: str
    location: str
    zones: tuple[str, ...]
    instance_types: tuple[str, ...]


def where(catalog: Catalog, accelerator: str, *, cloud: str | None = None) -> list[Place]:
    acc = catalog.accelerator(accelerator)
    by_region: dict[tuple[str, str], list[Offer]] = {}
    for o in catalog.offers(accelerator=acc.name, cloud=cloud):
        by_region.setdefault((o.cloud, o.region), []).append(o)
    places = []
    for (c, r), offers in sorted(by_region.items()):
        region = catalog.region(c, r)
        zones = sorted({z for o in offers for z in o.zones})
        places.append(
            Place(
                cloud=c,
                region=r,
                location=region.location if region else "",
                zones=tuple(zones),
                instance_types=tuple(sorted(o.instance_type for o in offers)),
            )
        )
    return places


@dataclass(frozen=True, slots=True)
class InstanceDetail:
    instance_type: InstanceType
    accelerator_power_idle_w: int
    accelerator_power_max_w: int
    offers: list[GpuOffer]
    power_method: str
    power_source: str


def show(catalog: Catalog, name: str) -> InstanceDetail:
    t = catalog.instance_type(name)
    idle, peak = catalog.accelerator_power(t)
    draw = instance_power(catalog, t, ONE)
    offers = [gpu_offer(catalog, o) for o in catalog.offers(instance_type=t.name)]
    return InstanceDetail(t, idle, peak, offers, draw.method, draw.source)
