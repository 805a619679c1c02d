"""An EC2 instance whose program gives its root volume no size (estimate/rules/aws.py `ASSUMED_ROOT`): priced
as Infracost prices it, 8 GiB gp2 (or the volumeType the program gives), the assumption in the line's
description and a warning naming the field that gives the real size; a given size is priced as given, with
no warning; a launch template's AMI root volume stays unpriced (Infracost assumes no size for it either)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate
from aiinfra.estimate.rules.aws import ASSUMED_ROOT
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
EC2 = "aws:ec2/instance:Instance"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, region: str = "us-east-1") -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})
    return estimate(graph, CATALOG)


def gib_month(tier: str, region: str = "us-east-1") -> Decimal:
    row = CATALOG.storage_price("aws", "ebs", tier, region)
    assert row is not None and row.usd_per_gib_month is not None, f"the catalog prices ebs {tier} in {region}"
    return row.usd_per_gib_month


def test_the_assumed_root_volume_is_infracosts_8_gib_gp2() -> None:
    assert ASSUMED_ROOT == ("gp2", 8)


def test_an_instance_without_a_root_volume_size_is_8_gib_gp2_with_a_warning_naming_the_field() -> None:
    result = run(res(EC2, "web", instanceType="t3.micro"))
    root = line(result, "web", "GiB-months")
    assert root.quantity == D(8)
    assert root.monthly_cost_usd == 8 * gib_month("gp2")
    assert root.reason == "" and result.unpriced == []
    assert (
        root.description
        == "EBS gp2 root volume: 8 GiB assumed (Infracost's default; the AMI decides its real size)"
    )
    assert result.warnings == [
        "web: the root volume's size comes from the AMI, which an offline plan does not read; 8 GiB gp2 is "
        "assumed: set rootBlockDevice.volumeSize (and volumeType) for its real size"
    ]


def test_a_root_volume_type_without_a_size_is_8_gib_of_that_type() -> None:
    result = run(res(EC2, "web", instanceType="t3.micro", rootBlockDevice={"volumeType": "gp3"}))
    root = line(result, "web", "GiB-months")
    assert root.monthly_cost_usd == 8 * gib_month("gp3")
    assert root.description.startswith("EBS gp3 root volume: 8 GiB assumed")
    assert len(result.warnings) == 1 and "8 GiB gp3 is assumed" in result.warnings[0]


def test_a_given_root_volume_size_is_priced_as_given_without_a_warning() -> None:
    result = run(
        res(EC2, "web", instanceType="t3.micro", rootBlockDevice={"volumeSize": 30, "volumeType": "gp3"})
    )
    root = line(result, "web", "GiB-months")
    assert root.quantity == D(30) and root.monthly_cost_usd == 30 * gib_month("gp3")
    assert "assumed" not in root.description
    assert result.warnings == []


def test_each_instance_with_an_assumed_root_volume_gets_its_own_warning() -> None:
    result = run(
        res(EC2, "a", instanceType="t3.micro"),
        res(EC2, "b", instanceType="t3.micro", rootBlockDevice={"volumeSize": 20}),
        res(EC2, "c", instanceType="t3.micro"),
    )
    assert [w.split(":")[0] for w in result.warnings] == ["a", "c"]


def test_a_launch_template_root_volume_left_to_the_ami_stays_unpriced() -> None:
    template = res("aws:ec2/launchTemplate:LaunchTemplate", "tpl", instanceType="m5.large")
    group = res(
        "aws:autoscaling/group:Group",
        "asg",
        launchTemplate={"id": "tpl"},
        minSize=1,
        maxSize=1,
        desiredCapacity=1,
    )
    result = run(template, group)
    roots = [ln for ln in result.lines if ln.resource == "asg" and ln.unit == "GiB-months"]
    assert len(roots) == 1 and roots[0].monthly_cost_usd is None
    assert "give the root volume a size in blockDeviceMappings of tpl" in roots[0].reason
    assert result.warnings == []
