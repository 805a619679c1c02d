"""The general-purpose machine tables (`<cloud>/general.csv`): CPU machines real programs use are priced per
region with their source, offers.yaml keeps precedence, the tables are read only when a CPU lookup needs
them, and GPU listings do not grow."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import Catalog
from aiinfra.catalog.listing import gpu_offers
from aiinfra.catalog.load import (
    DATA_DIR,
    GENERAL_COLUMNS,
    CatalogDataError,
    GeneralTable,
    load_dir,
    load_general,
)
from aiinfra.catalog.model import CLOUDS
from aiinfra.cli.main import app

DATA = load_dir(DATA_DIR)
GENERAL = load_general(DATA_DIR)
CATALOG = Catalog.from_dir(DATA_DIR)
AWS_SKY = "skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv @00148f2a"
AZURE_SKY = "skypilot-org/skypilot-catalog catalogs/v6/azure/vms.csv @098741e7"
GCP_SKY = "skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv @006059e0"
GCP_CYC = (
    "Cyclenerd google-cloud-pricing-cost-calculator pricing.yml @fd66b26ff84fee5cdd94f341ea89206e76c06b99"
)
AZURE_KARPENTER = "Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go @352646f5"
AWS_KARPENTER_REPO = "aws/karpenter-provider-aws"
AWS_KARPENTER = f"{AWS_KARPENTER_REPO} pkg/providers/pricing/zz_generated.pricing_aws.go @1d927085"


def yaml_offer(instance_type: str, region: str) -> Any:
    (row,) = [o for o in DATA.get("offers") if o.instance_type == instance_type and o.region == region]
    return row


def general_offer(instance_type: str, region: str) -> Any:
    (row,) = [o for o in GENERAL.offers[instance_type.lower()] if o.region == region]
    return row


@pytest.mark.parametrize(
    ("instance_type", "region", "on_demand", "spot", "source"),
    [
        # values as the snapshot lists them; spot = the lowest of the region's regular zones
        ("t2.micro", "us-east-1", "0.0116", "0.0032", AWS_SKY),
        ("t3.micro", "eu-west-1", "0.0114", "0.0057", AWS_SKY),
        ("t3a.medium", "us-west-2", "0.0376", "0.0155", AWS_SKY),
        ("Standard_B2s", "eastus", "0.0416", None, AZURE_SKY),
        ("Standard_A1_v2", "westus2", "0.036", "0.00468", AZURE_SKY),
        ("Standard_B2s_v2", "southcentralus", "0.0998", "0.027445", AZURE_SKY),
        ("e2-standard-4", "asia-east1", "0.15518", "0.07134", GCP_SKY),
        # m5 and c5, every size (SkyPilot AWS rows; spot the lowest regular AZ, Local Zones left out)
        ("m5.large", "us-east-1", "0.096", "0.0319", AWS_SKY),
        ("m5.xlarge", "eu-west-1", "0.214", "0.1005", AWS_SKY),
        ("m5.2xlarge", "ap-northeast-1", "0.496", "0.1617", AWS_SKY),
        ("m5.24xlarge", "us-west-2", "4.608", "1.9386", AWS_SKY),
        ("m5.metal", "af-south-1", "6.096", "0.6096", AWS_SKY),
        ("c5.large", "ap-south-1", "0.085", "0.0316", AWS_SKY),  # offers.yaml prices us-east-1/2, us-west-2
        ("c5.xlarge", "eu-west-1", "0.192", "0.1186", AWS_SKY),
        ("c5.9xlarge", "me-south-1", "1.901", "0.301", AWS_SKY),
        ("c5.metal", "us-east-1", "4.08", "1.1616", AWS_SKY),
        # m6i.large us-east-1: the Atlanta Local Zone's 0.0223 is not the region's spot price
        ("m6i.large", "us-east-1", "0.096", "0.0352", AWS_SKY),
        ("m6i.xlarge", "eu-central-1", "0.23", "0.0847", AWS_SKY),
        ("m6i.32xlarge", "ap-south-1", "6.464", "1.1634", AWS_SKY),
        ("m6g.large", "us-west-2", "0.077", "0.0256", AWS_SKY),
        ("m6g.medium", "ap-south-1", "0.0253", "0.0087", AWS_SKY),
        ("c7g.large", "eu-west-1", "0.0775", "0.0391", AWS_SKY),
        ("t4g.nano", "us-east-1", "0.0042", "0.0012", AWS_SKY),
        (
            "t3.nano",
            "us-west-2",
            "0.0052",
            "0.0016",
            AWS_SKY,
        ),  # the lax1 Local Zone's 0.0006 is not us-west-2's
        ("t2.nano", "eu-west-1", "0.0063", None, AWS_SKY),  # the snapshot lists no spot price for t2.nano
        ("r8i.large", "us-east-1", "0.13892", "0.0418", AWS_SKY),
        ("t4g.micro", "eu-west-1", "0.0092", "0.0037", AWS_SKY),
        ("t4g.medium", "us-west-2", "0.0336", "0.0142", AWS_SKY),
        ("t4g.xlarge", "us-east-2", "0.1344", "0.0585", AWS_SKY),
        # m5.12xlarge ap-northeast-1: one AZ row was not read, so its spot is left out (unpriced), not guessed
        ("m5.12xlarge", "ap-northeast-1", "2.976", None, AWS_SKY),
        # GCP families from pricing.yml (hour / hour_spot as listed)
        ("n1-standard-1", "us-central1", "0.04749975", "0.0167525", GCP_CYC),
        ("f1-micro", "us-central1", "0.0076", "0.000684", GCP_CYC),
        ("g1-small", "us-central1", "0.0257", "0.002313", GCP_CYC),
        ("n2d-standard-2", "us-central1", "0.084492", "0.024456", GCP_CYC),
        ("c2-standard-4", "us-central1", "0.208808", "0.09968", GCP_CYC),
        ("c2d-standard-2", "us-central1", "0.090798", "0.0305", GCP_CYC),
        ("n4-standard-2", "us-central1", "0.0907", "0.044784", GCP_CYC),
        ("t2d-standard-1", "us-central1", "0.042246", "0.01576", GCP_CYC),
        # Azure sizes and regions SkyPilot's US-only table lacks: on-demand only (no Spot price in that source)
        ("Standard_D2s_v5", "australiaeast", "0.12", None, AZURE_KARPENTER),
        ("Standard_D2s_v3", "brazilsouth", "0.159", None, AZURE_KARPENTER),
        ("Standard_F2s_v2", "canadacentral", "0.0927", None, AZURE_KARPENTER),
        ("Standard_E4s_v5", "westeurope", "0.304", None, AZURE_KARPENTER),
        ("Standard_DS1_v2", "eastus", "0.073", None, AZURE_KARPENTER),
    ],
)
def test_cpu_machines_real_programs_use_are_priced_with_their_source(
    instance_type: str, region: str, on_demand: str, spot: str | None, source: str
) -> None:
    offer = CATALOG.offer(instance_type, region)
    assert offer is not None, f"{instance_type} in {region}"
    assert offer.on_demand == Decimal(on_demand)
    assert offer.spot == (Decimal(spot) if spot else None)
    assert source.split(" @")[0] in offer.source and source.split(" @")[1] in offer.source
    assert offer.retrieved.isoformat() == "2026-12-04"
    assert CATALOG.unpriced_reason(instance_type, region, "on_demand") is None
    if spot is None:
        assert CATALOG.unpriced_reason(instance_type, region, "spot") is not None
    t = CATALOG.instance_type(instance_type)
    assert t.accelerator is None and t.accelerator_count == 0 and t.fabric == "none"


def test_shared_core_e2_is_read_from_the_billing_catalog_not_skypilots_two_vcpu_row() -> None:
    """pricing.yml bills e2-medium as 1 vCPU + 4 GiB: a quarter of e2-standard-4 (0.13402284 there), where
    SkyPilot's own e2-medium row (0.05532 in us-central1) counts 2 full vCPUs. The VM still sees 2 vCPUs."""
    offer = CATALOG.offer("e2-medium", "us-central1")
    assert (
        offer is not None and offer.on_demand == Decimal("0.03350571") and offer.spot == Decimal("0.020106")
    )
    assert offer.on_demand != Decimal("0.05532") and GCP_CYC in offer.source and not offer.unverified
    assert CATALOG.instance_type("e2-medium").vcpu == 2
    micro = CATALOG.offer("e2-micro", "us-central1")
    assert micro is not None and micro.on_demand == Decimal("0.0083764275")
    for region in ("europe-west4", "asia-east1", "us-west4"):
        base, eight = general_offer("e2-standard-4", region), CATALOG.offer("e2-standard-8", region)
        assert (
            eight and base.on_demand and eight.on_demand == 2 * base.on_demand and eight.spot == 2 * base.spot
        )


