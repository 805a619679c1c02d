"""Kubernetes control planes priced by their version's support on the day of the estimate (EKS standard vs
extended support from the catalog's release calendar), AKS by tier and GKE's management fee; and totals that
leave something out read as a lower bound ("≥") in every renderer, with the counts in the JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.estimator import TODAY_ENV, estimate_day
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.render import render_html, render_markdown, render_table
from aiinfra.estimate.usage import PROFILES
from aiinfra.guard import InputError

D = Decimal
CATALOG = default_catalog()
URN = "urn:pulumi:test::p"


def res(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
    return PlannedResource(
        type=type_, name=name, urn=f"{URN}::{type_}::{name}", parent=None, inputs=inputs, custom=True
    )


def run(*resources: PlannedResource, day: dt.date, config: dict[str, Any] | None = None) -> Estimate:
    graph = ResourceGraph(
        stack="test", project="p", resources=list(resources), config=config or {"aws:region": "us-east-1"}
    )
    return estimate(graph, CATALOG, profile=PROFILES["training-steady"], today=day)


def plane(result: Estimate, name: str = "c") -> Line:
    (found,) = [ln for ln in result.lines if ln.resource == name and ln.unit == "cluster-hours"]
    return found


def eks(version: str | None = None, **inputs: Any) -> PlannedResource:
    return res(
        "aws:eks/cluster:Cluster",
        "c",
        {"roleArn": "arn", **({"version": version} if version else {}), **inputs},
    )


# -- EKS ------------------------------------------------------------------------------------------------------


def test_eks_1_31_on_2026_12_04_is_past_extended_support_and_runs_1_32_at_the_extended_rate() -> None:
    """1.31's extended support ended 2026-11-26 (AWS calendar): EKS auto-upgrades the control plane to the
    oldest supported version, 1.32, itself in extended support since 2026-03-23."""
    line = plane(run(eks("1.31"), day=dt.date(2026, 12, 4)))
    assert line.unit_price_usd == D("0.60") and line.monthly_cost_usd == 730 * D("0.60") == D("438")
    assert "Kubernetes 1.32, extended support" in line.description
    notes = " | ".join(line.assumptions)
    assert (
        "Kubernetes 1.31 released 2024-09-26, end of standard support 2025-11-26, end of extended support 2026-11-26"
        in notes
    )
    assert "EKS auto-upgrades the control plane to the oldest supported version, 1.32" in notes
    assert "end of standard support 2026-03-23, end of extended support 2027-03-23" in notes, (
        "1.32's row is named"
    )


def test_eks_1_31_in_june_2026_is_in_extended_support_at_0_60_an_hour() -> None:
    line = plane(run(eks("1.31"), day=dt.date(2026, 6, 1)))
    assert line.unit_price_usd == D("0.60") and "Kubernetes 1.31, extended support" in line.description
    assert any("standard support ended 2025-11-26" in a for a in line.assumptions)


def test_eks_1_33_before_its_end_of_standard_support_is_standard_at_0_10_an_hour() -> None:
    line = plane(run(eks("1.33"), day=dt.date(2026, 5, 1)))
    assert line.unit_price_usd == D("0.10") and line.monthly_cost_usd == D("73")
    assert "Kubernetes 1.33, standard support" in line.description
    assert any("in standard support (until 2026-07-29)" in a for a in line.assumptions)


def test_extended_support_is_billed_from_the_day_standard_support_ends() -> None:
    last_standard = plane(run(eks("1.33"), day=dt.date(2026, 7, 28)))
    first_extended = plane(run(eks("1.33"), day=dt.date(2026, 7, 29)))
    assert (last_standard.unit_price_usd, first_extended.unit_price_usd) == (D("0.10"), D("0.60"))


def test_eks_1_33_on_2026_12_04_is_extended_and_1_35_is_standard() -> None:
    assert plane(run(eks("1.33"), day=dt.date(2026, 12, 4))).unit_price_usd == D("0.60")
    assert plane(run(eks("1.35"), day=dt.date(2026, 12, 4))).unit_price_usd == D("0.10")


def test_a_cluster_without_a_version_is_assumed_on_the_newest_released_version_and_says_which() -> None:
    line = plane(run(eks(), day=dt.date(2026, 12, 4)))
    assert "Kubernetes 1.35, standard support" in line.description
    assert any("no version given" in a and "1.35" in a for a in line.assumptions)
    earlier = plane(run(eks(), day=dt.date(2025, 12, 1)))
    assert "Kubernetes 1.34" in earlier.description, "on 2025-12-01 the newest released version was 1.34"


def test_standard_upgrade_policy_upgrades_instead_of_paying_for_extended_support() -> None:
    line = plane(run(eks("1.33", upgradePolicy={"supportType": "STANDARD"}), day=dt.date(2026, 12, 4)))
    assert line.unit_price_usd == D("0.10") and "Kubernetes 1.35" in line.description
    assert any("upgradePolicy.supportType STANDARD" in a for a in line.assumptions)


def test_a_version_newer_than_the_calendar_is_standard_and_an_older_one_is_upgraded() -> None:
    newer = plane(run(eks("1.40"), day=dt.date(2026, 12, 4)))
    assert newer.unit_price_usd == D("0.10") and any("newer than" in a for a in newer.assumptions)
    older = plane(run(eks("1.20"), day=dt.date(2026, 12, 4)))
    assert "Kubernetes 1.32, extended support" in older.description, "upgraded to the oldest supported"


def test_the_calendar_has_every_eks_version_from_1_23_to_1_35_with_a_source() -> None:
    rows = CATALOG.kubernetes_versions("aws")
    assert [v.version for v in rows] == [f"1.{n}" for n in range(23, 36)]
    for v in rows:
        assert v.source and v.released < v.end_of_standard, f"{v.version}: sourced and in order"
        assert v.end_of_extended is not None and v.end_of_standard < v.end_of_extended


def test_the_day_of_an_estimate_comes_from_aiinfra_today_and_a_bad_value_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TODAY_ENV, "2026-06-01")
    assert estimate_day() == dt.date(2026, 6, 1)
    monkeypatch.setenv(TODAY_ENV, "next tuesday")
    with pytest.raises(InputError, match="AIINFRA_TODAY='next tuesday' is not a date"):
        estimate_day()
    monkeypatch.delenv(TODAY_ENV)
    assert estimate_day() == dt.date.today()


# -- AKS and GKE -------------------------------------------------------------------------------------------------


AZURE = {"azure-native:location": "eastus"}


def aks(**inputs: Any) -> PlannedResource:
    return res(
        "azure-native:containerservice:ManagedCluster",
        "c",
        {"resourceName": "c", "resourceGroupName": "rg", "location": "eastus", **inputs},
    )


def test_an_aks_standard_tier_control_plane_costs_0_10_an_hour() -> None:
    line = plane(run(aks(sku={"name": "Base", "tier": "Standard"}), day=dt.date(2026, 12, 4), config=AZURE))
    assert line.unit_price_usd == D("0.10") and line.monthly_cost_usd == D("73")
    assert "Standard tier" in line.description


def test_an_aks_premium_tier_is_unpriced_until_a_source_gives_it_and_says_it_includes_lts() -> None:
    # The catalog has no sourced Premium-tier price (the earlier 0.60 was recalled): unpriced, never $0.
    line = plane(run(aks(sku={"name": "Base", "tier": "Premium"}), day=dt.date(2026, 12, 4), config=AZURE))
    assert line.unit_price_usd is None and line.monthly_cost_usd is None
    assert line.reason == "no aks premium-cluster-hour price in the catalog"
    assert "AKS Premium tier: Standard plus Long Term Support" in line.assumptions


def test_an_aks_cluster_without_a_tier_is_free_and_says_it_is_the_default() -> None:
    result = run(aks(), day=dt.date(2026, 12, 4), config=AZURE)
    assert not result.lines and [f.resource for f in result.free] == ["c"], "Free tier: no charge"


def test_a_gke_cluster_pays_the_management_fee_and_names_the_free_tier() -> None:
    cluster = res(
        "gcp:container/cluster:Cluster", "c", {"location": "us-central1", "removeDefaultNodePool": True}
    )
    line = plane(run(cluster, day=dt.date(2026, 12, 4), config={"gcp:region": "us-central1"}))
    assert line.unit_price_usd == D("0.10") and line.monthly_cost_usd == D("73")
    assert any("free tier" in a for a in line.assumptions), "the free tier is named, not silently subtracted"


# -- totals that leave something out ----------------------------------------------------------------------------


def test_an_unsupported_resource_makes_every_headline_a_lower_bound_and_is_counted_in_the_json() -> None:
    result = run(eks("1.35"), res("aws:mq/broker:Broker", "mq", {}), day=dt.date(2026, 12, 4))
    assert not result.unpriced and [s.resource for s in result.unsupported] == ["mq"]
    doc = result.to_json()
    assert doc["totals"]["unpriced_lines"] == 0 and doc["totals"]["unsupported_resources"] == 1
    markdown = render_markdown(doc)
    assert "**≥ $73.00/month" in markdown, "the headline is a floor: the broker is not estimated"
    assert "1 unsupported resource(s) not included" in markdown
    assert "≥ $73.00" in render_html(doc)


def test_a_gke_cluster_on_the_extended_channel_says_the_extended_charge_is_not_modelled() -> None:
    cluster = res(
        "gcp:container/cluster:Cluster",
        "c",
        {"location": "us-central1", "removeDefaultNodePool": True, "releaseChannel": {"channel": "EXTENDED"}},
    )
    line = plane(run(cluster, day=dt.date(2026, 12, 4), config={"gcp:region": "us-central1"}))
    assert any("release channel EXTENDED" in a and "not modelled" in a for a in line.assumptions)


def test_the_terminal_total_is_a_lower_bound_when_a_resource_is_unsupported() -> None:
    from io import StringIO

    from rich.console import Console

    doc = run(eks("1.35"), res("aws:mq/broker:Broker", "mq", {}), day=dt.date(2026, 12, 4)).to_json()
    out = StringIO()
    console = Console(file=out, width=200, color_system=None)
    for part in render_table(doc):
        console.print(part)
    text = out.getvalue()
    assert "≥ 73.00" in text, "the totals row is a floor"
    assert "1 unsupported resource(s) not included" in text


def test_a_complete_estimate_shows_its_total_without_a_lower_bound() -> None:
    doc = run(eks("1.35"), day=dt.date(2026, 12, 4)).to_json()
    assert doc["totals"]["unsupported_resources"] == 0
    assert "**$73.00/month" in render_markdown(doc) and "≥" not in render_markdown(doc).split("\n")[3]
