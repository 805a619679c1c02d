"""Kubernetes Ingresses (estimate/rules/kubernetes.py): one of a cloud class (alb, gce) or of no class is an
unpriced load balancer with why; one of an in-cluster controller's class is free. The AWS Load Balancer
Controller chart is in-cluster objects only (aws/eks-charts stable/aws-load-balancer-controller/templates)."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.rules.kubernetes import IN_CLUSTER_CHARTS, INGRESS

V1, BETA, EXTENSIONS = INGRESS


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


def run(*resources: PlannedResource) -> Any:
    return estimate(
        ResourceGraph(stack="t", project="p", resources=list(resources), config={}), default_catalog()
    )


def test_ingresses_of_cloud_classes_or_none_are_unpriced_load_balancers_and_in_cluster_ones_free() -> None:
    result = run(
        res(V1, "shop", spec={"ingressClassName": "alb", "rules": []}),
        res(BETA, "legacy", metadata={"annotations": {"kubernetes.io/ingress.class": "GCE"}}, spec={}),
        res(EXTENSIONS, "bare", spec={"rules": []}),
        res(V1, "web", spec={"ingressClassName": "nginx"}),
        res(V1, "edge", metadata={"annotations": {"kubernetes.io/ingress.class": "traefik"}}),
    )
    assert not result.unsupported
    assert [(ln.resource, ln.description, ln.unit, ln.monthly_cost_usd) for ln in result.lines] == [
        ("shop", "load balancer for Ingress shop", "hours", None),
        ("legacy", "load balancer for Ingress legacy", "hours", None),
        ("bare", "load balancer for Ingress bare", "hours", None),
    ]
    reasons = {ln.resource: ln.reason for ln in result.lines}
    assert reasons["shop"].startswith("its class alb makes a cloud load balancer for it outside Pulumi")
    assert reasons["legacy"].startswith("its class gce makes a cloud load balancer")
    assert reasons["bare"].startswith("it names no ingress class: the cluster's default one decides")
    assert all(r.endswith("its kind, rules and hours are not in the graph") for r in reasons.values())
    assert [(s.resource, s.reason) for s in result.free] == [
        (
            "web",
            "Kubernetes Ingress of class nginx: served by a controller in the cluster (its Service, if of "
            "type LoadBalancer, is priced where it is declared)",
        ),
        (
            "edge",
            "Kubernetes Ingress of class traefik: served by a controller in the cluster (its Service, if of "
            "type LoadBalancer, is priced where it is declared)",
        ),
    ]


def test_the_aws_load_balancer_controller_chart_is_free_unless_its_values_ask_for_a_load_balancer() -> None:
    assert "aws-load-balancer-controller" in IN_CLUSTER_CHARTS
    release = "kubernetes:helm.sh/v3:Release"
    result = run(
        res(release, "lbc", chart="aws-load-balancer-controller", values={"clusterName": "c"}),
        res(
            release,
            "exposed",
            chart="eks/aws-load-balancer-controller",
            values={"service": {"type": "LoadBalancer"}},
        ),
    )
    assert [s.resource for s in result.free] == ["lbc"]
    assert [(ln.resource, ln.monthly_cost_usd) for ln in result.lines] == [("exposed", None)]
