"""The catalog's query logic on small in-memory tables: offer completion, resolution, zones, PUE and grid
fall-backs, the power model and the listing rows. The shipped data is checked in test_catalog_data.py."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiinfra.catalog import (
    Accelerator,
    AcceleratorPrice,
    Catalog,
    CatalogLookupError,
    GridIntensity,
    HostPower,
    InstanceType,
    Offer,
    PowerCurve,
    Pue,
    Region,
    StoragePrice,
)
from aiinfra.catalog.listing import gpu_offers, show, where
from aiinfra.catalog.load import (
    COMPILED,
    DATA_DIR,
    CatalogDataError,
    money,
    rows,
    sources_digest,
    write_compiled,
)
from aiinfra.catalog.power import instance_power, interpolate

DAY = dt.date(2026, 11, 22)
D = Decimal


def acc(name: str, memory: int = 80, peak: int = 700, idle: int = 80) -> Accelerator:
    return Accelerator(name, "nvidia", "gpu", memory, peak, idle, "test", DAY)


def machine(name: str, cloud: str, accelerator: str, count: int = 8, fabric: str = "none", **kw: object):
    return InstanceType(
        name=name,
        cloud=cloud,
        accelerator=accelerator,
        accelerator_count=count,
        accelerator_memory_total_gib=count * 80,
        vcpu=kw.pop("vcpu", 96),  # type: ignore[arg-type]
        memory_gib=kw.pop("memory_gib", 1024),  # type: ignore[arg-type]
        fabric=fabric,  # type: ignore[arg-type]
        fabric_gbps=3200 if fabric != "none" else 0,
        network_gbps=200,
        local_ssd_gib=0,
        source="test",
        retrieved=DAY,
        **kw,  # type: ignore[arg-type]
    )


def offer(itype: str, cloud: str, region: str, **kw: object) -> Offer:
    return Offer(cloud=cloud, instance_type=itype, region=region, source="test", retrieved=DAY, **kw)  # type: ignore[arg-type]


@pytest.fixture
def small() -> Catalog:
    return Catalog(
        accelerators=[acc("H100"), acc("A100", 40, 400, 46), acc("TPU-v5e", 16, 200, 60)],
        instance_types=[
            machine("big.efa", "aws", "H100", fabric="efa", efa_cards=32),
            machine("big.plain", "aws", "H100"),
            machine("small.plain", "aws", "H100", count=1),
            machine("a2-8g", "gcp", "A100", vcpu=96, memory_gib=680),
            machine("tpu-4t", "gcp", "TPU-v5e", count=4, fabric="ici"),
            machine("cb.only", "aws", "H100", fabric="efa", efa_cards=32, on_demand=False),
        ],
        offers=[
            offer("big.efa", "aws", "r1", on_demand=D("50"), spot=D("20")),
            offer("big.plain", "aws", "r1", on_demand=D("40")),
            offer("small.plain", "aws", "r1", on_demand=D("6")),
            offer("big.efa", "aws", "r2"),
            offer("cb.only", "aws", "r2", capacity_block=D("32")),
            offer(
                "a2-8g",
                "gcp",
                "g1",
                zones=("g1-a", "g1-b"),
                billing="host+accelerators",
                on_demand=D("4.5"),
                spot=D("1.5"),
            ),
            offer("a2-8g", "gcp", "g2", billing="host+accelerators", on_demand=D("5")),
            offer("tpu-4t", "gcp", "g1", zones=("g1-c",), billing="per-accelerator"),
        ],
        accelerator_prices=[
            AcceleratorPrice("gcp", "A100", "g1", "sku-list", DAY, on_demand=D("2.9"), commit_1y=D("1.8")),
            AcceleratorPrice("gcp", "TPU-v5e", "g1", "tpu-page", DAY, on_demand=D("1.2"), spot=D("0.5")),
        ],
        regions=[
            Region("aws", "r1", "Virginia", "test", DAY, zones=("r1a", "r1b")),
            Region("aws", "r2", "Ohio", "test", DAY),
            Region("aws", "r3", "Nowhere", "test", DAY),
            Region("gcp", "g1", "Iowa", "test", DAY, zones=("g1-a", "g1-b", "g1-c")),
        ],
        pue=[Pue("aws", "*", D("1.15"), 2024, "test", DAY), Pue("gcp", "g1", D("1.1"), 2024, "test", DAY)],
        grid=[
            GridIntensity("aws", "r1", D("400"), 2024, "SERC", "test", DAY),
            GridIntensity("gcp", "g1", D("500"), 2024, "MISO", "test", DAY),
        ],
        storage_prices=[
            StoragePrice("aws", "fsx-lustre", "PERSISTENT_2-125", "*", D("0.16"), "test", DAY),
            StoragePrice("aws", "fsx-lustre", "PERSISTENT_2-125", "r1", D("0.145"), "test", DAY),
        ],
        power_curves=[PowerCurve("big.plain", ((0, D("1000")), (50, D("3000")), (100, D("6000"))), "t", DAY)],
        host_power=[HostPower("aws", D("1"), D("4"), D("0.5"), "ccf", DAY)],
    )


# -- offers: prices are whole-machine totals, or unpriced ---------------------------------------------------


def test_host_only_rows_are_completed_with_the_gpu_sku_for_every_option(small: Catalog) -> None:
    o = small.offer("a2-8g", "g1")
    assert o is not None
    assert o.on_demand == D("4.5") + 8 * D("2.9"), "on demand = host + 8 × GPU SKU"
    assert o.spot is None, (
        "the GPU has no spot price here, so the machine's spot price is unknown, not host-only"
    )
    assert o.commit_1y is None, "the host has no commitment price here, so the total is unknown"
    assert "host + 8 × A100 SKU" in o.note


def test_a_host_only_row_without_its_gpu_sku_is_unpriced_never_the_host_price(small: Catalog) -> None:
    o = small.offer("a2-8g", "g2")
    assert o is not None and o.on_demand is None, "host 5.00 alone must not pass for the machine's price"
    reason = small.unpriced_reason("a2-8g", "g2", "on_demand")
    assert reason is not None and "no A100 price in g2" in reason


def test_tpu_machines_cost_their_chip_count_times_the_chip_hour(small: Catalog) -> None:
    o = small.offer("tpu-4t", "g1")
    assert o is not None and (o.on_demand, o.spot) == (D("4.8"), D("2.0"))


def test_unpriced_reason_names_the_missing_option_and_none_when_priced(small: Catalog) -> None:
    assert small.unpriced_reason("big.efa", "r1", "on_demand") is None
    assert "no spot price published for big.plain in r1" in str(
        small.unpriced_reason("big.plain", "r1", "spot")
    )
    assert "not offered in r9" in str(small.unpriced_reason("big.plain", "r9", "on_demand"))


def test_an_offer_for_an_unknown_instance_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown aws instance type nope"):
        Catalog([acc("H100")], [], offers=[offer("nope", "aws", "r1")])


# -- resolution, regions and zones ---------------------------------------------------------------------------


def test_an_accelerator_resolves_to_its_largest_fabric_shape_for_interconnect(small: Catalog) -> None:
    got = small.resolve(cloud="aws", region="r1", accelerator="h100", interconnect=True)
    assert got.name == "big.efa"


def test_without_interconnect_the_largest_on_demand_shape_in_the_region_wins(small: Catalog) -> None:
    got = small.resolve(cloud="aws", region="r1", accelerator="H100", interconnect=False)
    assert got.accelerator_count == 8 and got.on_demand


def test_capacity_block_only_types_are_chosen_only_for_capacity_blocks(small: Catalog) -> None:
    assert small.resolve(cloud="aws", region="r2", accelerator="H100", interconnect=True).name == "big.efa"
    chosen = small.resolve(
        cloud="aws", region="r2", accelerator="H100", interconnect=True, capacity_blocks=True
    )
    assert chosen.name in ("big.efa", "cb.only"), (
        "both carry the fabric; either is a valid capacity-block shape"
    )


def test_a_type_not_offered_in_the_region_lists_the_regions_that_offer_it(small: Catalog) -> None:
    with pytest.raises(CatalogLookupError) as caught:
        small.resolve(cloud="aws", region="r3", instance_type="big.plain")
    assert caught.value.fix == "Regions that offer it: r1."


def test_interconnect_on_a_type_without_fabric_names_the_types_that_have_it(small: Catalog) -> None:
    with pytest.raises(CatalogLookupError) as caught:
        small.resolve(cloud="aws", region="r1", instance_type="small.plain", interconnect=True)
    assert "not offered with EFA" in caught.value.message
    assert "big.efa" in caught.value.fix and "Set interconnect: false" in caught.value.fix


def test_zones_are_checked_against_the_offer_where_the_catalog_records_them(small: Catalog) -> None:
    assert small.resolve(cloud="gcp", region="g1", instance_type="a2-8g", zone="g1-b").name == "a2-8g"
    with pytest.raises(CatalogLookupError) as caught:
        small.resolve(cloud="gcp", region="g1", instance_type="a2-8g", zone="g1-c")
    assert caught.value.fix == "Zones of g1 that offer it: g1-a, g1-b."


def test_a_zone_outside_the_region_is_refused_and_unknown_zone_lists_pass(small: Catalog) -> None:
    small.check_zone("aws", "r1", "r1b")
    with pytest.raises(CatalogLookupError, match="'r2a' is not a zone of r1"):
        small.check_zone("aws", "r1", "r2a")
    small.check_zone("aws", "r2", "anything")  # r2 records no zones, so there is nothing to check against


def test_regions_include_those_without_offers_and_typos_get_a_suggestion(small: Catalog) -> None:
    assert small.regions("aws") == ["r1", "r2", "r3"]
    with pytest.raises(CatalogLookupError) as caught:
        small.check_region("gcp", "g11")
    assert "Did you mean 'g1'?" in caught.value.fix


def test_instance_types_filter_by_region_through_offers(small: Catalog) -> None:
    assert {t.name for t in small.instance_types(cloud="aws", region="r2")} == {"big.efa", "cb.only"}


# -- PUE, grid, storage ---------------------------------------------------------------------------------------


def test_pue_prefers_the_region_figure_then_the_fleet(small: Catalog) -> None:
    assert small.pue("gcp", "g1").pue == D("1.1")  # type: ignore[union-attr]
    assert small.pue("aws", "r2").pue == D("1.15")  # type: ignore[union-attr]
    assert small.pue("azure", "x") is None, "no figure at all is None, not a made-up 1.0"


def test_grid_is_per_region_and_absent_when_unknown(small: Catalog) -> None:
    assert small.grid("aws", "r1").location_g_per_kwh == D("400")  # type: ignore[union-attr]
    assert small.grid("aws", "r2") is None


def test_storage_price_prefers_the_region_then_the_wildcard(small: Catalog) -> None:
    assert small.storage_price("aws", "FSX-lustre", "persistent_2-125", "r1").usd_per_gib_month == D("0.145")  # type: ignore[union-attr]
    assert small.storage_price("aws", "fsx-lustre", "PERSISTENT_2-125", "r2").usd_per_gib_month == D("0.16")  # type: ignore[union-attr]
    assert small.storage_price("aws", "fsx-lustre", "SCRATCH_2", "r1") is None


# -- power ---------------------------------------------------------------------------------------------------


def test_measured_curves_are_interpolated_between_points(small: Catalog) -> None:
    t = small.instance_type("big.plain")
    assert instance_power(small, t, D("0.25")).power_w == D("2000")
    assert instance_power(small, t, D("0.75")).power_w == D("4500")
    assert instance_power(small, t, D("1")).method == "measured curve"


def test_without_a_curve_power_is_accelerators_plus_host_from_idle_to_max(small: Catalog) -> None:
    t = small.instance_type("big.efa")  # 8 × H100 (80..700 W), 96 vCPU (1..4 W), 1024 GiB × 0.5 W
    half = instance_power(small, t, D("0.5"))
    assert half.power_w == 8 * (80 + 620 * D("0.5")) + 96 * (1 + 3 * D("0.5")) + 1024 * D("0.5")
    assert half.method == "accelerators + host"
    assert instance_power(small, t, D("0")).power_w == 8 * 80 + 96 * 1 + 512


def test_a_cloud_without_host_coefficients_says_so_in_the_method(small: Catalog) -> None:
    draw = instance_power(small, small.instance_type("a2-8g"), D("1"))
    assert draw.power_w == 8 * 400 and "accelerators only" in draw.method


def test_utilisation_outside_zero_to_one_is_refused(small: Catalog) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        instance_power(small, small.instance_type("big.efa"), D("1.5"))


@given(st.decimals(min_value=0, max_value=1, places=3))
def test_interpolated_power_stays_between_the_curve_ends(u: Decimal) -> None:
    curve = PowerCurve(
        "x", ((0, D("744.8")), (10, D("1687.5")), (50, D("3781.8")), (100, D("5245"))), "t", DAY
    )
    assert D("744.8") <= interpolate(curve, u) <= D("5245")


# -- listing -------------------------------------------------------------------------------------------------


def test_gpu_offers_are_cheapest_per_accelerator_hour_first_and_unpriced_last(small: Catalog) -> None:
    rows = gpu_offers(small, accelerator="H100")
    per_acc = [r.usd_per_accelerator_hour for r in rows]
    assert per_acc == [D("4"), D("5"), D("6"), D("6.25"), None]
    assert [r.instance_type for r in rows][-1] == "big.efa", "r2's big.efa has no price at all"
    assert rows[0].price_basis == "capacity_block" and rows[0].instance_type == "cb.only"


def test_gpu_offer_carbon_is_machine_power_per_gpu_times_pue_times_grid(small: Catalog) -> None:
    (row,) = [r for r in gpu_offers(small, accelerator="H100", region="r1") if r.instance_type == "big.efa"]
    watts = 8 * 700 + 96 * 4 + 1024 * D("0.5")
    assert row.instance_power_w == watts
    assert row.co2e_kg_per_accelerator_hour == watts / 8 / 1000 * D("1.15") * 400 / 1000
    assert (row.board_power_w, row.pue, row.grid_g_per_kwh) == (700, D("1.15"), D("400"))


def test_gpu_offers_without_a_grid_figure_have_unknown_carbon(small: Catalog) -> None:
    (row,) = [r for r in gpu_offers(small, region="r2") if r.instance_type == "cb.only"]
    assert row.co2e_kg_per_accelerator_hour is None and row.grid_g_per_kwh is None


def test_unknown_accelerator_in_a_listing_suggests_the_closest(small: Catalog) -> None:
    with pytest.raises(CatalogLookupError, match="Did you mean 'H100'"):
        gpu_offers(small, accelerator="H10")


def test_where_lists_regions_with_zones_and_types(small: Catalog) -> None:
    places = where(small, "a100")
    assert [(p.cloud, p.region, p.zones, p.instance_types) for p in places] == [
        ("gcp", "g1", ("g1-a", "g1-b"), ("a2-8g",)),
        ("gcp", "g2", (), ("a2-8g",)),
    ]
    assert places[0].location == "Iowa"


def test_show_gathers_the_type_its_power_and_its_offers(small: Catalog) -> None:
    d = show(small, "BIG.EFA")
    assert d.instance_type.name == "big.efa" and [o.region for o in d.offers] == ["r1", "r2"]
    assert (d.accelerator_power_idle_w, d.accelerator_power_max_w) == (80, 700)


def test_a_machine_level_power_override_beats_the_accelerator_default() -> None:
    catalog = Catalog(
        [acc("A100-80GB", 80, 400, 46)],
        [machine("pcie", "azure", "A100-80GB", count=1, accelerator_power_max_w=300)],
    )
    assert catalog.accelerator_power(catalog.instance_type("pcie")) == (46, 300)


# -- loading rows --------------------------------------------------------------------------------------------


def test_money_from_a_yaml_float_is_the_decimal_written() -> None:
    assert money(55.04) == D("55.04") and money(0.1) == D("0.1") and money("113.9328") == D("113.9328")


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ({"on_demand": float("nan")}, "not a price"),
        ({"on_demand": -1}, "negative"),
        ({"price": 3}, "unknown fields \\['price'\\]"),
        ({"billing": "per-gpu"}, "billing 'per-gpu' is not one of"),
        ({"source": "  "}, "source is empty"),
        ({"retrieved": "yesterday"}, "Invalid isoformat"),
        ({"zones": "us-central1-a"}, "expected a list"),
    ],
    ids=["nan", "negative", "unknown-field", "bad-billing", "empty-source", "bad-date", "zones-not-a-list"],
)
def test_a_malformed_offer_row_fails_with_file_row_and_field(row: dict[str, object], error: str) -> None:
    base = {"instance_type": "p5.48xlarge", "region": "us-east-1", "source": "x", "retrieved": "2026-11-22"}
    with pytest.raises(CatalogDataError, match=error) as caught:
        rows(Offer, [{**base, **row}], "aws/offers.yaml", "offers", {"cloud": "aws"})
    assert str(caught.value).startswith("aws/offers.yaml: offers[0] (p5.48xlarge)")


def test_a_row_without_source_is_refused() -> None:
    with pytest.raises(CatalogDataError, match=r"missing fields \['source'\]"):
        rows(
            Offer,
            [{"instance_type": "x", "region": "r", "retrieved": "2026-11-22"}],
            "f",
            "offers",
            {"cloud": "aws"},
        )


# -- the compiled copy never shadows an edited YAML file -----------------------------------------------------


def test_an_edited_yaml_file_wins_over_a_stale_compiled_copy_until_it_is_recompiled(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    offers = data / "aws" / "offers.yaml"
    text = offers.read_text()
    assert "region: us-east-1\n    billing: instance\n    on_demand: 55.04" in text, "fixture anchor moved"
    offers.write_text(
        text.replace(
            "region: us-east-1\n    billing: instance\n    on_demand: 55.04",
            "region: us-east-1\n    billing: instance\n    on_demand: 99.5",
            1,
        )
    )
    edited = Catalog.from_dir(data).offer("p5.48xlarge", "us-east-1")
    assert edited is not None and edited.on_demand == D("99.5"), "the stale catalog.json must not be used"
    write_compiled(data)
    compiled = json.loads((data / COMPILED).read_text())
    assert compiled["sources"] == sources_digest(data)
    assert Catalog.from_dir(data).offer("p5.48xlarge", "us-east-1").on_demand == D("99.5")  # type: ignore[union-attr]


def test_a_compiled_copy_that_would_not_load_is_never_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = (data / COMPILED).read_text()
    machines = data / "aws" / "machines.yaml"
    machines.write_text(machines.read_text().replace("fabric: efa", "fabric: ethernet", 1))
    with pytest.raises(CatalogDataError, match="fabric 'ethernet' is not one of"):
        write_compiled(data)
    assert (data / COMPILED).read_text() == before


def test_the_first_query_reads_the_compiled_catalog_without_loading_pyyaml() -> None:
    """PyYAML costs about a third of the first query's import time and the compiled catalog never needs it:
    a fresh process that loads the shipped catalog and answers a query has not imported `yaml`, nor the edge
    catalog (catalog/edge.py, read only for stacks with edge sites), which still answers when asked."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from aiinfra.catalog import default_catalog\n"
        "from aiinfra.catalog.listing import gpu_offers\n"
        "rows = gpu_offers(default_catalog(), accelerator='H100')\n"
        "print(len(rows) > 0, 'yaml' in sys.modules, 'aiinfra.catalog.edge' in sys.modules)\n"
        "print(len(default_catalog().edge.locations()) > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False", "True"], out.stdout + out.stderr
