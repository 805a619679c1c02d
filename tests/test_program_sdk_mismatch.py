"""A program that names what its installed packages do not have (pulumi/examples azure-py-aks-helm pins
pulumi-azuread 6.9, whose Application has `client_id`, and reads `application_id`) fails the same way in
a preview: the message says so and what to do (fix the line or pin the releases it was written for), not
that the offline plan's unknown outputs are to blame. An error about a missing value keeps the preview
explanation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aiinfra.engine.program import ProgramFailed, plan_directory

SDK_LINE = "pin the releases it was written for"
PREVIEW_LINE = "outputs known only after create are unknown"


def program(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: mismatch\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(body))
    return directory


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (
            """\
            class Application:
                client_id = "renamed"
            Application().application_id
            """,
            "AttributeError: 'Application' object has no attribute 'application_id'.",
        ),
        ("import pulumi\npulumi.Config(project_name='x')\n", "unexpected keyword argument 'project_name'"),
        ("from pulumi import NoSuchThing\n", "cannot import name 'NoSuchThing'"),
        ("import pulumi\npulumi.no_such_function()\n", "module 'pulumi' has no attribute 'no_such_function'"),
    ],
)
def test_a_name_the_installed_sdk_lacks_is_the_programs_own_error(
    tmp_path: Path, body: str, shown: str
) -> None:
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(program(tmp_path / "p", body), stack="dev")
    assert shown in caught.value.message
    assert SDK_LINE in caught.value.fix and "fails the same way in a preview" in caught.value.fix
    assert PREVIEW_LINE not in caught.value.fix
    for command in ("pulumi config", "pulumi preview", "pulumi up", "pulumi install", "pulumi stack"):
        assert command not in caught.value.fix.lower(), "no Pulumi command to run"


@pytest.mark.parametrize(
    "body",
    ["value = None\nvalue.id\n", "'text'.missing\n", "raise AttributeError('something else')\n"],
)
def test_an_error_about_a_value_keeps_the_preview_explanation(tmp_path: Path, body: str) -> None:
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(program(tmp_path / "p", body), stack="dev")
    assert PREVIEW_LINE in caught.value.fix and SDK_LINE not in caught.value.fix


def test_a_program_run_with_this_tools_packages_is_told_its_requirements_may_want_others(
    tmp_path: Path,
) -> None:
    """3rfantaheri/eks-py pins pulumi-aws<4, names no virtualenv, and its pins do not build on Python 3.11:
    run with this tool's pulumi-aws 7, it fails on an argument whose shape changed since."""
    body = "raise TypeError(\"Unexpected type. Expected 'list' got 'ClusterEncryptionConfigArgs'\")\n"
    directory = program(tmp_path / "p", body)
    (directory / "requirements.txt").write_text("pulumi>=2,<3\npulumi-aws>=3.2,<4\n")
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert "It ran with this tool's own Python packages" in caught.value.fix
    assert "runtime: {name: python, options: {virtualenv: venv}}" in caught.value.fix
    with pytest.raises(ProgramFailed) as bare:
        plan_directory(program(tmp_path / "q", body), stack="dev")
    assert "this tool's own Python packages" not in bare.value.fix, "no requirements.txt: nothing to say"


def test_code_that_does_not_parse_is_the_programs_own_error(tmp_path: Path) -> None:
    """davidfox87/pulumi-mlflow-aws-ecs-fargate infra/airflow: an unterminated string in a module it imports."""
    directory = program(tmp_path / "p", "import helper\n")
    (directory / "helper.py").write_text("x = 'unterminated\n")
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert "SyntaxError: unterminated string literal" in caught.value.message
    assert (
        caught.value.fix
        == "The program's own code does not parse, so it fails the same way in a preview: fix that line."
    )
