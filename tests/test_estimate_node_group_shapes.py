"""Node groups in every shape a program writes them, priced: EKS managed node groups on EKS's defaults, Auto
Scaling groups on launch configurations (spot by spotPrice) and mixed-instances policies (split on-demand /
spot), pulumi-eks classic node groups inside CloudFormation stacks (YAML with short tags, and JSON), GKE and
AKS defaults named, and component resources costing nothing themselves. Prices are read from the shipped
catalog, and each expected total is written out as count × hours × price."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.inputs import graph_from_state
from aiinfra.estimate import cloudformation as cfn
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.rules.aws import _split
from aiinfra.estimate.usage import PROFILES

D = Decimal
CATALOG = default_catalog()
DAY = dt.date(2026, 12, 4)
URN = "urn:pulumi:test::p"


def res(
    type_: str, name: str, inputs: dict[str, Any], parent: str | None = None, custom: bool = True
) -> PlannedResource:
    return PlannedResource(
        type=type_, name=name, urn=f"{URN}::{type_}::{name}", parent=parent, inputs=inputs, custom=custom
    )


def run(*resources: PlannedResource, config: dict[str, Any] | None = None) -> Estimate:
    graph = ResourceGraph(
        stack="test", project="p", resources=list(resources), config=config or {"aws:region": "us-east-1"}
    )
    return estimate(graph, CATALOG, profile=PROFILES["training-steady"], today=DAY)


def lines_of(result: Estimate, name: str, unit: str | None = None) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == name and (unit is None or ln.unit == unit)]


def one(result: Estimate, name: str, unit: str) -> Line:
    found = lines_of(result, name, unit)
    assert len(found) == 1, (
        f"expected one {unit} line for {name}, got {[(ln.resource, ln.unit) for ln in result.lines]}"
    )
    return found[0]


def price(instance_type: str, option: str = "on_demand", region: str = "us-east-1") -> Decimal:
    offer = CATALOG.offer(instance_type, region)
    assert offer is not None and offer.price(option) is not None, (
        f"the catalog prices {instance_type} {option}"
    )
    return offer.price(option)  # type: ignore[return-value]


# -- EKS managed node groups ---------------------------------------------------------------------------------


def test_an_eks_node_group_without_instance_types_or_scaling_runs_two_t3_medium_and_says_so() -> None:
    result = run(res("aws:eks/nodeGroup:NodeGroup", "ng", {"clusterName": "c", "subnetIds": ["s"]}))
    nodes = one(result, "ng", "node-hours")
    assert "t3.medium" in nodes.description and nodes.quantity == 2 * 730, "EKS's default: 2 × t3.medium"
    assert nodes.monthly_cost_usd == 2 * 730 * price("t3.medium") == D("60.736")
    assert "no instanceTypes: EKS's default instance type t3.medium" in nodes.assumptions
    assert "no scalingConfig: EKS's defaults minSize 1, desiredSize 2, maxSize 2" in nodes.assumptions
    disk = one(result, "ng", "GiB-months")
    assert disk.quantity == 20 * 2, "20 GiB root volume on each of the 2 nodes"
    assert disk.monthly_cost_usd == 40 * D("0.10"), "gp2 at $0.10 per GB-month in us-east-1"
    assert "no diskSize: EKS's default 20 GiB (Linux)" in disk.assumptions
    assert result.monthly_cost_usd == D("60.736") + D("4.00")


def test_an_eks_node_group_with_its_own_sizes_names_no_default() -> None:
    group = res(
        "aws:eks/nodeGroup:NodeGroup",
        "ng",
        {
            "instanceTypes": ["c5.large"],
            "scalingConfig": {"minSize": 1, "desiredSize": 3, "maxSize": 5},
            "diskSize": 50,
        },
    )
    result = run(group)
    nodes = one(result, "ng", "node-hours")
    assert nodes.monthly_cost_usd == 3 * 730 * price("c5.large")
    assert not [a for a in nodes.assumptions if "default" in a], "nothing was assumed"
    assert one(result, "ng", "GiB-months").quantity == 50 * 3


# -- Auto Scaling groups ---------------------------------------------------------------------------------------


def test_an_autoscaling_group_on_a_launch_configuration_with_a_spot_price_is_priced_at_spot() -> None:
    config = res(
        "aws:ec2/launchConfiguration:LaunchConfiguration",
        "workers-lc",
        {"imageId": "ami-1", "instanceType": "t3.large", "spotPrice": "0.05"},
    )
    group = res(
        "aws:autoscaling/group:Group",
        "workers",
        {"launchConfiguration": "workers-lc-id", "minSize": 1, "desiredCapacity": 3, "maxSize": 6},
    )
    result = run(config, group)
    nodes = one(result, "workers", "node-hours")
    assert nodes.purchase_option == "spot", "spotPrice on the launch configuration requests spot"
    assert nodes.unit_price_usd == price("t3.large", "spot") == D("0.0324")
    assert nodes.monthly_cost_usd == 3 * 730 * D("0.0324") == D("70.956")
    assert any("spotPrice 0.05" in a for a in nodes.assumptions), "the spot request is named"
    assert [f.resource for f in result.free] == ["workers-lc"], "the launch configuration itself is free"


def test_an_autoscaling_group_on_a_launch_configuration_without_spot_price_is_on_demand() -> None:
    config = res("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", {"instanceType": "c5.large"})
    group = res(
        "aws:autoscaling/group:Group", "asg", {"launchConfiguration": "lc", "minSize": 2, "maxSize": 2}
    )
    nodes = one(run(config, group), "asg", "node-hours")
    assert nodes.purchase_option == "on_demand"
    assert nodes.monthly_cost_usd == 2 * 730 * price("c5.large") == D("124.1")
    assert "no desiredCapacity: the group starts at minSize (2)" in nodes.assumptions


def test_a_mixed_instances_policy_splits_the_group_into_on_demand_and_spot_lines() -> None:
    template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", {"imageId": "ami-1"})
    group = res(
        "aws:autoscaling/group:Group",
        "mixed",
        {
            "minSize": 2,
            "desiredCapacity": 10,
            "maxSize": 12,
            "mixedInstancesPolicy": {
                "instancesDistribution": {
                    "onDemandBaseCapacity": 2,
                    "onDemandPercentageAboveBaseCapacity": 25,
                },
                "launchTemplate": {
                    "launchTemplateSpecification": {"launchTemplateId": "lt-id"},
                    "overrides": [{"instanceType": "c5.large"}, {"instanceType": "m5.large"}],
                },
            },
        },
    )
    result = run(template, group)
    on_demand, spot = lines_of(result, "mixed", "node-hours")
    assert on_demand.purchase_option == "on_demand" and spot.purchase_option == "spot"
    assert on_demand.quantity == 4 * 730, "2 base + 25 % of the 8 above it = 4 on-demand"
    assert spot.quantity == 6 * 730, "the other 6 are spot"
    assert on_demand.monthly_cost_usd == 4 * 730 * price("c5.large") == D("248.2")
    assert spot.monthly_cost_usd == 6 * 730 * price("c5.large", "spot") == D("124.392")
    assert on_demand.description.startswith("on-demand part: ") and spot.description.startswith("spot part: ")
    assert any("the first (c5.large) priced" in a for a in spot.assumptions), "the override choice is named"
    assert result.monthly_cost_usd == D("248.2") + D("124.392")


@pytest.mark.parametrize(
    ("desired", "base", "percent", "expected"),
    [(5, 0, 50, (3, 2)), (10, 2, 25, (4, 6)), (1, 0, 0, (0, 1)), (3, 5, 0, (3, 0)), (0, 0, 50, (0, 0))],
)
def test_the_on_demand_share_of_a_mixed_group_rounds_up_in_favour_of_on_demand(
    desired: int, base: int, percent: int, expected: tuple[int, int]
) -> None:
    assert _split(desired, base, percent) == expected, "EC2 Auto Scaling rounds the on-demand share up"


def test_a_mixed_group_that_is_all_spot_has_one_spot_line() -> None:
    group = res(
        "aws:autoscaling/group:Group",
        "spotty",
        {
            "minSize": 0,
            "desiredCapacity": 2,
            "maxSize": 4,
            "mixedInstancesPolicy": {
                "instancesDistribution": {"onDemandPercentageAboveBaseCapacity": 0},
                "launchTemplate": {"overrides": [{"instanceType": "t3.medium"}]},
            },
        },
    )
    (only,) = lines_of(run(group), "spotty", "node-hours")
    assert only.purchase_option == "spot" and only.monthly_cost_usd == 2 * 730 * price("t3.medium", "spot")


# -- CloudFormation stacks (pulumi-eks classic node groups) ---------------------------------------------------

TEMPLATE_YAML = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  NodeType:
    Type: String
    Default: t3.medium
Resources:
  NodeLaunchConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0123
      InstanceType: !Ref NodeType
      UserData: !Base64
        Fn::Sub: "#!/bin/bash\\n/etc/eks/bootstrap.sh ${AWS::StackName}"
  NodeGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      DesiredCapacity: 3
      MinSize: 1
      MaxSize: 5
      LaunchConfigurationName: !Ref NodeLaunchConfig
      VPCZoneIdentifier: !Split [",", !ImportValue subnets]
Outputs:
  NodeGroup:
    Value: !GetAtt NodeGroup.Arn
"""


