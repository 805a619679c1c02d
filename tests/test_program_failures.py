"""What a user is told when a program fails, beyond its exception's text (engine.failure, engine.program):
the config keys it read with `Config.get*` that had no value, when it then fails on a None; the program's
own line and the installed package an error came from, with its version, when the package refuses the
program's call, lacks a name it imports or an attribute it reads (the program was written for another
version: pulumi/templates container-*-python on pulumi-docker-build 0.0.22, vm-azure-python on
pulumi-azure-native 3, sagemaker-aws-python on sagemaker 3); the install command, in the program's own
environment, for a module it lacks (pkg_resources, which setuptools 81 dropped)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pulumi
import pytest
from typer.testing import CliRunner

from aiinfra.cli.main import app
from aiinfra.engine.failure import recording_unset_config
from aiinfra.engine.plan import plan_program
from aiinfra.engine.program import MissingConfig, ProgramFailed, plan_directory
from tests.programs.expected import PROGRAMS
from tests.test_engine_program_env import make_venv

UNSET = PROGRAMS / "unset-config"


# -- config read with no value -----------------------------------------------------------------------------


def test_a_program_failing_on_none_is_told_the_config_keys_it_read_that_had_no_value() -> None:
    result = CliRunner().invoke(app, ["estimate", "--program", str(UNSET)])
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert (
        "failed at __main__.py:17: TypeError: sequence item 5: expected str instance, NoneType found" in err
    )
    assert "has no value (Config.get returned None): jumpbox:adminUsername, jumpbox:keyName;" in err
    assert "with `--config jumpbox:adminUsername=VALUE` (once per key)" in err
    assert f"under `config:` in {UNSET / 'Pulumi.dev.yaml'} (`jumpbox:adminUsername: VALUE`)" in err
    # a value in the stack file, a Pulumi.yaml `config:` or `template.config` default, a default in the call
    for given in ("jumpbox:team", "jumpbox:region", "jumpbox:size", "jumpbox:shell"):
        assert given not in err, given
    assert "Traceback" not in result.output and "pulumi config" not in err
    assert result.stdout == ""


def test_with_those_keys_given_the_same_program_is_estimated() -> None:
    args = ["--config", "adminUsername=ops", "--config", "keyName=ops-key", "--format", "json"]
    result = CliRunner().invoke(app, ["estimate", "--program", str(UNSET), *args])
    assert result.exit_code == 0, result.output
    assert '"instance-hours"' in result.stdout and "t3.micro" in result.stdout


def test_one_unset_key_is_named_as_the_likely_one(tmp_path: Path) -> None:
    main = "import pulumi\nc = pulumi.Config()\nprint(c.get_int('replicas') + 1)\n"
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(_program(tmp_path / "p", main), stack="dev")
    fix = caught.value.fix
    assert "(Config.get returned None): p:replicas; the None it failed on is likely that. Give it" in fix
    assert "(once per key)" not in fix


def test_a_failure_on_none_with_no_unset_config_keeps_the_general_advice(tmp_path: Path) -> None:
    main = "import pulumi\nc = pulumi.Config()\nc.get('given')\nNone.upper()\n"
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(_program(tmp_path / "p", main), stack="dev", config={"given": "yes"})
    assert "AttributeError: 'NoneType' object has no attribute 'upper'" in caught.value.message
    assert "no value" not in caught.value.fix and "as a preview does" in caught.value.fix


def test_unset_keys_are_not_named_for_a_failure_that_is_not_about_none(tmp_path: Path) -> None:
    main = "import pulumi\npulumi.Config().get('zone')\nraise TypeError('bad zone list')\n"
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(_program(tmp_path / "p", main), stack="dev")
    assert "p:zone" not in str(caught.value)


def test_recording_names_each_unset_key_once_and_restores_the_sdk() -> None:
    original = {n: pulumi.Config.__dict__[n] for n in ("get", "get_int", "get_secret", "get_object")}
    seen: list[str] = []

    def program() -> None:
        c = pulumi.Config()
        c.get("a")
        c.get("a")
        c.get_int("b", 3)
        c.get_secret("s")
        c.get_object("given")
        pulumi.Config("aws").get("profile")

    with recording_unset_config(seen):
        plan_program(program, stack="t", project="p", config={"p:given": {"x": 1}})
    assert seen == ["p:a", "p:s", "aws:profile"]
    assert {n: pulumi.Config.__dict__[n] for n in original} == original


def test_in_its_own_environment_the_unset_keys_come_back_from_the_child(
    strict_env: Path, tmp_path: Path
) -> None:
    venv = strict_env
    main = "import pulumi\nc = pulumi.Config()\nuser = c.get('adminUsername')\nprint('login ' + user)\n"
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(_program(tmp_path / "p", main, venv), stack="dev")
    assert caught.value.message.endswith(
        'failed at __main__.py:4: TypeError: can only concatenate str (not "NoneType") to str.'
    )
    assert "(Config.get returned None): p:adminUsername;" in caught.value.fix


# -- an installed package refuses the program's call -------------------------------------------------------

STRICT = '''\
"""An SDK whose newer version changed what the program uses."""
from strictsdk import network  # noqa: F401


class Image:
    def __init__(self, name, push=None):
        if push is None:
            raise TypeError("Missing required property 'push'")
        self.ref = name
'''


@pytest.fixture(scope="module")
def strict_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment with pulumi and `strictsdk` 1.2.3 (a package with its metadata), no setuptools."""
    import importlib.metadata

    pinned = f"pulumi=={importlib.metadata.version('pulumi')}"
    venv = make_venv(tmp_path_factory.mktemp("strict") / "venv", pinned)
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    (site / "strictsdk").mkdir()
    (site / "strictsdk" / "__init__.py").write_text(STRICT)
    (site / "strictsdk" / "network.py").write_text("class IPAllocationMethod:\n    DYNAMIC = 'Dynamic'\n")
    meta = site / "strictsdk-1.2.3.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: strictsdk\nVersion: 1.2.3\n")
    return venv


