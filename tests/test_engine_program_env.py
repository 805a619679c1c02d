"""A program with its own environment (Pulumi.yaml `runtime.options.virtualenv` / `toolchain`) is planned
in a child process of that environment's Python: its packages are the ones it sees (a package installed
only there imports; an older pulumi SDK works), what it prints stays off stdout, and a missing or unusable
environment is one clear message with the command that makes it. The environments here are real
virtualenvs made with uv from the package index (through its cache): the pulumi this tool pins, and an older one."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.engine.program import ProgramError, ProgramFailed, plan_directory

UV = os.environ.get("UV") or shutil.which("uv")
OLD_PULUMI = "3.150.0"


def make_venv(where: Path, *packages: str) -> Path:
    """A virtualenv of this Python with `packages` (pip specs), from the package index through uv's cache."""
    assert UV, "uv is needed to make the test environments (the README's setup installs it)"
    subprocess.run([UV, "venv", "-q", "--python", sys.executable, str(where)], check=True)
    if packages:
        python = str(where / "bin" / "python")
        subprocess.run([UV, "pip", "install", "-q", "--python", python, *packages], check=True)
    return where


def add_local_package(venv: Path) -> None:
    """A module `onlyhere` in the environment's site-packages, absent from this tool's environment."""
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    (site / "onlyhere.py").write_text("INSTANCE_TYPE = 'p5.48xlarge'\n")


@pytest.fixture(scope="module")
def own_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = make_venv(
        tmp_path_factory.mktemp("env") / "venv", f"pulumi=={importlib.metadata.version('pulumi')}"
    )
    add_local_package(venv)
    return venv


PROGRAM = """\
import pulumi
import onlyhere

print("hello from the program")
pulumi.CustomResource(
    "aws:ec2/instance:Instance", "trainer", {"instanceType": onlyhere.INSTANCE_TYPE, "ami": "ami-1"}
)
"""


