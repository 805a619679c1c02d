"""Azure Databricks workspaces (estimate/rules/azure_data.py): one unpriced line naming the tier and why,
never $0 and never "not estimated"; why a dynamic provider resource is not estimated; Pulumi Cloud
metadata (estimate/rules/pulumi_service.py) is free."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.rules.azure_data import CLASSIC_WORKSPACE, WORKSPACE


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        id=f"{name}-id",
    )


def test_a_workspace_is_one_unpriced_line_with_its_tier_of_either_provider() -> None:
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[
            res(WORKSPACE, "lake", sku={"name": "premium"}, managedResourceGroupId="/subscriptions/s/rg"),
            res(CLASSIC_WORKSPACE, "old", sku="Trial"),
            res(CLASSIC_WORKSPACE, "plain"),
        ],
        config={"azure-native:location": "eastus"},
    )
    result = estimate(graph, default_catalog())
    assert not result.unsupported
    got = [(ln.resource, ln.description, ln.unit, ln.monthly_cost_usd) for ln in result.lines]
    assert got == [
        ("lake", "Databricks compute run in workspace lake (premium tier)", "DBU-hours", None),
        ("old", "Databricks compute run in workspace old (trial tier)", "DBU-hours", None),
        ("plain", "Databricks compute run in workspace plain (standard tier)", "DBU-hours", None),
    ]
    assert all(
        "no fee of its own" in ln.reason and "outside the Pulumi graph" in ln.reason for ln in result.lines
    )
    assert [s.resource for s in result.unpriced] == ["lake", "old", "plain"]


def test_a_dynamic_provider_resource_is_not_estimated_and_says_its_code_runs_at_deploy_time() -> None:
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[res("pulumi-python:dynamic:Resource", "settings", __provider="abc")],
        config={},
    )
    result = estimate(graph, default_catalog())
    assert not result.lines
    (skipped,) = result.unsupported
    assert skipped.resource == "settings"
    assert skipped.reason == (
        "no estimate rule for this resource type: a dynamic provider resource, whose create is the program's "
        "own code (a pulumi.dynamic.ResourceProvider) run at deploy time: what it makes, and any charge, is "
        "not in the graph"
    )


def test_pulumi_cloud_metadata_is_free_and_billed_pulumi_cloud_features_are_not_estimated() -> None:
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[
            res("pulumiservice:index:StackTag", "tag", organization="o", project="p", stack="s"),
            res("pulumiservice:index:Team", "ops"),
            res("pulumiservice:index:DeploymentSettings", "deploys"),
        ],
        config={},
    )
    result = estimate(graph, default_catalog())
    assert [(s.resource, s.reason) for s in result.free] == [
        ("tag", "Pulumi Cloud metadata (a tag, team, token, webhook or role): no charge of its own"),
        ("ops", "Pulumi Cloud metadata (a tag, team, token, webhook or role): no charge of its own"),
    ]
    assert [s.resource for s in result.unsupported] == ["deploys"], "deployment minutes are billed"
    assert not result.lines


def test_classic_log_analytics_is_billed_by_gb_ingested_like_native_workspaces() -> None:
    """(The classic Application Insights component has its own rule: tests/test_estimate_azure_classic_services.py.)"""
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[
            res("azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace", "logs", location="eastus"),
            res("azure-native:operationalinsights:Workspace", "native", location="eastus"),
        ],
        config={},
    )
    result = estimate(graph, default_catalog(), usage_path="stacks/usage.t.yaml")
    assert not result.unsupported
    got = [(ln.resource, ln.description, ln.unit, ln.monthly_cost_usd, ln.reason) for ln in result.lines]
    assert got == [
        (
            name,
            f"{what}: data ingested",
            "GB ingested",
            None,
            f"data ingested unknown: set logIngestedGB for {name} in stacks/usage.t.yaml",
        )
        for name, what in (
            ("logs", "Log Analytics workspace"),
            ("native", "Log Analytics workspace"),
        )
    ]