@pytest.mark.parametrize(
    ("main", "message", "fix"),
    [
        (
            "import strictsdk\nstrictsdk.Image('app')\n",
            "failed at __main__.py:3 (raised in strictsdk 1.2.3): TypeError: Missing required property 'push'.",
            "The strictsdk 1.2.3 installed in the program's environment ({python}) refuses the call",
        ),
        (
            "from strictsdk import huggingface\n",
            "failed at __main__.py:2: ImportError: cannot import name 'huggingface' from 'strictsdk'",
            "The strictsdk 1.2.3 installed in the program's environment ({python}) does not have what",
        ),
        (
            "import strictsdk.network\nstrictsdk.network.IpAllocationMethod.DYNAMIC\n",
            "failed at __main__.py:3: AttributeError: module 'strictsdk.network' has no attribute",
            "The strictsdk.network 1.2.3 installed in the program's environment ({python}) does not have",
        ),
        (
            "import strictsdk\nprint(strictsdk.Image('app', push=True).repo_digest)\n",
            "failed at __main__.py:3: AttributeError: 'Image' object has no attribute 'repo_digest'.",
            "The strictsdk 1.2.3 installed in the program's environment ({python}) does not have",
        ),
    ],
    ids=["required-property", "import-name", "module-attribute", "object-attribute"],
)
def test_a_package_that_refuses_the_program_is_named_with_its_version(
    strict_env: Path, tmp_path: Path, main: str, message: str, fix: str
) -> None:
    with pytest.raises(ProgramFailed) as caught:
        plan_directory(_program(tmp_path / "p", "import pulumi\n" + main, strict_env), stack="dev")
    python = strict_env / "bin" / "python"
    assert message in caught.value.message
    assert fix.format(python=python) in caught.value.fix
    assert "requirements.txt" in caught.value.fix and "pulumi config" not in str(caught.value)


def test_a_module_the_environment_lacks_is_installed_there_by_its_package_name(
    strict_env: Path, tmp_path: Path
) -> None:
    python = strict_env / "bin" / "python"
    cases = {"pkg_resources": "'setuptools<81'", "nosuchmodule_xyz": "nosuchmodule_xyz"}
    for module, package in cases.items():
        with pytest.raises(ProgramFailed) as caught:
            plan_directory(_program(tmp_path / module, f"import {module}\n", strict_env), stack="dev")
        assert f"ModuleNotFoundError: No module named '{module}'" in caught.value.message
        assert f"No module {module} is installed in the program's environment ({python})" in caught.value.fix
        assert f"`uv pip install --python {python} {package}`" in caught.value.fix  # uv made it, no pip


def _program(directory: Path, main: str, venv: Path | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    runtime = f"\n  name: python\n  options:\n    virtualenv: {venv}" if venv else " python"
    (directory / "Pulumi.yaml").write_text(f"name: {directory.name}\nruntime:{runtime}\n")
    (directory / "__main__.py").write_text(textwrap.dedent(main))
    return directory


# -- config the template asks for ---------------------------------------------------------------------------


def test_a_missing_value_names_the_other_keys_the_template_asks_for_without_a_default(tmp_path: Path) -> None:
    """pulumi/templates kubernetes-azure-python: `mgmtGroupId` and `sshPubKey` have no default, and the
    program requires both; one run names both, not one per run."""
    directory = _program(tmp_path / "aks", "import pulumi\nc = pulumi.Config()\nc.require('mgmtGroupId')\n")
    (directory / "Pulumi.yaml").write_text(
        "name: aks\nruntime: python\ntemplate:\n  config:\n    azure-native:location:\n      default: westus2\n"
        "    mgmtGroupId:\n      description: the group\n    sshPubKey:\n      description: a key\n"
        "    region:\n      description: given below\n"
    )
    with pytest.raises(MissingConfig) as caught:
        plan_directory(directory, stack="dev", config={"region": "westus2"})
    assert caught.value.key == "aks:mgmtGroupId"
    assert caught.value.fix.endswith(
        "Pulumi.yaml's template also asks for aks:sshPubKey, which has no default there and no value: give it "
        "too if the program needs it."
    )
    with pytest.raises(MissingConfig) as alone:
        plan_directory(directory, stack="dev", config={"region": "westus2", "sshPubKey": "ssh-ed25519 A"})
    assert "also asks" not in alone.value.fix
