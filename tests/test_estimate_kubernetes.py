"""Kubernetes objects in an estimate: the ones that make a cloud create something billed (a LoadBalancer
Service, a dynamically provisioned claim) are unpriced with the reason, so a total with them reads "≥";
the rest, and engine-side packages (random, tls, command, time), are free, not unsupported."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate

STACK = "urn:pulumi:test::aiinfra"


def res(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
    return PlannedResource(
        type=type_, name=name, urn=f"{STACK}::{type_}::{name}", parent=None, inputs=inputs, custom=True
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(stack="test", project="p", resources=list(resources), config={})
    return estimate(graph, default_catalog())


def test_a_load_balancer_service_is_unpriced_and_other_services_are_free() -> None:
    result = run(
        res("kubernetes:core/v1:Service", "web", {"spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}),
        res("kubernetes:core/v1:Service", "api", {"spec": {"type": "ClusterIP"}}),
        res("kubernetes:core/v1:Service", "bare", {"spec": {}}),
    )
    assert [(u.resource, u.type) for u in result.unpriced] == [("web", "kubernetes:core/v1:Service")]
    assert "load balancer outside Pulumi" in result.unpriced[0].reason
    assert {f.resource: f.reason for f in result.free} == {
        "api": "Kubernetes Service (ClusterIP): no cloud resource, no charge",
        "bare": "Kubernetes Service (ClusterIP): no cloud resource, no charge",
    }
    assert result.unsupported == []


def test_a_dynamically_provisioned_claim_is_unpriced_and_a_statically_bound_one_is_free() -> None:
    result = run(
        res(
            "kubernetes:core/v1:PersistentVolumeClaim",
            "scratch",
            {"spec": {"storageClassName": "gp3", "resources": {"requests": {"storage": "500Gi"}}}},
        ),
        res(
            "kubernetes:core/v1:PersistentVolumeClaim",
            "default-class",
            {"spec": {"resources": {"requests": {"storage": "10Gi"}}}},
        ),
        res("kubernetes:core/v1:PersistentVolumeClaim", "lustre", {"spec": {"storageClassName": ""}}),
        res("kubernetes:core/v1:PersistentVolumeClaim", "bound", {"spec": {"volumeName": "pv-1"}}),
    )
    lines = {ln.resource: ln for ln in result.lines}
    assert lines["scratch"].description == "volume for claim scratch (500Gi)"
    assert "storage class gp3" in lines["scratch"].reason
    assert "storage class (the cluster default)" in lines["default-class"].reason
    assert all(lines[n].monthly_cost_usd is None for n in ("scratch", "default-class"))
    assert sorted(f.resource for f in result.free) == ["bound", "lustre"]


def test_engine_side_packages_are_free_and_an_unknown_package_is_unsupported() -> None:
    result = run(
        res("random:index/randomPassword:RandomPassword", "pw", {"length": 16}),
        res("tls:index/privateKey:PrivateKey", "key", {"algorithm": "RSA"}),
        res("command:local:Command", "cmd", {"create": "echo hi"}),
        res("time:index/sleep:Sleep", "wait", {"createDuration": "30s"}),
        res("cloudflare:index/record:Record", "dns", {}),
    )
    assert sorted(f.resource for f in result.free) == ["cmd", "key", "pw", "wait"]
    assert [u.resource for u in result.unsupported] == ["dns"]
    assert all("no charge" in f.reason for f in result.free)
