"""The workload graph rules (policy/workload_rules.py) as `infra check` reports them: `pool-autoscaler` (a
node group that may grow and nothing that grows it) and `storage-reachable` (an FSx file system no node
group can mount). The cases bench/mutation.py found untested: each Helm resource type that installs an
autoscaler, several node groups and file systems in one graph, security group rules (`SecurityGroupRule`,
inline `ingress`), all-protocol rules, CIDR sources, unknown targets and protocols, egress rules."""

from __future__ import annotations

from typing import Any

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy.model import CheckOptions
from aiinfra.policy.workload_rules import pool_autoscaler, storage_reachable

NODES = "aws:eks/nodeGroup:NodeGroup"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"
ZFS = "aws:fsx/openZfsFileSystem:OpenZfsFileSystem"
SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SCALING = {"scalingConfig": {"minSize": 0, "desiredSize": 0, "maxSize": 4}}
FIXED = {"scalingConfig": {"minSize": 2, "desiredSize": 2, "maxSize": 2}}


def res(type_: str, name: str, inputs: dict[str, Any] | None = None) -> PlannedResource:
    return PlannedResource(
        type_, name, make_urn("t", "aiinfra", type_, name), None, inputs or {}, True, False, False
    )


def graph(*resources: PlannedResource) -> ResourceGraph:
    return ResourceGraph("t", "aiinfra", list(resources), {"aws:region": "us-east-1"})


def autoscaler_findings(g: ResourceGraph) -> list[tuple[str, str, str, str]]:
    return [(v.rule_id, v.severity, v.resource, v.message) for v in pool_autoscaler(g, CheckOptions())]


def scaling(name: str, lo: int = 0, hi: int = 4) -> tuple[str, str, str, str]:
    return (
        "pool-autoscaler",
        "medium",
        name,
        f"Node group {name} may scale from {lo} to {hi} nodes, but nothing installs an autoscaler: it stays "
        "at its desired size.",
    )


# -- pool-autoscaler ----------------------------------------------------------------------------------------


def test_a_scaling_pool_with_no_autoscaler_is_reported_with_its_range() -> None:
    findings = pool_autoscaler(graph(res(NODES, "gpu", SCALING)), CheckOptions())
    assert [(v.rule_id, v.severity, v.resource, v.type, v.message) for v in findings] == [
        ("pool-autoscaler", "medium", "gpu", NODES, scaling("gpu")[3])
    ]
    assert findings[0].urn == make_urn("t", "aiinfra", NODES, "gpu")
    assert "Install Cluster Autoscaler" in findings[0].fix


def test_every_scaling_pool_is_reported_whatever_comes_before_it() -> None:
    g = graph(
        res(LT, "gpu-lt"),
        res(NODES, "fixed", FIXED),
        res(NODES, "gpu", SCALING),
        res(NODES, "cpu", {"scalingConfig": {"minSize": "1", "maxSize": "3"}}),
    )
    assert autoscaler_findings(g) == [scaling("gpu"), scaling("cpu", 1, 3)]


@pytest.mark.parametrize(
    "scaling_config",
    [{"minSize": 0, "maxSize": UNKNOWN}, {"minSize": UNKNOWN, "maxSize": 4}, {"minSize": 3, "maxSize": 3}],
)
def test_a_pool_that_cannot_grow_or_whose_range_is_unknown_is_not_reported(scaling_config: Any) -> None:
    assert autoscaler_findings(graph(res(NODES, "gpu", {"scalingConfig": scaling_config}))) == []


@pytest.mark.parametrize(
    "helm_type",
    ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart"],
)
@pytest.mark.parametrize("chart", ["cluster-autoscaler", "oci://public.ecr.aws/karpenter/karpenter"])
def test_an_autoscaler_from_any_helm_resource_type_scales_the_pools(helm_type: str, chart: str) -> None:
    g = graph(res(NODES, "gpu", SCALING), res(helm_type, "ca", {"chart": chart}))
    assert autoscaler_findings(g) == []


