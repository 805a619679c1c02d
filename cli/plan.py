"""`infra plan`: the resources a stack would create, computed offline (no Pulumi CLI, no cloud account)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from aiinfra.cli.errors import warn
from aiinfra.cli.options import Format, FormatOpt, StackOpt
from rich.console import Console
from rich.tree import Tree

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


def plan(stack: StackOpt, format: FormatOpt = Format.table) -> None:
    """Show the resources STACK would create, offline: the Pulumi program of this project runs under
    recording mocks, exactly as `pulumi up` would run it, but nothing is sent anywhere."""
    from aiinfra.engine.stack import plan_stack

    graph = plan_stack(stack)
    for message in graph.warnings:
        warn(message)
    if format is Format.json:
        typer.echo(json.dumps(graph.to_json(), indent=2))
    else:
        Console(soft_wrap=False).print(render_tree(graph))


def render_tree(graph: ResourceGraph) -> Tree:
    custom = sum(1 for r in graph.resources if r.custom)
    root = Tree(
        f"[bold]{graph.project}-{graph.stack}[/]  {custom} resources to create, "
        f"{len(graph.resources) - custom} components  (offline plan)"
    )
    nodes: dict[str | None, Tree] = {None: root}
    for r in graph.resources:  # registration order: a parent always comes before its children
        parent = nodes.get(r.parent, root)
        nodes[r.urn] = parent.add(_label(r))
    return root


def _label(r: PlannedResource) -> str:
    from rich.markup import escape

    mark = "[green]+[/]" if r.custom else "[dim]□[/]"
    flags = "".join(
        f" [yellow]{flag}[/]"
        for flag, on in (("protected", r.protect), ("retained", r.retain_on_delete))
        if on
    )
    shown = []
    for key in KEY_INPUTS.get(r.type, ()):
        if key in r.inputs:
            shown.append(f"{key}={_compact(r.inputs[key])}")
    if r.type == "aws:ec2/launchTemplate:LaunchTemplate":
        nics = r.inputs.get("networkInterfaces") or []
        efa = sum(1 for n in nics if n.get("interfaceType") in ("efa", "efa-only"))
        shown.append(f"efaInterfaces={efa}")
        shown.append(f"httpTokens={r.inputs.get('metadataOptions', {}).get('httpTokens')}")
    detail = f"  [dim]{escape(' '.join(shown))}[/]" if shown else ""
    return f"{mark} {escape(r.type)} [bold]{escape(r.name)}[/]{flags}{detail}"


def _compact(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":")) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
