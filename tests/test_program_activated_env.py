"""A program whose Pulumi.yaml names no virtualenv (`runtime: python`, as pulumi/pulumi-eks's Python
examples are written) runs, under Pulumi, with `PULUMI_PYTHON_CMD` or the `python3` on PATH. A user who
made the program's virtualenv and activated it, then ran this tool as installed, has that environment's
python3 first on PATH: the program is planned in it, with the packages only it has. This tool's own
python3, or one that is no virtualenv, keeps the program in this process."""

from __future__ import annotations

import importlib.metadata
import os
import sys
from pathlib import Path

import pytest

from aiinfra.engine.program import ProgramFailed, plan_directory
from tests.test_engine_program_env import PROGRAM, add_local_package, make_venv, write


@pytest.fixture(scope="module")
def program_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = make_venv(
        tmp_path_factory.mktemp("env") / "venv", f"pulumi=={importlib.metadata.version('pulumi')}"
    )
    add_local_package(venv)
    return venv


def bare_program(directory: Path) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: bare\nruntime: python\n")
    (directory / "__main__.py").write_text(PROGRAM)
    return directory


def test_an_activated_virtualenv_runs_the_program_with_its_packages(
    program_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = bare_program(tmp_path / "p")
    monkeypatch.delenv("PULUMI_PYTHON_CMD", raising=False)
    monkeypatch.setenv("VIRTUAL_ENV", str(program_env))
    monkeypatch.setenv("PATH", os.pathsep.join([str(program_env / "bin"), os.environ["PATH"]]))
    graph = plan_directory(directory, stack="dev", config={"aws:region": "us-east-1"})
    (instance,) = graph.resources
    assert (instance.type, instance.name, instance.inputs["instanceType"]) == (
        "aws:ec2/instance:Instance",
        "trainer",
        "p5.48xlarge",
    )


def test_pulumi_python_cmd_names_the_python_as_pulumi_reads_it(
    program_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = bare_program(tmp_path / "p")
    monkeypatch.setenv("PULUMI_PYTHON_CMD", str(program_env / "bin" / "python"))
    graph = plan_directory(directory, stack="dev")
    assert [r.name for r in graph.resources] == ["trainer"]


def test_this_tools_own_python_or_a_system_python_keeps_the_program_here(
    program_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = bare_program(tmp_path / "p")
    monkeypatch.delenv("PULUMI_PYTHON_CMD", raising=False)
    own_bin = Path(sys.prefix) / "bin"  # this tool's own virtualenv
    assert (own_bin / "python3").exists()
    system = tmp_path / "system" / "bin"  # a python3 with no pyvenv.cfg above it: not a virtualenv
    system.mkdir(parents=True)
    (system / "python3").symlink_to(program_env / "bin" / "python3")
    for first in (own_bin, system):
        monkeypatch.setenv("PATH", os.pathsep.join([str(first), os.environ["PATH"]]))
        with pytest.raises(ProgramFailed, match="No module named 'onlyhere'"):
            plan_directory(directory, stack="dev")


def test_a_module_the_programs_own_environment_lacks_is_the_programs_own_error(
    program_env: Path, tmp_path: Path
) -> None:
    """pulumi/pulumi-eks examples/aws-profile-role-py imports pulumi_eks, which its requirements do not
    install: it fails the same way in a preview, and the fix is in its environment, not this tool's."""
    directory = write(tmp_path / "p", "import pulumi\nimport pulumi_missing_sdk.nested\n", program_env)
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert "No module named 'pulumi_missing_sdk'" in caught.value.message
    fix = caught.value.fix
    assert f"the program's environment ({program_env / 'bin' / 'python'})" in fix
    assert "fails the same way in a preview" in fix
    # a uv-made environment has no pip: the command is uv's, aimed at its python
    assert f"`uv pip install --python {program_env / 'bin' / 'python'} pulumi_missing_sdk`" in fix
    assert "outputs known only after create" not in fix


def test_pkg_resources_missing_is_told_to_install_setuptools_before_81(
    program_env: Path, tmp_path: Path
) -> None:
    """pulumi-aws 5 and pulumi-gcp 6 import pkg_resources (davidfox87/pulumi-mlflow-aws-ecs-fargate,
    miraai/pulumi-gke): present where `python3 -m venv` on 3.11 made the environment, absent in one uv made."""
    directory = write(tmp_path / "p", "import pulumi\nimport pkg_resources\n", program_env)
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert "No module named 'pkg_resources'" in caught.value.message
    assert f"`uv pip install --python {program_env / 'bin' / 'python'} 'setuptools<81'`" in caught.value.fix
    assert "requirements do not install it" not in caught.value.fix
