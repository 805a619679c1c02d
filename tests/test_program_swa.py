"""What a user is told to run to install into a program's environment: an environment `uv venv` or `uv sync`
made has no pip (jaxxstorm/pulumi-examples programs set up the way the uv docs show failed on
pkg_resources, and `venv/bin/python -m pip install 'setuptools<81'` then fails with "No module named pip"),
so the command there is uv's, aimed at that interpreter; an environment with pip keeps `python -m pip`."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from aiinfra.engine.program import ProgramError, ProgramFailed, pip_install, plan_directory


def env(where: Path, *, uv: bool, pip: bool, windows: bool = False) -> Path:
    """A virtualenv's layout: pyvenv.cfg (with uv's line when uv made it), its python, pip or not."""
    where.mkdir(parents=True)
    lines = ["home = /usr/bin", "implementation = CPython"] + (["uv = 0.13.9"] if uv else [])
    (where / "pyvenv.cfg").write_text("\n".join([*lines, "version_info = 3.11.7"]) + "\n")
    site = where / "Lib" / "site-packages" if windows else where / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    if pip:
        (site / "pip").mkdir()
    python = where / ("Scripts/python.exe" if windows else "bin/python")
    python.parent.mkdir()
    python.write_text("")
    return python


def test_an_environment_uv_made_without_pip_is_installed_into_with_uv(tmp_path: Path) -> None:
    python = env(tmp_path / "venv", uv=True, pip=False)
    assert pip_install(python) == f"uv pip install --python {python}"


def test_an_environment_with_pip_keeps_its_own_pip(tmp_path: Path) -> None:
    made_by_venv = env(tmp_path / "a", uv=False, pip=True)
    seeded_by_uv = env(tmp_path / "b", uv=True, pip=True)  # `uv venv --seed`
    windows = env(tmp_path / "c", uv=True, pip=True, windows=True)
    for python in (made_by_venv, seeded_by_uv, windows):
        assert pip_install(python) == f"{python} -m pip install", python


def test_an_environment_without_pip_that_uv_did_not_make_is_left_to_its_pip(tmp_path: Path) -> None:
    """`python3 -m venv --without-pip`: nothing says uv is there, so the usual command stands."""
    python = env(tmp_path / "venv", uv=False, pip=False)
    assert pip_install(python) == f"{python} -m pip install"


def test_an_interpreter_outside_any_environment_gets_the_pip_command(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python3"  # no pyvenv.cfg above it
    assert pip_install(python) == f"{python} -m pip install"


def test_iterating_a_data_source_result_is_the_programs_own_error(tmp_path: Path) -> None:
    """jaxxstorm/pulumi-examples python/aws/ec2-existing-vpc loops over a subnet look-up's result itself: the
    SDK returns that one result object in a preview too, so the fix is the program's, not config."""
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: loops\nruntime: python\n")
    (directory / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "subnets = aws.ec2.get_subnets()\n"
        "for subnet in subnets:\n"
        "    aws.ec2.Instance('web', instance_type='t3.micro', ami='ami-0', subnet_id=subnet)\n"
    )
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev", config={"aws:region": "us-east-1"})
    assert "__main__.py:3" in caught.value.message
    assert "'AwaitableGetSubnetsResult' object is not iterable" in caught.value.message
    fix = caught.value.fix
    assert "data source's result (AwaitableGetSubnetsResult)" in fix
    assert "fails the same way in a preview" in fix and "`.ids`" in fix
    assert "placeholders" not in fix and "--config" not in fix, "config cannot make a result iterable"


def test_a_result_used_as_a_list_is_told_apart_from_other_type_errors() -> None:
    from aiinfra.engine.program import _RESULT_USED_AS_LIST

    assert _RESULT_USED_AS_LIST.match("'GetVpcResult' object is not subscriptable")
    assert _RESULT_USED_AS_LIST.match("'AwaitableGetSubnetIdsResult' object is not iterable")
    assert not _RESULT_USED_AS_LIST.match("'NoneType' object is not iterable")
    assert not _RESULT_USED_AS_LIST.match("'GetVpcResult' object is not callable")


def test_an_sdk_that_fails_to_import_is_named_with_its_version_and_the_fix(tmp_path: Path) -> None:
    """jaxxstorm/pulumi-examples programs pinned to pulumi 2 install on Python 3.11 with protobuf 4+, and
    `import pulumi` then raises a TypeError: the child reports that, not a bare process exit."""
    from tests.test_engine_program_env import make_venv

    venv = make_venv(tmp_path / "venv")
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    (site / "pulumi").mkdir()
    (site / "pulumi" / "__init__.py").write_text(
        "raise TypeError('Descriptors cannot be created directly.\\nIf this call came from a _pb2.py file')\n"
    )
    meta = site / "pulumi-2.25.2.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: pulumi\nVersion: 2.25.2\n")
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(
        f"name: old\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (directory / "__main__.py").write_text("import pulumi\n")
    with pytest.raises(ProgramError) as caught:
        plan_directory(directory, stack="dev")
    python = venv / "bin" / "python"
    assert caught.value.message == (
        f"the pulumi 2.25.2 in the program's environment {python} fails on import: TypeError: Descriptors "
        "cannot be created directly. If this call came from a _pb2.py file"
    )
    assert f"`uv pip install --python {python} 'protobuf<3.21'`" in caught.value.fix
    assert "pulumi>=3,<4" in caught.value.fix and "see its output above" not in str(caught.value)


def test_an_sdk_args_class_missing_a_keyword_only_argument_is_told_as_an_sdk_version_mismatch(
    tmp_path: Path,
) -> None:
    """jaxxstorm/pulumi-examples python/aws/fargate_awsx builds awsx container definitions without `name`,
    which awsx 1.0 made a required keyword-only argument: the installed SDK refuses the call."""
    from tests.test_engine_program_env import make_venv

    venv = make_venv(tmp_path / "venv", f"pulumi=={importlib.metadata.version('pulumi')}")
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    (site / "kwsdk").mkdir()
    (site / "kwsdk" / "__init__.py").write_text(
        "class ContainerArgs:\n    def __init__(self, *, name, image=None):\n        self.name = name\n"
    )
    meta = site / "kwsdk-1.0.6.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: kwsdk\nVersion: 1.0.6\n")
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(
        f"name: kw\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (directory / "__main__.py").write_text("import kwsdk\nkwsdk.ContainerArgs(image='nginx')\n")
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(directory, stack="dev")
    assert "missing 1 required keyword-only argument: 'name'" in caught.value.message
    fix = caught.value.fix
    assert "The class ContainerArgs the program calls takes other arguments than it gives" in fix
    assert (
        f"fails the same way in a preview with the one installed in the program's environment ({venv}" in fix
    )
    assert "placeholders" not in fix
