"""GCP Cloud Billing Catalog API: Compute Engine SKUs (`services/6F81-5844-456A/skus`) → host-only
`Offer` rows and per-GPU / per-TPU-chip `AcceleratorPrice` rows.

Google does not sell an A2/A3/G2 machine at one price: the bill is vCPU-hours × the series' core SKU plus
GiB-hours × its RAM SKU, plus one GPU SKU per GPU. So an offer here is the *host* price
(`billing: host+accelerators`, vCPU × "A2 Instance Core" + memory × "A2 Instance Ram") and the GPUs are
`AcceleratorPrice` rows the catalog adds (count × price) — adding only the host is the known way catalogs
under-price GPU machines. TPUs (v5e, v5p, v6e) are priced per chip-hour by SKUs named `TpuV5e`, `TpuV5p`,
`TpuV6e` in this service; TPU v4 is in another service (`E000-3F24-B8AA`, "Tpu-v4 Pod ...", priced per pod
unit) and is left out.

SKU descriptions seen in the API (matched case-insensitively, since Google writes both "Nvidia" and
"NVIDIA"):

    A2 Instance Core running in Americas                   CPU  OnDemand     usageUnit h
    A2 Instance Ram running in Americas                    RAM  OnDemand     usageUnit GiBy.h
    Spot Preemptible A2 Instance Core running in Americas  CPU  Preemptible
    Commitment v1: A2 Cpu in Americas for 1 Year           CPU  Commit1Yr
    Commitment v1: A2 Ram in Americas for 3 Years          RAM  Commit3Yr
    Nvidia Tesla A100 GPU running in Americas              GPU  OnDemand
    Commitment v1: Nvidia L4 GPU running in Americas for 1 Year
    TpuV5e attached to Spot Preemptible VMs running in Singapore   TPU  Preemptible

A description names a place ("Americas", "EMEA", "APAC", or a city) while `serviceRegions` lists the
regions the price applies to: one row is emitted per service region. Where a region-specific SKU and a
multi-region SKU both list a region, the one listing fewer regions wins.

Money is `unitPrice {units, nanos}`: units + nanos × 10^-9, exact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from aiinfra.catalog.model import AcceleratorPrice, InstanceType, Offer
from aiinfra.catalog.refresh import PriceTable, RefreshResult, SkipLog, google_money, plain, plain_prices

OPTIONS = ("on_demand", "spot", "commit_1y", "commit_3y")
"""The purchase options the Billing Catalog publishes for Compute Engine (no capacity blocks)."""

COMPUTE_SERVICE = "6F81-5844-456A"

USAGE_TYPES = {
    "OnDemand": "on_demand",
    "Preemptible": "spot",
    "Commit1Yr": "commit_1y",
    "Commit3Yr": "commit_3y",
}

GPUS = {
    "nvidia tesla a100 gpu": "A100",
    "nvidia tesla a100 80gb gpu": "A100-80GB",
    "nvidia a100 80gb gpu": "A100-80GB",
    "nvidia h100 80gb gpu": "H100",
    "nvidia h100 gpu": "H100",
    "nvidia h200 141gb gpu": "H200",
    "h200 141gb gpu": "H200",
    "nvidia l4 gpu": "L4",
    "nvidia tesla t4 gpu": "T4",
    "a4 nvidia b200 (1 gpu slice)": "B200",
}
"""GPU SKU names (after the purchase-option prefix and the place are cut off) → catalog accelerator."""

GPU_NOT_MAPPED = {
    "nvidia h100 80gb mega gpu": "the A3 Mega H100 is priced apart from H100 and the catalog has no accelerator for it",
    "nvidia h100 mega 80gb gpu": "the A3 Mega H100 is priced apart from H100 and the catalog has no accelerator for it",
    "nvidia h100 80gb plus gpu": "the A3 Mega H100 is priced apart from H100 and the catalog has no accelerator for it",
}

TPUS = {"tpuv5e": "TPU-v5e", "tpuv5p": "TPU-v5p", "tpuv6e": "TPU-v6e"}
"""TPU SKU names → catalog accelerator; each is a per-chip-hour price."""

EXCLUDED_WORDS = (
    "virtual workstation",
    "reserved",
    "calendar mode",
    "custom",
    "sole tenancy",
    "premium",
    "dws",
    "flex",
)
"""SKUs of a known resource that are not its ordinary price (workstation licences, reservation-only
calendar mode, custom shapes, sole-tenant nodes)."""

SERIES = {
    "a2-highgpu": "A2",
    "a2-ultragpu": "A2",
    "a2-megagpu": "A2",
    "a3-highgpu": "A3",
    "a3-edgegpu": "A3",
    "a4-highgpu": "A4",
    "g2-standard": "G2",
}
"""Machine-type prefix → the series word of its core/RAM SKUs. a3-megagpu (its GPUs are the separately
priced "H100 80GB Mega/Plus" SKUs, host "A3Plus") and a3-ultragpu (host SKU name not confirmed) are left
out on purpose; TPU machines have no host price."""

_DESCRIPTION = re.compile(r"^(?P<thing>.+?) (?:running )?in (?P<place>.+?)(?: for (?P<years>\d+) years?)?$")
_HOST = re.compile(r"^(?P<series>\S+) (?:instance (?P<a>core|ram)|(?P<b>cpu|ram))$")


class GcpMachine(NamedTuple):
    """What the host price needs to know about a machine type."""

    accelerator: str
    accelerator_count: int  # not `count`: that would shadow tuple.count
    vcpu: int
    memory_gib: Decimal | int | float
    series: str
    """The series word in the SKU names ("A2", "A3", "A4", "G2")."""


def gcp_series(machine_type: str) -> str | None:
    """The SKU series of a GCP machine type ("a2-highgpu-8g" → "A2"), None where the catalog cannot price
    the host from core/RAM SKUs (TPU machines, A3 Mega, A3 Ultra)."""
    for prefix, series in SERIES.items():
        if machine_type.startswith(prefix + "-"):
            return series
    return None


def machines_from_catalog(instance_types: Iterable[InstanceType]) -> dict[str, GcpMachine]:
    """The `machines` argument of `parse_gcp_skus` from the catalog's GCP instance types (TPU machines and
    types whose host SKUs are unknown are left out: their offers are not host+accelerators rows)."""
    out: dict[str, GcpMachine] = {}
    for t in instance_types:
        series = gcp_series(t.name) if t.cloud == "gcp" else None
        if series is not None and t.accelerator is not None:
            out[t.name] = GcpMachine(t.accelerator, t.accelerator_count, t.vcpu, t.memory_gib, series)
    return out


def parse_gcp_skus(
    doc: Mapping[str, Any],
    machines: Mapping[str, GcpMachine | tuple[str, int, int, Decimal | int | float, str]],
    *,
    retrieved: dt.date,
    source: str,
    accelerators: Collection[str] | None = None,
) -> RefreshResult:
    """Parse a `services.skus.list` response (`{"skus": [...]}`; pages joined into one list).

    `machines`: machine type → (accelerator, count, vcpu, memory_gib, series). `accelerators`: the catalog
    accelerators to price (default: those of `machines` plus the TPUs)."""
    known = {name: GcpMachine(*facts) for name, facts in machines.items()}
    wanted = set(accelerators) if accelerators is not None else {m.accelerator for m in known.values()}
    if accelerators is None:
        wanted |= set(TPUS.values())
    series_known = {m.series.lower() for m in known.values()}

    skips = SkipLog()
    accel = PriceTable(skips)
    core = PriceTable(skips)
    ram = PriceTable(skips)

    for sku in doc.get("skus", []):
        _read_sku(sku, wanted, series_known, skips, accel, core, ram)

    prices = [
        AcceleratorPrice(
            cloud="gcp",
            accelerator=name,
            region=region,
            source=source,
            retrieved=retrieved,
            **plain_prices(accel.get(name, region)),
        )
        for name, region in accel.slots()
    ]
    offers = []
    regions_by_series: dict[str, set[str]] = {}
    for s, region in core.slots():
        regions_by_series.setdefault(s, set()).add(region)
    for name in sorted(known):
        m = known[name]
        regions = sorted(regions_by_series.get(m.series.lower(), ()))
        if not regions:
            skips.add(f"{name}: no {m.series} core SKU in the data; host not priced")
        for region in regions:
            offer = _host_offer(name, m, region, core, ram, accel, skips, retrieved, source)
            if offer is not None:
                offers.append(offer)
    return RefreshResult(
        cloud="gcp",
        source=source,
        retrieved=retrieved,
        options=OPTIONS,
        offers=offers,
        accelerator_prices=prices,
        skipped=skips.lines(),
    )


def _read_sku(
    sku: Mapping[str, Any],
    wanted: set[str],
    series_known: set[str],
    skips: SkipLog,
    accel: PriceTable,
    core: PriceTable,
    ram: PriceTable,
) -> None:
    description = str(sku.get("description", ""))
    category = sku.get("category", {})
    if category.get("resourceFamily", "Compute") != "Compute":
        return
    option = USAGE_TYPES.get(category.get("usageType", ""))
    text = description.lower()
    for prefix in ("commitment v1: ", "commitment: ", "spot preemptible ", "preemptible "):
        text = text.removeprefix(prefix)
    text = text.replace(" attached to spot preemptible vms", "")
    if option == "on_demand" and "preemptible" in description.lower():
        option = "spot"  # older TPU SKUs: usageType OnDemand, "Preemptible" in the name
    match = _DESCRIPTION.match(text)
    if match is None:
        return
    thing = match["thing"]
    excluded = next((w for w in EXCLUDED_WORDS if w in text), None)
    if excluded is not None:
        for w in EXCLUDED_WORDS:
            thing = thing.replace(w, "").strip()
        thing = " ".join(thing.split())
    kind, name = _classify(thing)
    if kind is None:
        return
    relevant = name in wanted if kind in ("gpu", "tpu") else name in series_known
    if kind == "unmapped":
        skips.add(f"{description!r}: {name}")
        return
    if not relevant:
        return
    if excluded is not None:
        shown = name if kind in ("gpu", "tpu") else name.upper()
        skips.add(f"{description!r}: '{excluded}' SKU, not the ordinary price of {shown}")
        return
    if option is None:
        skips.add(f"{description!r}: usageType {category.get('usageType')!r} is not a purchase option priced")
        return
    unit, price = _unit_price(sku)
    want_unit = "GiBy.h" if kind == "ram" else "h"
    if price is None or unit != want_unit:
        skips.add(f"{description!r}: usage unit {unit!r}, expected {want_unit!r}; not read")
        return
    regions = list(sku.get("serviceRegions", []))
    if not regions:
        skips.add(f"{description!r}: no serviceRegions; cannot tell where the price applies")
        return
    table = {"gpu": accel, "tpu": accel, "core": core, "ram": ram}[kind]
    for region in regions:
        table.put(name, region, option, price, f"{name} {region} ({description})", rank=len(regions))


def _classify(thing: str) -> tuple[str | None, str]:
    if thing in GPUS:
        return "gpu", GPUS[thing]
    if thing in GPU_NOT_MAPPED:
        return "unmapped", GPU_NOT_MAPPED[thing]
    if thing in TPUS:
        return "tpu", TPUS[thing]
    host = _HOST.match(thing)
    if host is not None:
        return ("core" if (host["a"] or host["b"]) in ("core", "cpu") else "ram"), host["series"]
    return None, ""


def _unit_price(sku: Mapping[str, Any]) -> tuple[str, Decimal | None]:
    """The current price: the last `pricingInfo` entry (they are chronological), its first tier."""
    infos = sku.get("pricingInfo") or []
    if not infos:
        return "", None
    expr = infos[-1].get("pricingExpression", {})
    rates = sorted(expr.get("tieredRates") or [], key=lambda r: float(r.get("startUsageAmount", 0) or 0))
    if not rates:
        return expr.get("usageUnit", ""), None
    money = rates[0].get("unitPrice", {})
    if money.get("currencyCode", "USD") != "USD":
        return expr.get("usageUnit", ""), None
    return expr.get("usageUnit", ""), google_money(money.get("units"), money.get("nanos"))


def _host_offer(
    name: str,
    m: GcpMachine,
    region: str,
    core: PriceTable,
    ram: PriceTable,
    accel: PriceTable,
    skips: SkipLog,
    retrieved: dt.date,
    source: str,
) -> Offer | None:
    s = m.series.lower()
    cores, rams = core.get(s, region), ram.get(s, region)
    vcpu, mem = Decimal(m.vcpu), Decimal(str(m.memory_gib))
    host: dict[str, Any] = {
        o: plain(vcpu * cores[o] + mem * rams[o]) for o in OPTIONS if o in cores and o in rams
    }
    if "on_demand" not in host:
        skips.add(f"{name} {region}: no on-demand {m.series} core and RAM SKU pair; host not priced")
        return None
    if not accel.get(m.accelerator, region):
        skips.add(
            f"{name} {region}: {m.series} host SKUs but no {m.accelerator} SKU in this region; no offer"
        )
        return None
    return Offer(
        cloud="gcp",
        instance_type=name,
        region=region,
        source=source,
        retrieved=retrieved,
        billing="host+accelerators",
        note=(
            f"host only: {m.vcpu} vCPU x {m.series} core + {m.memory_gib} GiB x {m.series} RAM SKU; "
            f"the catalog adds {m.accelerator_count} x {m.accelerator} from accelerator_prices"
        ),
        **host,
    )
