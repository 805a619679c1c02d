"""The edge-site rule (policy/edge_rules.py) as `infra check` and the CrossGuard pack report it: every resource
type it reads, each input that asks for an internet-reachable address, public and non-edge resources that
pass, and the rule's registration (id, title, severity, kind). The cases bench/mutation.py found untested."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from aiinfra.catalog.edge import EDGE_LOCATION_TAG, PUBLIC_TAG
from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.policy import RULES_BY_ID, check_graph
from aiinfra.policy.edge_rules import edge_nodes_private
from aiinfra.policy.pack import build_policies

LT = "aws:ec2/launchTemplate:LaunchTemplate"
SUBNET = "aws:ec2/subnet:Subnet"
INSTANCE = "aws:ec2/instance:Instance"
AKS_POOL = "azure-native:containerservice:AgentPool"
AKS = "azure-native:containerservice:ManagedCluster"
EDGE = {EDGE_LOCATION_TAG: "us-west-2-lax-1a"}
FIX = "Set those to false, or set public: true on the edge site if clients must reach the nodes directly."


def res(type_: str, inputs: dict[str, Any], name: str = "edge") -> PlannedResource:
    return PlannedResource(
        type_, name, make_urn("t", "aiinfra", type_, name), None, inputs, True, False, False
    )


def checked(r: PlannedResource) -> list[tuple[str, str, str, str, str, str, str | None]]:
    """What `infra check` reports for a graph holding `r` alone, from the edge rule."""
    report = check_graph(ResourceGraph("t", "aiinfra", [r], {"aws:region": "us-west-2"}))
    return [
        (v.rule_id, v.severity, v.resource, v.type, v.message, v.fix, v.urn)
        for v in report.violations
        if v.rule_id == "edge-nodes-private"
    ]


def finding(r: PlannedResource, asked: str) -> tuple[str, str, str, str, str, str, str | None]:
    return (
        "edge-nodes-private",
        "high",
        r.name,
        r.type,
        f"{r.name} at edge location us-west-2-lax-1a gives its nodes internet-reachable addresses ({asked} is "
        "true) though the site is not public.",
        FIX,
        r.urn,
    )


CASES = [
    (SUBNET, {"mapPublicIpOnLaunch": True}, "mapPublicIpOnLaunch"),
    (SUBNET, {"mapCustomerOwnedIpOnLaunch": "true"}, "mapCustomerOwnedIpOnLaunch"),
    (
        SUBNET,
        {"mapPublicIpOnLaunch": True, "mapCustomerOwnedIpOnLaunch": True},
        "mapPublicIpOnLaunch, mapCustomerOwnedIpOnLaunch",
    ),
    (
        LT,
        {"networkInterfaces": [{"associatePublicIpAddress": "true"}]},
        "networkInterfaces[0].associatePublicIpAddress",
    ),
    (
        LT,
        {"networkInterfaces": [{"deviceIndex": 0}, {"associateCarrierIpAddress": True}]},
        "networkInterfaces[1].associateCarrierIpAddress",
    ),
    (INSTANCE, {"associatePublicIpAddress": True}, "associatePublicIpAddress"),
    (AKS_POOL, {"enableNodePublicIP": True}, "enableNodePublicIP"),
    (
        AKS,
        {"agentPoolProfiles": [{"name": "sys"}, {"name": "gpu", "enableNodePublicIP": True}]},
        "agentPoolProfiles[1].enableNodePublicIP",
    ),
]


@pytest.mark.parametrize(("type_", "inputs", "asked"), CASES)
def test_a_private_edge_resource_asking_for_public_addresses_is_a_high_violation(
    type_: str, inputs: dict[str, Any], asked: str
) -> None:
    r = res(type_, {"tags": EDGE, **inputs})
    assert checked(r) == [finding(r, asked)]


@pytest.mark.parametrize(("type_", "inputs", "asked"), CASES)
def test_a_public_edge_site_or_a_regional_resource_may_ask_for_them(
    type_: str, inputs: dict[str, Any], asked: str
) -> None:
    assert checked(res(type_, {"tags": {**EDGE, PUBLIC_TAG: "true"}, **inputs})) == []
    assert checked(res(type_, {"tags": {"team": "ml"}, **inputs})) == []
    assert checked(res(type_, inputs)) == []
    assert checked(res(type_, {"tags": None, **inputs})) == []
    assert checked(res(type_, {"tags": {EDGE_LOCATION_TAG: 5}, **inputs})) == []
    assert edge_nodes_private(res(type_, inputs)) == []


def test_a_public_tag_other_than_true_keeps_the_site_private() -> None:
    r = res(INSTANCE, {"tags": {**EDGE, PUBLIC_TAG: "false"}, "associatePublicIpAddress": True})
    assert checked(r) == [finding(r, "associatePublicIpAddress")]


@pytest.mark.parametrize(
    ("type_", "inputs"),
    [
        (SUBNET, {"mapPublicIpOnLaunch": False, "mapCustomerOwnedIpOnLaunch": "false"}),
        (
            LT,
            {
                "networkInterfaces": [
                    {"associatePublicIpAddress": "false", "associateCarrierIpAddress": False}
                ]
            },
        ),
        (LT, {"networkInterfaces": ["eni-1"]}),
        (INSTANCE, {"associatePublicIpAddress": False}),
        (INSTANCE, {}),
        (AKS_POOL, {"enableNodePublicIP": False, "associatePublicIpAddress": True}),
        (AKS, {"agentPoolProfiles": [{"name": "gpu", "enableNodePublicIP": False}, "pool"]}),
        (AKS, {"associatePublicIpAddress": True, "mapPublicIpOnLaunch": True}),
        (SUBNET, {"associatePublicIpAddress": True, "enableNodePublicIP": True}),
    ],
)
def test_a_private_edge_resource_with_private_addresses_passes(type_: str, inputs: dict[str, Any]) -> None:
    r = res(type_, {"tags": EDGE, **inputs})
    assert checked(r) == []
    assert edge_nodes_private(r) == []


def test_the_rule_is_registered_as_a_high_resource_rule_and_a_blocking_pack_policy() -> None:
    rule = RULES_BY_ID["edge-nodes-private"]
    assert (rule.id, rule.severity, rule.kind, rule.checkov) == (
        "edge-nodes-private",
        "high",
        "resource",
        None,
    )
    assert set(rule.types) == {SUBNET, LT, INSTANCE, AKS_POOL, AKS}
    (policy,) = [p for p in build_policies() if p.name == "edge-nodes-private"]
    assert isinstance(policy, ResourceValidationPolicy)
    assert policy.description == "Edge nodes are not reachable from the internet unless the site is public"
    assert policy.enforcement_level is EnforcementLevel.MANDATORY