def test_n2_is_read_for_every_shape_and_fills_the_offers_yaml_placeholder() -> None:
    """n2-standard-4 in us-central1 is Google's list price (4 x 0.031611 + 16 x 0.004237 = 0.194236); offers.yaml
    lists the type there without a price (a placeholder), so the table's row answers."""
    row = general_offer("n2-standard-4", "us-central1")
    assert row.on_demand == Decimal("0.194236") and row.spot == Decimal("0.09212") and not row.unverified
    assert yaml_offer("n2-standard-4", "us-central1").on_demand is None
    assert CATALOG.offer("n2-standard-4", "us-central1") == row
    big = CATALOG.offer("n2-highmem-128", "us-central1")
    assert big is not None and big.on_demand == Decimal("7.706976") and GCP_CYC in big.source


def test_memory_that_is_not_a_whole_gib_is_kept_exactly() -> None:
    assert CATALOG.instance_type("t4g.nano").memory_gib == Decimal("0.5")
    assert (
        CATALOG.instance_type("t2.nano").memory_gib
        == Decimal("0.5")
        == CATALOG.instance_type("t3.nano").memory_gib
    )
    assert CATALOG.instance_type("n1-standard-1").memory_gib == Decimal("3.75")
    assert CATALOG.instance_type("f1-micro").memory_gib == Decimal("0.6")
    assert CATALOG.instance_type("g1-small").memory_gib == Decimal("1.7")
    assert CATALOG.instance_type("Standard_DS1_v2").memory_gib == Decimal("3.5")
    result = CliRunner().invoke(app, ["catalog", "show", "n1-standard-1", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["memory_gib"] == 3.75 and doc["vcpu"] == 1
    whole = json.loads(CliRunner().invoke(app, ["catalog", "show", "t4g.micro", "--format", "json"]).stdout)
    assert whole["memory_gib"] == 1 and isinstance(whole["memory_gib"], int), (
        "a whole GiB stays a whole number"
    )


@pytest.mark.parametrize(
    ("instance_type", "region"),
    [
        ("c8a.large", "eu-west-1"),  # newer than the AWS feed snapshot: Karpenter's us-east-1 row only
        ("i7i.large", "ap-southeast-2"),  # the same
        ("t3.micro", "ap-east-2"),  # a region that opened after the AWS feed snapshot
        ("hpc7a.96xlarge", "us-east-1"),  # not sold there: neither Karpenter's table nor the feed lists it
        ("x2iezn.2xlarge", "af-south-1"),  # the feed lists it in five other regions only
        ("m1.small", "ap-southeast-5"),  # previous generation: not sold in the regions opened since
        ("n1-standard-1", "us-east2"),  # a region pricing.yml does not list
        ("Standard_D372is_v7", "eastus"),  # priced in the table, but on no size page read
    ],
)
def test_what_the_tables_lack_stays_unpriced(instance_type: str, region: str) -> None:
    assert CATALOG.offer(instance_type, region) is None
    reason = CATALOG.unpriced_reason(instance_type, region, "on_demand")
    assert (reason or "").startswith(f"{instance_type} is not offered in {region} in this catalog"), reason


@pytest.mark.parametrize(
    ("instance_type", "vcpu", "memory_mib", "on_demand"),
    [
        # as Karpenter's files list them: instance-cpu, instance-memory (MiB) and the us-east-1 price
        ("c7i-flex.large", 2, 4096, "0.08479"),
        ("c7a.large", 2, 4096, "0.10264"),
        ("r7i.xlarge", 4, 32768, "0.2646"),
        ("r7iz.large", 2, 16384, "0.186"),
        ("m8g.large", 2, 8192, "0.08976"),
        ("c8g.medium", 1, 2048, "0.03988"),
        ("r8g.large", 2, 16384, "0.11782"),
        ("m8i.large", 2, 8192, "0.10584"),
        ("x1.16xlarge", 64, 999424, "6.669"),
        ("x1e.xlarge", 4, 124928, "0.834"),
        ("x2gd.medium", 1, 16384, "0.0835"),
        ("x2iezn.2xlarge", 8, 262144, "1.668"),
        ("z1d.large", 2, 16384, "0.186"),
        ("u-3tb1.56xlarge", 224, 3145728, "27.3"),
        ("u7i-6tb.112xlarge", 448, 6291456, "62.79"),
        ("i7i.large", 2, 16384, "0.1888"),
        ("i8g.large", 2, 16384, "0.1716"),
        ("r5a.large", 2, 16384, "0.113"),
        ("t3a.nano", 2, 512, "0.0047"),
    ],
)
def test_every_aws_cpu_type_is_priced_in_us_east_1_from_karpenters_generated_tables(
    instance_type: str, vcpu: int, memory_mib: int, on_demand: str
) -> None:
    offer = CATALOG.offer(instance_type, "us-east-1")
    assert offer is not None, instance_type
    assert offer.on_demand == Decimal(on_demand)
    assert offer.spot is None, "the price table has no spot price"
    assert offer.unverified == ()
    assert AWS_KARPENTER.split(" @")[0] in offer.source and AWS_KARPENTER.split(" @")[1] in offer.source
    assert "instance-types.md" in offer.source, "the shape's source is named too"
    assert offer.retrieved.isoformat() == "2026-12-05"
    shape = CATALOG.instance_type(instance_type)
    assert (shape.vcpu, shape.memory_gib) == (vcpu, Decimal(memory_mib) / 1024)
    assert CATALOG.unpriced_reason(instance_type, "us-east-1", "spot") is not None


def test_the_karpenter_group_adds_us_east_1_rows_only_and_never_repeats_a_skypilot_row() -> None:
    rows = [
        (name, o) for name, offers in GENERAL.offers.items() for o in offers if AWS_KARPENTER_REPO in o.source
    ]
    assert len({name for name, _ in rows}) == len(rows) > 1000
    assert {o.region for _, o in rows} == {"us-east-1"}
    assert all(o.spot is None for _, o in rows)
    for name in ("m5.large", "c5.large", "t3.micro", "m6i.large", "c7g.large"):
        (east,) = [o for o in GENERAL.offers[name] if o.region == "us-east-1"]
        assert AWS_SKY.split(" @")[0] in east.source, f"{name} keeps its SkyPilot row"
    # the one us-east-1 price where the two sources differ: SkyPilot's row stays (Karpenter lists 2.6112)
    (metal,) = [o for o in GENERAL.offers["m6g.metal"] if o.region == "us-east-1"]
    assert metal.on_demand == Decimal("2.464") and AWS_SKY.split(" @")[0] in metal.source
    # Karpenter's bare-metal prices are unverified: 6-10 % above the other sources on 9 of 42 shared metal types
    for name, o in rows:
        assert o.unverified == (("on_demand",) if ".metal" in name else ()), name
    (c6g_metal,) = [o for o in GENERAL.offers["c6g.metal"] if o.region == "us-east-1"]
    assert c6g_metal.on_demand == Decimal("2.3066") and c6g_metal.unverified == ("on_demand",)
    # the 2023 ec2instances.info snapshot is gone: Karpenter's 2026 table covers every type it listed
    assert not [o for found in GENERAL.offers.values() for o in found if "LeanerCloud" in o.source]
    # accelerator (GPU, Inferentia, Trainium, Gaudi, FPGA, video) and Mac types are not in the CPU table;
    # previous-generation types are, from the AWS feed only (general-regions.csv), never from Karpenter
    for name in ("g5.xlarge", "inf2.xlarge", "trn1.2xlarge", "dl1.24xlarge", "f2.6xlarge", "vt1.3xlarge"):
        assert name not in GENERAL.offers, name
    for name in ("a1.large", "m4.large", "c4.large", "r4.large", "t1.micro", "m1.small", "c1.medium"):
        assert name in GENERAL.offers and name not in {n for n, _ in rows}, name
    assert "mac1.metal" not in GENERAL.offers and "p5.48xlarge" not in GENERAL.offers


@pytest.mark.parametrize(
    ("instance_type", "region", "on_demand", "spot"),
    [
        # as vms.csv lists them; spot the lowest of the region's regular zones (Local Zones left out)
        ("c7i.large", "eu-west-1", "0.09576", "0.0484"),
        ("c7i.large", "us-east-1", "0.08925", "0.0354"),  # the Atlanta Local Zone's 0.0122 is not us-east-1's
        ("c7i.large", "ap-southeast-4", "0.11655", "0.0418"),  # one zone's spot is above on-demand
        ("c7i.xlarge", "us-west-2", "0.1785", "0.0675"),
        ("c7i.2xlarge", "eu-central-1", "0.4074", "0.2144"),
        ("c7i.4xlarge", "ap-south-1", "0.714", "0.2731"),
        ("c7i.16xlarge", "me-central-1", "3.432", "0.8392"),
        ("c7i.metal-24xl", "us-east-1", "4.284", "1.1059"),  # Karpenter says 4.7124: the SkyPilot row stays
        ("c6i.large", "eu-west-1", "0.0912", "0.0503"),
        ("c6i.xlarge", "af-south-1", "0.228", "0.0488"),
        ("c6i.8xlarge", "us-west-1", "1.696", "0.9318"),
        ("c6i.metal", "eu-west-3", "6.464", "1.3379"),  # two zones' spot equals on-demand (no capacity)
        ("r5.large", "eu-west-1", "0.141", "0.0639"),
        ("r5.xlarge", "us-west-2", "0.252", "0.0891"),  # the Los Angeles Local Zone's 0.0432 is left out
        ("r6g.large", "ap-south-1", "0.065", "0.0307"),
        ("r6g.medium", "eu-south-2", "0.0564", "0.0065"),
        ("r6g.metal", "us-east-1", "3.2256", "0.8129"),  # Karpenter says 3.4191: the SkyPilot row stays
        ("r6i.large", "me-central-1", "0.1551", "0.0466"),
        ("r6i.xlarge", "af-south-1", "0.336", "0.0336"),
        ("m6a.large", "ap-south-1", "0.05555", "0.0343"),
        ("m6a.xlarge", "eu-west-1", "0.1926", "0.0986"),
        ("m5n.large", "eu-central-1", "0.141", "0.0494"),
    ],
)
def test_newer_families_are_priced_in_every_region_the_skypilot_snapshot_lists(
    instance_type: str, region: str, on_demand: str, spot: str
) -> None:
    offer = CATALOG.offer(instance_type, region)
    assert offer is not None, f"{instance_type} in {region}"
    assert (offer.on_demand, offer.spot) == (Decimal(on_demand), Decimal(spot))
    assert AWS_SKY.split(" @")[0] in offer.source and AWS_SKY.split(" @")[1] in offer.source
    assert offer.retrieved.isoformat() == "2026-12-05" and offer.unverified == ()
    regions = {o.region for o in GENERAL.offers[instance_type]}
    assert len(regions) >= (7 if instance_type.startswith("m5n") else 14), instance_type
    assert instance_type.split(".")[0] in ("c6i", "c7i", "r5", "r6g", "r6i", "m6a", "m5n")


def test_m6g_2xlarge_regions_the_first_group_stopped_before_are_read_in_the_second() -> None:
    """The first SkyPilot group's m6g.2xlarge rows start at ap-southeast-3 (a page boundary); the second group
    adds the eight regions before it, at 4 x m6g.large's price in each."""
    rows = {o.region: o for o in GENERAL.offers["m6g.2xlarge"] if AWS_SKY.split(" @")[0] in o.source}
    large = {o.region: o for o in GENERAL.offers["m6g.large"]}
    assert len(rows) == 24
    assert rows["af-south-1"].on_demand == Decimal("0.4064") and rows["af-south-1"].spot == Decimal("0.0406")
    assert rows["af-south-1"].retrieved.isoformat() == "2026-12-05"
    assert rows["us-east-1"].retrieved.isoformat() == "2026-12-04", "the first group's rows stay"
    for region, offer in rows.items():
        assert offer.on_demand == 4 * large[region].on_demand, region


def _csv_rows(cloud: str) -> list[tuple[int, list[str], str, str]]:
    """The table's rows read as plain text, each with its line number and the @source / @retrieved before it."""
    rows: list[tuple[int, list[str], str, str]] = []
    source = retrieved = ""
    lines = (DATA_DIR / cloud / "general.csv").read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith("@source "):
            source, retrieved = line.removeprefix("@source ").strip(), ""
        elif line.startswith("@retrieved "):
            retrieved = line.removeprefix("@retrieved ").strip()
        elif line and line[0] not in "#@" and line != GENERAL_COLUMNS:
            rows.append((number, line.split(","), source, retrieved))
    return rows


def test_every_aws_row_has_a_source_and_a_date_and_each_type_and_region_is_listed_once() -> None:
    rows = _csv_rows("aws")
    assert len(rows) > 2500
    seen: dict[tuple[str, str], int] = {}
    for number, fields, source, retrieved in rows:
        assert len(fields) == 6, number
        assert source.strip() and len(source) > 40, f"line {number} has no source"
        assert dt.date.fromisoformat(retrieved) <= dt.date(2026, 12, 5), f"line {number}"
        key = (fields[0].lower(), fields[3])
        assert key not in seen, f"line {number} repeats line {seen[key]}"
        seen[key] = number


def test_an_instance_of_a_sampled_aws_type_is_estimated_at_its_rows_price(tmp_path: Path) -> None:
    """One program with an instance of every 60th type of the table plus the newer families: each line's
    unit price is the CSV row's, read here from the file (not through the catalog)."""
    east = {f[0]: f[4] for _, f, _, _ in _csv_rows("aws") if f[3] == "us-east-1"}
    names = sorted(east)
    sample = sorted(set(names[::60]) | {"c7i.large", "m8g.large", "r7i.xlarge", "x2iedn.xlarge", "t2.micro"})
    yaml_priced = {o.instance_type for o in DATA.get("offers") if o.region == "us-east-1" and o.on_demand}
    sample = [n for n in sample if n not in yaml_priced]  # offers.yaml answers for those (its own test)
    assert len(sample) >= 20
    (tmp_path / "Pulumi.yaml").write_text("name: sampled\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    body = "".join(
        f"aws.ec2.Instance('vm{i}', instance_type='{n}', ami='ami-0123456789abcdef0')\n"
        for i, n in enumerate(sample)
    )
    (tmp_path / "__main__.py").write_text("import pulumi_aws as aws\n" + body)
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["estimate", "--program", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for i, name in enumerate(sample):
        (line,) = [ln for ln in doc["lines"] if ln["resource"] == f"vm{i}" and ln["unit"] == "instance-hours"]
        assert Decimal(str(line["unit_price_usd"])) == Decimal(east[name]), name
        assert name in line["description"]


def test_a_priced_offers_yaml_row_keeps_its_price() -> None:
    kept = yaml_offer("t3.medium", "us-east-1")
    other = general_offer("t3.medium", "us-east-1")
    assert kept.on_demand and other.spot != kept.spot, "the two files disagree, so precedence is visible"
    assert CATALOG.offer("t3.medium", "us-east-1") == kept
    assert CATALOG.offer("e2-standard-4", "us-central1") == yaml_offer("e2-standard-4", "us-central1")


def test_an_unpriced_placeholder_in_offers_yaml_is_filled_by_the_general_table() -> None:
    placeholder = yaml_offer("e2-medium", "us-central1")
    assert placeholder.on_demand is None and placeholder.spot is None
    assert CATALOG.offer("e2-medium", "us-central1") == general_offer("e2-medium", "us-central1")
    regions = [o.region for o in CATALOG.offers(instance_type="e2-medium")]
    assert regions == sorted(set(regions)), "one offer per region, in region order"


@pytest.mark.parametrize(
    ("name", "at_least"),
    [("t3.medium", 24), ("m7i.xlarge", 22), ("e2-medium", 42), ("e2-standard-4", 42), ("Standard_D4s_v5", 6)],
)
def test_the_system_machines_are_priced_in_every_region_the_tables_list(name: str, at_least: int) -> None:
    """EKS's default t3.medium, the example stacks' m7i.xlarge / e2-standard-4, the GKE default e2-medium
    and the AKS system default Standard_D4s_v5."""
    regions = {o.region for o in GENERAL.offers[name.lower()]}
    assert len(regions) >= at_least, name
    for region in regions:
        offer = CATALOG.offer(name, region)
        assert offer is not None and offer.on_demand and offer.on_demand > 0, f"{name} {region}"


def test_every_general_row_has_a_positive_price_or_none_and_spot_below_on_demand() -> None:
    rows = [o for found in GENERAL.offers.values() for o in found]
    assert len(rows) > 800
    for o in rows:
        assert o.on_demand is None or o.on_demand > 0, o
        assert o.spot is None or o.spot > 0, o
        if o.on_demand is not None and o.spot is not None:
            assert o.spot < o.on_demand, o
        assert o.source.strip() and o.billing == "instance", o


def test_every_general_row_names_a_known_region_and_never_a_gpu_machine() -> None:
    for name, found in GENERAL.offers.items():
        t = GENERAL.instance_types[name]
        main = DATA.get("instance_types")
        same = [m for m in main if m.name.lower() == name]
        assert not [m for m in same if m.accelerator is not None], f"{name} is a GPU/TPU machine"
        for m in same:
            assert (m.cloud, m.vcpu, m.memory_gib) == (t.cloud, t.vcpu, t.memory_gib), name
        for o in found:
            assert o.cloud == t.cloud
            CATALOG.check_region(o.cloud, o.region)
    assert {t.cloud for t in GENERAL.instance_types.values()} == set(CLOUDS)


def test_gpu_listings_do_not_grow() -> None:
    without = Catalog.from_data(DATA)
    assert CATALOG.offer("t2.micro", "us-east-1") is not None  # the tables are loaded now
    assert len(gpu_offers(CATALOG)) == len(gpu_offers(without)) > 0
    assert len(CATALOG.offers()) == len(without.offers())
    assert [t.name for t in CATALOG.instance_types()] == [t.name for t in without.instance_types()]
    result = CliRunner().invoke(app, ["catalog", "gpus", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)["offers"]
    assert len(listed) == len(gpu_offers(without))
    assert not {o["instance_type"] for o in listed} & {"t2.micro", "Standard_B2s", "e2-small"}


def test_the_tables_are_read_only_when_a_cpu_lookup_needs_them() -> None:
    calls: list[int] = []

    def loader() -> GeneralTable:
        calls.append(1)
        return load_general(DATA_DIR)

    catalog = Catalog.from_data(DATA, general=loader)
    catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True)
    assert catalog.offer("p5.48xlarge", "us-east-1") is not None
    gpu_offers(catalog, accelerator="H100")
    assert calls == [], "GPU queries never read the general tables"
    assert catalog.offer("t2.micro", "us-east-1") is not None
    assert catalog.offer("Standard_B2s", "eastus") is not None
    assert calls == [1], "read once, on the first CPU lookup"


def test_a_catalog_without_the_tables_still_answers_its_own_rows() -> None:
    catalog = Catalog.from_data(DATA)
    assert catalog.offer("t2.micro", "us-east-1") is None
    assert catalog.offer("t3.medium", "us-east-1") == yaml_offer("t3.medium", "us-east-1")


HEAD = "# test\n@version 2026-12-04\n@cloud aws\n" + GENERAL_COLUMNS + "\n@source s\n@retrieved 2026-12-04\n"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("t2.micro,1,1,us-east-1,0,", r"aws/general.csv: line 7 \(t2.micro\): a price is positive"),
        ("t2.micro,1,1,us-east-1,abc,", r"aws/general.csv: line 7 \(t2.micro\)"),
        ("t2.nano,1,-0.5,us-east-1,0.1,", r"aws/general.csv: line 7 \(t2.nano\): negative value"),
        ("t2.nano,1,half,us-east-1,0.1,", r"aws/general.csv: line 7 \(t2.nano\)"),
        ("t2.nano,1.5,1,us-east-1,0.1,", r"aws/general.csv: line 7 \(t2.nano\)"),
        ("t2.micro,1,1,us-east-1", "line 7: expected 6 fields"),
        (
            "t2.micro,1,1,us-east-1,0.1,\nt2.micro,1,1,us-east-1,0.2,",
            "line 8: t2.micro in us-east-1 is listed twice",
        ),
        ("t2.micro,1,1,us-east-1,0.1,\nt2.micro,2,1,us-west-2,0.2,", "line 8: t2.micro has another shape"),
        ("@colour red", "line 7: unknown directive @colour"),
    ],
)
def test_a_malformed_general_table_names_the_file_and_line(tmp_path: Path, body: str, error: str) -> None:
    """Structure errors stop the load; a row's values are checked when its type is first used (or by check())."""
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "general.csv").write_text(HEAD + body + "\n")
    with pytest.raises(CatalogDataError, match=error):
        load_general(tmp_path).check()