def test_another_chart_or_a_chart_under_another_key_is_no_autoscaler() -> None:
    helm = "kubernetes:helm.sh/v3:Release"
    g = graph(
        res(NODES, "gpu", SCALING),
        res(helm, "metrics", {"chart": "metrics-server"}),
        res(helm, "ca", {"name": "cluster-autoscaler"}),
        res("kubernetes:core/v1:ConfigMap", "cm", {"chart": "cluster-autoscaler"}),
    )
    assert autoscaler_findings(g) == [scaling("gpu")]


# -- storage-reachable -------------------------------------------------------------------------------------

POOL = [
    res(LT, "gpu-lt", {"vpcSecurityGroupIds": ["sg-nodes"]}),
    res(NODES, "gpu", {"launchTemplate": {"id": "gpu-lt-id"}}),
]
FS = res(LUSTRE, "fs", {"securityGroupIds": ["fs-sg-id"]})


def unreachable(name: str = "fs", type_: str = LUSTRE) -> tuple[str, str, str, str, str]:
    return (
        "storage-reachable",
        "high",
        name,
        type_,
        f"No node pool can mount file system {name}: its security groups admit none of the node groups' "
        "security groups on TCP 988.",
    )


def reach(*resources: PlannedResource) -> list[tuple[str, str, str, str, str]]:
    found = storage_reachable(graph(*resources), CheckOptions())
    assert found is not None
    return [(v.rule_id, v.severity, v.resource, v.type, v.message) for v in found]


def rule(name: str, **inputs: Any) -> PlannedResource:
    """A standalone VPC ingress rule into the file system's group (tcp 988 unless told)."""
    return res(
        INGRESS,
        name,
        {"securityGroupId": "fs-sg-id", "ipProtocol": "tcp", "fromPort": 988, "toPort": 988, **inputs},
    )


def test_a_file_system_open_only_to_another_group_is_reported_with_its_fix() -> None:
    found = storage_reachable(
        graph(*POOL, FS, rule("in", referencedSecurityGroupId="sg-laptops")), CheckOptions()
    )
    assert [(v.rule_id, v.severity, v.resource, v.type, v.message) for v in found] == [unreachable()]
    assert found[0].urn == FS.urn
    assert found[0].fix.startswith("Allow TCP 988 (and 1018-1023) into the file system's security group")


def test_a_file_system_open_to_the_nodes_on_the_lustre_port_passes() -> None:
    assert reach(*POOL, FS, rule("in", referencedSecurityGroupId="sg-nodes")) == []
    assert reach(*POOL, FS, rule("in", referencedSecurityGroupId="sg-nodes", fromPort=900, toPort=1000)) == []


@pytest.mark.parametrize(("low", "high"), [(989, 1000), (900, 987), (22, 22)])
def test_a_rule_beside_the_lustre_port_does_not_reach(low: int, high: int) -> None:
    assert reach(*POOL, FS, rule("in", referencedSecurityGroupId="sg-nodes", fromPort=low, toPort=high)) == [
        unreachable()
    ]


def test_nodes_whose_groups_come_from_the_launch_templates_network_interfaces() -> None:
    lt = res(LT, "gpu-lt", {"networkInterfaces": [{"securityGroups": ["sg-efa"]}]})
    ng = res(NODES, "gpu", {"launchTemplate": {"id": "gpu-lt-id"}})
    assert reach(lt, ng, FS, rule("in", referencedSecurityGroupId="sg-efa")) == []
    assert reach(lt, ng, FS, rule("in", referencedSecurityGroupId="sg-laptops")) == [unreachable()]


def test_a_node_group_whose_template_lists_no_group_makes_the_answer_unknown() -> None:
    """It gets the cluster's security group, whose ID a plan does not show: no report."""
    empty = [
        res(LT, "sys-lt", {"vpcSecurityGroupIds": []}),
        res(NODES, "sys", {"launchTemplate": {"id": "sys-lt"}}),
    ]
    assert reach(*empty, *POOL, FS, rule("in", referencedSecurityGroupId="sg-laptops")) == []
    assert reach(*POOL, *empty, FS, rule("in", referencedSecurityGroupId="sg-laptops")) == []