def test_a_cloudformation_yaml_template_with_short_tags_prices_desired_times_its_launch_configuration() -> (
    None
):
    result = run(res("aws:cloudformation/stack:Stack", "nodes", {"templateBody": TEMPLATE_YAML}))
    (nodes,) = lines_of(result, "nodes", "node-hours")
    assert nodes.quantity == 3 * 730, "DesiredCapacity 3 all month"
    assert "t3.medium" in nodes.description, "InstanceType: !Ref NodeType resolves to the parameter's default"
    assert nodes.monthly_cost_usd == 3 * 730 * price("t3.medium") == D("91.104")
    assert nodes.description.startswith("NodeGroup: "), "the template's logical ID names the line"
    assert any("Auto Scaling group NodeGroup" in a for a in nodes.assumptions)
    (root,) = lines_of(result, "nodes", "GiB-months")
    assert root.monthly_cost_usd is None and "BlockDeviceMappings of NodeLaunchConfig" in root.reason, (
        "the configuration is free, but without BlockDeviceMappings its nodes' root volumes are the AMI's"
    )
    assert result.monthly_cost_usd == D("91.104"), "the total holds the nodes, not a guessed volume"


def test_a_stack_parameter_overrides_the_templates_default() -> None:
    stack = res(
        "aws:cloudformation/stack:Stack",
        "nodes",
        {"templateBody": TEMPLATE_YAML, "parameters": {"NodeType": "t3.large"}},
    )
    (nodes,) = lines_of(run(stack), "nodes", "node-hours")
    assert nodes.monthly_cost_usd == 3 * 730 * price("t3.large")


