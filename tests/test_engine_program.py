"""Planning any Pulumi Python program directory offline: project and stack files read as Pulumi reads
them, the program run under the recording mocks, and the interpreter left as it was found."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from aiinfra.components.stack import run_program
from aiinfra.engine.plan import plan_program
from aiinfra.engine.program import SECURE_PLACEHOLDER, ProgramError, plan_directory
from aiinfra.spec.loader import read_stack_config, stack_file
from tests.conftest import ROOT

PROGRAM = """\
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
aws.ec2.Instance("train-0", instance_type=config.get("instanceType") or "p5.48xlarge",
                 ami="ami-0123456789abcdef0")
aws.s3.Bucket("datasets")
"""


def write_program(
    directory: Path,
    main: str = PROGRAM,
    *,
    project: str = "name: gpu-train\nruntime: python\n",
    stack: str | None = "config:\n  aws:region: us-west-2\n",
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(project)
    (directory / "__main__.py").write_text(textwrap.dedent(main))
    if stack is not None:
        (directory / "Pulumi.dev.yaml").write_text(stack)
    return directory


def test_a_plain_pulumi_aws_program_plans_to_its_instance_and_bucket_with_the_stack_config(
    tmp_path: Path,
) -> None:
    graph = plan_directory(write_program(tmp_path / "prog"), stack="dev")
    assert (graph.stack, graph.project) == ("dev", "gpu-train"), "the project name comes from Pulumi.yaml"
    assert [(r.type, r.name, r.parent, r.custom) for r in graph.resources] == [
        ("aws:ec2/instance:Instance", "train-0", None, True),
        ("aws:s3/bucket:Bucket", "datasets", None, True),
    ]
    instance = graph.get("aws:ec2/instance:Instance", "train-0")
    assert instance.inputs == {"ami": "ami-0123456789abcdef0", "instanceType": "p5.48xlarge"}
    assert instance.urn == "urn:pulumi:dev::gpu-train::aws:ec2/instance:Instance::train-0"
    assert instance.provider is None, "the default provider: its region is the stack config's"
    assert graph.config == {"aws:region": "us-west-2"}, "the config the program ran with is in the graph"


def test_stack_config_is_read_as_pulumi_reads_it_and_explicit_config_wins(tmp_path: Path) -> None:
    stack = """\
    config:
      aws:region: us-west-2
      instanceType: p4d.24xlarge
      gpu-train:token:
        secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB
      gpu-train:tags:
        value: {team: research}
      gpu-train:nested:
        password: {secure: v1:CCCC}
        size: 3
    """
    project = """\
    name: gpu-train
    runtime:
      name: python
      options: {toolchain: pip}
    config:
      zone: {type: string, default: us-west-2a}
      pools: {type: integer}
      aws:profile: research
    """
    directory = write_program(
        tmp_path / "prog", project=textwrap.dedent(project), stack=textwrap.dedent(stack)
    )
    graph = plan_directory(directory, stack="dev", config={"aws:region": "eu-west-1"})
    assert graph.config == {
        "gpu-train:zone": "us-west-2a",
        "aws:profile": "research",
        "aws:region": "eu-west-1",
        "gpu-train:instanceType": "p4d.24xlarge",
        "gpu-train:token": SECURE_PLACEHOLDER,
        "gpu-train:tags": {"team": "research"},
        "gpu-train:nested": {"password": SECURE_PLACEHOLDER, "size": 3},
    }, "project defaults, then the stack file (namespace added, secure values never decrypted), then config="
    instance = graph.get("aws:ec2/instance:Instance", "train-0")
    assert instance.inputs["instanceType"] == "p4d.24xlarge", "the program read its own namespaced key"


def test_a_stack_without_a_stack_file_plans_with_the_explicit_config_only(tmp_path: Path) -> None:
    graph = plan_directory(
        write_program(tmp_path / "prog", stack=None), stack="prod", config={"aws:region": "us-east-1"}
    )
    assert graph.config == {"aws:region": "us-east-1"} and len(graph.resources) == 2


def test_main_and_stack_config_dir_in_pulumi_yaml_are_followed(tmp_path: Path) -> None:
    directory = tmp_path / "prog"
    write_program(directory / "src", project="", stack=None)
    (directory / "src" / "Pulumi.yaml").unlink()
    (directory / "Pulumi.yaml").write_text(
        "name: gpu-train\nruntime: python\nmain: src/\nstackConfigDir: stacks\n"
    )
    (directory / "stacks").mkdir()
    (directory / "stacks" / "Pulumi.dev.yaml").write_text("config:\n  instanceType: g6.xlarge\n")
    graph = plan_directory(directory, stack="dev")
    assert graph.get("aws:ec2/instance:Instance", "train-0").inputs["instanceType"] == "g6.xlarge"


def test_this_projects_own_directory_plans_like_infra_plan() -> None:
    graph = plan_directory(ROOT, stack="example")
    expected = plan_program(run_program, stack="example", config=read_stack_config(stack_file("example")))
    assert [r.to_json() for r in graph.resources] == [r.to_json() for r in expected.resources], (
        "Pulumi.yaml's stackConfigDir leads to stacks/Pulumi.example.yaml and the same program runs"
    )


def test_two_programs_with_a_same_named_helper_module_each_get_their_own(tmp_path: Path) -> None:
    main = "import helper\nimport pulumi_aws as aws\naws.s3.Bucket(helper.NAME)\n"
    for name in ("one", "two"):
        directory = write_program(tmp_path / name, main)
        (directory / "helper.py").write_text(f"NAME = 'bucket-{name}'\n")
    first = plan_directory(tmp_path / "one", stack="dev")
    second = plan_directory(tmp_path / "two", stack="dev")
    assert [r.name for r in first.resources] == ["bucket-one"]
    assert [r.name for r in second.resources] == ["bucket-two"], (
        "the second program must not see the first's helper"
    )
    assert "helper" not in sys.modules, "a program's own modules are forgotten after the plan"


def test_sys_path_and_cwd_are_restored_after_a_plan_and_after_a_failure(tmp_path: Path) -> None:
    path, cwd = list(sys.path), os.getcwd()
    plan_directory(write_program(tmp_path / "ok"), stack="dev")
    assert (sys.path, os.getcwd()) == (path, cwd), "a plan leaves sys.path and the cwd as they were"
    main = "import os, sys\nsys.path.append('/elsewhere')\nraise RuntimeError('in ' + os.getcwd())\n"
    with pytest.raises(ProgramError) as caught:
        plan_directory(write_program(tmp_path / "bad", main), stack="dev")
    assert str((tmp_path / "bad").resolve()) in caught.value.message, "the program ran in its own directory"
    assert (sys.path, os.getcwd()) == (path, cwd), "a failed plan restores them too"


def test_a_program_that_raises_is_a_program_error_with_its_message_and_no_traceback(tmp_path: Path) -> None:
    main = "raise ValueError('clusters must not be empty')\n"
    with pytest.raises(ProgramError) as caught:
        plan_directory(write_program(tmp_path / "prog", main), stack="dev")
    assert "ValueError: clusters must not be empty" in caught.value.message
    assert "Traceback" not in str(caught.value) and caught.value.fix
    assert caught.value.__cause__ is None and caught.value.__suppress_context__, "no chained traceback"


def test_an_invoke_with_no_result_type_is_a_program_error_that_names_the_invoke(tmp_path: Path) -> None:
    main = "import pulumi\npulumi.runtime.invoke('acme:index/getThing:getThing', {})\n"
    with pytest.raises(ProgramError) as caught:
        plan_directory(write_program(tmp_path / "prog", main), stack="dev")
    assert "acme:index/getThing:getThing" in caught.value.message, "the mocks' message comes through"


def test_a_data_source_gets_a_typed_placeholder_answer_and_the_plan_says_so(tmp_path: Path) -> None:
    main = (
        "import pulumi_aws as aws\n"
        "vpc = aws.ec2.get_vpc(default=True)\n"
        "aws.ec2.Subnet('a', vpc_id=vpc.id, cidr_block=vpc.cidr_block)\n"
        "token = aws.ecr.get_authorization_token()\n"
        "aws.s3.Bucket('b', bucket=token.user_name)\n"
    )
    graph = plan_directory(write_program(tmp_path / "prog", main), stack="dev")
    subnet = graph.get("aws:ec2/subnet:Subnet", "a")
    assert subnet.inputs == {"vpcId": "offline-id", "cidrBlock": "10.0.0.0/16"}
    assert graph.get("aws:s3/bucket:Bucket", "b").inputs == {"bucket": "offline-userName"}
    assert [w.split(" was ")[0] for w in graph.warnings] == [
        "the data source aws:ec2/getVpc:getVpc",
        "the data source aws:ecr/getAuthorizationToken:getAuthorizationToken",
    ]


def test_a_program_importing_a_missing_package_is_told_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ProgramError) as caught:
        plan_directory(write_program(tmp_path / "prog", "import pulumi_nonexistent_cloud\n"), stack="dev")
    assert "pulumi_nonexistent_cloud" in caught.value.message and "Install" in caught.value.fix


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing-dir", "no directory"),
        ("no-pulumi-yaml", "no Pulumi.yaml"),
        ("nodejs", "runtime 'nodejs'"),
        ("no-main", "no __main__.py"),
        ("bad-yaml", "YAML syntax error"),
    ],
)
def test_a_directory_that_is_no_python_pulumi_program_is_a_program_error_with_a_fix(
    setup: str, expected: str, tmp_path: Path
) -> None:
    directory = tmp_path / "prog"
    if setup != "missing-dir":
        write_program(directory)
    if setup == "no-pulumi-yaml":
        (directory / "Pulumi.yaml").unlink()
    elif setup == "nodejs":
        (directory / "Pulumi.yaml").write_text("name: web\nruntime: nodejs\n")
    elif setup == "no-main":
        (directory / "__main__.py").unlink()
    elif setup == "bad-yaml":
        (directory / "Pulumi.dev.yaml").write_text("config:\n  aws:region: [us-west-2\n")
    with pytest.raises(ProgramError) as caught:
        plan_directory(directory, stack="dev")
    assert expected in caught.value.message, f"{setup}: {caught.value.message}"
    assert caught.value.fix, f"{setup}: every error says what to do"


def test_template_defaults_and_the_environment_fill_only_what_the_config_leaves_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = textwrap.dedent(
        """\
        name: gpu-train
        runtime: python
        template:
          config:
            aws:region:
              description: the region
              default: eu-central-1
            instanceType:
              default: g5.xlarge
            noDefault:
              description: asked for at `pulumi new`
        """
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "ml-prod")
    directory = write_program(tmp_path / "prog", project=project, stack=None)
    graph = plan_directory(directory, stack="dev")
    assert graph.config == {
        "aws:region": "ap-south-1",
        "gpu-train:instanceType": "g5.xlarge",
        "gcp:project": "ml-prod",
    }, "the provider's environment variable wins over a template default, as the SDK reads it"
    assert graph.get("aws:ec2/instance:Instance", "train-0").inputs["instanceType"] == "g5.xlarge"

    monkeypatch.setenv("AWS_REGION", "us-east-2")
    assert plan_directory(directory, stack="dev").config["aws:region"] == "us-east-2", "AWS_REGION first"
    stacked = write_program(tmp_path / "two", project=project)  # its stack file sets aws:region
    assert plan_directory(stacked, stack="dev").config["aws:region"] == "us-west-2", "config beats env"


def test_explicit_config_wins_over_everything_and_bare_keys_get_the_project_namespace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-2")
    directory = write_program(tmp_path / "prog")
    graph = plan_directory(
        directory, stack="dev", config={"aws:region": "sa-east-1", "instanceType": "t3.micro"}
    )
    assert graph.config == {"aws:region": "sa-east-1", "gpu-train:instanceType": "t3.micro"}
    assert graph.get("aws:ec2/instance:Instance", "train-0").inputs["instanceType"] == "t3.micro"
