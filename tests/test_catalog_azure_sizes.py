"""Azure CPU sizes beyond the v2-v5 general-purpose families (catalog/data/azure/general.csv, the groups read
from Microsoft's size-series pages): v6 sizes (Intel, AMD, Arm; local-disk, low-memory and network-optimised
variants), L (storage), HB/HC/HX (HPC), Msv3 medium memory and the constrained-vCPU sizes. A VM of one of them
is priced at its row's on-demand price, with energy and carbon; where the price table does not list the size,
or has no Spot meter, the line is unpriced with the reason, never $0."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.catalog.load import DATA_DIR, load_general
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import UsageFile

CATALOG = default_catalog()
GENERAL = load_general(DATA_DIR)
TABLE = DATA_DIR / "azure" / "general.csv"
VM = "azure-native:compute:VirtualMachine"
KARPENTER = "Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go @352646f5"
DOCS = "MicrosoftDocs/azure-compute-docs articles/virtual-machines/"


def table_rows() -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """Every row of the Azure table by (size, region), with the @source of its group, read here with the csv
    module rather than through the catalog loader."""
    rows: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    source = ""
    with TABLE.open(encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    header: list[str] | None = None
    for ln in lines:
        if ln.startswith("@source "):
            source = ln[len("@source ") :].strip()
        if ln.startswith("@"):
            continue
        if header is None:
            header = ln.strip().split(",")
            continue
        (row,) = list(csv.DictReader([ln], fieldnames=header))
        rows[(row["instance_type"], row["region"])] = (source, row)
    return rows


ROWS = table_rows()


def vm(name: str, size: str, region: str, **extra: Any) -> PlannedResource:
    return PlannedResource(
        type=VM,
        name=name,
        urn=f"urn:pulumi:t::p::{VM}::{name}",
        parent=None,
        inputs={"location": region, "hardwareProfile": {"vmSize": size}, **extra},
        custom=True,
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure-native:location": "eastus"}
    )
    return estimate(graph, CATALOG, usage=UsageFile(resources={}), usage_path="stacks/usage.t.yaml")


def hours_line(result: Estimate, resource: str) -> Line:
    (found,) = [ln for ln in result.lines if ln.resource == resource and ln.unit == "instance-hours"]
    return found


# Sizes and shapes as the series pages' Basics tables list them (vCPUs, memory); one or two per page.
SAMPLES = [
    ("Standard_D2s_v6", "eastus", 2, "8", "general-purpose/dsv6-series.md"),
    ("Standard_D192s_v6", "westeurope", 192, "768", "general-purpose/dsv6-series.md"),
    ("Standard_D16ds_v6", "japanwest", 16, "64", "general-purpose/ddsv6-series.md"),
    ("Standard_D8ls_v6", "uksouth", 8, "16", "general-purpose/dlsv6-series.md"),
    ("Standard_D4lds_v6", "southafricanorth", 4, "8", "general-purpose/dldsv6-series.md"),
    ("Standard_D4as_v6", "westus2", 4, "16", "general-purpose/dasv6-series.md"),
    ("Standard_D96ads_v6", "northeurope", 96, "384", "general-purpose/dadsv6-series.md"),
    ("Standard_D2als_v6", "centralindia", 2, "4", "general-purpose/dalsv6-series.md"),
    ("Standard_D2alds_v6", "eastus2", 2, "4", "general-purpose/daldsv6-series.md"),
    ("Standard_D4ps_v6", "swedencentral", 4, "16", "general-purpose/dpsv6-series.md"),
    ("Standard_D2plds_v6", "eastus", 2, "4", "general-purpose/dpldsv6-series.md"),
    ("Standard_D8ns_v6", "westus3", 8, "32", "memory-optimized/dnsv6-series.md"),
    ("Standard_E2s_v6", "francecentral", 2, "16", "memory-optimized/esv6-series.md"),
    ("Standard_E192is_v6", "eastus", 192, "1832", "memory-optimized/esv6-series.md"),
    ("Standard_E96as_v6", "australiaeast", 96, "672", "memory-optimized/easv6-series.md"),
    ("Standard_E8pds_v6", "germanywestcentral", 8, "64", "memory-optimized/epdsv6-series.md"),
    ("Standard_E16bds_v6", "eastus", 16, "128", "memory-optimized/ebdsv6-series.md"),
    ("Standard_F2as_v6", "eastus", 2, "8", "compute-optimized/fasv6-series.md"),
    ("Standard_F8als_v6", "brazilsouth", 8, "16", "compute-optimized/falsv6-series.md"),
    ("Standard_F4ams_v6", "koreacentral", 4, "32", "compute-optimized/famsv6-series.md"),
    ("Standard_D2ps_v5", "westeurope", 2, "8", "general-purpose/dpsv5-series.md"),
    ("Standard_E32ps_v5", "eastus", 32, "208", "memory-optimized/epsv5-series.md"),
    ("Standard_D96ls_v5", "canadacentral", 96, "192", "general-purpose/dlsv5-series.md"),
    ("Standard_L8s_v3", "westeurope", 8, "64", "storage-optimized/lsv3-series.md"),
    ("Standard_L2s_v4", "eastus", 2, "16", "storage-optimized/lsv4-series.md"),
    ("Standard_L80as_v3", "eastus", 80, "640", "storage-optimized/lasv3-series.md"),
    ("Standard_L12aos_v4", "eastus", 12, "96", "storage-optimized/laosv4-series.md"),
    ("Standard_L80s_v2", "eastus", 80, "640", "storage-optimized/lsv2-series.md"),
    ("Standard_HB120rs_v3", "southcentralus", 120, "448", "high-performance-compute/hbv3-series.md"),
    ("Standard_HB176-24rs_v4", "eastus", 24, "768", "high-performance-compute/hbv4-series.md"),
    ("Standard_HX176rs", "eastus", 176, "1408", "high-performance-compute/hx-series.md"),
    ("Standard_HC44rs", "westeurope", 44, "352", "high-performance-compute/hc-series.md"),
    ("Standard_M176s_4_v3", "eastus", 176, "3892", "memory-optimized/msv3-mm-series.md"),
]


@pytest.mark.parametrize(("size", "region", "vcpu", "memory", "page"), SAMPLES)
def test_a_vm_of_a_new_size_is_priced_at_its_rows_price_with_energy_and_carbon(
    size: str, region: str, vcpu: int, memory: str, page: str
) -> None:
    source, row = ROWS[(size, region)]
    assert row["spot"] == "", "the price table has no Spot meters"
    result = run(vm("app", size, region))
    hours = hours_line(result, "app")
    assert hours.unit_price_usd == Decimal(row["on_demand"])
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * Decimal(row["on_demand"])
    assert hours.region == region and size in hours.description and hours.reason == ""
    assert hours.monthly_energy_kwh is not None and hours.monthly_energy_kwh > 0
    assert hours.monthly_co2e_kg is not None and hours.monthly_co2e_kg > 0
    assert "accelerators + host" in hours.energy_detail, "CPU machines draw by vCPU and memory"
    assert source in hours.source and DOCS + "sizes/" + page in hours.source
    name, commit = KARPENTER.split(" @")
    assert name in hours.source and commit in hours.source
    shape = CATALOG.instance_type(size)
    assert (shape.vcpu, shape.memory_gib) == (vcpu, Decimal(memory))
    assert shape.accelerator is None and shape.accelerator_count == 0
    offer = CATALOG.offer(size, region)
    assert offer is not None and offer.unverified == ("on_demand",), "a third party's snapshot"
    assert offer.retrieved.isoformat() == "2026-12-05"


@pytest.mark.parametrize(
    ("size", "region"),
    [
        ("Standard_B2s", "eastasia"),
        ("Standard_D2s_v3", "australiasoutheast"),
        ("Standard_DS1_v2", "uaenorth"),
        ("Standard_D4s_v5", "japanwest"),
        ("Standard_E8s_v5", "southafricanorth"),
        ("Standard_F4s_v2", "canadaeast"),
    ],
)
def test_the_older_sizes_are_priced_in_the_regions_added_after_their_group(size: str, region: str) -> None:
    source, row = ROWS[(size, region)]
    name, commit = KARPENTER.split(" @")
    assert name in source and commit in source and "MicrosoftDocs" not in source
    hours = hours_line(run(vm("app", size, region)), "app")
    assert hours.unit_price_usd == Decimal(row["on_demand"]) and hours.reason == ""
    shape = CATALOG.instance_type(size)
    assert (shape.vcpu, shape.memory_gib) == (int(row["vcpu"]), Decimal(row["memory_gib"]))


def test_the_sizes_whose_two_sources_disagree_stay_out_of_the_added_regions() -> None:
    """B v2 and some D*as/D*ads v5 sizes: karpenter's price differs from SkyPilot's in a US region, so the
    table is not read for them anywhere."""
    for size in ("Standard_B2s_v2", "Standard_B2ats_v2", "Standard_D4ads_v5", "Standard_D64as_v5"):
        regions = {r for s, r in ROWS if s == size}
        assert regions and all(ROWS[(size, r)][0].startswith("SkyPilot catalog v6") for r in regions), size


def test_a_bigger_size_of_a_series_draws_more_than_a_smaller_one() -> None:
    result = run(vm("small", "Standard_D2s_v6", "eastus"), vm("big", "Standard_D64s_v6", "eastus"))
    small, big = hours_line(result, "small"), hours_line(result, "big")
    assert small.monthly_energy_kwh is not None and big.monthly_energy_kwh is not None
    assert big.monthly_energy_kwh > 20 * small.monthly_energy_kwh


@pytest.mark.parametrize(
    ("size", "region"),
    [
        ("Standard_HB176rs_v4", "westus"),  # the table prices HBv4 in eight catalog regions, not westus
        ("Standard_HB368rs_v5", "eastus2"),
        ("Standard_D2ps_v6", "koreasouth"),
        ("Standard_L2aos_v4", "japanwest"),
    ],
)
def test_a_region_the_table_does_not_list_is_unpriced_with_the_reason(size: str, region: str) -> None:
    assert (size, region) not in ROWS
    assert any(s == size for s, _ in ROWS), f"{size} is in the table elsewhere"
    hours = hours_line(run(vm("app", size, region)), "app")
    assert hours.unit_price_usd is None and hours.monthly_cost_usd is None
    assert hours.reason.startswith(f"{size} is not offered in {region} in this catalog; priced in ")
    assert hours.monthly_energy_kwh is not None, "the energy of what runs is known without a price"


def test_a_spot_vm_of_a_new_size_is_unpriced_not_free() -> None:
    hours = hours_line(run(vm("cheap", "Standard_D4as_v6", "eastus", priority="Spot")), "cheap")
    assert hours.purchase_option == "spot"
    assert hours.monthly_cost_usd is None
    assert hours.reason.startswith("no spot price published for Standard_D4as_v6 in eastus")


@pytest.mark.parametrize(
    ("size", "base", "active"),
    [
        ("Standard_E4-2s_v6", "Standard_E4s_v6", 2),
        ("Standard_E128-32ds_v6", "Standard_E128ds_v6", 32),
        ("Standard_E64-16s_v5", "Standard_E64s_v5", 16),
        ("Standard_DS13-2_v2", "Standard_DS13_v2", 2),
    ],
)
def test_a_constrained_vcpu_size_has_its_active_vcpus_the_base_memory_and_the_base_price(
    size: str, base: str, active: int
) -> None:
    constrained, full = CATALOG.instance_type(size), CATALOG.instance_type(base)
    assert constrained.vcpu == active and full.vcpu > active
    assert constrained.memory_gib == full.memory_gib
    regions = {r for s, r in ROWS if s == size}
    assert len(regions) >= 20
    # the v2-v5 base sizes are in the table's first 22 regions only; where both are listed, one price
    both = regions & {r for s, r in ROWS if s == base}
    assert len(both) >= 20
    for region in both:
        assert ROWS[(size, region)][1]["on_demand"] == ROWS[(base, region)][1]["on_demand"], region
    assert all("constrained-vcpu.md" in ROWS[(size, region)][0] for region in regions)


@pytest.mark.parametrize(
    "size",
    [
        "Standard_E4-2as_v5",  # the table prices it unlike its base in 17 regions
        "Standard_E8-4ads_v5",
        "Standard_D64ls_v7",  # its page row breaks the series' memory per vCPU (general-v7.csv leaves it out)
        "Standard_DC128es_v5",  # priced in the table, absent from the DCesv5 page
        "Standard_F72as_v6",  # priced in the table, absent from the Fasv6 page
    ],
)
def test_sizes_without_a_read_shape_or_with_a_doubtful_price_are_left_out(size: str) -> None:
    assert size.lower() not in GENERAL.offers
    hours = hours_line(run(vm("app", size, "eastus")), "app")
    assert hours.monthly_cost_usd is None and hours.reason


def test_the_docs_groups_cover_every_v6_series_in_every_catalog_region() -> None:
    regions = set(CATALOG.regions(cloud="azure"))
    assert len(regions) == 32
    docs_rows = [(size, region) for (size, region), (source, _) in ROWS.items() if DOCS in source]
    assert {region for _, region in docs_rows} == regions
    v6 = {size for size, _ in docs_rows if size.endswith("_v6")}
    assert len(v6) > 250
    for size in ("Standard_D2s_v6", "Standard_D2as_v6", "Standard_E2s_v6", "Standard_F2as_v6"):
        assert {r for s, r in docs_rows if s == size} == regions, size
    for (size, region), (source, row) in ROWS.items():
        if DOCS in source:
            assert row["spot"] == "" and Decimal(row["on_demand"]) > 0, (size, region)
            assert " @" in source.split(DOCS)[1] or "msv3-mm-series.md" in source, "the page's commit"