def test_a_pulumi_eks_classic_node_group_takes_the_type_from_the_graphs_launch_configuration() -> None:
    """pulumi-eks writes the launch configuration's physical name into a JSON template; the configuration
    is a sibling resource of the stack under the NodeGroup component."""
    component = res("eks:index:NodeGroup", "workers", {}, custom=False)
    config = res(
        "aws:ec2/launchConfiguration:LaunchConfiguration",
        "workers-nodeLaunchConfiguration",
        {"instanceType": "t3.large", "imageId": "ami-1"},
        parent=component.urn,
    )
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "NodeGroup": {
                "Type": "AWS::AutoScaling::AutoScalingGroup",
                "Properties": {
                    "DesiredCapacity": "2",
                    "MinSize": "1",
                    "MaxSize": "4",
                    "LaunchConfigurationName": "workers-nodeLaunchConfiguration-6c3b1a2",
                    "VPCZoneIdentifier": ["subnet-1"],
                },
            }
        },
    }
    stack = res(
        "aws:cloudformation/stack:Stack",
        "workers-nodes",
        {"templateBody": json.dumps(template)},
        parent=component.urn,
    )
    result = run(component, config, stack)
    (nodes,) = lines_of(result, "workers-nodes", "node-hours")
    assert nodes.monthly_cost_usd == 2 * 730 * price("t3.large") == D("121.472")
    assert any("launch configuration workers-nodeLaunchConfiguration" in a for a in nodes.assumptions)
    assert not lines_of(result, "workers"), "the component itself has no line"
    assert "workers" not in [s.resource for s in result.unsupported], "a component is not unsupported"
    assert result.monthly_cost_usd == D("121.472"), "the component's children are priced, and only they"


