"""AWS accelerator offers (catalog/data/aws/offers.yaml) priced from AWS's pricing-calculator feeds: the figures
are checked against a small excerpt of the feed (tests/data/aws-feed/), the P types keep their post-cut rows,
what the feed does not price stays unpriced with a reason that says where the type is priced, and a g5 pool in
us-west-2 is estimated completely."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra.catalog import Catalog
from aiinfra.catalog.load import DATA_DIR
from aiinfra.cli.main import app

CATALOG = Catalog.from_dir(DATA_DIR)
FIXTURE = json.loads((Path(__file__).parent / "data" / "aws-feed" / "ec2-ondemand-gpu.json").read_text())
COMMIT = "74c9fd8ab5acfd9511cd6535f914d47071601ad2"
FEED_URL = (
    "https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/ec2/USD/current/ec2-ondemand-without-sec-sel/"
)
ROWS: list[dict[str, Any]] = yaml.safe_load((DATA_DIR / "aws" / "offers.yaml").read_text())["offers"]
FEED_ROWS = [r for r in ROWS if str(r["source"]).startswith("AWS pricing-calculator feed ")]
ACCELERATED = {t.name for t in CATALOG.instance_types(cloud="aws") if t.accelerator is not None}


def feed(instance_type: str, region: str) -> dict[str, str]:
    """The fixture's record of `instance_type` in `region` (one key per type in the region's file)."""
    file = FIXTURE["files"][region]
    assert file["manifest"]["hawkFilePublicationDate"] == "2025-04-04T22:41:22Z"
    assert file["manifest"]["source"] == "ec2-ondemand-without-sec-sel"
    ((_, records),) = file["regions"].items()
    (record,) = [v for v in records.values() if v["Instance Type"] == instance_type]
    assert (record["Operating System"], record["Pre Installed S/W"], record["License Model"]) == (
        "Linux",
        "NA",
        "No License required",
    )
    return record  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("instance_type", "region"),
    [
        ("g5.xlarge", "us-west-2"),  # a placeholder before (old region list, no price)
        ("g6e.xlarge", "eu-central-1"),  # a placeholder before
        ("g5.12xlarge", "il-central-1"),  # new to the catalog
        ("g6e.48xlarge", "eu-south-2"),  # new
        ("g6.xlarge", "sa-east-1"),  # new
        ("g4dn.xlarge", "eu-west-1"),  # new
    ],
)
def test_a_gpu_machine_is_priced_at_the_feeds_figure(instance_type: str, region: str) -> None:
    record = feed(instance_type, region)
    offer = CATALOG.offer(instance_type, region)
    assert offer is not None and offer.on_demand == Decimal(record["price"]), (offer, record["price"])
    assert offer.spot is None, "the feed has no spot price"
    assert offer.source.startswith(f"AWS pricing-calculator feed {FEED_URL}<Location>/Linux/index.json")
    assert "hawkFilePublicationDate 2025-04-04T22:41:22Z" in offer.source and f"@{COMMIT}" in offer.source
    assert offer.retrieved == dt.date(2025, 4, 4) and offer.unverified == ("on_demand",)
    shape = CATALOG.instance_type(instance_type)
    assert (shape.vcpu, f"{shape.memory_gib} GiB") == (int(record["vCPU"]), record["Memory"])
    assert CATALOG.unpriced_reason(instance_type, region, "on_demand") is None


def test_a_row_both_sources_list_at_the_same_price_keeps_its_own_source() -> None:
    offer = CATALOG.offer("g4dn.xlarge", "us-east-1")
    assert offer is not None and offer.on_demand == Decimal(feed("g4dn.xlarge", "us-east-1")["price"])
    assert "pricing-calculator" not in offer.source, "the existing row stays"


def test_p_types_keep_their_post_cut_price_where_the_feed_has_the_older_one() -> None:
    """The feed (2025-04-04) predates AWS's June 2025 P4/P5 price cut: its p5.48xlarge is 98.32 in us-east-1."""
    old = Decimal(feed("p5.48xlarge", "us-east-1")["price"])
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and offer.on_demand is not None
    assert offer.on_demand < old and "SkyPilot" in offer.source
    assert round(offer.on_demand / old, 2) == Decimal("0.56"), "the 44 % cut"


def test_a_p_region_only_the_feed_lists_is_offered_without_a_price_and_says_where_it_is_priced() -> None:
    assert Decimal(feed("p5.48xlarge", "sa-east-1")["price"]) > 0, "the feed has a (pre-cut) price there"
    offer = CATALOG.offer("p5.48xlarge", "sa-east-1")
    assert offer is not None and offer.on_demand is None and offer.spot is None
    reason = CATALOG.unpriced_reason("p5.48xlarge", "sa-east-1", "on_demand") or ""
    assert "June 2025 P4/P5 price cut" in reason, reason
    assert_names_priced_regions("p5.48xlarge", reason)
    chosen = CATALOG.resolve(cloud="aws", region="sa-east-1", accelerator="H100", interconnect=True)
    assert chosen.name == "p5.48xlarge", "sold there: the spec is valid, the estimate says unpriced"


def assert_names_priced_regions(instance_type: str, reason: str) -> None:
    named = reason.split("; priced in ", 1)[1].split(" and ", 1)[0].split(", ")
    assert len(named) >= 3, reason
    for region in named:
        o = CATALOG.offer(instance_type, region)
        assert o is not None and o.on_demand is not None, (region, reason)


