"""EKS Fargate profiles (estimate/rules/aws_services.py): the profile is free, the pods it runs are billed per
vCPU- and GB-hour at the Fargate configuration EKS rounds their requests up to (Amazon EKS user guide, "Fargate
Pod configuration details"), with the ECS Fargate rows of the catalog; the quantities come from the usage file
(`pods`, `podVcpu`, `podMemoryGB`, `podEphemeralGB`, `hoursPerMonth`), else one unpriced line names the keys."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate
from aiinfra.estimate.rules.aws_services import FREE_TYPES, eks_fargate_configuration
from aiinfra.estimate.usage import ResourceUsage, UsageFile, UsageFileError, read_usage_file
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
PROFILE = "aws:eks/fargateProfile:FargateProfile"


def res(name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=PROFILE,
        name=name,
        urn=f"urn:pulumi:t::p::{PROFILE}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, region: str = "us-east-1", **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def price(item: str, region: str = "us-east-1") -> Decimal:
    row = CATALOG.service_price("aws", "fargate", item, region)
    assert row is not None and row.usd is not None, f"the catalog prices fargate {item}"
    return row.usd


@pytest.mark.parametrize(
    ("vcpu", "gb", "billed"),
    [
        # The EKS user guide's own example: 1 vCPU / 8 GB + 256 MB fits no 1-vCPU size → 2 vCPU / 9 GB.
        ("1", "8", ("2", "9")),
        ("0.25", "0.25", ("0.25", "0.5")),
        ("0.25", "0.5", ("0.25", "1")),
        ("0.1", "1.75", ("0.25", "2")),
        ("0.3", "0.5", ("0.5", "1")),
        ("0.5", "3.8", ("1", "5")),
        ("3", "4", ("4", "8")),
        ("4", "30", ("8", "32")),
        ("8", "60", ("16", "64")),
        ("16", "119.75", ("16", "120")),
    ],
)
def test_a_pod_is_billed_at_the_smallest_fargate_configuration_holding_its_requests_and_256_mb(
    vcpu: str, gb: str, billed: tuple[str, str]
) -> None:
    assert eks_fargate_configuration(D(vcpu), D(gb)) == (D(billed[0]), D(billed[1]))


@pytest.mark.parametrize(("vcpu", "gb"), [("16", "120"), ("17", "32"), ("32", "1")])
def test_a_pod_larger_than_any_fargate_configuration_has_none(vcpu: str, gb: str) -> None:
    reason = eks_fargate_configuration(D(vcpu), D(gb))
    assert isinstance(reason, str) and "the largest is 16 vCPU / 120 GB" in reason


def test_the_pods_of_a_profile_are_priced_from_usage_at_the_ecs_fargate_rows() -> None:
    result = run(res("apps"), apps={"pods": 3, "podVcpu": 0.5, "podMemoryGB": 1})
    vcpu, gb = line(result, "apps", "vCPU-hours"), line(result, "apps", "GB-hours")
    # 0.5 vCPU / 1 GB + 0.25 GB → the 0.5 vCPU / 2 GB configuration, 3 pods all month.
    assert vcpu.quantity == 3 * D("0.5") * HOURS_PER_MONTH
    assert (vcpu.unit_price_usd, vcpu.monthly_cost_usd) == (
        price("linux-x86-vcpu-hour"),
        vcpu.quantity * price("linux-x86-vcpu-hour"),
    )
    assert gb.quantity == 3 * 2 * HOURS_PER_MONTH
    assert gb.monthly_cost_usd == gb.quantity * price("linux-x86-gb-hour")
    assert "3 pods × 0.5 vCPU / 2 GB" in vcpu.description
    assert "no hoursPerMonth: the pods run all month" in vcpu.assumptions
    assert any("x86 only" in a for a in vcpu.assumptions), "EKS Fargate has no Arm: x86 prices, said so"
    assert not [ln for ln in result.lines if ln.unit == "ephemeral GB-hours"], "20 GB are included"
    assert "apps" not in {f.resource for f in result.free}, "the profile is not listed free any more"


def test_hours_and_ephemeral_storage_above_the_included_20_gb_come_from_usage() -> None:
    usage = {"pods": 2, "podVcpu": 1, "podMemoryGB": 8, "podEphemeralGB": 50, "hoursPerMonth": 100}
    result = run(res("batch"), region="us-east-1", batch=usage)
    vcpu, gb = line(result, "batch", "vCPU-hours"), line(result, "batch", "GB-hours")
    assert (vcpu.quantity, gb.quantity) == (2 * 2 * 100, 2 * 9 * 100), "1 vCPU / 8 GB is billed as 2 / 9"
    disk = line(result, "batch", "ephemeral GB-hours")
    assert disk.quantity == 2 * 30 * 100, "50 GB − the 20 included, 2 pods, 100 h"
    assert disk.monthly_cost_usd == disk.quantity * price("ephemeral-gb-hour")
    assert not [a for a in vcpu.assumptions if "no hoursPerMonth" in a]


def test_without_usage_the_profile_is_one_unpriced_line_naming_the_keys_never_free_or_zero() -> None:
    result = run(res("pods"))
    (only,) = [ln for ln in result.lines if ln.resource == "pods"]
    assert only.monthly_cost_usd is None and only.unit == "vCPU-hours"
    assert only.reason.endswith("set pods, podVcpu, podMemoryGB for pods in stacks/usage.t.yaml")
    assert result.free == [] and result.unsupported == []
    assert result.to_json()["totals"]["unpriced_lines"] == 1


def test_a_partial_usage_entry_names_only_the_missing_keys() -> None:
    result = run(res("pods"), pods={"pods": 4})
    (only,) = [ln for ln in result.lines if ln.resource == "pods"]
    assert only.monthly_cost_usd is None and "set podVcpu, podMemoryGB for pods" in only.reason


def test_a_pod_too_large_for_fargate_is_unpriced_with_the_reason() -> None:
    result = run(res("huge"), huge={"pods": 1, "podVcpu": 32, "podMemoryGB": 64})
    (only,) = [ln for ln in result.lines if ln.resource == "huge"]
    assert only.monthly_cost_usd is None and "no EKS Fargate configuration holds 32" in only.reason


def test_zero_pods_given_in_usage_cost_zero() -> None:
    result = run(res("idle"), idle={"pods": 0, "podVcpu": 0.25, "podMemoryGB": 0.5})
    assert line(result, "idle", "vCPU-hours").monthly_cost_usd == 0
    assert line(result, "idle", "GB-hours").monthly_cost_usd == 0


def test_the_profile_type_is_no_longer_in_the_free_list() -> None:
    assert PROFILE not in FREE_TYPES


def test_the_usage_file_reads_the_pod_keys_in_camel_case_and_refuses_bad_values(tmp_path: Path) -> None:
    good = tmp_path / "usage.yaml"
    good.write_text(
        "resources:\n  apps:\n    pods: 3\n    podVcpu: 0.5\n    podMemoryGB: 1\n    podEphemeralGB: 30\n"
        "    hoursPerMonth: 200\n"
    )
    apps = read_usage_file(good).resources["apps"]
    assert (apps.pods, apps.pod_vcpu, apps.pod_memory_gb, apps.pod_ephemeral_gb, apps.hours_per_month) == (
        3,
        0.5,
        1,
        30,
        200,
    )
    snake = tmp_path / "snake.yaml"
    snake.write_text("resources:\n  apps:\n    pod_vcpu: 0.5\n")
    with pytest.raises(UsageFileError, match="keys are camelCase: write podVcpu"):
        read_usage_file(snake)
    negative = tmp_path / "negative.yaml"
    negative.write_text("resources:\n  apps:\n    pods: -1\n")
    with pytest.raises(UsageFileError, match=r"resources\.apps\.pods"):
        read_usage_file(negative)


def test_the_line_shows_sizes_as_written_not_as_decimals() -> None:
    result = run(res("apps"), apps={"pods": 2, "podVcpu": 0.25, "podMemoryGB": 0.5, "podEphemeralGB": 30.0})
    assert "2 pods × 0.25 vCPU / 1 GB (requests 0.25 vCPU / 0.5 GB + 0.25 GB, rounded up), 730 h" in (
        line(result, "apps", "vCPU-hours").description
    )
    assert line(result, "apps", "ephemeral GB-hours").description.endswith("10 GB × 2 pods")
