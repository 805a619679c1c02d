"""Azure GPU sizes are offered, with their on-demand price, in every catalog region Azure's published price table
lists them in: SkyPilot's rows (US, on-demand and Spot) where it has them, else karpenter-provider-azure's table
(every region, on-demand only). The spec check follows the offers: a region without the size exits 2 with the
regions that sell it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiinfra.catalog import Catalog
from aiinfra.catalog.load import DATA_DIR, load_dir
from tests.test_cli_bad_input import assert_bad_input, invoke, write_stack

DATA = load_dir(DATA_DIR)
CATALOG = Catalog.from_data(DATA)
STACK = Path(__file__).resolve().parents[1] / "stacks" / "Pulumi.azure-ndv5.yaml"
SKY = "skypilot-org/skypilot-catalog catalogs/v6/azure/vms.csv @098741e7"
KARPENTER = "Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go @352646f5"
MIN_REGIONS = 10
# GPU sizes sold in fewer than MIN_REGIONS catalog regions, with the regions and why. A gap that closes fails.
FEW_REGIONS = {
    "Standard_ND96asr_v4": (
        {"eastus", "southcentralus", "westeurope", "westus2"},
        "karpenter's table lists ND A100 v4 (40 GB) in five regions only; its fifth, italynorth, is not in "
        "regions.yaml",
    ),
}


def gpu_sizes() -> list[str]:
    return sorted(t.name for t in CATALOG.instance_types(cloud="azure") if t.accelerator)


def regions_of(size: str) -> set[str]:
    return {o.region for o in CATALOG.offers(instance_type=size)}


def from_source(offer: Any, source: str) -> bool:
    name, commit = source.split(" @")
    return name in offer.source and commit in offer.source


@pytest.mark.parametrize(
    ("size", "region", "on_demand"),
    [
        # transcribed from zz_generated.pricing.go @352646f5 (initialOnDemandPrices[region][size])
        ("Standard_ND96isr_H100_v5", "swedencentral", "127.816"),
        ("Standard_ND96isr_H100_v5", "westeurope", "127.816"),
        ("Standard_ND96isr_H100_v5", "japaneast", "142.564"),
        ("Standard_ND96isr_H200_v5", "swedencentral", "110.272"),
        ("Standard_ND96isr_H200_v5", "eastus2", "84.8"),
        ("Standard_ND96asr_v4", "westeurope", "35.357"),
        ("Standard_ND96amsr_A100_v4", "uksouth", "40.962"),
        ("Standard_NC48ads_A100_v4", "koreacentral", "9.917"),
        ("Standard_NC40ads_H100_v5", "swedencentral", "9.074"),
        ("Standard_NC80adis_H100_v5", "southeastasia", "18.148"),
        ("Standard_NC4as_T4_v3", "centralindia", "0.579"),
        ("Standard_NC8as_T4_v3", "australiaeast", "0.978"),
        ("Standard_NC16as_T4_v3", "germanywestcentral", "1.504"),
        ("Standard_NC64as_T4_v3", "canadacentral", "4.82"),
        ("Standard_NV36ads_A10_v5", "eastus", "3.2"),
        ("Standard_NV72ads_A10_v5", "uksouth", "8.15"),
        # regions added to regions.yaml for these offers
        ("Standard_ND96isr_H100_v5", "japanwest", "152.396"),
        ("Standard_ND96isr_H100_v5", "westcentralus", "117.984"),
        ("Standard_ND96isr_H200_v5", "uaenorth", "121.264"),
        ("Standard_ND96amsr_A100_v4", "brazilsouth", "65.54"),
        ("Standard_NC40ads_H100_v5", "koreasouth", "8.725"),
        ("Standard_NV36ads_A10_v5", "eastasia", "4.96"),
        ("Standard_D4s_v5", "southafricanorth", "0.254"),  # the system pool: its offers.yaml row
    ],
)
def test_karpenter_rows_carry_the_tables_on_demand_price_and_no_spot(
    size: str, region: str, on_demand: str
) -> None:
    offer = CATALOG.offer(size, region)
    assert offer is not None, f"{size} in {region}"
    assert offer.on_demand == Decimal(on_demand)
    assert from_source(offer, KARPENTER) and "2026-06-18" in offer.source
    assert offer.spot is None, "the table has no Spot meters: unpriced, never 0"
    assert CATALOG.unpriced_reason(size, region, "spot") is not None
    assert offer.unverified == ("on_demand",), "a third party's snapshot, as general.csv marks it"
    assert offer.retrieved.isoformat() == "2026-12-05"


@pytest.mark.parametrize(
    ("size", "region", "on_demand", "spot"),
    [
        # SkyPilot's US rows stay (both sources agree on every US row; SkyPilot also has Spot)
        ("Standard_NC24ads_A100_v4", "eastus", "3.673", "0.444433"),
        ("Standard_NC16as_T4_v3", "westus2", "1.204", "0.140988"),
        ("Standard_ND96isr_H100_v5", "eastus", "98.32", "18.17"),
    ],
)
def test_skypilot_us_rows_keep_their_spot_price(size: str, region: str, on_demand: str, spot: str) -> None:
    offer = CATALOG.offer(size, region)
    assert offer is not None and from_source(offer, SKY) and not from_source(offer, KARPENTER)
    assert (offer.on_demand, offer.spot) == (Decimal(on_demand), Decimal(spot))


RADAR = "andy-diericks/azure-pricing-radar @cf741f25"
EUROPE = {"westeurope", "northeurope", "francecentral", "swedencentral"}


@pytest.mark.parametrize(
    ("size", "region", "on_demand", "spot"),
    [
        # read by hand from the snapshot's vm-<scope>.json: the Linux '<size> Spot' meter's retailPrice
        ("Standard_NC24ads_A100_v4", "northeurope", "4.408", "0.814598"),
        ("Standard_NC96ads_A100_v4", "francecentral", "18.365", "3.393852"),
        ("Standard_NC48ads_A100_v4", "swedencentral", "9.55", "2.928985"),
        ("Standard_ND96amsr_A100_v4", "westeurope", "40.962", "10.65012"),
    ],
)
def test_european_a100_rows_carry_the_spot_meter_of_the_retail_prices_snapshot(
    size: str, region: str, on_demand: str, spot: str
) -> None:
    offer = CATALOG.offer(size, region)
    assert offer is not None
    assert (offer.on_demand, offer.spot) == (Decimal(on_demand), Decimal(spot))
    assert from_source(offer, KARPENTER) and RADAR in offer.source
    meter = offer.source.split("Linux meter '")[1].split("'")[0]
    assert meter.endswith(" Spot") and "A100" in meter, meter
    assert offer.unverified == ("on_demand", "spot")
    assert CATALOG.unpriced_reason(size, region, "spot") is None


def test_only_european_a100_rows_take_spot_from_the_snapshot_and_every_one_is_below_on_demand() -> None:
    taken = [o for o in CATALOG.offers(cloud="azure") if RADAR in o.source]
    assert len(taken) == 15
    assert {o.region for o in taken} == EUROPE
    assert {o.instance_type for o in taken} == {
        "Standard_NC24ads_A100_v4",
        "Standard_NC48ads_A100_v4",
        "Standard_NC96ads_A100_v4",
        "Standard_ND96amsr_A100_v4",
    }
    for o in taken:
        assert o.spot is not None and o.on_demand is not None and 0 < o.spot < o.on_demand, o


def test_every_azure_gpu_size_is_sold_in_at_least_ten_regions_except_the_named_gaps() -> None:
    sizes = gpu_sizes()
    assert len(sizes) == 15, sizes
    few = {s: regions_of(s) for s in sizes if len(regions_of(s)) < MIN_REGIONS}
    assert few == {s: regions for s, (regions, _) in FEW_REGIONS.items()}
    for size in sizes:
        offers = CATALOG.offers(instance_type=size)
        assert all(o.on_demand is not None and o.on_demand > 0 for o in offers), f"{size}: every row priced"
        assert len({o.region for o in offers}) == len(offers), f"{size}: one row per region"


def test_the_big_gpu_regions_sell_the_flagship_sizes() -> None:
    assert {"swedencentral", "westeurope", "uksouth", "japaneast", "australiaeast"} <= regions_of(
        "Standard_ND96isr_H100_v5"
    )
    assert {"swedencentral", "northeurope", "francecentral", "southeastasia", "eastus2"} <= regions_of(
        "Standard_ND96isr_H200_v5"
    )
    assert len({o.region for o in CATALOG.offers(cloud="azure", accelerator="H100")}) >= 15


@pytest.mark.parametrize(
    ("size", "region"),
    [
        # regions karpenter's table does not list the size in: not offered, not priced
        ("Standard_ND96isr_H100_v5", "francecentral"),
        ("Standard_ND96isr_H100_v5", "northeurope"),
        ("Standard_ND96isr_H200_v5", "eastus"),
        ("Standard_ND96asr_v4", "swedencentral"),
        ("Standard_NV36ads_A10_v5", "norwayeast"),
        # sold there per the table, but not in regions.yaml (no grid figure to carry): left out
        ("Standard_ND96isr_H200_v5", "polandcentral"),
        ("Standard_ND96isr_H100_v5", "switzerlandnorth"),
        ("Standard_ND96amsr_A100_v4", "ukwest"),
        ("Standard_ND96isr_H100_v5", "southafricawest"),  # access-restricted region
    ],
)
def test_a_size_is_not_offered_where_the_table_does_not_list_it(size: str, region: str) -> None:
    assert CATALOG.offer(size, region) is None


def test_every_azure_offer_region_has_a_location_grid_intensity_and_pue() -> None:
    regions = {r.name for r in DATA.get("regions") if r.cloud == "azure"}
    grid = {g.region for g in DATA.get("grid") if g.cloud == "azure" and g.location_g_per_kwh}
    pue = {p.region for p in DATA.get("pue") if p.cloud == "azure"}
    assert "*" in pue
    offered = {o.region for o in CATALOG.offers(cloud="azure")}
    assert len(offered) >= 20
    assert offered <= regions & grid, sorted(offered - (regions & grid))


@pytest.mark.parametrize(
    ("region", "location", "zones", "g_per_kwh"),
    [
        # Microsoft's regions list (reliability-docs @01021ab8) and CCF's Azure table (@b7a049c7), as transcribed
        ("japanwest", "Osaka, Japan", ("1", "2", "3"), "465.8"),
        ("uaenorth", "Dubai, United Arab Emirates", ("1", "2", "3"), "404.1"),
        ("koreasouth", "Busan, Korea", (), "415.6"),
        ("westcentralus", "Wyoming, United States", (), "322.167"),
        ("brazilsouth", "Sao Paulo State, Brazil", ("1", "2", "3"), "61.7"),
    ],
)
def test_the_added_regions_carry_location_zones_and_grid(
    region: str, location: str, zones: tuple[str, ...], g_per_kwh: str
) -> None:
    (row,) = [r for r in DATA.get("regions") if r.cloud == "azure" and r.name == region]
    assert (row.location, row.zones) == (location, zones)
    (grid,) = [g for g in DATA.get("grid") if g.cloud == "azure" and g.region == region]
    assert grid.location_g_per_kwh == Decimal(g_per_kwh) and "b7a049c7" in grid.source
    assert CATALOG.region("azure", region) is not None


def test_spot_is_only_where_skypilot_or_the_retail_prices_snapshot_gives_it() -> None:
    for o in CATALOG.offers(cloud="azure"):
        if o.spot is not None:
            assert from_source(o, SKY) or RADAR in o.source, (
                f"{o.instance_type} {o.region}: Spot from {o.source}"
            )


def _stack_in(region: str) -> dict[str, Any]:
    doc = yaml.safe_load(STACK.read_text(encoding="utf-8"))
    doc["config"]["aiinfra:clusters"][0]["region"] = region
    return doc


def test_the_nd_h100_stack_plans_in_swedencentral(tmp_path: Path) -> None:
    stack = write_stack(tmp_path, _stack_in("swedencentral"), "Pulumi.sweden.yaml")
    result = invoke("plan", "-s", str(stack), "--format", "json")
    assert result.exit_code == 0, result.output
    resources = json.loads(result.stdout)["resources"]
    (group,) = [r for r in resources if r["type"] == "azure-native:resources:ResourceGroup"]
    assert group["inputs"]["location"] == "swedencentral"
    pools = [r["inputs"] for r in resources if r["type"] == "azure-native:containerservice:AgentPool"]
    assert [p["vmSize"] for p in pools if p.get("mode") == "User"] == ["Standard_ND96isr_H100_v5"]


def test_a_region_the_table_does_not_list_exits_2_naming_the_regions_that_sell_it(tmp_path: Path) -> None:
    stderr = assert_bad_input(invoke("plan", "-s", str(write_stack(tmp_path, _stack_in("francecentral")))))
    assert "clusters[0].nodePools[0].instanceType" in stderr
    assert "not offered in francecentral" in stderr
    listed = stderr.split("Regions that offer it:")[1]
    for region in ("swedencentral", "westeurope", "uksouth", "japaneast", "japanwest", "uaenorth", "eastus"):
        assert region in listed, region
    assert "francecentral" not in listed and "northeurope" not in listed
