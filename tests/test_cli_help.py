"""Every command's --help renders its help text as written: typer reads help as rich markup, where a
bracketed word such as `[secret]` is a style tag and would vanish."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from aiinfra.cli.main import app

runner = CliRunner(env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
BOX = re.compile(r"[│╭╮╰╯─┃┏┓┗┛━]")


def commands(
    command: click.Command, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        out.extend(commands(sub, (*path, name)))
    return out


def flat(text: str) -> str:
    return " ".join(BOX.sub(" ", text).split())


ALL = commands(typer.main.get_command(app))


@pytest.mark.parametrize(("path", "command"), ALL, ids=[" ".join(p) or "infra" for p, _ in ALL])
def test_every_command_help_shows_its_help_text_and_every_option_help_literally(
    path: tuple[str, ...], command: click.Command
) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    shown = flat(result.output)
    texts = [command.help or ""] + [p.help or "" for p in command.params if isinstance(p, click.Option)]
    for text in texts:
        literal = flat(text.replace("\\[", "["))  # the markup escape is not part of the text
        assert literal in shown, f"`infra {' '.join(path)} --help` lost part of: {literal!r}"


def test_the_outputs_help_names_the_secret_marker() -> None:
    result = runner.invoke(app, ["outputs", "--help"])
    assert "secrets shown as [secret]" in result.output, "[secret] is text, not a rich style tag"


def test_every_command_is_checked() -> None:
    names = {" ".join(p) for p, _ in ALL}
    assert {"estimate", "outputs", "plan", "catalog gpus"} <= names, names
