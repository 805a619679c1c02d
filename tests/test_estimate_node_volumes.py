"""The EBS volumes of self-managed nodes: an Auto Scaling group's launch configuration (rootBlockDevice,
ebsBlockDevices) or launch template (blockDeviceMappings), and the launch configuration or template inside a
CloudFormation node group's template, priced per average running node; a root volume left to the AMI is an
unpriced line naming where to give its size, never a guess and never silently absent. Prices come from the
shipped catalog."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.usage import PROFILES

D = Decimal
CATALOG = default_catalog()
DAY = dt.date(2026, 12, 4)
URN = "urn:pulumi:test::p"
ASG = "aws:autoscaling/group:Group"
LC = "aws:ec2/launchConfiguration:LaunchConfiguration"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
CFN = "aws:cloudformation/stack:Stack"


def res(type_: str, name: str, inputs: dict[str, Any]) -> PlannedResource:
    return PlannedResource(
        type=type_, name=name, urn=f"{URN}::{type_}::{name}", parent=None, inputs=inputs, custom=True
    )


def run(*resources: PlannedResource) -> Estimate:
    graph = ResourceGraph(
        stack="test", project="p", resources=list(resources), config={"aws:region": "us-east-1"}
    )
    return estimate(graph, CATALOG, profile=PROFILES["training-steady"], today=DAY)


def lines(result: Estimate, name: str, unit: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == name and ln.unit == unit]


def ebs(kind: str) -> Decimal:
    found = CATALOG.storage_price("aws", "ebs", kind, "us-east-1")
    assert found is not None, f"the catalog prices EBS {kind} in us-east-1"
    return found.usd_per_gib_month


def machine(kind: str) -> Decimal:
    offer = CATALOG.offer(kind, "us-east-1")
    assert offer is not None and offer.on_demand is not None
    return offer.on_demand


def test_a_launch_configurations_root_and_extra_volumes_are_charged_on_its_group_per_node() -> None:
    config = res(
        LC,
        "workers-lc",
        {
            "instanceType": "c5.large",
            "rootBlockDevice": {"volumeSize": 50, "volumeType": "gp3"},
            "ebsBlockDevices": [
                {"deviceName": "/dev/sdb", "volumeSize": 100, "volumeType": "gp2"},
                {"deviceName": "/dev/sdc", "snapshotId": "snap-1"},  # size from the snapshot: not guessed
            ],
        },
    )
    group = res(ASG, "workers", {"launchConfiguration": "workers-lc", "minSize": 3, "maxSize": 3})
    result = run(config, group)
    root, extra = lines(result, "workers", "GiB-months")
    assert root.quantity == 50 * 3 and root.monthly_cost_usd == 150 * ebs("gp3")
    assert root.description.startswith("EBS gp3 root volumes of workers-lc: 50 GiB × 3.00")
    assert extra.quantity == 100 * 3 and extra.monthly_cost_usd == 300 * ebs("gp2")
    (nodes,) = lines(result, "workers", "node-hours")
    assert result.monthly_cost_usd == nodes.monthly_cost_usd + 150 * ebs("gp3") + 300 * ebs("gp2")  # type: ignore[operator]
    assert not result.unpriced and [f.resource for f in result.free] == ["workers-lc"]


def test_a_launch_configuration_without_a_root_size_leaves_an_unpriced_line_naming_the_field() -> None:
    config = res(LC, "lc", {"instanceType": "c5.large"})
    group = res(ASG, "asg", {"launchConfiguration": "lc", "minSize": 2, "maxSize": 2})
    result = run(config, group)
    (root,) = lines(result, "asg", "GiB-months")
    assert root.monthly_cost_usd is None and root.unit_price_usd is None
    assert "their size and type come from the AMI" in root.description
    assert "give the root volume a size in rootBlockDevice of lc" in root.reason
    assert result.monthly_cost_usd == 2 * 730 * machine("c5.large"), "the total holds the nodes only"
    assert [u.resource for u in result.unpriced] == ["asg"]


def test_a_groups_launch_template_volumes_are_charged_on_the_template_like_a_node_groups() -> None:
    template = res(
        LT,
        "lt",
        {
            "instanceType": "t3.large",
            "blockDeviceMappings": [{"ebs": {"volumeSize": 80, "volumeType": "gp3"}}],
        },
    )
    group = res(
        ASG, "asg", {"launchTemplate": {"id": "lt-id"}, "minSize": 1, "desiredCapacity": 2, "maxSize": 4}
    )
    result = run(template, group)
    (disk,) = lines(result, "lt", "GiB-months")
    assert disk.quantity == 80 * 2 and disk.monthly_cost_usd == 160 * ebs("gp3")
    assert "root volume of asg" in disk.description
    assert not lines(result, "asg", "GiB-months"), "charged once, on the template"
    assert not result.unpriced


def test_a_mixed_groups_template_volumes_follow_every_running_node_of_both_parts() -> None:
    template = res(LT, "lt", {"blockDeviceMappings": [{"ebs": {"volumeSize": 10, "volumeType": "gp3"}}]})
    group = res(
        ASG,
        "mixed",
        {
            "minSize": 4,
            "desiredCapacity": 4,
            "maxSize": 4,
            "mixedInstancesPolicy": {
                "instancesDistribution": {"onDemandPercentageAboveBaseCapacity": 50},
                "launchTemplate": {
                    "launchTemplateSpecification": {"launchTemplateId": "lt-id"},
                    "overrides": [{"instanceType": "c5.large"}],
                },
            },
        },
    )
    (disk,) = lines(run(template, group), "lt", "GiB-months")
    assert disk.quantity == 10 * 4, "2 on-demand + 2 spot nodes, each with its 10 GiB"


def test_a_group_on_a_template_without_volumes_has_an_unpriced_ami_root_line() -> None:
    template = res(LT, "lt", {"instanceType": "t3.large"})
    group = res(ASG, "asg", {"launchTemplate": {"name": "lt"}, "minSize": 1, "maxSize": 1})
    result = run(template, group)
    (root,) = lines(result, "asg", "GiB-months")
    assert root.monthly_cost_usd is None and "blockDeviceMappings of lt" in root.reason
    assert [f.resource for f in result.free] == ["lt"]


def test_an_eks_node_group_on_a_template_without_volumes_has_an_unpriced_ami_root_line() -> None:
    template = res(LT, "lt", {"imageId": "ami-1"})
    group = res(
        "aws:eks/nodeGroup:NodeGroup",
        "ng",
        {
            "instanceTypes": ["t3.large"],
            "launchTemplate": {"id": "lt-id", "version": "1"},
            "scalingConfig": {"minSize": 1, "desiredSize": 1, "maxSize": 1},
        },
    )
    (root,) = lines(run(template, group), "ng", "GiB-months")
    assert root.monthly_cost_usd is None and "blockDeviceMappings of lt" in root.reason
    assert "diskSize" not in root.description, "EKS's 20 GiB default applies only without a launch template"


TEMPLATE = """\
Parameters:
  Size:
    Type: Number
    Default: 40
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      InstanceType: t3.medium
      ImageId: ami-1
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: {VolumeSize: !Ref Size, VolumeType: gp3}
  NodeGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: 2
      MaxSize: 2
      DesiredCapacity: 2
      LaunchConfigurationName: !Ref Config
