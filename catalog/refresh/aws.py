"""AWS Price List bulk API: the EC2 offer file (JSON or CSV) → `Offer` rows.

One instance type is priced a dozen ways in the offer file: per operating system, tenancy, pre-installed
software, capacity status (`Used` is a running instance; `UnusedCapacityReservation` /
`AllocatedCapacityReservation` bill reservations) and market option (`CapacityBlock` products carry a $0.00
"on-demand" term, the trap that reports a free p5). Only Linux, shared tenancy, no pre-installed software,
`Used`, on-demand market option and no license fee are the catalog's price; every other variant of a known
instance type is reported in `skipped`.

Terms: `OnDemand` (unit `Hrs`) → `on_demand`; `Reserved` with `OfferingClass: standard`,
`PurchaseOption: No Upfront`, `LeaseContractLength: 1yr/3yr` (unit `Hrs`) → `commit_1y` / `commit_3y`.
Partial / All Upfront and convertible reservations are other products, not errors, and are passed over.
The price list has no spot prices (those come from the EC2 spot price history) and no capacity-block rates,
so an AWS refresh covers only on_demand, commit_1y and commit_3y (`RefreshResult.options`).

The CSV variant is the same file flattened, one row per price dimension, after five metadata lines
(`FormatVersion`, `Disclaimer`, `Publication Date`, `Version`, `OfferCode`). Prefer it for live refreshes:
a region's JSON file is hundreds of MB and must be held in memory, the CSV streams.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aiinfra.catalog.model import Offer
from aiinfra.catalog.refresh import PriceTable, RefreshResult, SkipLog, by_lower, plain_prices, usd

OPTIONS = ("on_demand", "commit_1y", "commit_3y")
"""The purchase options the EC2 price list publishes."""

COMPUTE_FAMILIES = ("Compute Instance", "Compute Instance (bare metal)")

# CSV header names (row 6 of the CSV offer file) for the JSON attribute names used below.
CSV_COLUMNS = {
    "sku": "SKU",
    "productFamily": "Product Family",
    "instanceType": "Instance Type",
    "regionCode": "Region Code",
    "locationType": "Location Type",
    "operatingSystem": "Operating System",
    "tenancy": "Tenancy",
    "preInstalledSw": "Pre Installed S/W",
    "capacitystatus": "CapacityStatus",
    "licenseModel": "License Model",
    "marketoption": "MarketOption",
    "termType": "TermType",
    "LeaseContractLength": "LeaseContractLength",
    "PurchaseOption": "PurchaseOption",
    "OfferingClass": "OfferingClass",
    "unit": "Unit",
    "price": "PricePerUnit",
    "currency": "Currency",
}

# attribute → values that make a product the catalog's price ("" = the attribute is absent in older files)
WANTED = {
    "operatingSystem": ("Linux",),
    "tenancy": ("Shared",),
    "preInstalledSw": ("NA", ""),
    "capacitystatus": ("Used", ""),
    "licenseModel": ("No License required", ""),
    "marketoption": ("OnDemand", ""),
    "locationType": ("AWS Region", ""),
}

WHY = {
    "operatingSystem": "only Linux is priced",
    "tenancy": "only shared tenancy is priced",
    "preInstalledSw": "pre-installed software is billed on top",
    "capacitystatus": "bills a capacity reservation, not a running instance",
    "licenseModel": "only the no-license-fee price is used",
    "marketoption": "not the on-demand market; Capacity Block SKUs carry a placeholder $0.00 term",
    "locationType": "not an AWS Region (Local Zone / Wavelength / Outpost)",
}


@dataclass(frozen=True, slots=True)
class _Term:
    term_type: str
    lease: str
    purchase: str
    offering_class: str
    unit: str
    price: str
    currency: str = "USD"


class _Collector:
    """The filtering and accumulation both variants share, so JSON and CSV cannot drift apart."""

    def __init__(self, instance_types: Collection[str]) -> None:
        self.known = by_lower(instance_types)
        self.skips = SkipLog()
        self.table = PriceTable(self.skips)
        self._judged: dict[str, str | None] = {}  # SKU → catalog instance type, or None when not usable

    def product(self, sku: str, attrs: Mapping[str, str], family: str) -> str | None:
        """The catalog instance type a product prices, or None (with the reason logged) if it is unusable."""
        if sku in self._judged:
            return self._judged[sku]
        self._judged[sku] = None
        if family not in COMPUTE_FAMILIES:
            return None
        raw_type = attrs.get("instanceType", "")
        name = self.known.get(raw_type.lower())
        if name is None:
            if raw_type:
                self.skips.unknown(raw_type)
            return None
        region = attrs.get("regionCode", "")
        if not region:
            self.skips.add(f"{name} SKU {sku}: no regionCode attribute; cannot tell which region it prices")
            return None
        for attr, wanted in WANTED.items():
            value = attrs.get(attr, "")
            if value not in wanted:
                self.skips.add(f"{name} {region}: {attr} {value!r} ({WHY[attr]})")
                return None
        self._judged[sku] = name
        return name

    def term(self, name: str, region: str, sku: str, term: _Term) -> None:
        if term.unit != "Hrs" or (term.currency and term.currency != "USD"):
            return  # upfront fees (unit Quantity) belong to the upfront reservations passed over below
        option: str | None
        if term.term_type == "OnDemand":
            option = "on_demand"
        elif term.term_type == "Reserved":
            if term.offering_class != "standard" or term.purchase != "No Upfront":
                return
            option = {"1yr": "commit_1y", "3yr": "commit_3y"}.get(term.lease)
            if option is None:
                self.skips.add(f"{name} {region}: reserved lease {term.lease!r} is neither 1yr nor 3yr")
                return
        else:
            return
        try:
            price = usd(term.price)
        except ValueError as exc:
            self.skips.add(f"{name} {region} SKU {sku}: {exc}")
            return
        self.table.put(name, region, option, price, f"{name} {region}")

    def result(self, *, retrieved: dt.date, source: str, published: str) -> RefreshResult:
        offers = [
            Offer(
                cloud="aws",
                instance_type=name,
                region=region,
                source=source,
                retrieved=retrieved,
                billing="instance",
                **plain_prices(self.table.get(name, region)),
            )
            for name, region in self.table.slots()
        ]
        return RefreshResult(
            cloud="aws",
            source=source,
            retrieved=retrieved,
            options=OPTIONS,
            offers=offers,
            skipped=self.skips.lines(),
            published=published,
        )


def parse_aws_offer_json(
    doc: Mapping[str, Any], instance_types: Collection[str], *, retrieved: dt.date, source: str
) -> RefreshResult:
    """Parse an EC2 offer file in its JSON form (`products` + `terms.OnDemand` / `terms.Reserved`)."""
    if "products" not in doc or "terms" not in doc:
        raise ValueError("not an AWS offer file: expected top-level 'products' and 'terms'")
    c = _Collector(instance_types)
    usable: dict[str, tuple[str, str]] = {}
    for sku, product in doc["products"].items():
        attrs = product.get("attributes", {})
        name = c.product(sku, attrs, product.get("productFamily", ""))
        if name is not None:
            usable[sku] = (name, attrs["regionCode"])
    for term_type in ("OnDemand", "Reserved"):
        for sku, offers in doc["terms"].get(term_type, {}).items():
            if sku not in usable:
                continue
            name, region = usable[sku]
            for offer in offers.values():
                attrs = offer.get("termAttributes", {})
                for dim in offer.get("priceDimensions", {}).values():
                    per_unit = dim.get("pricePerUnit", {})
                    c.term(
                        name,
                        region,
                        sku,
                        _Term(
                            term_type=term_type,
                            lease=attrs.get("LeaseContractLength", ""),
                            purchase=attrs.get("PurchaseOption", ""),
                            offering_class=attrs.get("OfferingClass", ""),
                            unit=dim.get("unit", ""),
                            price=per_unit.get("USD", ""),
                        ),
                    )
    published = " ".join(str(doc[k]) for k in ("version", "publicationDate") if doc.get(k))
    return c.result(retrieved=retrieved, source=source, published=published)


def parse_aws_offer_csv(
    lines: Iterable[str], instance_types: Collection[str], *, retrieved: dt.date, source: str
) -> RefreshResult:
    """Parse an EC2 offer file in its CSV form, streaming: `lines` may be an open text file or an HTTP
    response wrapped in `io.TextIOWrapper(..., newline="")`; rows are read one at a time."""
    reader = csv.reader(lines, strict=True)
    meta: dict[str, str] = {}
    header: list[str] | None = None
    for row in reader:
        if row and row[0] == "SKU":
            header = row
            break
        if len(row) >= 2:
            meta[row[0]] = row[1]
        if len(meta) > 10 or (not meta and row):
            break
    if header is None or meta.get("FormatVersion") is None:
        raise ValueError(
            "not an AWS offer CSV: expected the metadata lines (FormatVersion, Disclaimer, Publication Date, "
            "Version, OfferCode) and then a header row starting with SKU"
        )
    index = {col: i for i, col in enumerate(header)}
    missing = [col for col in CSV_COLUMNS.values() if col not in index and col not in _OPTIONAL_CSV]
    if missing:
        raise ValueError(f"AWS offer CSV header lacks {', '.join(missing)}")
    cols = {key: index.get(col) for key, col in CSV_COLUMNS.items()}
    width = len(header)

    def get(row: list[str], key: str) -> str:
        i = cols[key]
        return row[i] if i is not None and i < len(row) else ""

    c = _Collector(instance_types)
    type_col = cols["instanceType"]
    assert type_col is not None
    for row in reader:
        if len(row) <= type_col or not row[type_col]:
            continue  # storage, data transfer, fees: rows without an instance type
        if len(row) != width:  # every row of an offer file has the header's width: this one is cut or broken
            raise ValueError(
                f"row {reader.line_num} has {len(row)} columns where the header has {width}: the file is cut "
                "off or corrupt, so none of it is used"
            )
        attrs = {key: get(row, key) for key in WANTED} | {
            "instanceType": row[type_col],
            "regionCode": get(row, "regionCode"),
        }
        sku = row[0]
        name = c.product(sku, attrs, get(row, "productFamily"))
        if name is None:
            continue
        c.term(
            name,
            attrs["regionCode"],
            sku,
            _Term(
                term_type=get(row, "termType"),
                lease=get(row, "LeaseContractLength"),
                purchase=get(row, "PurchaseOption"),
                offering_class=get(row, "OfferingClass"),
                unit=get(row, "unit"),
                price=get(row, "price"),
                currency=get(row, "currency"),
            ),
        )
    published = " ".join(meta[k] for k in ("Version", "Publication Date") if meta.get(k))
    return c.result(retrieved=retrieved, source=source, published=published)


# Older offer files lack these columns; the filters treat an absent attribute as the default value.
_OPTIONAL_CSV = {"MarketOption", "Region Code", "Location Type", "License Model", "Currency"}
