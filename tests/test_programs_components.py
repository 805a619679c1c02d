"""`infra estimate --program` on a program built from remote components (tests/programs/eks-components:
an awsx Vpc, a pulumi-eks Cluster, ManagedNodeGroup and NodeGroupV2, an awsx FargateService and Trail), run as a user
runs it: in its own virtualenv (Pulumi.yaml `runtime.options.virtualenv: venv`, made by the
`components_program` fixture from its pinned requirements.txt), by the installed `infra` command in a
process of its own. Components the estimator knows are priced by their documented defaults; the one it
does not know is *not estimated* by name and counted, and the program's own print stays off stdout."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.programs.expected import (
    HOURS,
    PROGRAMS,
    Expect,
    by_type,
    check_lines,
    on_demand,
    run_infra,
    service,
    storage,
)

REGION = "us-east-1"  # Pulumi.staging.yaml


@pytest.fixture(scope="module")
def staging(components_program: Path) -> tuple[dict[str, Any], str]:
    """The estimate of the program's staging stack (JSON from stdout) and what the run wrote to stderr."""
    done = run_infra("estimate", "--program", str(components_program), "-s", "staging", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_the_components_exist_only_in_the_program_s_environment_not_in_this_tool_s() -> None:
    for package in ("pulumi_eks", "pulumi_awsx"):
        assert importlib.util.find_spec(package) is None, f"{package} must come from the program's venv"


def test_the_program_pins_the_pulumi_and_pulumi_aws_this_tool_is_locked_to() -> None:
    pins = dict(
        line.split("==")
        for line in (PROGRAMS / "eks-components" / "requirements.txt").read_text().split()
        if "==" in line
    )
    for package in ("pulumi", "pulumi-aws"):
        assert pins[package] == importlib.metadata.version(package), (
            f"{package}: keep the program's pin equal to uv.lock's, so the test exercises what users run"
        )


def test_remote_components_are_priced_by_their_documented_defaults_and_the_program_s_arguments(
    staging: tuple[dict[str, Any], str],
) -> None:
    doc, _ = staging
    gp2 = storage("aws", "ebs", "gp2", REGION)
    vpc, cluster = "awsx:ec2:Vpc", "eks:index:Cluster"
    check_lines(
        doc,
        [
            # natGateways strategy Single: one NAT gateway and its Elastic IP for the two zones
            Expect("ml", vpc, "gateway-hours", HOURS, service("aws", "nat-gateway", "gateway-hour", REGION)),
            Expect("ml", vpc, "IP-hours", HOURS, service("aws", "public-ipv4", "ip-hour", REGION)),
            # 500 GB from the program's usage.yaml
            Expect(
                "ml", vpc, "GB processed", Decimal(500), service("aws", "nat-gateway", "gb-processed", REGION)
            ),
            # no version: the newest Kubernetes released by the tests' day, in standard support
            Expect("ml", cluster, "cluster-hours", HOURS, service("aws", "eks", "cluster-hour", REGION)),
            # the default node group as the program sized it: three t3.large, 20 GiB gp2 root volumes
            Expect("ml", cluster, "node-hours", 3 * HOURS, on_demand("t3.large", REGION)),
            Expect("ml", cluster, "GiB-months", Decimal(3 * 20), gp2),
            # two GPU nodes from the stack's config (ml-platform:gpuNodes), not the program's fallback of 1
            Expect(
                "gpu",
                "eks:index:ManagedNodeGroup",
                "node-hours",
                2 * HOURS,
                on_demand("g5.2xlarge", REGION),
                "g5.2xlarge",
            ),
            Expect("gpu", "eks:index:ManagedNodeGroup", "GiB-months", Decimal(2 * 20), gp2),
            # a NodeGroupV2 that names nothing: pulumi-eks's t3.medium, desired 2
            Expect("batch", "eks:index:NodeGroupV2", "node-hours", 2 * HOURS, on_demand("t3.medium", REGION)),
            Expect("batch", "eks:index:NodeGroupV2", "GiB-months", Decimal(2 * 20), gp2),
            # two tasks of the container's 512 CPU units / 1024 MiB: awsx's 0.5 vCPU / 1 GB size
            Expect(
                "inference-api",
                "awsx:ecs:FargateService",
                "vCPU-hours",
                2 * Decimal("0.5") * HOURS,
                service("aws", "fargate", "linux-x86-vcpu-hour", REGION),
            ),
            Expect(
                "inference-api",
                "awsx:ecs:FargateService",
                "GB-hours",
                2 * HOURS,
                service("aws", "fargate", "linux-x86-gb-hour", REGION),
            ),
        ],
    )


def test_a_remote_component_no_rule_knows_is_not_estimated_by_name_and_counted(
    staging: tuple[dict[str, Any], str],
) -> None:
    doc, _ = staging
    # No rule prices an awsx CloudTrail trail: it is named, said to be not estimated, and counted.
    (trail,) = doc["unsupported"]
    assert (trail["resource"], trail["type"]) == ("audit", "awsx:cloudtrail:Trail")
    assert "not estimated" in trail["reason"] and "remote component" in trail["reason"]
    assert doc["totals"]["unsupported_resources"] == 1
    attachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    assert by_type(doc["free"]) == {("gpu-nodes", "aws:iam/role:Role")} | {
        (f"gpu-nodes-{i}", attachment) for i in range(3)
    }


def test_the_component_program_s_print_goes_to_stderr(staging: tuple[dict[str, Any], str]) -> None:
    _, stderr = staging
    assert "GPU nodes: 2" in stderr, stderr[-2000:]


def test_a_copy_without_its_environment_is_told_the_one_command_that_creates_it(tmp_path: Path) -> None:
    directory = tmp_path / "eks-components"
    shutil.copytree(PROGRAMS / "eks-components", directory, ignore=shutil.ignore_patterns("venv"))
    done = run_infra("estimate", "--program", str(directory), "-s", "staging", "--format", "json")
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == ""
    message = " ".join(done.stderr.split())
    assert f"{directory / 'venv'} does not exist" in message, message
    assert "python3 -m venv venv && venv/bin/pip install -r requirements.txt" in message, message
    assert "Traceback" not in done.stderr