def test_a_template_group_on_a_launch_template_of_the_graph_takes_its_type_and_market() -> None:
    template = res(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "gpu-lt",
        {"instanceType": "t3.large", "instanceMarketOptions": {"marketType": "spot"}},
    )
    body = json.dumps(
        {
            "Resources": {
                "Group": {
                    "Type": "AWS::AutoScaling::AutoScalingGroup",
                    "Properties": {
                        "MinSize": 1,
                        "MaxSize": 3,
                        "DesiredCapacity": 1,
                        "LaunchTemplate": {"LaunchTemplateId": "gpu-lt-id", "Version": "1"},
                    },
                }
            }
        }
    )
    (nodes,) = lines_of(
        run(template, res("aws:cloudformation/stack:Stack", "s", {"templateBody": body})), "s", "node-hours"
    )
    assert nodes.purchase_option == "spot", "the launch template's market options apply"
    assert nodes.monthly_cost_usd == 730 * price("t3.large", "spot")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Resources: !!python/object/apply:os.system ['echo hi']", "not a template this tool can read"),
        ("Resources:\n  X: !Unknown thing\n", "not a template this tool can read"),
        (
            "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "aliases",
        ),
        ("{not json", "not JSON"),
        ("- just\n- a list\n", "not a mapping"),
    ],
)
def test_a_template_that_cannot_be_read_safely_leaves_the_stack_unpriced_with_the_reason(
    body: str, said: str
) -> None:
    result = run(res("aws:cloudformation/stack:Stack", "s", {"templateBody": body}))
    (only,) = lines_of(result, "s")
    assert only.monthly_cost_usd is None, "an unread template is unpriced, never $0"
    assert said in only.reason, f"the reason says why: {only.reason}"


def test_the_template_loader_reads_short_tags_as_their_long_form_and_constructs_nothing_else() -> None:
    doc = cfn.parse("A: !Ref X\nB: !GetAtt R.Arn\nC: !Sub 'a-${X}'\nD: !Select [0, !GetAZs '']\n")
    assert doc == {
        "A": {"Ref": "X"},
        "B": {"Fn::GetAtt": ["R", "Arn"]},
        "C": {"Fn::Sub": "a-${X}"},
        "D": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
    }


def test_other_billable_resources_in_a_template_are_named_in_an_unpriced_line() -> None:
    body = TEMPLATE_YAML.replace("Outputs:", "  Cache:\n    Type: AWS::ElastiCache::CacheCluster\nOutputs:")
    result = run(res("aws:cloudformation/stack:Stack", "nodes", {"templateBody": body}))
    other = [
        ln for ln in lines_of(result, "nodes") if ln.monthly_cost_usd is None and ln.unit != "GiB-months"
    ]
    assert len(other) == 1 and "AWS::ElastiCache::CacheCluster" in other[0].reason


# -- GKE and AKS defaults --------------------------------------------------------------------------------------


