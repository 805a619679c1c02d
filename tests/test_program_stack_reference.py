"""A StackReference (davidfox87/pulumi-mlflow-aws-ecs-fargate reads its network stack's VPC and subnets
through one) names outputs kept by the Pulumi backend, which an offline plan cannot open: they are
unknown, what the program derives from them is unknown, and the plan says so."""

from __future__ import annotations

from pathlib import Path

from aiinfra.engine.mocks import UNKNOWN
from aiinfra.engine.program import plan_directory

MAIN = """\
import pulumi
network = pulumi.StackReference("acme/network/dev")
pulumi.CustomResource(
    "aws:ec2/instance:Instance",
    "vm",
    {"instanceType": "t3.micro", "ami": "ami-1", "subnetId": network.get_output("private_subnet")},
)
"""


def test_a_stack_reference_is_unknown_and_named_in_the_warnings(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: refs\nruntime: python\n")
    (directory / "__main__.py").write_text(MAIN)
    graph = plan_directory(directory, stack="dev", config={"aws:region": "us-west-1"})
    (vm,) = [r for r in graph.resources if r.name == "vm"]
    assert vm.inputs["subnetId"] == UNKNOWN
    (warning,) = [w for w in graph.warnings if "StackReference" in w]
    assert "outputs of the stack acme/network/dev (a StackReference)" in warning


def test_a_program_without_stack_references_gets_no_such_warning(tmp_path: Path) -> None:
    directory = tmp_path / "p"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: refs\nruntime: python\n")
    (directory / "__main__.py").write_text(
        "import pulumi\npulumi.CustomResource('aws:s3/bucket:Bucket', 'b', {})\n"
    )
    assert not [w for w in plan_directory(directory, stack="dev").warnings if "StackReference" in w]
