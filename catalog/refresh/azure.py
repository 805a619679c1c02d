"""Azure Retail Prices API (`https://prices.azure.com/api/retail/prices`) → `Offer` rows.

Each item is one meter: `armSkuName` (the VM size, e.g. `Standard_ND96isr_H100_v5`), `armRegionName`,
`retailPrice` in USD, `unitOfMeasure` (`1 Hour`), `type` and `productName` / `skuName`:

- `type: Consumption`: pay as you go → `on_demand`, or `spot` when `skuName` ends in "Spot";
  "Low Priority" meters (the retired Batch / scale-set tier) are not spot and are skipped;
- `type: Reservation`, `reservationTerm: 1 Year / 3 Years`: `retailPrice` is the price of the **whole
  term** even though `unitOfMeasure` still says "1 Hour" — divided by 8,760 / 26,280 hours to get the
  effective hourly `commit_1y` / `commit_3y` (the trap is storing 350,400 $/h);
- `type: DevTestConsumption`: Dev/Test subscription rates, not a public price → skipped;
- a `productName` containing "Windows" includes the Windows licence → skipped (the catalog is Linux);
- `isPrimaryMeterRegion: false`: a copy of another region's meter → skipped.

Azure has no capacity-block product, so a refresh covers on_demand, spot, commit_1y and commit_3y.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aiinfra.catalog.model import Offer
from aiinfra.catalog.refresh import PriceTable, RefreshResult, SkipLog, by_lower, plain_prices, usd

OPTIONS = ("on_demand", "spot", "commit_1y", "commit_3y")

HOURS_PER_TERM = {"1 Year": (Decimal(8760), "commit_1y"), "3 Years": (Decimal(26280), "commit_3y")}
"""Reservation terms → hours in the term (Azure bills 730 h a month, 8,760 h a year) and the option."""

HOURLY_PLACES = Decimal("1e-10")
"""A reservation total / hours rarely divides evenly; ten decimal places, as AWS publishes its rates."""


def parse_azure_prices(
    doc: Mapping[str, Any] | Iterable[Mapping[str, Any]],
    instance_types: Collection[str],
    *,
    retrieved: dt.date,
    source: str,
) -> RefreshResult:
    """Parse one Retail Prices response (`{"Items": [...], "NextPageLink": ...}`), or the items of several
    pages joined. Load the JSON with `json.loads(text, parse_float=Decimal)` to keep prices exact."""
    items = doc.get("Items", []) if isinstance(doc, Mapping) else doc
    known = by_lower(instance_types)
    skips = SkipLog()
    # (name, region, option) → (effectiveStartDate, price, description): the newest price wins
    latest: dict[tuple[str, str, str], tuple[str, Decimal, str]] = {}

    for item in items:
        if item.get("serviceName", "Virtual Machines") != "Virtual Machines":
            continue
        raw = str(item.get("armSkuName", ""))
        name = known.get(raw.lower())
        if name is None:
            if raw:
                skips.unknown(raw)
            continue
        region = str(item.get("armRegionName", ""))
        where = f"{name} {region or '?'} ({item.get('skuName', '')!s}, {item.get('type', '')!s})"
        product = str(item.get("productName", ""))
        sku_name = f"{item.get('skuName', '')} {item.get('meterName', '')}"
        kind = str(item.get("type", ""))
        why = None
        if not region:
            why = "no armRegionName"
        elif "windows" in product.lower():
            why = f"productName {product!r} includes the Windows licence; only Linux is priced"
        elif "low priority" in sku_name.lower():
            why = "Low Priority meter (not Spot)"
        elif kind == "DevTestConsumption":
            why = "Dev/Test subscription rate, not the public price"
        elif item.get("isPrimaryMeterRegion") is False:
            why = "not the primary meter region (a copy of another region's meter)"
        elif str(item.get("currencyCode", "USD")) != "USD":
            why = f"currency {item.get('currencyCode')!r}, not USD"
        elif item.get("unitOfMeasure", "1 Hour") != "1 Hour":
            why = f"unit {item.get('unitOfMeasure')!r}, not '1 Hour'"
        if why is not None:
            skips.add(f"{where}: {why}")
            continue
        try:
            price = usd(item.get("retailPrice", item.get("unitPrice")))
        except ValueError as exc:
            skips.add(f"{where}: {exc}")
            continue
        if kind == "Consumption":
            option = "spot" if "spot" in sku_name.lower() else "on_demand"
        elif kind == "Reservation":
            term = HOURS_PER_TERM.get(str(item.get("reservationTerm", "")))
            if term is None:
                skips.add(f"{where}: reservationTerm {item.get('reservationTerm')!r} is not 1 Year / 3 Years")
                continue
            hours, option = term
            price = (price / hours).quantize(HOURLY_PLACES, rounding=ROUND_HALF_EVEN)
        else:
            skips.add(f"{where}: price type {kind!r} is not priced")
            continue
        key = (name, region, option)
        started = str(item.get("effectiveStartDate", ""))
        old = latest.get(key)
        if old is None or started > old[0]:
            latest[key] = (started, price, where)
        elif started == old[0] and price != old[1]:
            skips.add(f"{where}: a second {option} price {price} differs from {old[1]}; kept {old[1]}")

    table = PriceTable(skips)
    for (name, region, option), (_, price, where) in latest.items():
        table.put(name, region, option, price, where)
    offers = [
        Offer(
            cloud="azure",
            instance_type=name,
            region=region,
            source=source,
            retrieved=retrieved,
            billing="instance",
            **plain_prices(table.get(name, region)),
        )
        for name, region in table.slots()
    ]
    return RefreshResult(
        cloud="azure",
        source=source,
        retrieved=retrieved,
        options=OPTIONS,
        offers=offers,
        skipped=skips.lines("VM sizes"),
    )
