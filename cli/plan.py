"""`infra plan`: the resources a stack would create, computed offline (no Pulumi CLI, no cloud account)."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from aiinfra.cli.errors import warn
from aiinfra.cli.options import Format, FormatOpt, StackOpt


def plan(stack: StackOpt, format: FormatOpt = Format.table) -> None:
    """Show the resources STACK would create, offline: the Pulumi program of this project runs under
    recording mocks, as `pulumi preview` would run it (what is only known after create stays unknown), but
    nothing is sent anywhere."""
    from aiinfra.services.stack import plan_stack

    graph = plan_stack(stack)
    for message in graph.warnings:
        warn(message)
    if format is Format.json:
        typer.echo(json.dumps(graph.to_json(), indent=2))
    else:
        from aiinfra.cli.tree import render_tree

        Console(soft_wrap=False).print(render_tree(graph))
