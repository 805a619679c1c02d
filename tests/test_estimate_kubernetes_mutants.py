"""What a user reads on the estimate for Kubernetes objects the cloud bills outside the graph
(estimate/rules/kubernetes.py): the unit of an unpriced load balancer or claim line, the reason a bound claim
is free, and a claim that requests no size. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import Line

STACK = "urn:pulumi:test::aiinfra"
SERVICE = "kubernetes:core/v1:Service"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"


def res(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
    return PlannedResource(
        type=type_, name=name, urn=f"{STACK}::{type_}::{name}", parent=None, inputs=inputs, custom=True
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(stack="test", project="p", resources=list(resources), config={})
    return estimate(graph, default_catalog())


def only_line(result: Estimate, resource: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == resource]
    assert len(found) == 1, f"one line for {resource}, got {len(found)}"
    return found[0]


def test_a_load_balancer_line_is_counted_in_hours_and_has_no_cost() -> None:
    result = run(res(SERVICE, "web", {"spec": {"type": "LoadBalancer"}}))
    lb = only_line(result, "web")
    assert lb.unit == "hours"
    assert lb.description == "load balancer for Service web"
    assert lb.monthly_cost_usd is None and lb.unit_price_usd is None


def test_a_provisioned_claim_line_is_counted_in_gib_months() -> None:
    result = run(res(CLAIM, "data", {"spec": {"resources": {"requests": {"storage": "1Ti"}}}}))
    volume = only_line(result, "data")
    assert volume.unit == "GiB-month"
    assert volume.description == "volume for claim data (1Ti)"
    assert volume.monthly_cost_usd is None


def test_a_claim_without_a_requested_size_says_the_size_is_unknown() -> None:
    result = run(res(CLAIM, "nosize", {"spec": {"storageClassName": "standard"}}))
    assert only_line(result, "nosize").description == "volume for claim nosize (?)"


def test_a_claim_bound_to_a_named_volume_is_free_because_the_volume_is_priced() -> None:
    result = run(res(CLAIM, "bound", {"spec": {"volumeName": "pv-7"}}))
    assert [(f.resource, f.reason) for f in result.free] == [
        (
            "bound",
            "PersistentVolumeClaim bound to a pre-provisioned volume: the volume's storage is priced",
        )
    ]
    assert result.lines == [] and result.unpriced == []
