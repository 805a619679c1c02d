"""`infra plan`: the resources a stack would create, computed offline (no Pulumi CLI, no cloud account)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from aiinfra.cli.errors import FAILED, fail, warn
from aiinfra.cli.options import Format, FormatOpt, StackOpt
from rich.console import Console

if TYPE_CHECKING:
    from pathlib import Path

    from aiinfra.engine.graph import ResourceGraph
    from aiinfra.spec.models import StackSpec


def plan(stack: StackOpt, format: FormatOpt = Format.table) -> None:
    """Show the resources STACK would create, offline: the Pulumi program of this project runs under
    recording mocks, exactly as `pulumi up` would run it, but nothing is sent anywhere."""
    graph = plan_stack(stack)
    for message in graph.warnings:
        warn(message)
    if format is Format.json:
        typer.echo(json.dumps(graph.to_json(), indent=2))
    else:
        from aiinfra.cli.tree import render_tree

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