def test_memory_may_be_a_fraction_of_a_gib(tmp_path: Path) -> None:
    """t2.nano has 0.5 GiB, n1-standard-1 3.75, Standard_DS1_v2 3.5: the shape keeps the exact figure."""
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "general.csv").write_text(HEAD + "t2.nano,1,0.5,us-east-1,0.0058,\n")
    table = load_general(tmp_path)
    t = table.instance_types["t2.nano"]
    assert t.memory_gib == Decimal("0.5") and t.vcpu == 1
    assert table.offers["t2.nano"][0].on_demand == Decimal("0.0058")


def test_a_table_for_another_cloud_or_without_its_column_line_is_refused(tmp_path: Path) -> None:
    (tmp_path / "aws").mkdir()
    (tmp_path / "aws" / "general.csv").write_text(HEAD.replace("@cloud aws", "@cloud gcp"))
    with pytest.raises(CatalogDataError, match="'@cloud aws' must come before the rows"):
        load_general(tmp_path).check()
    (tmp_path / "aws" / "general.csv").write_text("@cloud aws\n")
    with pytest.raises(CatalogDataError, match="no column line"):
        load_general(tmp_path).check()


def test_rows_without_a_source_are_refused(tmp_path: Path) -> None:
    (tmp_path / "gcp").mkdir()
    (tmp_path / "gcp" / "general.csv").write_text(
        "@cloud gcp\ninstance_type,vcpu,memory_gib,region,on_demand,spot\ne2-small,2,2,us-east1,0.01,\n"
    )
    with pytest.raises(CatalogDataError, match=r"gcp/general\.csv: line 3: rows need an @source"):
        load_general(tmp_path).check()


