"""`infra plan`: the resources a stack would create, computed offline (no Pulumi CLI, no cloud account)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from aiinfra.cli.errors import FAILED, fail, warn
from aiinfra.cli.options import Format, FormatOpt, StackOpt
from rich.console import Console
from rich.tree import Tree

if TYPE_CHECKING:
    from pathlib import Path

    from aiinfra.engine.graph import PlannedResource, ResourceGraph
    from aiinfra.spec.models import StackSpec

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
    graph = plan_stack(stack)
    for message in graph.warnings:
        warn(message)
    if format is Format.json:
        typer.echo(json.dumps(graph.to_json(), indent=2))
    else:
        Console(soft_wrap=False).print(render_tree(graph))


def plan_stack(stack: str) -> ResourceGraph:
    """Validate the stack file (exit 2 on bad input), then plan it offline (exit 1 if the program fails)."""
    return plan_stack_spec(stack)[0]


def plan_stack_spec(stack: str) -> tuple[ResourceGraph, StackSpec, Path]:
    """`plan_stack`, also returning the validated spec and the stack file's path, read and parsed once."""
    from aiinfra.spec import SpecError
    from aiinfra.spec.loader import read_stack_config, spec_from_config, stack_file, stack_name

    path = stack_file(stack)
    try:
        config = read_stack_config(path)
        spec = spec_from_config(config, source=str(path))
    except SpecError as e:
        fail(e.render())
    from aiinfra.spec.sanity import sanity_issues

    for message in sanity_issues(spec)[1]:  # the spec's warnings, for plan, estimate, check and up
        warn(message)

    from aiinfra.components.stack import run_program
    from aiinfra.engine.plan import plan_program

    try:
        return plan_program(run_program, stack=stack_name(path), config=config), spec, path
    except Exception as e:  # the program failed: report it as such, not as a crash of this tool
        fail(f"the program failed under the offline plan: {_root_cause(e)}", code=FAILED)


def _root_cause(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error).splitlines()[0] if str(error) else type(error).__name__


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