def write(directory: Path, main: str, venv: Path | None, options: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if options is None:
        options = f"virtualenv: {venv}"
    (directory / "Pulumi.yaml").write_text(
        f"name: own\nruntime:\n  name: python\n  options:\n    {options}\n"
    )
    (directory / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (directory / "__main__.py").write_text(textwrap.dedent(main))
    return directory


def test_the_program_runs_with_its_own_packages_that_this_tool_does_not_have(
    own_env: Path, tmp_path: Path
) -> None:
    with pytest.raises(ModuleNotFoundError):
        __import__("onlyhere")
    graph = plan_directory(write(tmp_path / "p", PROGRAM, own_env), stack="dev")
    (instance,) = graph.resources
    assert (instance.type, instance.name, instance.inputs) == (
        "aws:ec2/instance:Instance",
        "trainer",
        {"instanceType": "p5.48xlarge", "ami": "ami-1"},
    )
    assert instance.urn == "urn:pulumi:dev::own::aws:ec2/instance:Instance::trainer"
    assert graph.config == {"aws:region": "us-east-1"}


def test_the_cli_estimate_prices_it_and_what_it_prints_goes_to_stderr(own_env: Path, tmp_path: Path) -> None:
    directory = write(tmp_path / "p", PROGRAM, own_env)
    result = CliRunner().invoke(app, ["estimate", "--program", str(directory), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # valid JSON: the program's print is not in it
    assert "hello from the program" in result.stderr
    priced = [(ln["resource"], ln["unit"]) for ln in doc["lines"] if ln["monthly_cost_usd"]]
    assert priced == [("trainer", "instance-hours"), ("trainer", "GiB-months")], (
        "its machine and assumed root"
    )


def test_a_relative_virtualenv_is_found_next_to_pulumi_yaml(own_env: Path, tmp_path: Path) -> None:
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "venv").symlink_to(own_env, target_is_directory=True)
    graph = plan_directory(write(directory, PROGRAM, Path("venv")), stack="dev")
    assert [r.name for r in graph.resources] == ["trainer"]


def test_a_program_that_fails_in_its_environment_is_program_failed_with_its_message(
    own_env: Path, tmp_path: Path
) -> None:
    boom = write(tmp_path / "boom", "raise ValueError('no GPUs in this region')\n", own_env)
    with pytest.raises(ProgramFailed, match="ValueError: no GPUs in this region"):
        plan_directory(boom, stack="dev")
    invoke = "import pulumi\npulumi.runtime.invoke('aws:ec2/getVpcEndpoint:getVpcEndpoint', {})\n"
    with pytest.raises(ProgramFailed, match="getVpcEndpoint"):
        plan_directory(write(tmp_path / "inv", invoke, own_env), stack="dev")
    leave = write(tmp_path / "exit", "import sys\nsys.exit(3)\n", own_env)
    with pytest.raises(ProgramFailed, match=r"sys.exit\(3\)"):
        plan_directory(leave, stack="dev")


def test_a_missing_environment_says_which_and_the_one_command_that_makes_it(tmp_path: Path) -> None:
    cases = {
        "virtualenv: venv": "python3 -m venv venv && venv/bin/pip install -r requirements.txt",
        "toolchain: uv": "uv sync",
        "toolchain: poetry": "poetry install",
    }
    for options, command in cases.items():
        directory = write(tmp_path / options.split(":")[1].strip(), PROGRAM, None, options)
        with pytest.raises(ProgramError) as caught:
            plan_directory(directory, stack="dev")
        assert not isinstance(caught.value, ProgramFailed), "a missing environment is bad input (exit 2)"
        assert "does not exist" in caught.value.message and command in caught.value.fix, options
    result = CliRunner().invoke(app, ["estimate", "--program", str(tmp_path / "venv")])
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_an_environment_without_pulumi_is_told_to_install_its_requirements(tmp_path: Path) -> None:
    bare = make_venv(tmp_path / "bare")
    with pytest.raises(ProgramError, match="has no `pulumi` package"):
        plan_directory(write(tmp_path / "p", PROGRAM, bare), stack="dev")


def test_a_program_on_an_older_pulumi_sdk_is_planned_with_it(tmp_path: Path) -> None:
    """From the package index (uv's cache when it has it): the SDK majors real programs pin."""
    old = make_venv(tmp_path / "old", f"pulumi=={OLD_PULUMI}")
    main = (
        "import pulumi\nprint(pulumi.__name__)\npulumi.CustomResource('aws:s3/bucket:Bucket', 'data', {})\n"
    )
    graph = plan_directory(write(tmp_path / "p", main, old), stack="dev")
    assert [(r.type, r.name) for r in graph.resources] == [("aws:s3/bucket:Bucket", "data")]
    probe = [str(old / "bin" / "python"), "-c", "import importlib.metadata as m; print(m.version('pulumi'))"]
    assert subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip() == OLD_PULUMI


def test_a_program_whose_pulumi_yaml_names_no_virtualenv_runs_here_and_the_message_points_at_its_venv(
    own_env: Path, tmp_path: Path
) -> None:
    """pulumi/examples azure-py-aks-managed-identity: `runtime: python`, packages in ./venv. Pulumi runs it
    with the python3 on PATH, so this tool runs it with its own Python; the failure names the venv it found
    and the Pulumi.yaml line that would use it."""
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: own\nruntime: python\n")
    (directory / "__main__.py").write_text(PROGRAM)
    result = CliRunner().invoke(app, ["estimate", "--program", str(directory)])
    assert result.exit_code == 1
    assert "No module named 'onlyhere'" in result.stderr and "python3` on PATH" in result.stderr
    assert "virtualenv in venv/" not in result.stderr, "no venv there yet: no hint"
    shutil.copytree(own_env, directory / "venv", symlinks=True)
    hinted = CliRunner().invoke(app, ["estimate", "--program", str(directory)])
    assert hinted.exit_code == 1
    assert "The program has a virtualenv in venv/ that its Pulumi.yaml does not name" in hinted.stderr
    assert "runtime: {name: python, options: {virtualenv: venv}}" in hinted.stderr
