"""Resources that are free, or billed only by what they make the cloud do: Kubernetes objects (a LoadBalancer
Service or a dynamically provisioned claim is unpriced with the reason, so a total with them reads "≥"; the
rest are free), engine-side packages (random, tls, command, time: free, not unsupported), and the AWS edge
plumbing (a zone-group opt-in is free, a carrier gateway's traffic unpriced)."""

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


def test_an_edge_zone_opt_in_is_free_and_a_carrier_gateway_is_unpriced_traffic() -> None:
    result = run(
        res(
            "aws:ec2/availabilityZoneGroup:AvailabilityZoneGroup", "opt-in", {"groupName": "us-west-2-lax-1"}
        ),
        res("aws:ec2/carrierGateway:CarrierGateway", "cgw", {"vpcId": "vpc-1"}),
    )
    assert [f.resource for f in result.free] == ["opt-in"] and "no charge for opting in" in result.free[
        0
    ].reason
    (line,) = result.lines
    assert (line.resource, line.unit, line.monthly_cost_usd) == ("cgw", "GB", None)
    assert "billed per GB" in line.reason and result.unsupported == []
