"""Sanity checks over the shipped catalog data: the traps public catalogs fall into, provenance on every
row, prices that make sense together, and coverage of what the components and estimates need."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from aiinfra.catalog import Catalog
from aiinfra.catalog.load import COMPILED, DATA_DIR, compile_dir, load_dir
from aiinfra.catalog.model import CLOUDS, PURCHASE_OPTIONS

DATA = load_dir(DATA_DIR)
CATALOG = Catalog.from_data(DATA)
TODAY = dt.date.today()
SECTIONS = [
    "accelerators",
    "instance_types",
    "offers",
    "accelerator_prices",
    "regions",
    "pue",
    "grid",
    "storage_prices",
    "instance_curves",
    "host_power",
    "service_prices",
]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_row_says_where_it_comes_from_and_when(section: str) -> None:
    found = DATA.get(section)
    assert found, f"the shipped catalog has no {section}"
    for row in found:
        assert row.source.strip(), f"{section}: {row} has no source"
        assert dt.date(2024, 1, 1) <= row.retrieved <= TODAY, f"{section}: {row} retrieved {row.retrieved}"
        unknown = set(row.unverified) - {f for f in row.__slots__}
        assert not unknown, f"{section}: {row} marks fields it does not have as unverified: {unknown}"


def test_every_data_file_has_a_version_date() -> None:
    assert len(DATA.versions) >= 10, f"expected shared + per-cloud files, found {sorted(DATA.versions)}"
    for file, version in DATA.versions.items():
        assert dt.date.fromisoformat(version) <= TODAY, f"{file}: version {version!r}"


@pytest.mark.parametrize("t", CATALOG.instance_types(), ids=lambda t: t.name)
def test_accelerator_count_times_memory_matches_the_documented_total(t) -> None:  # type: ignore[no-untyped-def]
    if t.accelerator is None:
        assert (t.accelerator_count, t.accelerator_memory_total_gib) == (0, 0), f"{t.name} is CPU-only"
        return
    per_accelerator = CATALOG.accelerator(t.accelerator).memory_gib
    assert t.accelerator_count * per_accelerator == t.accelerator_memory_total_gib, (
        f"{t.name}: {t.accelerator_count} × {per_accelerator} GiB ≠ documented {t.accelerator_memory_total_gib}"
    )


def test_nd96isr_h100_v5_has_eight_gpus_not_the_twelve_azure_sku_api_reports() -> None:
    t = CATALOG.instance_type("Standard_ND96isr_H100_v5")
    assert (t.accelerator, t.accelerator_count, t.fabric) == ("H100", 8, "infiniband")


def test_p5e_is_sold_only_as_capacity_blocks() -> None:
    t = CATALOG.instance_type("p5e.48xlarge")
    assert not t.on_demand
    offers = CATALOG.offers(instance_type="p5e.48xlarge")
    assert offers and all(o.on_demand is None for o in offers), "p5e has no on-demand price anywhere"
    assert any(o.capacity_block is not None for o in offers), "its capacity-block rate is the price to show"


def test_p5_48xlarge_in_us_east_1_is_55_04_per_hour_after_the_2025_cut() -> None:
    o = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert o is not None and o.on_demand == Decimal("55.04")


def test_gcp_host_only_rows_are_completed_with_the_gpu_sku() -> None:
    raw = {(o.instance_type, o.region): o for o in DATA.get("offers") if o.billing == "host+accelerators"}
    assert raw, (
        "GCP GPU machines are billed host + GPU SKUs; the data must model at least the A2 rows that way"
    )
    skus = {(p.accelerator, p.region): p for p in DATA.get("accelerator_prices")}
    for (name, region), row in raw.items():
        t = CATALOG.instance_type(name)
        done = CATALOG.offer(name, region)
        assert done is not None
        sku = skus.get((t.accelerator, region))
        if sku is None or sku.on_demand is None or row.on_demand is None:
            assert done.on_demand is None, f"{name} {region}: without its GPU SKU the machine is unpriced"
            continue
        expected = row.on_demand + t.accelerator_count * sku.on_demand
        assert done.on_demand == expected, f"{name} {region}: host {row.on_demand} + GPUs must be {expected}"
        assert done.on_demand > row.on_demand, f"{name} {region}: the completed price exceeds the host"


def test_tpu_machines_are_priced_per_chip_hour() -> None:
    tpus = [
        o
        for o in CATALOG.offers(cloud="gcp")
        if (CATALOG.instance_type(o.instance_type).accelerator or "").startswith("TPU")
    ]
    assert tpus, "GCP TPU machine types must be in the catalog"
    priced = [o for o in tpus if o.on_demand is not None]
    assert priced, "at least one TPU offer is priced"
    for o in tpus:
        assert o.billing == "per-accelerator", f"{o.instance_type} {o.region}: TPUs bill per chip-hour"


def test_spot_and_commitments_are_cheaper_than_on_demand() -> None:
    for o in CATALOG.offers():
        if o.on_demand is None:
            continue
        for option in ("spot", "commit_1y", "commit_3y"):
            price = o.price(option)
            if price is not None:
                assert price < o.on_demand, (
                    f"{o.instance_type} {o.region}: {option} {price} ≥ on-demand {o.on_demand}"
                )
        if o.commit_1y is not None and o.commit_3y is not None:
            assert o.commit_3y < o.commit_1y, f"{o.instance_type} {o.region}: 3-year must beat 1-year"


def test_no_price_is_zero() -> None:
    for o in CATALOG.offers():
        for option in PURCHASE_OPTIONS:
            price = o.price(option)
            assert price is None or price > 0, (
                f"{o.instance_type} {o.region} {option} is {price}: unknown is null"
            )
    for s in CATALOG.storage_prices():
        assert s.usd_per_gib_month is None or s.usd_per_gib_month > 0, f"{s}: unknown is null, not 0"


def test_every_offer_names_a_known_region_of_its_cloud() -> None:
    for cloud in CLOUDS:
        known = {name for (c, name) in CATALOG._regions if c == cloud}
        for o in CATALOG.offers(cloud=cloud):
            assert o.region in known, (
                f"{o.instance_type}: {cloud} region {o.region} is not in {cloud}/regions.yaml"
            )
            region = CATALOG.region(cloud, o.region)
            assert region is not None
            if o.zones and region.zones:
                assert set(o.zones) <= set(region.zones), f"{o.instance_type} {o.region}: zones {o.zones}"


def test_every_cloud_has_a_pue_and_host_power_and_every_offer_region_a_grid_figure() -> None:
    for cloud in CLOUDS:
        assert CATALOG.pue(cloud, "*") is not None, f"{cloud} needs a fleet PUE"
        assert CATALOG.host_power(cloud) is not None, f"{cloud} needs host power coefficients"
        for o in CATALOG.offers(cloud=cloud):
            grid = CATALOG.grid(cloud, o.region)
            assert grid is not None, f"{cloud} {o.region} offers {o.instance_type} but has no grid intensity"
            assert Decimal(0) < grid.location_g_per_kwh < Decimal(1200), f"{cloud} {o.region}: {grid}"
            pue = CATALOG.pue(cloud, o.region)
            assert pue is not None and Decimal("1.0") < pue.pue < Decimal("2.0"), f"{cloud} {o.region}: {pue}"


def test_accelerator_power_is_idle_below_max_and_curves_rise() -> None:
    for a in CATALOG.accelerators:
        assert 0 < a.power_idle_w < a.power_max_w, f"{a.name}: idle {a.power_idle_w} W, max {a.power_max_w} W"
    for curve in DATA.get("instance_curves"):
        watts = [w for _, w in curve.points]
        assert watts == sorted(watts), f"{curve.instance_type}: power must not fall as utilisation rises"
        assert curve.points[0][0] == 0 and curve.points[-1][0] == 100, f"{curve.instance_type}: 0..100 %"
        CATALOG.instance_type(curve.instance_type)


# What the shipped data does not have yet, and why. A gap that closes fails the test, so this list stays true.
UNOFFERED: dict[str, str] = {}
NO_A4_PRICE = (
    "no A4 price in either machine-read set (SkyPilot writes 0.0; the Billing-Catalog set has no A4)"
)
UNPRICED = {
    ("gcp", "B200"): NO_A4_PRICE,
}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_machine_type_is_offered_and_every_accelerator_priced_except_the_known_gaps(cloud: str) -> None:
    types = CATALOG.instance_types(cloud=cloud)
    assert types, f"{cloud} has machine types"
    unoffered = {t.name for t in types if not CATALOG.offers(instance_type=t.name)}
    assert unoffered == {n for n in UNOFFERED if CATALOG.instance_type(n).cloud == cloud}, (
        f"{cloud}: machine types offered nowhere: {sorted(unoffered)}"
    )
    unpriced = {
        (cloud, a)
        for a in {t.accelerator for t in types if t.accelerator}
        if not [o for o in CATALOG.offers(cloud=cloud, accelerator=a) if o.on_demand or o.capacity_block]
    }
    assert unpriced == {k for k in UNPRICED if k[0] == cloud}, (
        f"{cloud}: accelerators with no price: {unpriced}"
    )


def test_the_storage_tiers_the_aws_components_create_are_priced_in_us_east_1() -> None:
    for tier in ("PERSISTENT_2-125", "PERSISTENT_2-250", "PERSISTENT_2-500", "PERSISTENT_2-1000"):
        price = CATALOG.storage_price("aws", "fsx-lustre", tier, "us-east-1")
        assert price is not None and price.usd_per_gib_month, f"FSx for Lustre {tier} in us-east-1"
    s3 = CATALOG.storage_price("aws", "s3", "STANDARD", "us-east-1")
    assert s3 is not None and s3.usd_per_gib_month == Decimal("0.023")


def test_the_aws_components_resolve_every_accelerator_they_are_asked_for_in_us_east_1() -> None:
    for accelerator in ("H100", "H200", "A100", "A100-80GB", "A10G", "L4", "L40S"):
        t = CATALOG.resolve(cloud="aws", region="us-east-1", accelerator=accelerator, capacity_blocks=True)
        assert t.accelerator == accelerator and t.cloud == "aws"


def test_the_shipped_compiled_catalog_is_current_with_its_yaml_sources() -> None:
    shipped = json.loads((DATA_DIR / COMPILED).read_text(encoding="utf-8"))
    assert shipped == compile_dir(DATA_DIR), "run `infra catalog compile` after editing catalog/data/*.yaml"


# Breadth: where each GPU/TPU machine type is sold and priced. A gap that closes fails, so these lists stay true.
NO_MEGA_SKU = "SkyPilot lists it here; the Billing-Catalog price set has no H100 Mega SKU for the region"
ODD_H200_ROW = "SkyPilot's H200 row here is not the ordinary on-demand SKU (below its own spot price)"
GCP_OFFERED_UNPRICED = {
    ("a3-megagpu-8g", r): NO_MEGA_SKU for r in ("asia-east1", "europe-north1", "us-central1", "us-west1")
} | {
    ("a3-ultragpu-8g", r): ODD_H200_ROW
    for r in ("asia-south1", "asia-south2", "europe-west1", "europe-west4", "us-east5", "us-south1")
}


def test_every_gcp_gpu_offer_is_priced_except_the_named_gaps() -> None:
    """Every A2/A3/G2 offer row has an on-demand price (A4 aside: its B200 is UNPRICED), and the named gaps are
    exactly the rows without one."""
    gaps = set()
    for o in CATALOG.offers(cloud="gcp"):
        t = CATALOG.instance_type(o.instance_type)
        if t.accelerator is None or t.accelerator.startswith("TPU") or t.accelerator == "B200":
            continue
        if o.on_demand is None:
            gaps.add((o.instance_type, o.region))
    assert gaps == set(GCP_OFFERED_UNPRICED), f"GPU offers without a price: {sorted(gaps)}"


def test_every_a3_high_size_is_sold_where_the_8g_is_and_priced_in_proportion() -> None:
    """a3-highgpu-1g/2g/4g bill 1/8, 2/8, 4/8 of the 8g machine (same host per GPU, same bundled SSD per GPU)."""
    eights = {o.region: o for o in CATALOG.offers(instance_type="a3-highgpu-8g")}
    assert len(eights) >= 15, "A3 High is sold in most GPU regions"
    for size in (1, 2, 4):
        for o in CATALOG.offers(instance_type=f"a3-highgpu-{size}g"):
            full = eights.get(o.region)
            if full is None:
                continue
            assert o.on_demand is not None and full.on_demand is not None
            assert abs(o.on_demand * 8 / size - full.on_demand) < Decimal("0.00001") * 8, (o.region, size)


def test_gcp_gpu_and_tpu_offers_name_zones_of_their_region() -> None:
    for o in CATALOG.offers(cloud="gcp"):
        if CATALOG.instance_type(o.instance_type).accelerator is None:
            continue
        region = CATALOG.region("gcp", o.region)
        assert o.zones, f"{o.instance_type} {o.region}: GPU/TPU offers say which zones sell them"
        assert region is not None and set(o.zones) <= set(region.zones), (o.instance_type, o.zones)


def test_tpu_chip_prices_cover_every_region_with_a_tpu_offer() -> None:
    chips = {
        (p.accelerator, p.region): p.on_demand
        for p in DATA.get("accelerator_prices")
        if p.cloud == "gcp" and p.on_demand is not None
    }
    tpu_offers = 0
    for o in CATALOG.offers(cloud="gcp"):
        t = CATALOG.instance_type(o.instance_type)
        if (t.accelerator or "").startswith("TPU"):
            tpu_offers += 1
            chip = chips.get((t.accelerator, o.region))
            assert chip is not None, f"{o.instance_type} {o.region}: no per-chip price"
            assert o.on_demand == t.accelerator_count * chip, (
                f"{o.instance_type} {o.region}: count x chip-hour"
            )
    assert tpu_offers >= 60, "v5e, v5p and v6e are sold in many regions"


def test_the_system_pool_machines_are_priced_wherever_a_gpu_is_offered() -> None:
    """A cluster's estimate includes its system pool: the default system machine must be priced in every region
    that sells a GPU (GKE: e2-standard-4, AKS: Standard_D4s_v5). The shipped catalog answers with the
    general-purpose tables too (outside the US, Azure's D4s_v5 is priced in general.csv)."""
    shipped = Catalog.from_dir(DATA_DIR)
    for cloud, machine in (("gcp", "e2-standard-4"), ("azure", "Standard_D4s_v5")):
        gpus = {a.name for a in CATALOG.accelerators if a.kind == "gpu"}
        gpu_regions = {
            o.region
            for o in CATALOG.offers(cloud=cloud)
            if CATALOG.instance_type(o.instance_type).accelerator in gpus
        }
        priced = {o.region for o in shipped.offers(instance_type=machine) if o.on_demand is not None}
        assert gpu_regions <= priced, f"{cloud}: {machine} unpriced in {sorted(gpu_regions - priced)}"


def test_no_recalled_figure_carries_a_price() -> None:
    """A price written from memory is not a source: such rows are unpriced until a refresh reads them."""
    for o in CATALOG.offers():
        if "as recalled" in o.source.lower():
            assert all(o.price(p) is None for p in PURCHASE_OPTIONS), f"{o.instance_type} {o.region}"
    for s in DATA.get("service_prices"):
        if "as recalled" in s.source.lower():
            assert s.usd is None, f"{s.service} {s.item}: recalled, so unpriced"
    for s in DATA.get("storage_prices"):
        if s.cloud in ("gcp", "azure") and "as recalled" in s.source.lower():
            assert s.usd_per_gib_month is None, f"{s.service} {s.tier} {s.region}: recalled, so unpriced"