def test_a_plain_program_with_a_t2_micro_is_priced(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: tiny\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.ec2.Instance('web', instance_type='t2.micro', ami='ami-0123456789abcdef0')\n"
    )
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["estimate", "--program", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (web,) = [ln for ln in doc["lines"] if ln["resource"] == "web" and ln["unit"] == "instance-hours"]
    assert web["unit_price_usd"] == 0.0116 and web["monthly_cost_usd"] == pytest.approx(
        0.0116 * 730, abs=0.005
    )
    assert "t2.micro" in web["description"]
    (root,) = [ln for ln in doc["lines"] if ln["resource"] == "web" and ln["unit"] == "GiB-months"]
    assert root["quantity"] == 8 and "8 GiB assumed" in root["description"], (
        "the AMI's root: Infracost's 8 GiB"
    )
    assert doc["totals"]["unpriced_lines"] == 0
    assert any("rootBlockDevice.volumeSize" in w for w in doc["warnings"]), "the warning names the field"


def test_every_cloud_profiles_default_system_machine_is_priced_wherever_its_table_lists_it() -> None:
    from aiinfra.clouds.base import profiles

    for cloud, profile in profiles().items():
        name = profile.default_system_machine
        listed = {o.region for o in GENERAL.offers.get(name.lower(), [])}
        assert listed, f"{cloud}: {name} is in the {cloud} general table"
        unpriced = sorted(r for r in listed if (o := CATALOG.offer(name, r)) is None or o.on_demand is None)
        assert unpriced == [], f"{cloud}: {name} unpriced in {unpriced}"
