"""How the CLI ends: results on stdout, diagnostics on stderr, exit codes as DESIGN.md rule 16
(0 ok, 1 a check or the program failed, 2 bad input). Never a traceback for bad input.

Services raise typed errors (`aiinfra.engine.errors`); `reports_errors`, wrapped around every command in
cli/main.py, is the one place that turns them into a message and an exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from aiinfra.engine.errors import BadInput, ProgramFailed

BAD_INPUT = 2
FAILED = 1

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    stderr.print(Text.assemble(("error: ", "bold red"), message))
    raise typer.Exit(code)


def warn(message: str) -> None:
    stderr.print(Text.assemble(("warning: ", "yellow"), message))


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """A command whose BadInput ends in exit 2 and ProgramFailed in exit 1, each as one `error:` line."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except BadInput as e:
            fail(str(e), code=BAD_INPUT)
        except ProgramFailed as e:
            fail(str(e), code=FAILED)

    return run
