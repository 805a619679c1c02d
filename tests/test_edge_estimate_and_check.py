"""Edge sites in `infra estimate` and `infra check`: machines priced at the location's own price (or
unpriced with its reason), carbon from the metro's grid, and no internet-reachable edge node unless the
site is public."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.catalog.edge import EDGE_LOCATION_TAG, PUBLIC_TAG, EdgeCatalog, EdgeGrid, EdgeOffer
from aiinfra.cli.main import app
from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.estimate.estimator import estimate
from aiinfra.policy.edge_rules import edge_nodes_private

DAY = dt.date(2026, 12, 4)
NG = "aws:eks/nodeGroup:NodeGroup"


def resource(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
    urn = make_urn("t", "p", type_, name)
    return PlannedResource(type=type_, name=name, urn=urn, parent=None, inputs=inputs, custom=True)


@pytest.fixture(scope="module")
def edge_stack() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["estimate", "-s", "edge", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_edge_node_lines_say_where_they_are_priced_and_are_unpriced_with_the_locations_reason(
    edge_stack: dict[str, Any],
) -> None:
    lines = {ln["resource"]: ln for ln in edge_stack["lines"]}
    lax = lines["serve-lax-nodes"]
    assert (
        "g4dn.xlarge" in lax["description"]
        and "at us-west-2-lax-1a (local-zone, Los Angeles)" in lax["description"]
    )
    assert lax["monthly_cost_usd"] is None, "no Local Zone price was read: unpriced, never the region's or $0"
    unpriced = {u["resource"]: u["reason"] for u in edge_stack["unpriced"]}
    assert "Local Zone prices are their own" in unpriced["serve-lax-nodes"]
    assert "Wavelength Zone prices are their own" in unpriced["serve-sfo-5g-nodes"]
    assert "EBS at edge location us-west-2-lax-1a" in unpriced["serve-lax-lt"], "not the region's EBS price"


def test_edge_carbon_comes_from_the_metro_grid_or_stays_unknown(edge_stack: dict[str, Any]) -> None:
    lines = {ln["resource"]: ln for ln in edge_stack["lines"]}
    lax = lines["serve-lax-nodes"]
    assert lax["monthly_energy_kwh"] > 0
    assert lax["monthly_co2e_kg"] == pytest.approx(lax["monthly_energy_kwh"] * 169.28 / 1000, rel=1e-3), (
        "Los Angeles grid (169.28 g/kWh), not us-west-2's 322.167"
    )
    assert lines["serve-sfo-5g-nodes"]["monthly_co2e_kg"] is None, "no Bay Area figure: not counted"


def test_a_published_edge_price_is_used_instead_of_the_regions() -> None:
    base = default_catalog()
    loc = base.edge.location("aws", "us-west-2-lax-1a")
    assert loc is not None
    priced = EdgeCatalog(
        [loc],
        [EdgeOffer("aws", loc.name, "g4dn.xlarge", "test price list", DAY, on_demand=Decimal("0.631"))],
        [EdgeGrid("aws", "Los Angeles", "test grid", DAY, Decimal(200), 2024, "LA test")],
    )
    catalog = base.__class__(
        accelerators=base.accelerators,
        instance_types=base.instance_types(),
        offers=base.offers(),
        pue=[p for p in [base.pue("aws", "*")] if p is not None],
        host_power=[h for h in [base.host_power("aws")] if h is not None],
        edge=priced,
    )
    ng = resource(
        NG,
        "lax-nodes",
        {
            "instanceTypes": ["g4dn.xlarge"],
            "scalingConfig": {"minSize": 2, "desiredSize": 2, "maxSize": 2},
            "capacityType": "ON_DEMAND",
            "tags": {EDGE_LOCATION_TAG: "us-west-2-lax-1a"},
        },
    )
    graph = ResourceGraph(stack="t", project="p", resources=[ng], config={"aws:region": "us-west-2"})
    result = estimate(graph, catalog)
    (line,) = [ln for ln in result.lines if ln.resource == "lax-nodes" and ln.unit == "node-hours"]
    assert line.unit_price_usd == Decimal("0.631") and "test price list" in line.source
    assert line.monthly_co2e_kg is not None and line.monthly_energy_kwh is not None
    assert line.monthly_co2e_kg == line.monthly_energy_kwh * 200 / 1000


def test_a_private_edge_launch_template_asking_for_a_carrier_address_is_a_high_violation() -> None:
    lt = resource(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "edge-lt",
        {
            "tags": {EDGE_LOCATION_TAG: "us-west-2-wl1-sfo-wlz-1"},
            "networkInterfaces": [{"associateCarrierIpAddress": "true"}],
        },
    )
    (v,) = edge_nodes_private(lt)
    assert v.severity == "high" and "associateCarrierIpAddress" in v.message and "public: true" in v.fix


def test_a_public_edge_site_may_have_addresses_and_a_private_subnet_never_maps_them() -> None:
    public_lt = resource(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "edge-lt",
        {
            "tags": {EDGE_LOCATION_TAG: "us-west-2-lax-1a", PUBLIC_TAG: "true"},
            "networkInterfaces": [{"associatePublicIpAddress": "true"}],
        },
    )
    assert edge_nodes_private(public_lt) == []
    subnet = resource(
        "aws:ec2/subnet:Subnet",
        "edge-subnet",
        {"tags": {EDGE_LOCATION_TAG: "x"}, "mapPublicIpOnLaunch": True},
    )
    assert [v.rule_id for v in edge_nodes_private(subnet)] == ["edge-nodes-private"]
    regional = resource("aws:ec2/subnet:Subnet", "public-0", {"mapPublicIpOnLaunch": True})
    assert edge_nodes_private(regional) == [], "only edge sites' resources are this rule's business"


def test_check_passes_the_example_edge_stack() -> None:
    result = CliRunner().invoke(app, ["check", "-s", "edge", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert not [v for v in doc["violations"] if v["rule_id"] == "edge-nodes-private"], (
        "the public Wavelength site asked for carrier addresses; the private Local Zone site has none"
    )


def test_the_multicloud_example_has_a_site_on_each_cloud_and_plans_estimates_and_checks_clean() -> None:
    plan_run = CliRunner().invoke(app, ["plan", "-s", "edge-multicloud", "--format", "json"])
    assert plan_run.exit_code == 0, plan_run.output
    sites = {
        r["name"]: r["type"] for r in json.loads(plan_run.stdout)["resources"] if r["type"].endswith("Site")
    }
    assert sites == {
        "serve-lax": "aiinfra:aws:EdgeSite",
        "den": "aiinfra:gcp:EdgeSite",
        "la-ez": "aiinfra:azure:ExtendedZoneSite",
    }, "one edge site on each of the three clouds"

    run = CliRunner().invoke(app, ["estimate", "-s", "edge-multicloud", "--format", "json"])
    assert run.exit_code == 0, run.output
    doc = json.loads(run.stdout)
    assert doc["totals"]["monthly_cost_usd"] > 0 and not doc["unsupported"], doc["totals"]
    unpriced = [(u["resource"], u["reason"]) for u in doc["unpriced"] if u["resource"] == "la-ez-gpu"]
    assert [reason for _, reason in unpriced][:1] == [
        "no on-demand price for Standard_NV36ads_A10_v5 at losangeles in the catalog"
    ] and len(unpriced) == 2, (
        "the Extended Zone's nodes and their OS disks are unpriced, never at another rate"
    )
    disks = unpriced[1][1]
    assert disks.startswith("catalog/data/azure/managed-disk.csv has no Premium_LRS/P15 price in westus")
    assert disks.endswith(
        "it prices Premium_LRS/P15 in 4 regions: francecentral, northeurope, swedencentral, westeurope"
    )

    check = CliRunner().invoke(app, ["check", "-s", "edge-multicloud", "--format", "json"])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["violations"] == [], (
        "aks-kms-etcd included: the site's AKS has its KMS key"
    )