def test_no_node_groups_no_report() -> None:
    assert reach(FS, rule("in", referencedSecurityGroupId="sg-laptops")) == []
    assert reach(FS) == []


def test_a_security_group_rule_resource_admits_by_its_protocol_and_type() -> None:
    def sg_rule(name: str, type_: str = "ingress", **inputs: Any) -> PlannedResource:
        base = {
            "type": type_,
            "securityGroupId": "fs-sg-id",
            "protocol": "tcp",
            "fromPort": 988,
            "toPort": 988,
        }
        return res(SG_RULE, name, {**base, "sourceSecurityGroupId": "sg-nodes", **inputs})

    assert reach(*POOL, FS, sg_rule("in")) == []
    assert reach(*POOL, FS, sg_rule("out", "egress")) == [unreachable()]
    assert reach(*POOL, FS, sg_rule("udp", protocol="udp")) == [unreachable()]
    assert reach(*POOL, FS, sg_rule("tcp6", protocol="6")) == []


@pytest.mark.parametrize("protocol", ["-1", "all"])
def test_an_all_protocol_rule_admits_every_port(protocol: str) -> None:
    def any_port(source: str) -> PlannedResource:
        return rule("all", ipProtocol=protocol, fromPort=0, toPort=0, referencedSecurityGroupId=source)

    assert reach(*POOL, FS, any_port("sg-nodes")) == []
    assert reach(*POOL, FS, any_port("sg-laptops")) == [unreachable()]


def test_an_inline_ingress_block_of_the_file_systems_group_counts() -> None:
    def fs_sg(source: str) -> PlannedResource:
        ingress = [{"protocol": "tcp", "fromPort": 988, "toPort": 988, "securityGroups": [source]}]
        return res(SG, "fs-sg", {"ingress": ingress})

    assert reach(*POOL, FS, fs_sg("sg-nodes")) == []
    assert reach(*POOL, FS, fs_sg("sg-laptops")) == [unreachable()]


def test_a_cidr_source_counts_as_reaching() -> None:
    assert reach(*POOL, FS, rule("in", cidrIpv4="10.0.0.0/16")) == []
    assert reach(*POOL, FS, rule("in", cidrIpv4="")) == [unreachable()]


def test_a_rule_into_another_group_first_does_not_stop_the_search() -> None:
    other = rule("other", securityGroupId="sg-web", referencedSecurityGroupId="sg-laptops")
    assert reach(*POOL, FS, other, rule("in", referencedSecurityGroupId="sg-nodes")) == []
    assert reach(*POOL, FS, other) == [unreachable()]


@pytest.mark.parametrize(
    "unknown",
    [
        {"securityGroupId": UNKNOWN, "referencedSecurityGroupId": "sg-nodes"},
        {"ipProtocol": UNKNOWN, "referencedSecurityGroupId": "sg-laptops"},
        {"fromPort": UNKNOWN, "referencedSecurityGroupId": "sg-laptops"},
        {"referencedSecurityGroupId": UNKNOWN},
    ],
)
def test_a_rule_that_cannot_be_read_leaves_the_answer_unknown(unknown: dict[str, Any]) -> None:
    assert reach(*POOL, FS, rule("in", **unknown)) == []


def test_every_unreachable_file_system_is_reported_and_one_without_groups_is_skipped() -> None:
    reachable = rule("in", referencedSecurityGroupId="sg-nodes")
    zfs = res(ZFS, "zfs", {"securityGroupIds": ["zfs-sg-id"]})
    no_groups = res(LUSTRE, "scratch", {})
    assert reach(*POOL, no_groups, FS, reachable, zfs) == [unreachable("zfs", ZFS)]
    assert reach(*POOL, zfs, no_groups, FS) == [unreachable("zfs", ZFS), unreachable()]