def test_a_gke_node_pool_without_a_count_is_unpriced_and_one_without_a_machine_type_names_e2_medium() -> None:
    gcp = {"gcp:region": "us-central1"}
    sized = res("gcp:container/nodePool:NodePool", "sized", {"location": "us-central1-a", "nodeCount": 2})
    unsized = res("gcp:container/nodePool:NodePool", "unsized", {"location": "us-central1-a"})
    result = run(sized, unsized, config=gcp)
    nodes = one(result, "sized", "node-hours")
    assert "e2-medium" in nodes.description
    assert "no nodeConfig.machineType: GKE's default e2-medium" in nodes.assumptions
    assert nodes.quantity == 2 * 730, "2 nodes all month"
    assert nodes.unit_price_usd == price("e2-medium", region="us-central1") == Decimal("0.03350571"), (
        "e2-medium from the GCP general table (pricing.yml's us-central1 hour: 1 vCPU + 4 GiB billed)"
    )
    assert nodes.monthly_cost_usd == 2 * 730 * price("e2-medium", region="us-central1")
    missing = one(result, "unsized", "node-hours")
    assert missing.monthly_cost_usd is None and "node count is unknown" in missing.reason, "never $0"


def test_an_aks_agent_pool_without_a_count_names_the_default_of_one_node() -> None:
    pool = res(
        "azure-native:containerservice:AgentPool",
        "pool",
        {"resourceName": "aks", "resourceGroupName": "rg", "vmSize": "Standard_D4s_v5", "location": "eastus"},
    )
    nodes = one(run(pool, config={"azure-native:location": "eastus"}), "pool", "node-hours")
    assert nodes.quantity == 730 and "no count: AKS's default of 1 node" in nodes.assumptions


# -- a pulumi stack export --------------------------------------------------------------------------------------


def test_a_stack_export_with_a_default_node_group_and_a_classic_stack_is_priced_line_by_line() -> None:
    project = "urn:pulumi:dev::eks"
    provider = f"{project}::pulumi:providers:aws::default_7_7_0"
    doc = {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-12-01T00:00:00Z"},
            "resources": [
                {
                    "urn": f"{project}::pulumi:pulumi:Stack::eks-dev",
                    "custom": False,
                    "type": "pulumi:pulumi:Stack",
                },
                {
                    "urn": provider,
                    "custom": True,
                    "id": "p1",
                    "type": "pulumi:providers:aws",
                    "inputs": {"region": "eu-west-1"},
                },
                {
                    "urn": f"{project}::aws:eks/cluster:Cluster::c",
                    "custom": True,
                    "type": "aws:eks/cluster:Cluster",
                    "inputs": {"version": "1.32", "roleArn": "arn"},
                    "provider": f"{provider}::p1",
                },
                {
                    "urn": f"{project}::aws:eks/nodeGroup:NodeGroup::ng",
                    "custom": True,
                    "type": "aws:eks/nodeGroup:NodeGroup",
                    "inputs": {"clusterName": "c"},
                    "provider": f"{provider}::p1",
                },
                {
                    "urn": f"{project}::aws:cloudformation/stack:Stack::classic",
                    "custom": True,
                    "type": "aws:cloudformation/stack:Stack",
                    "inputs": {"templateBody": TEMPLATE_YAML},
                    "provider": f"{provider}::p1",
                },
            ],
        },
    }
    result = estimate(graph_from_state(doc), CATALOG, profile=PROFILES["training-steady"], today=DAY)
    eu = "eu-west-1"
    assert (
        one(result, "ng", "node-hours").monthly_cost_usd
        == 2 * 730 * price("t3.medium", region=eu)
        == D("66.576")
    )
    assert one(result, "ng", "GiB-months").monthly_cost_usd == 40 * D("0.11") == D("4.40")
    assert one(result, "classic", "node-hours").monthly_cost_usd == 3 * 730 * D("0.0456") == D("99.864")
    plane = one(result, "c", "cluster-hours")
    assert plane.unit_price_usd == D("0.60"), "1.32 left standard support on 2026-03-23: extended support"
    assert plane.monthly_cost_usd == 730 * D("0.60") == D("438")
    assert result.monthly_cost_usd == D("66.576") + D("4.40") + D("99.864") + D("438")
    assert not result.unsupported
    assert [(u.resource, "BlockDeviceMappings of NodeLaunchConfig" in u.reason) for u in result.unpriced] == [
        ("classic", True)
    ], "all is priced but the classic group's root volumes, which its template leaves to the AMI"
