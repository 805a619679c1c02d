"""AWS CPU machines in every region (catalog/data/aws/general-regions.csv, the second file of the AWS general
table): rows from AWS's pricing-calculator feeds, looked up through the catalog and an estimate and compared with
the CSV text itself; general.csv's rows stay; shapes agree between the files; what the feed lacks stays
unpriced."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import Catalog
from aiinfra.catalog.load import DATA_DIR, GENERAL_COLUMNS, GeneralTable, load_dir, load_general
from aiinfra.cli.main import app

FILE = DATA_DIR / "aws" / "general-regions.csv"
FEED = "https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/ec2/USD/current/"
MIRROR = "yeo/ec2.shop"
COMMIT = "74c9fd8ab5acfd9511cd6535f914d47071601ad2"
DATA = load_dir(DATA_DIR)
CATALOG = Catalog.from_dir(DATA_DIR)
GENERAL = load_general(DATA_DIR)


def rows_of(path: Path) -> list[tuple[int, list[str], str, str, str]]:
    """A file's rows as plain text: line number, fields, and the @source / @retrieved / @unverified before it."""
    rows: list[tuple[int, list[str], str, str, str]] = []
    source = retrieved = unverified = ""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith("@source "):
            source, retrieved, unverified = line.removeprefix("@source ").strip(), "", ""
        elif line.startswith("@retrieved "):
            retrieved = line.removeprefix("@retrieved ").strip()
        elif line.startswith("@unverified "):
            unverified = line.removeprefix("@unverified ").strip()
        elif line and line[0] not in "#@" and line != GENERAL_COLUMNS:
            rows.append((number, line.split(","), source, retrieved, unverified))
    return rows


ROWS = rows_of(FILE)
MAIN_ROWS = rows_of(DATA_DIR / "aws" / "general.csv")
YAML_PRICED = {(o.instance_type, o.region) for o in DATA.get("offers") if o.on_demand is not None}


def test_the_file_is_a_separate_file_of_the_aws_table_under_the_limit() -> None:
    text = FILE.read_text()
    assert len(text.encode()) < 1024 * 1024
    assert "\n@cloud aws\n" in text and "\n@version 2026-12-05\n" in text
    assert len(ROWS) > 10_000


def test_every_row_names_the_feed_its_snapshot_and_date_and_is_unverified_without_spot() -> None:
    for number, fields, source, retrieved, unverified in ROWS:
        assert len(fields) == 6, number
        assert source.startswith(f"AWS pricing-calculator feed {FEED}"), number
        assert f"{MIRROR} data/ec2/<region>-" in source and f"@{COMMIT}" in source, number
        assert "hawkFilePublicationDate 2025-04-04T22:41:22Z" in source, number
        assert retrieved == "2025-04-04" and unverified == "on_demand", number
        assert fields[5] == "", f"line {number}: the feed has no spot price"
        assert Decimal(fields[4]) > 0, number


def test_no_type_and_region_is_in_both_files_and_shapes_agree() -> None:
    main = {(f[0], f[3]): n for n, f, *_ in MAIN_ROWS}
    main_shape = {f[0]: (int(f[1]), Decimal(f[2])) for _, f, *_ in MAIN_ROWS}
    seen: dict[tuple[str, str], int] = {}
    shared = 0
    for number, fields, *_ in ROWS:
        key = (fields[0], fields[3])
        assert key not in main, f"line {number} repeats general.csv line {main.get(key)}"
        assert key not in seen, f"line {number} repeats line {seen.get(key)}"
        seen[key] = number
        if fields[0] in main_shape:
            shared += 1
            assert (int(fields[1]), Decimal(fields[2])) == main_shape[fields[0]], f"line {number}"
    assert shared > 9000, "most rows extend a type general.csv already has to more regions"


def test_regions_are_the_catalogs_commercial_regions_the_feed_covers() -> None:
    regions = {f[3] for _, f, *_ in ROWS}
    known = set(CATALOG.regions("aws"))
    assert regions <= known
    assert known - regions == {"ap-east-2"}, "opened after the feed snapshot"
    assert not [r for r in regions if r.startswith("us-gov-") or r.count("-") > 2]


def test_no_accelerator_or_mac_type_is_in_the_file() -> None:
    names = {f[0] for _, f, *_ in ROWS}
    gpu = {t.name for t in DATA.get("instance_types") if t.accelerator is not None}
    assert not names & gpu
    families = {n.split(".")[0] for n in names}
    for family in ("p4d", "p5", "g4dn", "g5", "g6", "inf1", "inf2", "trn1", "trn2", "dl1", "f1", "f2", "vt1"):
        assert family not in families, family
    assert not [n for n in names if n.startswith("mac")]


@pytest.mark.parametrize(
    ("instance_type", "feed"),
    [
        ("m4.large", "ec2-ondemand-without-sec-sel"),
        ("c4.xlarge", "ec2-ondemand-without-sec-sel"),
        ("r4.large", "ec2-ondemand-without-sec-sel"),
        ("m3.medium", "previousgen-ondemand"),
        ("m1.small", "previousgen-ondemand"),
        ("t1.micro", "previousgen-ondemand"),
        ("c1.medium", "previousgen-ondemand"),
    ],
)
def test_previous_generation_types_are_priced_from_their_feed(instance_type: str, feed: str) -> None:
    rows = [(f, source) for _, f, source, *_ in ROWS if f[0] == instance_type]
    assert rows and all(f"{FEED}{feed}/<Location>/Linux/index.json" in s for _, s in rows)
    for fields, _ in rows:
        offer = CATALOG.offer(instance_type, fields[3])
        assert offer is not None and offer.on_demand == Decimal(fields[4])
    header = FILE.read_text().split("@version", 1)[0]
    assert instance_type.split(".")[0] in header.split("# Previous generation", 1)[1]


