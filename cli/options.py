"""Options shared by several commands, as Annotated aliases (typer's recommended style)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    json = "json"


StackOpt = Annotated[
    str,
    typer.Option(
        "--stack",
        "-s",
        help="A stack name (stacks/Pulumi.NAME.yaml) or a path to a stack file.",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def one_paragraph(doc: str | None) -> str:
    """A docstring as one paragraph for --help (rich keeps the source's line breaks otherwise)."""
    return " ".join((doc or "").split())


PriceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--price",
        help="Your USD per hour for a machine type the catalog does not price (here or at all), e.g. "
        "--price t2.micro=0.0116; repeatable. A catalog price is never overridden.",
        show_default=False,
    ),
]
"""`--price TYPE=USD_PER_HOUR`, shared by `infra estimate` and `infra check`."""

NoBudgetOpt = Annotated[
    bool,
    typer.Option(
        "--no-budget",
        help="Ignore the stack's aiinfra:budget (only --max-monthly-* and --fail-on-incomplete gate).",
    ),
]
"""`--no-budget`, shared by `infra estimate` and `infra check`."""


ConfigOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--config",
        "-c",
        help="With --program: a config value the program reads, KEY=VALUE (e.g. -c aws:region=us-west-2; "
        "a key without a namespace is the program's own); repeatable; wins over its stack file.",
        show_default=False,
    ),
]
"""`--config KEY=VALUE` for `infra estimate --program` (as `pulumi preview --config` takes it)."""
