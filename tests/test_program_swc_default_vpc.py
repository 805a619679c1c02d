"""An awsx DefaultVpc reads the default VPC and its subnets during a preview (awsx/ec2/getDefaultVpc.ts),
so its outputs are known and a program that creates a server per subnet in `.apply` plans them; a new
awsx Vpc's subnets are created, unknown at preview, and the servers looped over them are not planned
(tests/programs/swc-default-vpc, in its own virtualenv). pulumi/docs
awsx-load-balanced-ec2-instances-python came back as its load balancer alone, its three t2.micro
instances missing with no warning."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aiinfra import clouds
from tests.programs.expected import HOURS, PROGRAMS, on_demand, run_infra

REGION = "us-east-1"  # Pulumi.dev.yaml


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The program as a user has it after `pulumi install`: its own `venv` from its pinned requirements."""
    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv, "uv is needed to make the program's environment"
    directory = tmp_path_factory.mktemp("programs") / "swc-default-vpc"
    shutil.copytree(PROGRAMS / "swc-default-vpc", directory)
    venv = directory / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "-r", "requirements.txt"],
        cwd=directory,
        check=True,
    )
    return directory


def test_servers_in_the_default_vpc_s_subnets_are_planned_and_priced(program: Path) -> None:
    done = run_infra("estimate", "--program", str(program), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    machines = sorted(
        (ln["resource"], ln["monthly_cost_usd"]) for ln in result["lines"] if ln["unit"] == "instance-hours"
    )
    price = on_demand("t3.micro", REGION)
    assert price is not None
    expected = float(round(price * HOURS, 2))
    assert machines == [("web-0", expected), ("web-1", expected), ("web-2", expected)]
    assert not any(ln["resource"].startswith("app-") for ln in result["lines"]), (
        "the new VPC's subnets are unknown"
    )


def test_only_the_default_vpc_has_outputs_read_at_preview() -> None:
    aws = clouds.profiles()["aws"]
    outputs = aws.component_outputs("awsx:ec2:DefaultVpc", "default", "eu-west-1", {})
    assert outputs["vpcId"].startswith("vpc-") and outputs["privateSubnetIds"] == []
    subnets = outputs["publicSubnetIds"]
    assert len(subnets) == 3 and len(set(subnets)) == 3 and all(s.startswith("subnet-") for s in subnets)
    assert (
        subnets == aws.component_outputs("awsx:ec2:DefaultVpc", "default", "eu-west-1", {})["publicSubnetIds"]
    )
    assert aws.component_outputs("awsx:ec2:Vpc", "fresh", "eu-west-1", {}) == {}
    assert clouds.profiles()["gcp"].component_outputs("awsx:ec2:DefaultVpc", "d", "us-central1", {}) == {}
