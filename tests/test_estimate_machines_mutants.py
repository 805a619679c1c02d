"""Which machines a graph runs (estimate/machines.py's known_machines, what the carbon policy rule reads):
components, resources no extractor knows and resources with unusable counts are passed over, and every
resource after them is still seen. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.context import Context
from aiinfra.estimate.machines import known_machines
from aiinfra.estimate.usage import PROFILES

CATALOG = default_catalog()
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def res(type_: str, name: str, *, custom: bool = True, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=custom,
    )


def group(name: str, desired: Any, *, custom: bool = True) -> PlannedResource:
    return res(
        NODE_GROUP,
        name,
        custom=custom,
        instanceTypes=["g5.xlarge"],
        scalingConfig={"minSize": 1, "desiredSize": desired, "maxSize": 3},
    )


GRAPH = ResourceGraph(
    stack="t",
    project="p",
    resources=[
        group("component-shaped", 2, custom=False),
        res("aws:ec2/securityGroup:SecurityGroup", "sg"),
        group("bad", -1),
        group("first", 2),
        res("aws:ec2/vpc:Vpc", "vpc"),
        group("last", 1),
    ],
    config={"aws:region": "us-east-1"},
)


def test_known_machines_pass_over_components_unknown_types_and_bad_counts_and_go_on() -> None:
    ctx = Context(CATALOG, GRAPH, PROFILES["training-steady"])
    seen = [(m.resource.name, m.types, m.lo, m.desired, m.hi, m.what) for m in known_machines(GRAPH, ctx)]
    assert seen == [
        ("first", ("g5.xlarge",), 1, 2, 3, "node"),
        ("last", ("g5.xlarge",), 1, 1, 3, "node"),
    ]


def test_a_node_group_is_billed_in_node_hours() -> None:
    result = estimate(
        ResourceGraph(stack="t", project="p", resources=[group("g", 2)], config={"aws:region": "us-east-1"}),
        CATALOG,
    )
    assert [ln.unit for ln in result.lines if "root volume" not in ln.description] == ["node-hours"]
