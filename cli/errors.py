"""How the CLI ends: results on stdout, diagnostics on stderr, exit codes as DESIGN.md rule 16
(0 ok, 1 a check or the program failed, 2 bad input). Never a traceback for bad input."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text

BAD_INPUT = 2
FAILED = 1

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    stderr.print(Text.assemble(("error: ", "bold red"), message))
    raise typer.Exit(code)


def warn(message: str) -> None:
    stderr.print(Text.assemble(("warning: ", "yellow"), message))
