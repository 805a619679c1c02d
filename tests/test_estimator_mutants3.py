"""estimate/estimator.py after `not_estimated` (a type a rule module recognises but cannot estimate), third
measured run: such a resource is listed with the unsupported ones under its module's reason, not the
generic "no estimate rule", and the resources after it are still estimated.
Written to kill the mutant bench/mutation.py could not settle within its time limit (its only killing
tests were the Azure classic ones, past the limit on the loaded machine)."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate


def res(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def test_an_arm_template_deployment_is_unsupported_with_its_own_reason_and_the_next_resource_still_read() -> (
    None
):
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[
            res(
                "azure-native:resources:Deployment",
                "linked",
                properties={"templateLink": {"uri": "https://x"}},
            ),
            res("azure-native:made:Up", "after"),
        ],
        config={"azure-native:location": "eastus"},
    )
    result = estimate(graph, default_catalog())
    assert [(s.resource, s.reason) for s in result.unsupported] == [
        (
            "linked",
            "the resources it creates are declared inside an ARM template, which this estimate does not expand, "
            "so they are not estimated; to price them, estimate a state export of the deployed stack instead "
            "(given with `infra estimate --from`), or declare them as Pulumi resources",
        ),
        ("after", "no estimate rule for this resource type"),
    ]
    assert result.lines == [] and result.free == []
