"""A program's environment whose `pulumi` is installed but fails on import (found in public programs pinned
to SDK 2.x: `six` not installed; protobuf 4 refusing the SDK's generated code) is told as that, with the
SDK's version, the missing module or the error's own words, and what to install or pin: not "has no
`pulumi` package", and no traceback. The environments are bare uv virtualenvs with a stand-in `pulumi`
distribution written by the test (no package index needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.engine.program import ProgramError, ProgramFailed, plan_directory
from tests.test_engine_program_env import PROGRAM, make_venv, write


def broken_sdk(venv: Path, init: str, extra: dict[str, str] | None = None) -> Path:
    """Install a stand-in `pulumi` 2.5.0 (dist-info and all) whose __init__ runs `init`, and `extra`
    files (path under site-packages → text)."""
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    (site / "pulumi").mkdir()
    (site / "pulumi" / "__init__.py").write_text(init)
    info = site / "pulumi-2.5.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pulumi\nVersion: 2.5.0\n")
    (info / "RECORD").write_text("")
    for path, text in (extra or {}).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
    return venv


def test_an_sdk_missing_one_of_its_own_dependencies_names_it_and_the_install(tmp_path: Path) -> None:
    venv = broken_sdk(make_venv(tmp_path / "env"), "import six\n")
    with pytest.raises(ProgramError) as caught:
        plan_directory(write(tmp_path / "p", PROGRAM, venv), stack="dev")
    error = caught.value
    assert not isinstance(error, ProgramFailed), "the environment, not the program: bad input (exit 2)"
    assert "has no `pulumi` package" not in error.message
    assert error.message == (
        f"the pulumi 2.5.0 in the program's environment {venv}/bin/python cannot be imported: it needs "
        "the module six, which is not installed there."
    )
    assert f"`uv pip install --python {venv}/bin/python six`" in error.fix, "uv made it, without pip"


def test_an_sdk_that_an_incompatible_package_breaks_says_which_and_its_words(tmp_path: Path) -> None:
    words = "Descriptors cannot be created directly.\\n 1. Downgrade the protobuf package to 3.20.x or lower."
    venv = broken_sdk(
        make_venv(tmp_path / "env"),
        "from google.protobuf import descriptor\ndescriptor.check()\n",
        {
            "google/protobuf/__init__.py": "",
            "google/protobuf/descriptor.py": f"def check():\n    raise TypeError('{words}')\n",
            "protobuf-4.21.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: protobuf\nVersion: 4.21.0\n",
            "protobuf-4.21.0.dist-info/top_level.txt": "google\n",
        },
    )
    directory = write(tmp_path / "p", PROGRAM, venv)
    with pytest.raises(ProgramError) as caught:
        plan_directory(directory, stack="dev")
    error = caught.value
    assert error.message.startswith(
        f"the pulumi 2.5.0 in the program's environment {venv}/bin/python fails on import (raised in "
        "protobuf 4.21.0)"
        ": TypeError: Descriptors cannot be created directly. 1. Downgrade the protobuf package to 3.20.x"
    ), error.message
    assert f"`uv pip install --python {venv}/bin/python 'protobuf<3.21'`" in error.fix, (
        "pulumi 2 wants protobuf 3"
    )
    assert "pulumi>=3,<4" in error.fix, "or the way forward: pulumi 3"
    result = CliRunner().invoke(app, ["estimate", "--program", str(directory), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "fails on import" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_missing_pulumi_itself_is_still_told_as_no_pulumi_package(tmp_path: Path) -> None:
    venv = make_venv(tmp_path / "env")
    with pytest.raises(ProgramError, match="has no `pulumi` package"):
        plan_directory(write(tmp_path / "p", PROGRAM, venv), stack="dev")


def test_an_sdk_too_old_for_the_mocks_is_told_as_that_not_as_the_programs_failure(tmp_path: Path) -> None:
    """pulumi 2.x imports, but its runtime has no MockCallArgs (what the recording mocks build on)."""
    venv = broken_sdk(
        make_venv(tmp_path / "env"),
        "",
        {
            "pulumi/runtime/__init__.py": "",
            "pulumi/runtime/mocks.py": "",
            "pulumi/output.py": "class Unknown: ...\n",
        },
    )
    with pytest.raises(ProgramError) as caught:
        plan_directory(write(tmp_path / "p", PROGRAM, venv), stack="dev")
    error = caught.value
    assert not isinstance(error, ProgramFailed)
    assert error.message.startswith(f"the pulumi SDK in {venv}/bin/python is too old for the offline plan: ")
    assert "(pulumi 2.5.0)" in error.message and "fails the same way" not in error.message
    assert (
        error.fix
        == f"Upgrade it in the program's environment (`uv pip install --python {venv}/bin/python -U 'pulumi>=3'`)."
    )
