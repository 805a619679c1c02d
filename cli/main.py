"""`infra`: the command-line entry point. This module only composes commands; each lives in its own
module. Cloud SDKs are imported inside commands, never here, so `infra --help` stays fast."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import typer
from typer.core import TyperGroup

from aiinfra.cli import deploy
from aiinfra.cli.advise import advise
from aiinfra.cli.catalog import app as catalog_app
from aiinfra.cli.check import check
from aiinfra.cli.errors import fail, reports_errors
from aiinfra.cli.estimate import estimate
from aiinfra.cli.options import one_paragraph
from aiinfra.cli.plan import plan
from aiinfra.cli.schema import schema


class _Group(TyperGroup):
    """The last net under every command: an input the guard refused (`aiinfra.guard.InputError`, e.g. a
    catalog directory that does not exist) is bad input, exit 2 with its message and fix, wherever it
    surfaces; never a traceback.

    Help renders as written: typer reads help text as rich markup, where `[secret]` is a style tag and
    vanishes. Every command's and option's help under this group is escaped once, here, so no help string
    needs to know about markup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _escape_help(self)

    def invoke(self, ctx: Any) -> Any:
        from aiinfra.guard import InputError

        try:
            return super().invoke(ctx)
        except InputError as e:
            fail(f"{e.message} {e.fix}".strip())


def _escape_help(command: click.Command | TyperGroup) -> None:
    from rich.markup import escape

    if command.help:
        command.help = escape(command.help)
    if command.short_help:
        command.short_help = escape(command.short_help)
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = escape(param.help)
    for sub in getattr(command, "commands", {}).values():
        _escape_help(sub)


app = typer.Typer(
    cls=_Group,
    name="infra",
    help="AI infrastructure from one stack spec: plan GPU clusters, interconnect and storage offline, "
    "then deploy them with Pulumi.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


COMMANDS: list[Callable[..., None]] = [plan, schema, estimate, check, advise]
DEPLOY_COMMANDS: list[Callable[..., None]] = [
    deploy.preview,
    deploy.up,
    deploy.destroy,
    deploy.refresh,
    deploy.outputs,
    deploy.stacks,
]
for command in COMMANDS:
    app.command(help=one_paragraph(command.__doc__))(reports_errors(command))
app.add_typer(catalog_app)
for command in DEPLOY_COMMANDS:
    app.command(help=one_paragraph(command.__doc__))(reports_errors(command))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
