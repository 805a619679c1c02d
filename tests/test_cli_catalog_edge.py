"""`infra catalog edge` and the edge catalog's data: locations, their machines, prices and grids."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.catalog.edge import EdgeCatalog, EdgeLocation, resolve_edge
from aiinfra.catalog.query import CatalogLookupError
from aiinfra.cli.main import app


def run_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["catalog", "edge", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_edge_lists_every_cloud_and_each_row_says_where_its_facts_come_from() -> None:
    rows = run_json()["locations"]
    assert {r["cloud"] for r in rows} == {"aws", "gcp", "azure"}
    lax = next(r for r in rows if r["location"] == "us-west-2-lax-1a")
    assert (lax["kind"], lax["region"], lax["metro"]) == ("local-zone", "us-west-2", "Los Angeles")
    assert (lax["zone_group"], lax["network_border_group"]) == ("us-west-2-lax-1", "us-west-2-lax-1")
    assert lax["source"].startswith("https://docs.aws.amazon.com/local-zones/")
    assert "machines" in lax["unverified"], "per-zone GPU machines were not read from AWS's offerings API"
    for row in rows:
        assert row["source"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["retrieved"]), row["location"]


def test_an_unpublished_edge_price_is_null_with_its_reason_never_zero() -> None:
    rows = run_json("--cloud", "aws")["locations"]
    machines = [m for r in rows for m in r["machines"]]
    assert machines, "AWS edge locations sell GPU machines"
    for m in machines:
        assert m["on_demand_usd_per_hour"] is None and m["unpriced_reason"], m
    outpost = next(r for r in rows if r["kind"] == "outpost")
    assert "bought with the rack" in outpost["machines"][0]["unpriced_reason"]


def test_accelerator_filter_keeps_only_the_locations_that_sell_it() -> None:
    names = {r["location"] for r in run_json("--accelerator", "t4")["locations"]}
    assert "us-west-2-lax-1a" in names and "us-west-2-wl1-sfo-wlz-1" in names
    assert "us-east-1-bos-1a" not in names, "no GPU machine is recorded for the Boston Local Zone"
    assert not any(n.startswith("losangeles") for n in names), "no T4 in Azure Extended Zones"


def test_metro_grid_is_the_metros_own_or_unknown_never_the_parent_regions() -> None:
    rows = {r["location"]: r for r in run_json("--cloud", "aws")["locations"]}
    assert rows["us-west-2-lax-1a"]["grid_g_co2e_per_kwh"] == 169.28
    sfo = rows["us-west-2-wl1-sfo-wlz-1"]
    assert sfo["grid_g_co2e_per_kwh"] is None and "Bay Area" in sfo["grid_reason"]


def test_an_unknown_accelerator_exits_2_with_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["catalog", "edge", "--accelerator", "T5"])
    assert result.exit_code == 2
    assert "unknown accelerator 'T5'" in result.output and "Did you mean" in result.output


def test_every_edge_machine_is_a_gpu_machine_of_the_regional_catalog_and_every_offer_is_sold_there() -> None:
    catalog = default_catalog()
    for loc in catalog.edge.locations():
        for name in loc.machines:
            assert catalog.instance_type(name, cloud=loc.cloud).accelerator, f"{loc.name}: {name} has a GPU"
        for name in loc.machines:
            offer = catalog.edge.offer(loc.cloud, loc.name, name)
            assert offer is None or offer.on_demand is not None or offer.reason, f"{loc.name} {name}"
        if loc.kind == "local-zone":
            assert loc.network_border_group == loc.zone_group == loc.name[:-1], (
                f"{loc.name}: a Local Zone's group and border group are its name without the letter"
            )
        if loc.kind == "wavelength":
            assert loc.network_border_group == loc.name and loc.zone_group == f"{loc.region}-wl1"


@pytest.mark.parametrize(
    ("location", "region"),
    [
        ("arn:aws:outposts:eu-west-1:123456789012:outpost/op-0123456789abcdef0", "eu-west-1"),
        ("us-west-2-lax-1b", "us-west-2"),
    ],
)
def test_a_location_family_gives_the_parent_region_from_the_name(location: str, region: str) -> None:
    loc = default_catalog().edge.location("aws", location)
    assert loc is not None and loc.parent_region(location) == region


def test_an_outpost_arn_that_is_malformed_matches_no_location() -> None:
    assert default_catalog().edge.location("aws", "arn:aws:outposts:us-west-2:1:outpost/op-1") is None


SMALL = EdgeLocation(
    cloud="aws",
    name="us-west-2-lax-1a",
    kind="local-zone",
    region="us-west-2",
    metro="Los Angeles",
    source="test",
    retrieved=default_catalog().edge.locations()[0].retrieved,
    machines=("g4dn.12xlarge", "g4dn.xlarge"),
)


def test_an_accelerator_resolves_to_the_smallest_machine_the_location_sells_with_it() -> None:
    t = resolve_edge(default_catalog(), SMALL, SMALL.name, accelerator="T4", instance_type=None)
    assert t.name == "g4dn.xlarge", "one GPU a node for edge inference unless instanceType says more"


def test_an_instance_type_the_location_does_not_sell_names_what_it_sells_and_where_it_is_sold() -> None:
    with pytest.raises(CatalogLookupError) as e:
        resolve_edge(default_catalog(), SMALL, SMALL.name, accelerator=None, instance_type="g4dn.2xlarge")
    assert "g4dn.2xlarge is not sold at us-west-2-lax-1a" in e.value.message
    assert "sells: g4dn.12xlarge, g4dn.xlarge" in e.value.fix
    assert "us-west-2-wl1-sfo-wlz-1" in e.value.fix, "the shipped catalog's sellers of g4dn.2xlarge"


def test_an_edge_offer_for_a_location_the_catalog_lacks_is_refused() -> None:
    from aiinfra.catalog.edge import EdgeOffer

    with pytest.raises(ValueError, match="unknown aws location nowhere"):
        EdgeCatalog([SMALL], [EdgeOffer("aws", "nowhere", "g4dn.xlarge", "test", SMALL.retrieved)])
