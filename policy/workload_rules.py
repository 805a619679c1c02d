"""Graph rules for a cluster a workload can use: an autoscaled pool has an autoscaler to scale it, and a
file system can be reached from a node pool. Plain functions `(graph, options) -> list[Violation]`; like
every rule they report nothing they cannot tell (an unknown value)."""

from __future__ import annotations

from typing import Any

from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.policy.model import CheckOptions, Violation
from aiinfra.policy.rules import (
    FSX_FILE_SYSTEMS,
    INGRESS_RULE,
    LAUNCH_TEMPLATE,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
)
from aiinfra.policy.values import dig, is_unknown, items, number

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
HELM_RELEASES = (
    "kubernetes:helm.sh/v3:Release",
    "kubernetes:helm.sh/v4:Chart",
    "kubernetes:helm.sh/v3:Chart",
)
AUTOSCALER_CHARTS = ("cluster-autoscaler", "karpenter")
LUSTRE_PORT = 988
"""FSx for Lustre clients mount on TCP 988 (FSx Lustre user guide, "File system access control with VPC")."""


def _autoscaler_installed(graph: ResourceGraph) -> bool:
    for r in graph.resources:
        chart = r.inputs.get("chart")
        if r.type in HELM_RELEASES and isinstance(chart, str) and any(c in chart for c in AUTOSCALER_CHARTS):
            return True
    return False


def pool_autoscaler(graph: ResourceGraph, _options: CheckOptions) -> list[Violation]:
    """A node group that may grow (minSize < maxSize) needs something that grows it: EKS managed node
    groups do not scale themselves, so without Cluster Autoscaler or Karpenter pending pods wait forever
    and the pool stays at its desired size."""
    if _autoscaler_installed(graph):
        return []
    out = []
    for r in graph.resources:
        if r.type != NODE_GROUP:
            continue
        lo, hi = (
            number(dig(r.inputs, "scalingConfig", "minSize")),
            number(dig(r.inputs, "scalingConfig", "maxSize")),
        )
        if lo is None or hi is None or lo == hi:
            continue
        out.append(
            Violation(
                "pool-autoscaler",
                "medium",
                r.name,
                r.type,
                f"Node group {r.name} may scale from {lo} to {hi} nodes, but nothing installs an autoscaler: "
                "it stays at its desired size.",
                "Install Cluster Autoscaler (aiinfra's clusters do when a pool sets minNodes/maxNodes) with "
                "node-group auto-discovery, or set minSize equal to maxSize.",
                None,
                r.urn,
            )
        )
    return out


def _known(values: list[Any]) -> list[str] | None:
    """The strings of `values`, or None when any is unknown."""
    if any(is_unknown(v) for v in values):
        return None
    return [v for v in values if isinstance(v, str)]


def _node_groups_security_groups(graph: ResourceGraph) -> tuple[set[str], bool]:
    """(security groups the node groups' launch templates put on nodes, whether every node group's
    groups are known). A node group with no launch template, or one that lists none, gets the cluster's
    security group, whose ID a plan does not show: it is counted as unknown."""
    templates = {r.name: r for r in graph.resources if r.type == LAUNCH_TEMPLATE}
    by_id = {
        i: t for t in templates.values() for i in (t.name, f"{t.name}-id", t.id, t.inputs.get("id")) if i
    }
    groups: set[str] = set()
    all_known = True
    for ng in (r for r in graph.resources if r.type == NODE_GROUP):
        lt = by_id.get(dig(ng.inputs, "launchTemplate", "id"))
        if lt is None:
            all_known = False
            continue
        listed = items(lt.inputs.get("vpcSecurityGroupIds")) + [
            sg
            for nic in items(lt.inputs.get("networkInterfaces"))
            for sg in items(dig(nic, "securityGroups"))
        ]
        known = _known(listed)
        if not known:
            all_known = False
            continue
        groups.update(known)
    return groups, all_known


def _covers(r: PlannedResource | dict[str, Any], port: int) -> bool | None:
    inputs = r.inputs if isinstance(r, PlannedResource) else r
    protocol = inputs.get("ipProtocol", inputs.get("protocol"))
    if is_unknown(protocol):
        return None
    if str(protocol) in ("-1", "all"):
        return True
    low, high = number(inputs.get("fromPort")), number(inputs.get("toPort"))
    if low is None or high is None:
        return None
    return str(protocol).lower() in ("tcp", "6") and low <= port <= high


def _sources_of(fs_groups: set[str], graph: ResourceGraph) -> tuple[set[str], bool]:
    """(security groups and CIDRs allowed into `fs_groups` on the Lustre port, whether all were known)."""
    sources: set[str] = set()
    known = True
    rules: list[tuple[Any, dict[str, Any]]] = []
    for r in graph.resources:
        if r.type == INGRESS_RULE or (r.type == SECURITY_GROUP_RULE and r.inputs.get("type") == "ingress"):
            rules.append((r.inputs.get("securityGroupId"), r.inputs))
        elif r.type == SECURITY_GROUP:
            ids = {r.name, f"{r.name}-id", *([r.id] if r.id else [])}
            rules += [(next(iter(ids & fs_groups), None), i) for i in items(r.inputs.get("ingress"))]
    for target, inputs in rules:
        if is_unknown(target):
            known = False
            continue
        if target not in fs_groups:
            continue
        covers = _covers(inputs, LUSTRE_PORT)
        if covers is None:
            known = False
        elif covers:
            refs = [inputs.get("referencedSecurityGroupId"), inputs.get("sourceSecurityGroupId")]
            refs += items(inputs.get("securityGroups"))
            cidrs = [inputs.get("cidrIpv4"), *items(inputs.get("cidrBlocks"))]
            if any(is_unknown(v) for v in refs):
                known = False
            sources.update(v for v in refs if isinstance(v, str) and not is_unknown(v))
            if any(isinstance(c, str) and c for c in cidrs):
                sources.add("cidr")
    return sources, known


def storage_reachable(graph: ResourceGraph, _options: CheckOptions) -> list[Violation]:
    """An FSx file system in a graph with node pools admits at least one pool's nodes on the Lustre port:
    a file system no node can mount holds data no job can read. S3 is reached through its API (the role
    decides), so only file systems are checked. A CIDR rule counts as reaching (addresses are not
    matched to subnets)."""
    node_groups, all_known = _node_groups_security_groups(graph)
    if not node_groups or not all_known:
        return []
    out = []
    for fs in (r for r in graph.resources if r.type in FSX_FILE_SYSTEMS):
        fs_groups = _known(items(fs.inputs.get("securityGroupIds")))
        if not fs_groups:
            continue
        sources, known = _sources_of(set(fs_groups), graph)
        if not known or "cidr" in sources or sources & node_groups:
            continue
        out.append(
            Violation(
                "storage-reachable",
                "high",
                fs.name,
                fs.type,
                f"No node pool can mount file system {fs.name}: its security groups admit none of the node "
                f"groups' security groups on TCP {LUSTRE_PORT}.",
                f"Allow TCP {LUSTRE_PORT} (and 1018-1023) into the file system's security group from the node "
                "groups' security group (aiinfra's LustreFileSystem admits the EKS cluster security group).",
                None,
                fs.urn,
            )
        )
    return out
