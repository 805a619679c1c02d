"""A Helm chart is a black box to an offline plan: Helm renders its objects at deploy time. A chart known
to create only in-cluster objects is free; any other is unpriced by name, so the total reads "≥" instead
of a silent $0 (pulumi/examples kubernetes-py-helm-release-wordpress, whose wordpress chart claims two
volumes); a known chart whose values ask for a LoadBalancer Service is unpriced too."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate

STACK = "urn:pulumi:test::p"
RELEASE = "kubernetes:helm.sh/v3:Release"


def res(
    type_: str,
    name: str,
    inputs: dict[str, Any],
    *,
    custom: bool = True,
    parent: str | None = None,
    **kw: Any,
) -> PlannedResource:
    urn = f"{STACK}::{type_}::{name}"
    return PlannedResource(type=type_, name=name, urn=urn, parent=parent, inputs=inputs, custom=custom, **kw)


def run(*resources: PlannedResource) -> Estimate:
    return estimate(
        ResourceGraph(stack="test", project="p", resources=list(resources), config={}), default_catalog()
    )


def test_a_release_of_an_unknown_chart_is_unpriced_by_name() -> None:
    result = run(res(RELEASE, "wpdev", {"chart": "wordpress", "values": {"service": {"type": "ClusterIP"}}}))
    (line,) = result.lines
    assert (line.resource, line.description, line.monthly_cost_usd) == (
        "wpdev",
        "objects of Helm chart wordpress",
        None,
    )
    assert "LoadBalancer Service or a PersistentVolumeClaim" in line.reason
    assert [u.resource for u in result.unpriced] == ["wpdev"] and result.free == []


def test_releases_of_in_cluster_charts_are_free_by_their_last_path_segment() -> None:
    result = run(
        res(RELEASE, "ops", {"chart": "gpu-operator", "values": {"driver": {"enabled": True}}}),
        res(RELEASE, "queue", {"chart": "oci://registry.k8s.io/kueue/charts/kueue"}),
        res(RELEASE, "dcgm", {"chart": "nvidia/dcgm-exporter"}),
    )
    assert result.lines == [] and result.unpriced == []
    assert {f.resource: f.reason for f in result.free} == dict.fromkeys(
        ("ops", "queue", "dcgm"), "Kubernetes object: runs on the cluster's nodes, which are priced"
    )


def test_a_known_chart_whose_values_ask_for_a_load_balancer_is_unpriced() -> None:
    values = {"serviceMonitor": {"enabled": False}, "service": {"type": "LoadBalancer", "port": 9400}}
    listed = {"exporters": [{"service": {"type": "LoadBalancer"}}]}
    result = run(
        res(RELEASE, "dcgm", {"chart": "dcgm-exporter", "values": values}),
        res(RELEASE, "listed", {"chart": "dcgm-exporter", "values": listed}),
    )
    assert [ln.resource for ln in result.lines] == ["dcgm", "listed"] and result.free == []


def test_a_chart_component_without_children_is_unpriced_and_one_rendered_is_left_to_its_children() -> None:
    v4 = res("kubernetes:helm.sh/v4:Chart", "ingress", {"chart": "ingress-nginx"}, custom=False, remote=True)
    v3 = res("kubernetes:helm.sh/v3:Chart", "apache", {}, custom=False)
    rendered = res("kubernetes:helm.sh/v3:Chart", "web", {}, custom=False)
    child = res("kubernetes:core/v1:Service", "web-svc", {"spec": {"type": "ClusterIP"}}, parent=rendered.urn)
    result = run(v4, v3, rendered, child)
    assert [(ln.resource, ln.description) for ln in result.lines] == [
        ("ingress", "objects of Helm chart ingress-nginx"),
        ("apache", "objects of Helm chart apache"),
    ]
    assert [f.resource for f in result.free] == ["web-svc"]
