"""`infra`: the command-line entry point. This module only composes commands; each lives in its own
module. Cloud SDKs are imported inside commands, never here, so `infra --help` stays fast."""

from __future__ import annotations

import typer
from aiinfra.cli.plan import plan
from aiinfra.cli.schema import schema

app = typer.Typer(
    name="infra",
    help="AI infrastructure from one stack spec: plan GPU clusters, interconnect and storage offline, "
    "then deploy them with Pulumi.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _help(doc: str | None) -> str:
    return " ".join((doc or "").split())


app.command(help=_help(plan.__doc__))(plan)
app.command(help=_help(schema.__doc__))(schema)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
