"""The offline plan of whole stacks: the example stacks plan, and guardrails hold over the whole graph."""

from __future__ import annotations

import pytest

from aiinfra.components.stack import run_program
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.mocks import UnmockedInvokeError
from aiinfra.engine.plan import plan_program
from aiinfra.spec.loader import read_stack_config, stack_file, stack_name
from tests.conftest import ROOT, id_of, plan

STACKS = sorted(stack_name(p) for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


def plan_stack(name: str) -> ResourceGraph:
    return plan_program(run_program, stack=name, config=read_stack_config(stack_file(name)))


@pytest.fixture(scope="module")
def example() -> ResourceGraph:
    return plan_stack("example")


def test_example_stack_declares_one_aws_gpu_cluster_with_its_parts(example: ResourceGraph) -> None:
    components = sorted((r.type, r.name) for r in example.resources if not r.custom)
    assert components == [
        ("aiinfra:aws:ClusterNetwork", "train-net"),
        ("aiinfra:aws:EksCluster", "train"),
        ("aiinfra:aws:GpuCluster", "train"),
        ("aiinfra:aws:GpuNodePool", "train-h100"),
        ("aiinfra:aws:LustreFileSystem", "train-scratch"),
        ("aiinfra:aws:ObjectBucket", "train-datasets"),
        ("aiinfra:aws:WorkloadReady", "train-workload"),
    ]
    assert example.warnings == []


def test_every_aws_resource_uses_the_clusters_own_regional_provider(example: ResourceGraph) -> None:
    provider = example.get("pulumi:providers:aws", "train-aws")
    assert provider.inputs["region"] == "us-east-1"
    for r in example.resources:
        if r.custom and r.type.startswith("aws:"):
            assert r.provider and r.provider.startswith(provider.urn), (
                f"{r.name} must use the cluster's provider"
            )


def test_lustre_sits_in_the_gpu_pools_zone(example: ResourceGraph) -> None:
    fs = example.get("aws:fsx/lustreFileSystem:LustreFileSystem", "train-scratch-fs").inputs
    pool = example.get("aws:eks/nodeGroup:NodeGroup", "train-h100-nodes").inputs
    assert (
        pool["subnetIds"]
        == [fs["subnetIds"]]
        == [id_of(example, "aws:ec2/subnet:Subnet", "train-net-private-0")]
    )
    zone = example.get("aws:ec2/subnet:Subnet", "train-net-private-0").inputs["availabilityZone"]
    assert zone == "us-east-1a", "the spec's zone is the interconnect zone"


@pytest.mark.parametrize("name", STACKS)
def test_no_stack_opens_ingress_to_the_internet_or_allows_imdsv1(name: str) -> None:
    graph = plan_stack(name)
    assert graph.resources, f"stack {name} planned nothing"
    for r in graph.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"):
        assert r.inputs.get("cidrIpv4") != "0.0.0.0/0", f"{r.name} opens ingress to the internet"
    for r in graph.by_type("aws:ec2/securityGroup:SecurityGroup"):
        assert "ingress" not in r.inputs, f"{r.name}: rules are separate resources, reviewed one by one"
    for r in graph.by_type("aws:ec2/launchTemplate:LaunchTemplate"):
        assert r.inputs["metadataOptions"]["httpTokens"] == "required", f"{r.name} must require IMDSv2"
    for r in graph.by_type("aws:kms/key:Key"):
        assert r.inputs["enableKeyRotation"] is True, f"{r.name} must rotate"
    for type_ in ("aws:s3/bucket:Bucket", "aws:fsx/lustreFileSystem:LustreFileSystem"):
        for r in graph.by_type(type_):
            assert r.protect and r.retain_on_delete, f"{r.name} holds data and must be protected"


def test_reserved_stack_warns_about_the_capacity_block_and_skips_its_placement_group() -> None:
    graph = plan_stack("reserved")
    pgs = [r.name for r in graph.by_type("aws:ec2/placementGroup:PlacementGroup")]
    assert pgs == [], "the capacity-block pool gets none and the eval pool has no interconnect"
    assert len(graph.warnings) == 1 and "research-h200" in graph.warnings[0]
    vpc = graph.get("aws:eks/cluster:Cluster", "research-eks").inputs["vpcConfig"]
    assert vpc["publicAccessCidrs"] == ["203.0.113.0/24"]
    assert len(graph.by_type("aws:ec2/natGateway:NatGateway")) == 3, "natGateways: per-zone"


def test_plans_are_ordered_the_same_way_every_time() -> None:
    first = [r.urn for r in plan_stack("example").resources]
    second = [r.urn for r in plan_stack("example").resources]
    assert first == second


def test_an_unmocked_invoke_is_an_error_that_names_it() -> None:
    import pulumi

    with pytest.raises(Exception) as caught:
        plan(lambda: pulumi.runtime.invoke("aws:ec2/getNoSuchThing:getNoSuchThing", {}) and None)
    assert isinstance(caught.value, UnmockedInvokeError), "the program fails with the mocks' own error"
    assert "aws:ec2/getNoSuchThing:getNoSuchThing" in str(caught.value), "the error names the invoke"


def test_skipping_source_positions_changes_nothing_in_the_graph_and_is_undone_after_the_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import contextlib

    from pulumi.runtime import resource as runtime_resource

    from aiinfra.engine import plan as plan_module

    hook = runtime_resource._get_stack_trace
    fast = plan_stack("example")
    assert runtime_resource._get_stack_trace is hook, "the SDK's hook is restored once the plan ends"
    monkeypatch.setattr(plan_module, "_without_source_positions", contextlib.nullcontext)
    slow = plan_stack("example")
    assert [r.to_json() for r in fast.resources] == [r.to_json() for r in slow.resources]
