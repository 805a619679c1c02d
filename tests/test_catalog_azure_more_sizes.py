"""Azure sizes in the general table's later files: the v7 generation (general-v7.csv), the confidential DC/EC
sizes (general-confidential.csv) and the M family beyond Msv3 medium memory (general-m.csv). Each row's price
is read here from the CSV text and compared with what the catalog and an estimate give; each size's shape is
compared with a second reading (the vCPU count in the size name, and the series pages' figures written out
below). Sizes a source does not back stay unpriced with a reason, never $0."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.listing import gpu_offers
from aiinfra.catalog.load import (
    DATA_DIR,
    GENERAL_COLUMNS,
    GeneralTable,
    general_files,
    load_dir,
    load_general,
)
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import UsageFile
from aiinfra.guard.files import SPEC_LIMIT

CATALOG = default_catalog()
AZURE = DATA_DIR / "azure"
FILES = ("general-v7.csv", "general-confidential.csv", "general-m.csv")
VM = "azure-native:compute:VirtualMachine"
KARPENTER = (
    "Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go "
    "@352646f599290c3a6d2f9710fb535a7b288f88ed"
)


def read_rows(path: Path) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """A table file's rows by (size, region) with the @source of their group, read with the csv module rather
    than through the catalog loader."""
    rows: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    source = ""
    header: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@source "):
            source = line.removeprefix("@source ").strip()
        if line.startswith("@"):
            continue
        if header is None:
            header = line.split(",")
            continue
        (row,) = list(csv.DictReader([line], fieldnames=header))
        assert (row["instance_type"], row["region"]) not in rows, line
        rows[(row["instance_type"], row["region"])] = (source, row)
    return rows


ROWS_BY_FILE = {name: read_rows(AZURE / name) for name in FILES}
ROWS = {key: value for rows in ROWS_BY_FILE.values() for key, value in rows.items()}
OLD_ROWS = read_rows(AZURE / "general.csv")


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


# Shapes as the series pages' Basics tables list them (vCPUs, memory GiB), written out by hand from the pages
# (a second reading of what the file's rows say), with the page each group's @source names.
SAMPLES = [
    ("Standard_D4as_v7", "eastus", 4, "16", "general-purpose/dasv7-series.md"),
    ("Standard_D4as_v7", "westeurope", 4, "16", "general-purpose/dasv7-series.md"),
    ("Standard_D2s_v7", "eastus2", 2, "8", "general-purpose/dsv7-series.md"),
    ("Standard_D372ds_v7", "eastus", 372, "1488", "general-purpose/ddsv7-series.md"),
    ("Standard_D8ls_v7", "eastus", 8, "16", "general-purpose/dlsv7-series.md"),
    ("Standard_D160alds_v7", "eastus", 160, "320", "general-purpose/daldsv7-series.md"),
    ("Standard_E20s_v7", "eastus", 20, "160", "memory-optimized/esv7-series.md"),
    ("Standard_E372is_v7", "eastus", 372, "2832", "memory-optimized/esv7-series.md"),
    ("Standard_E160ads_v7", "eastus", 160, "1280", "memory-optimized/eadsv7-series.md"),
    ("Standard_F1als_v7", "eastus", 1, "2", "compute-optimized/falsv7-series.md"),
    ("Standard_F80amds_v7", "eastus", 80, "640", "compute-optimized/famdsv7-series.md"),
    ("Standard_DC2as_v5", "eastus", 2, "8", "general-purpose/dcasv5-series.md"),
    ("Standard_DC128eds_v6", "westeurope", 128, "512", "general-purpose/dcedsv6-series.md"),
    ("Standard_DC4as_cc_v5", "eastus", 4, "16", "general-purpose/dcasccv5-series.md"),
    ("Standard_DC8_v2", "eastus", 8, "32", "general-purpose/dcsv2-series.md"),
    ("Standard_DC24ds_v3", "westeurope", 24, "192", "general-purpose/dcdsv3-series.md"),
    ("Standard_EC96as_v6", "eastus", 96, "672", "memory-optimized/ecasv6-series.md"),
    ("Standard_EC20ads_v5", "eastus", 20, "160", "memory-optimized/ecasv5-ecadsv5-series.md"),
    ("Standard_EC64eds_v6", "westeurope", 64, "512", "memory-optimized/ecedsv6-series.md"),
    ("Standard_M8ms", "eastus", 8, "218.75", "memory-optimized/m-series.md"),
    ("Standard_M416s_8_v2", "eastus", 416, "7600", "memory-optimized/mv2-series.md"),
    ("Standard_M192idms_v2", "eastus", 192, "4096", "memory-optimized/mdsv2-mm-series.md"),
    ("Standard_M176bds_4_v3", "eastus", 176, "3892", "memory-optimized/mbdsv3-series.md"),
    ("Standard_M96ds_1_v3", "eastus", 96, "974", "memory-optimized/mdsv3-mm-series.md"),
    ("Standard_M832is_16_v3", "eastus", 832, "15200", "memory-optimized/msv3-hm-series.md"),
    ("Standard_M896ixds_24_v3", "eastus", 896, "23088", "memory-optimized/mdsv3-vhm-series.md"),
]


@pytest.mark.parametrize(("size", "region", "vcpu", "memory", "page"), SAMPLES)
def test_a_vm_of_a_later_file_size_is_priced_at_its_row_with_the_page_s_shape(
    size: str, region: str, vcpu: int, memory: str, page: str
) -> None:
    source, row = ROWS[(size, region)]
    assert row["spot"] == "", "the price table has no Spot meters"
    assert (int(row["vcpu"]), Decimal(row["memory_gib"])) == (vcpu, Decimal(memory)), "file and page agree"
    shape = CATALOG.instance_type(size)
    assert (shape.vcpu, shape.memory_gib) == (vcpu, Decimal(memory))
    assert shape.accelerator is None and shape.accelerator_count == 0
    offer = CATALOG.offer(size, region)
    assert offer is not None and offer.on_demand == Decimal(row["on_demand"]) and offer.spot is None
    assert offer.unverified == ("on_demand",), "a third party's snapshot"
    assert offer.retrieved.isoformat() == "2026-12-05"
    assert KARPENTER in offer.source and page in offer.source and offer.source == source
    hours = hours_line(run(vm("app", size, region)), "app")
    assert hours.unit_price_usd == Decimal(row["on_demand"]) and hours.reason == ""
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * Decimal(row["on_demand"])
    assert hours.region == region and size in hours.description
    assert hours.monthly_energy_kwh is not None and hours.monthly_energy_kwh > 0
    assert hours.monthly_co2e_kg is not None and hours.monthly_co2e_kg > 0


def test_the_dc_ec_v5_tdx_sizes_cite_the_page_in_azure_docs() -> None:
    """DCesv5/DCedsv5 and ECesv5/ECedsv5 are read from MicrosoftDocs/azure-docs (the page before it moved)."""
    for size in ("Standard_DC2es_v5", "Standard_DC96eds_v5", "Standard_EC128es_v5", "Standard_EC2eds_v5"):
        sources = {ROWS[(s, r)][0] for s, r in ROWS if s == size}
        assert len(sources) == 1, size
        (source,) = sources
        assert "MicrosoftDocs/azure-docs articles/virtual-machines/" in source and " @033bba29" in source
    assert CATALOG.instance_type("Standard_EC128es_v5").memory_gib == 768


def name_vcpus(size: str) -> int:
    """The vCPUs a size's name gives: the number after the family letters, or the active count of a
    constrained-vCPU size (`Standard_E32-8as_v7`: 8)."""
    found = re.match(r"Standard_[A-Z]+(\d+)(?:-(\d+))?", size)
    assert found, size
    return int(found.group(2) or found.group(1))


def test_every_row_s_vcpus_match_its_name_and_every_size_has_one_shape() -> None:
    shapes: dict[str, tuple[str, str]] = {}
    for (size, region), (_, row) in ROWS.items():
        assert int(row["vcpu"]) == name_vcpus(size), (size, region)
        assert shapes.setdefault(size, (row["vcpu"], row["memory_gib"])) == (row["vcpu"], row["memory_gib"])
    assert len(shapes) > 400


@pytest.mark.parametrize("name", FILES)
def test_each_file_stands_alone_under_the_limit_with_a_source_and_date_for_every_group(name: str) -> None:
    path = AZURE / name
    assert path in general_files(DATA_DIR, "azure")
    assert 50_000 < path.stat().st_size < SPEC_LIMIT, "a real table, under the 1 MiB data-file limit"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert lines[:3] == ["@version 2026-12-05", "@cloud azure", GENERAL_COLUMNS]
    groups = [i for i, ln in enumerate(lines) if ln.startswith("@source ")]
    assert groups
    for i in groups:
        assert (
            KARPENTER in lines[i]
            and "MicrosoftDocs/azure-" in lines[i]
            and re.search(r" @[0-9a-f]{8}", lines[i])
        )
        assert lines[i + 1] == "@retrieved 2026-12-05" and lines[i + 2] == "@unverified on_demand"
        assert not lines[i + 3].startswith("@"), "every group has rows"
    for (size, region), (_, row) in ROWS_BY_FILE[name].items():
        assert Decimal(row["on_demand"]) > 0 and row["spot"] == "", (size, region)


def test_the_later_files_add_sizes_general_csv_lacks_in_catalog_regions_only() -> None:
    regions = set(CATALOG.regions(cloud="azure"))
    assert len(regions) == 32
    old_sizes = {size for size, _ in OLD_ROWS}
    assert not {size for size, _ in ROWS} & old_sizes, "a size lives in one file only"
    assert {region for _, region in ROWS} <= regions
    # as many catalog regions as the price table lists the size in (counted in the karpenter file)
    for size, count in (("Standard_D2s_v7", 19), ("Standard_D2as_v7", 26), ("Standard_DC2as_v5", 13)):
        assert len({r for s, r in ROWS if s == size}) == count, size


def test_the_whole_azure_table_loads_and_checks() -> None:
    table = load_general(DATA_DIR)
    table.check()
    assert set(table.versions) >= {f"azure/{name}" for name in FILES}
    v7 = {o.region: o.on_demand for o in table.offers["standard_d4as_v7"]}
    assert v7 == {
        r: Decimal(row["on_demand"]) for (s, r), (_, row) in ROWS.items() if s == "Standard_D4as_v7"
    }


@pytest.mark.parametrize(
    ("size", "base", "active"),
    [
        ("Standard_E32-8as_v7", "Standard_E32as_v7", 8),
        ("Standard_E128-64ads_v7", "Standard_E128ads_v7", 64),
        ("Standard_F2-1ams_v7", "Standard_F2ams_v7", 1),
        ("Standard_F64-32amds_v7", "Standard_F64amds_v7", 32),
        ("Standard_M8-2ms", "Standard_M8ms", 2),
        ("Standard_M416-208s_v2", "Standard_M416s_v2", 208),
        ("Standard_M176-88bds_4_v3", "Standard_M176bds_4_v3", 88),
    ],
)
def test_a_constrained_vcpu_size_has_its_active_vcpus_the_base_memory_and_the_base_price(
    size: str, base: str, active: int
) -> None:
    constrained, full = CATALOG.instance_type(size), CATALOG.instance_type(base)
    assert constrained.vcpu == active and full.vcpu > active
    assert constrained.memory_gib == full.memory_gib
    regions = {r for s, r in ROWS if s == size}
    assert regions and regions <= {r for s, r in ROWS if s == base}
    for region in regions:
        source, row = ROWS[(size, region)]
        assert row["on_demand"] == ROWS[(base, region)][1]["on_demand"], region
        assert "constrained-vcpu.md @4efd854f" in source


@pytest.mark.parametrize(
    ("size", "why"),
    [
        ("Standard_D64ls_v7", "the page lists 126 GiB, against the series' 2 GiB per vCPU"),
        ("Standard_D96lds_v7", "the page lists 384 GiB, against the series' 2 GiB per vCPU"),
        ("Standard_D372is_v7", "priced in the table, on no size page read"),
        ("Standard_DC128es_v5", "the DCesv5 page stops at 96 vCPUs"),
        ("Standard_EC128es_v6", "the ECesv6 page stops at 64 vCPUs"),
        ("Standard_M16bs_v4", "preview: the table lists it at 0, and a price is never 0"),
        ("Standard_M416s_10_v3", "no size page read lists it"),
        ("Standard_M1792ixds_32_v3", "on the page, but the table does not price it"),
    ],
)
def test_sizes_without_a_sound_shape_or_price_stay_unpriced_not_free(size: str, why: str) -> None:
    assert all(s != size for s, _ in ROWS), why
    assert all(s != size for s, _ in OLD_ROWS)
    hours = hours_line(run(vm("app", size, "eastus")), "app")
    assert hours.unit_price_usd is None and hours.monthly_cost_usd is None
    assert hours.reason, why


def test_a_spot_vm_of_a_v7_size_is_unpriced_not_free() -> None:
    hours = hours_line(run(vm("cheap", "Standard_D4as_v7", "eastus", priority="Spot")), "cheap")
    assert hours.purchase_option == "spot"
    assert hours.monthly_cost_usd is None
    assert hours.reason.startswith("no spot price published for Standard_D4as_v7 in eastus")


def test_a_region_the_table_does_not_price_is_unpriced_with_the_reason() -> None:
    size = "Standard_E372is_v7"
    listed = {r for s, r in ROWS if s == size}
    missing = sorted(set(CATALOG.regions(cloud="azure")) - listed)
    assert listed and missing
    hours = hours_line(run(vm("app", size, missing[0])), "app")
    assert hours.unit_price_usd is None
    assert hours.reason.startswith(f"{size} is not offered in {missing[0]} in this catalog; priced in ")


def test_gpu_queries_read_no_general_file_and_a_v7_lookup_reads_every_azure_file() -> None:
    calls: list[GeneralTable] = []

    def loader() -> GeneralTable:
        calls.append(load_general(DATA_DIR))
        return calls[-1]

    catalog = Catalog.from_data(load_dir(DATA_DIR), general=loader)
    gpu_offers(catalog, accelerator="H100")
    catalog.resolve(cloud="azure", region="eastus", accelerator="H100", interconnect=True)
    assert calls == [], "GPU queries never read the general tables"
    assert catalog.offer("Standard_D4as_v7", "eastus") is not None
    assert len(calls) == 1
    azure = {f"azure/{p.name}" for p in general_files(DATA_DIR, "azure")}
    assert azure == {"azure/general.csv", *(f"azure/{n}" for n in FILES)}
    assert azure <= set(calls[0].versions), "a type's rows may be in any of its cloud's files"


# Prices read by hand from karpenter's zz_generated.pricing.go @352646f5 (initialOnDemandPrices[region][size]),
# one per kind of group, to hold the transcription to its source.
SOURCE_PRICES = [
    ("Standard_D4as_v7", "eastus", "0.182"),
    ("Standard_D4as_v7", "westeurope", "0.22"),
    ("Standard_E372is_v7", "eastus", "35.531"),
    ("Standard_F80amds_v7", "japaneast", "11.353"),
    ("Standard_E32-8as_v7", "westeurope", "2.307"),
    ("Standard_DC2as_v5", "eastus", "0.086"),
    ("Standard_DC8_v2", "uksouth", "0.888"),
    ("Standard_EC96as_v6", "northeurope", "6.384"),
    ("Standard_M8ms", "eastus", "1.5365"),
    ("Standard_M416s_8_v2", "westus2", "66.11"),
    ("Standard_M896ixds_24_v3", "eastus", "311.688"),
]


@pytest.mark.parametrize(("size", "region", "usd"), SOURCE_PRICES)
def test_a_sample_of_rows_carries_the_source_s_price(size: str, region: str, usd: str) -> None:
    assert Decimal(ROWS[(size, region)][1]["on_demand"]) == Decimal(usd)
    offer = CATALOG.offer(size, region)
    assert offer is not None and offer.on_demand == Decimal(usd)
