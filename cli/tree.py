"""The tree `infra plan` prints: every resource under its parent, laid out for the terminal's width.

Wide: one line a resource, `+ type name  key=value …`. When a line would not fit, every resource takes two
lines: its name (and flags) first, then its type in the short form `pkg:module:Name` and the key inputs,
dimmed, wrapping at spaces. A name or a type is never broken across lines.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from rich.tree import Tree

from aiinfra.estimate.render.layout import ByWidth

if TYPE_CHECKING:
    from aiinfra.engine.graph import PlannedResource, ResourceGraph

# The inputs worth a glance in the tree, per resource type; everything is in --format json.
KEY_INPUTS: dict[str, tuple[str, ...]] = {
    "pulumi:providers:aws": ("region",),
    "aws:ec2/vpc:Vpc": ("cidrBlock",),
    "aws:ec2/subnet:Subnet": ("cidrBlock", "availabilityZone"),
    "aws:ec2/placementGroup:PlacementGroup": ("strategy",),
    "aws:eks/cluster:Cluster": ("version",),
    "aws:eks/nodeGroup:NodeGroup": ("instanceTypes", "capacityType", "amiType", "scalingConfig"),
    "aws:eks/addon:Addon": ("addonName",),
    "aws:fsx/lustreFileSystem:LustreFileSystem": (
        "deploymentType",
        "storageCapacity",
        "perUnitStorageThroughput",
    ),
    "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": ("dataRepositoryPath", "fileSystemPath"),
    "aws:kms/key:Key": ("enableKeyRotation",),
    "aws:s3/bucketVersioning:BucketVersioning": ("versioningConfiguration",),
    "kubernetes:helm.sh/v3:Release": ("chart", "version"),
}
GUIDE = 4
"""Columns each level of the tree indents its children by (rich's guides)."""


def render_tree(graph: ResourceGraph) -> ByWidth:
    """The resources of `graph` as a tree, one line each when every line fits the width it is printed at,
    two lines each (name, then type and key inputs) when not."""
    custom = sum(1 for r in graph.resources if r.custom)
    title = Text.assemble(
        (f"{graph.project}-{graph.stack}", "bold"),
        f"  {custom} resources to create, {len(graph.resources) - custom} components  (offline plan)",
    )
    depth: dict[str | None, int] = {None: 0}
    for r in graph.resources:  # registration order: a parent always comes before its children
        depth[r.urn] = depth.get(r.parent, 0) + 1
    wide = max((depth[r.urn] * GUIDE + cell_len(_label(r).plain) for r in graph.resources), default=0)

    def pick(width: int) -> Tree:
        root = Tree(title)
        nodes: dict[str | None, Tree] = {None: root}
        for r in graph.resources:
            label = _label(r) if wide <= width else _two_lines(r)
            nodes[r.urn] = nodes.get(r.parent, root).add(label)
        return root

    return ByWidth(pick)


def _mark(r: PlannedResource) -> Text:
    return Text("+", style="green") if r.custom else Text("□", style="dim")


def _flags(r: PlannedResource) -> Text:
    flags = [flag for flag, on in (("protected", r.protect), ("retained", r.retain_on_delete)) if on]
    return Text("".join(f" {flag}" for flag in flags), style="yellow")


def _details(r: PlannedResource) -> str:
    shown = [f"{key}={_compact(r.inputs[key])}" for key in KEY_INPUTS.get(r.type, ()) if key in r.inputs]
    if r.type == "aws:ec2/launchTemplate:LaunchTemplate":
        nics = r.inputs.get("networkInterfaces") or []
        efa = sum(1 for n in nics if n.get("interfaceType") in ("efa", "efa-only"))
        shown.append(f"efaInterfaces={efa}")
        shown.append(f"httpTokens={r.inputs.get('metadataOptions', {}).get('httpTokens')}")
    return " ".join(shown)


def _label(r: PlannedResource) -> Text:
    label = Text.assemble(_mark(r), " ", r.type, " ", (r.name, "bold"), _flags(r))
    details = _details(r)
    if details:
        label.append("  " + details, style="dim")
    return label


def short_type(token: str) -> str:
    """`aws:s3/bucketVersioning:BucketVersioning` → `aws:s3:BucketVersioning`: the module without the
    member's camelCase repeat, as Pulumi's docs name types."""
    parts = token.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        return f"{parts[0]}:{parts[1].split('/')[0]}:{parts[2]}"
    return token


def _two_lines(r: PlannedResource) -> Text:
    label = Text.assemble(_mark(r), " ", (r.name, "bold"), _flags(r), "\n")
    label.append("  " + " ".join(p for p in (short_type(r.type), _details(r)) if p), style="dim")
    return label


def _compact(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":")) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