def test_sampled_rows_are_what_the_catalog_answers() -> None:
    """Every 97th row plus the types the brief names: the catalog's offer is the CSV row (read here as text)."""
    named = {("r7i.large", "eu-west-1"), ("m7g.large", "eu-west-1"), ("c6g.xlarge", "ap-southeast-2")}
    sample = [r for i, r in enumerate(ROWS) if i % 97 == 0 or (r[1][0], r[1][3]) in named]
    assert len(sample) > 100 and named <= {(f[0], f[3]) for _, f, *_ in sample}
    for number, fields, source, retrieved, _ in sample:
        name, vcpu, memory, region, on_demand, _spot = fields
        if (name, region) in YAML_PRICED:
            continue  # offers.yaml answers there (its own test)
        offer = CATALOG.offer(name, region)
        assert offer is not None, f"line {number}"
        assert offer.on_demand == Decimal(on_demand) and offer.spot is None, f"line {number}"
        assert offer.source == source and offer.retrieved == dt.date.fromisoformat(retrieved)
        assert offer.unverified == ("on_demand",)
        shape = CATALOG.instance_type(name)
        assert (shape.vcpu, shape.memory_gib) == (int(vcpu), Decimal(memory)), f"line {number}"


def test_general_csv_keeps_its_rows_where_the_feed_also_prices_the_type() -> None:
    """m5.large: us-east-1 and the SkyPilot regions keep their rows (with spot); only other regions are added."""
    main = {f[3]: f for _, f, *_ in MAIN_ROWS if f[0] == "m5.large"}
    extra = {f[3]: f for _, f, *_ in ROWS if f[0] == "m5.large"}
    assert "us-east-1" in main and extra and not set(main) & set(extra)
    for region, fields in main.items():
        offer = CATALOG.offer("m5.large", region)
        assert offer is not None and "SkyPilot" in offer.source, region
        assert offer.spot == (Decimal(fields[5]) if fields[5] else None), region
    for region, fields in extra.items():
        offer = CATALOG.offer("m5.large", region)
        assert offer is not None and MIRROR in offer.source and offer.on_demand == Decimal(fields[4]), region


def test_types_newer_than_the_feed_and_regions_it_lacks_stay_unpriced_with_the_reason() -> None:
    names = {f[0] for _, f, *_ in ROWS}
    newer = sorted({f[0] for _, f, *_ in MAIN_ROWS} - names - {t for t, _ in YAML_PRICED})
    assert "c8a.large" in newer and len(newer) > 400
    main = {(f[0], f[3]) for _, f, *_ in MAIN_ROWS}
    for name in newer[::25]:
        if (name, "eu-west-1") in main:
            continue
        assert CATALOG.offer(name, "eu-west-1") is None, name
        reason = CATALOG.unpriced_reason(name, "eu-west-1", "on_demand") or ""
        assert reason.startswith(f"{name} is not offered in eu-west-1 in this catalog; priced in "), reason
    # c7a.large: the feed lists eight regions, not ap-southeast-2
    assert "ap-southeast-2" not in {f[3] for _, f, *_ in ROWS if f[0] == "c7a.large"}
    assert CATALOG.offer("c7a.large", "ap-southeast-2") is None
    assert CATALOG.unpriced_reason("c7a.large", "ap-east-2", "on_demand") is not None


def test_a_program_in_eu_west_1_and_ap_southeast_2_is_priced_at_the_rows(tmp_path: Path) -> None:
    """Types that were unpriced outside us-east-1 before this file; each line's price is the CSV's."""
    want = {
        "db": ("r7i.large", "eu-west-1"),
        "api": ("m7g.large", "eu-west-1"),
        "legacy": ("m4.large", "eu-west-1"),
        "old": ("m3.medium", "eu-west-1"),
    }
    csv = {(f[0], f[3]): f[4] for _, f, *_ in ROWS}
    (tmp_path / "Pulumi.yaml").write_text("name: regions\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: eu-west-1\n")
    body = "".join(
        f"aws.ec2.Instance('{r}', instance_type='{t}', ami='ami-0123456789abcdef0')\n"
        for r, (t, _) in want.items()
    )
    (tmp_path / "__main__.py").write_text("import pulumi_aws as aws\n" + body)
    result = CliRunner().invoke(app, ["estimate", "--program", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for resource, (name, region) in want.items():
        (line,) = [ln for ln in doc["lines"] if ln["resource"] == resource and ln["unit"] == "instance-hours"]
        assert Decimal(str(line["unit_price_usd"])) == Decimal(csv[(name, region)]), resource
        assert MIRROR in line["source"] and name in line["description"], resource


def test_catalog_show_lists_the_regions_of_a_type() -> None:
    result = CliRunner().invoke(app, ["catalog", "show", "r7i.large", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    shown = {o["region"]: o["on_demand_usd_per_hour"] for o in doc["offers"]}
    expected = {f[3]: f[4] for _, f, *_ in MAIN_ROWS + ROWS if f[0] == "r7i.large"}
    assert set(shown) == set(expected) and len(shown) > 20
    for region, price in expected.items():
        assert Decimal(str(shown[region])) == Decimal(price), region


def test_gpu_queries_still_never_read_the_general_files() -> None:
    calls: list[int] = []

    def loader() -> GeneralTable:
        calls.append(1)
        return load_general(DATA_DIR)

    catalog = Catalog.from_data(DATA, general=loader)
    catalog.resolve(cloud="aws", region="eu-west-2", accelerator="H100", interconnect=True)
    assert calls == []
    assert catalog.offer("m4.large", "eu-west-1") is not None and calls == [1]
    assert GENERAL.offers["m4.large"]