"""


def test_a_cloudformation_launch_configurations_block_device_mappings_are_charged_on_the_stack() -> None:
    result = run(res(CFN, "nodes", {"templateBody": TEMPLATE, "parameters": {"Size": "60"}}))
    (root,) = lines(result, "nodes", "GiB-months")
    assert root.quantity == 60 * 2, "VolumeSize: !Ref Size takes the stack's parameter"
    assert root.monthly_cost_usd == 120 * ebs("gp3")
    assert root.description.startswith("NodeGroup: EBS gp3 root volumes of Config (stack nodes)")
    assert result.monthly_cost_usd == 2 * 730 * machine("t3.medium") + 120 * ebs("gp3")


def test_a_volume_size_the_template_computes_at_deploy_time_is_not_priced_as_zero() -> None:
    body = TEMPLATE.replace("!Ref Size", "!ImportValue shared-size")
    result = run(res(CFN, "nodes", {"templateBody": body}))
    (root,) = lines(result, "nodes", "GiB-months")
    assert root.monthly_cost_usd is None, "an unresolved VolumeSize is unknown, never 0 GiB"


def test_a_pulumi_eks_classic_stack_charges_its_graph_launch_configurations_root_volume() -> None:
    config = res(
        LC,
        "ng-nodeLaunchConfiguration",
        {"instanceType": "t2.medium", "rootBlockDevice": {"volumeSize": 20, "volumeType": "gp2"}},
    )
    body = json.dumps(
        {
            "Resources": {
                "NodeGroup": {
                    "Type": "AWS::AutoScaling::AutoScalingGroup",
                    "Properties": {
                        "DesiredCapacity": 2,
                        "MinSize": 1,
                        "MaxSize": 2,
                        "LaunchConfigurationName": "ng-nodeLaunchConfiguration-b65391a",
                    },
                }
            }
        }
    )
    result = run(config, res(CFN, "ng-nodes", {"templateBody": body}))
    (root,) = lines(result, "ng-nodes", "GiB-months")
    assert root.quantity == 20 * 2 and root.monthly_cost_usd == 40 * ebs("gp2")
    assert "root volumes of ng-nodeLaunchConfiguration" in root.description