def test_g6e_in_eu_west_2_stays_unpriced_and_the_reason_says_where_it_is_priced() -> None:
    for name in ("g6e.xlarge", "g6e.12xlarge", "g6e.48xlarge"):
        offer = CATALOG.offer(name, "eu-west-2")
        assert offer is not None and offer.on_demand is None, name
        reason = CATALOG.unpriced_reason(name, "eu-west-2", "on_demand") or ""
        assert "neither the AWS pricing-calculator feed" in reason, reason
        assert_names_priced_regions(name, reason)


def test_a_region_the_feed_does_not_list_is_not_offered_and_the_reason_says_where_it_is() -> None:
    assert CATALOG.offer("g5.xlarge", "ap-east-1") is None
    reason = CATALOG.unpriced_reason("g5.xlarge", "ap-east-1", "on_demand") or ""
    assert reason.startswith("g5.xlarge is not offered in ap-east-1 in this catalog; priced in "), reason
    assert_names_priced_regions("g5.xlarge", reason)


def test_the_only_accelerator_offers_without_an_on_demand_price_are_the_known_ones() -> None:
    unpriced = {
        (o.instance_type, o.region)
        for name in ACCELERATED
        for o in CATALOG.offers(instance_type=name)
        if o.on_demand is None
    }
    p5e = {r for t, r in unpriced if t == "p5e.48xlarge"}
    assert p5e == {"ap-southeast-2", "ap-southeast-3", "eu-north-1", "eu-west-2", "us-east-2", "us-west-2"}
    assert not CATALOG.instance_type("p5e.48xlarge").on_demand, "Capacity Blocks only"
    assert unpriced - {("p5e.48xlarge", r) for r in p5e} == {
        ("g6e.xlarge", "eu-west-2"),
        ("g6e.12xlarge", "eu-west-2"),
        ("g6e.48xlarge", "eu-west-2"),
        ("p4d.24xlarge", "ap-southeast-1"),
        ("p4d.24xlarge", "sa-east-1"),
        ("p4de.24xlarge", "il-central-1"),
        ("p5.48xlarge", "sa-east-1"),
    }


def test_every_feed_row_is_an_accelerator_type_in_a_catalog_region_with_a_grid_figure() -> None:
    assert len(FEED_ROWS) == 164, "64 placeholders filled + 100 pairs added"
    regions = set(CATALOG.regions("aws"))
    seen: set[tuple[str, str]] = set()
    for r in FEED_ROWS:
        key = (r["instance_type"], r["region"])
        assert key not in seen, key
        seen.add(key)
        assert r["instance_type"] in ACCELERATED and r["region"] in regions, key
        assert r["retrieved"] == dt.date(2025, 4, 4) and r["unverified"] == ["on_demand"], key
        assert Decimal(str(r["on_demand"])) > 0 and "spot" not in r and r["billing"] == "instance", key
        assert CATALOG.grid("aws", r["region"]) is not None, f"{key}: carbon needs the region's grid"
    assert {t for t, _ in seen} >= {"g4dn.xlarge", "g5.xlarge", "g6.xlarge", "g6e.xlarge"}
    assert not [t for t, _ in seen if t.startswith("p")], "P rows keep their post-cut sources"


def test_where_lists_the_regions_the_feed_adds() -> None:
    result = CliRunner().invoke(app, ["catalog", "where", "A10G", "--format", "json"])
    assert result.exit_code == 0, result.output
    regions = {p["region"] for p in json.loads(result.stdout)["regions"] if p["cloud"] == "aws"}
    assert {"us-west-2", "il-central-1", "me-central-1", "sa-east-1"} <= regions
    assert "ap-east-1" not in regions


def test_a_program_with_a_g5_pool_in_us_west_2_is_estimated_completely(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: g5pool\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-west-2\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.eks.NodeGroup('g5', cluster_name='gpu', node_role_arn='arn:aws:iam::123456789012:role/node',\n"
        "    subnet_ids=['subnet-0123456789abcdef0'], instance_types=['g5.xlarge'], disk_size=100,\n"
        "    scaling_config={'desired_size': 2, 'min_size': 2, 'max_size': 2})\n"
    )
    args = ["estimate", "--program", str(tmp_path), "--format", "json", "--fail-on-incomplete"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["totals"]["unpriced_lines"] == 0 and doc["unpriced"] == [] and doc["unsupported"] == []
    (pool,) = [ln for ln in doc["lines"] if ln["resource"] == "g5" and ln["unit"] == "node-hours"]
    assert Decimal(str(pool["unit_price_usd"])) == Decimal(feed("g5.xlarge", "us-west-2")["price"])
    assert "pricing-calculator feed" in pool["source"] and pool["quantity"] == 2 * 730


def test_a_stack_with_a_g5_pool_in_us_west_2_is_estimated_completely(tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.g5west.yaml"
    stack.write_text(
        "config:\n  aws:region: us-west-2\n  aiinfra:clusters:\n    - name: serve\n      cloud: aws\n"
        "      region: us-west-2\n      network:\n        cidr: 10.40.0.0/16\n      nodePools:\n"
        "        - name: a10g\n          instanceType: g5.xlarge\n          nodes: 2\n"
        "          capacity: on-demand\n          interconnect: false\n"
    )
    (tmp_path / "usage.g5west.yaml").write_text(
        'version: "0.1"\nresources:\n  serve-net-nat-0:\n    dataProcessedGB: 100\n'
    )
    args = ["estimate", "-s", str(stack), "--format", "json", "--fail-on-incomplete"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["totals"]["unpriced_lines"] == 0 and doc["unpriced"] == []
    (pool,) = [ln for ln in doc["lines"] if ln["resource"] == "serve-a10g-nodes"]
    assert Decimal(str(pool["unit_price_usd"])) == Decimal(feed("g5.xlarge", "us-west-2")["price"])
    assert "2 × g5.xlarge" in pool["description"] and "us-west-2" in pool["description"]
