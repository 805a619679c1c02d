"""AWS rules (estimate/rules/aws.py) seen through `estimate`: an instance's root volume of the default type,
an Auto Scaling group at an edge location tagged in the list form, a CloudFormation group's maximum size and
spot launch configuration and a template's free IAM policy, a patch version of EKS, a catalog without the
EKS calendar, FSx for Lustre on HDD, a mixed group sized to zero, the minimum size a profile bills, and the
free AWS configuration resources. Prices come from the catalog. Written to kill the mutants
bench/mutation.py found alive."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.catalog.edge import EDGE_LOCATION_TAG
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate, Line
from aiinfra.estimate.rules.aws import eks_support
from aiinfra.estimate.usage import PROFILES, Profile

CATALOG = default_catalog()
DAY = dt.date(2026, 12, 4)
REGION = "us-east-1"
STEADY = PROFILES["training-steady"]  # the desired nodes all month
DIURNAL = PROFILES["inference-diurnal"]  # half the month at max nodes, half at min


def res(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, profile: Profile = STEADY) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": REGION})
    return estimate(graph, CATALOG, profile=profile, today=DAY)


def lines_of(result: Estimate, name: str, unit: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == name and ln.unit == unit]


def one(result: Estimate, name: str, unit: str) -> Line:
    found = lines_of(result, name, unit)
    assert len(found) == 1, (
        f"one {unit} line for {name}, got {[(ln.resource, ln.unit) for ln in result.lines]}"
    )
    return found[0]


def hourly(instance_type: str, option: str = "on_demand") -> Decimal:
    offer = CATALOG.offer(instance_type, REGION)
    assert offer is not None and offer.price(option) is not None, (instance_type, option)
    return offer.price(option)  # type: ignore[return-value]


def ebs_month(tier: str) -> Decimal:
    price = CATALOG.storage_price("aws", "ebs", tier, REGION)
    assert price is not None and price.usd_per_gib_month is not None, tier
    return price.usd_per_gib_month


def test_an_instance_root_volume_without_a_type_is_a_gp3_root_volume() -> None:
    result = run(
        res("aws:ec2/instance:Instance", "box", instanceType="m5.large", rootBlockDevice={"volumeSize": 100})
    )
    root = one(result, "box", "GiB-months")
    assert root.description == "EBS gp3 root volume: 100 GiB × 1.00 (average nodes)"
    assert root.quantity == 100
    assert root.monthly_cost_usd == 100 * ebs_month("gp3") != 100 * ebs_month("gp2")


def test_an_autoscaling_group_tagged_with_an_edge_location_in_the_list_form_is_priced_there() -> None:
    tags = [
        {"key": "team", "value": "ml", "propagateAtLaunch": True},
        {"key": EDGE_LOCATION_TAG, "value": "us-east-1-xyz-1a", "propagateAtLaunch": True},
    ]
    config = res("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", instanceType="m5.large")
    group = res(
        "aws:autoscaling/group:Group", "far", launchConfiguration="lc", minSize=1, maxSize=1, tags=tags
    )
    nodes = one(run(config, group), "far", "node-hours")
    assert nodes.monthly_cost_usd is None
    assert (
        nodes.reason
        == "edge location us-east-1-xyz-1a is not in the catalog (`infra catalog edge` lists them)"
    )
    plain = res(
        "aws:autoscaling/group:Group", "near", launchConfiguration="lc", minSize=1, maxSize=1, tags=tags[:1]
    )
    assert one(run(config, plain), "near", "node-hours").monthly_cost_usd == HOURS_PER_MONTH * hourly(
        "m5.large"
    )


TEMPLATE = """\
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      InstanceType: m5.large
      SpotPrice: "0.05"
  Nodes:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: 2
      DesiredCapacity: 3
      MaxSize: 6
      LaunchConfigurationName: !Ref Config
  NodePolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: nodes
"""


def test_a_template_group_bills_its_max_size_at_the_launch_configurations_spot_price() -> None:
    result = run(res("aws:cloudformation/stack:Stack", "classic", templateBody=TEMPLATE), profile=DIURNAL)
    nodes = one(result, "classic", "node-hours")
    assert nodes.quantity == (6 + 2) * HOURS_PER_MONTH / 2
    assert nodes.purchase_option == "spot" and nodes.unit_price_usd == hourly("m5.large", "spot")
    assert (
        "Config: SpotPrice requests spot instances, priced at the catalog's spot price" in nodes.assumptions
    )
    # an IAM policy in the template costs nothing: no 'other resources' line; what is unpriced is the nodes'
    # root volume, which the template leaves to the machine image
    assert [u.reason for u in result.unpriced] == [
        "an offline estimate does not read the image's block device mapping: give the root volume a size in "
        "BlockDeviceMappings of Config (stack classic) to price it"
    ]


def test_a_patch_version_of_eks_is_its_minor_version() -> None:
    result = run(
        res("aws:eks/cluster:Cluster", "patch", version="1.35.2"),
        res("aws:eks/cluster:Cluster", "minor", version="1.35"),
    )
    patch, minor = one(result, "patch", "cluster-hours"), one(result, "minor", "cluster-hours")
    assert patch.description == minor.description == "EKS control plane (Kubernetes 1.35, standard support)"
    assert patch.monthly_cost_usd == minor.monthly_cost_usd is not None


def test_without_an_eks_calendar_the_given_version_is_shown_and_a_missing_one_is_a_question_mark() -> None:
    note = "no EKS release calendar in the catalog: standard support assumed"
    assert eks_support([], "1.30", DAY) == ("standard", "1.30", [note])
    assert eks_support([], None, DAY) == ("standard", "?", [note])


def test_lustre_on_hdd_draws_hdd_power_and_on_ssd_ssd_power() -> None:
    result = run(
        res(
            "aws:fsx/lustreFileSystem:LustreFileSystem",
            "cold",
            deploymentType="PERSISTENT_1",
            perUnitStorageThroughput=12,
            storageType="HDD",
            storageCapacity=6000,
        ),
        res(
            "aws:fsx/lustreFileSystem:LustreFileSystem",
            "hot",
            deploymentType="SCRATCH_2",
            storageCapacity=2400,
        ),
    )
    cold, hot = one(result, "cold", "GiB-months"), one(result, "hot", "GiB-months")
    hdd, ssd = CATALOG.storage_power("hdd"), CATALOG.storage_power("ssd")
    assert hdd is not None and ssd is not None and hdd.w_per_tb != ssd.w_per_tb
    assert f"{hdd.w_per_tb} W/TB (hdd)" in cold.energy_detail
    assert f"{ssd.w_per_tb} W/TB (ssd)" in hot.energy_detail


def test_a_mixed_group_sized_to_zero_is_one_on_demand_line_of_no_hours() -> None:
    template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", imageId="ami-1")
    group = res(
        "aws:autoscaling/group:Group",
        "parked",
        minSize=0,
        desiredCapacity=0,
        maxSize=0,
        mixedInstancesPolicy={
            "instancesDistribution": {"onDemandPercentageAboveBaseCapacity": 50},
            "launchTemplate": {
                "launchTemplateSpecification": {"launchTemplateId": "lt-id"},
                "overrides": [{"instanceType": "m5.large"}],
            },
        },
    )
    (nodes,) = lines_of(run(template, group), "parked", "node-hours")
    assert nodes.purchase_option == "on_demand"
    assert nodes.quantity == 0 and nodes.monthly_cost_usd == 0


def test_a_profile_at_min_nodes_bills_the_groups_min_size() -> None:
    config = res("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", instanceType="m5.large")
    group = res(
        "aws:autoscaling/group:Group",
        "asg",
        launchConfiguration="lc",
        minSize=2,
        desiredCapacity=3,
        maxSize=5,
    )
    nodes = one(run(config, group, profile=DIURNAL), "asg", "node-hours")
    assert nodes.quantity == (5 + 2) * HOURS_PER_MONTH / 2
    assert nodes.monthly_cost_usd == nodes.quantity * hourly("m5.large")


def test_aws_configuration_resources_are_free_with_their_reason() -> None:
    result = run(
        res("aws:iam/role:Role", "role"),
        res("aws:kms/alias:Alias", "alias"),
        res("aws:s3/bucketVersioning:BucketVersioning", "versioning"),
    )
    assert {f.resource: f.reason for f in result.free} == {
        "role": "IAM: no charge",
        "alias": "KMS alias: no charge",
        "versioning": "S3 bucket configuration: no charge (storage is priced on the bucket)",
    }
    assert result.lines == [] and result.unsupported == []


def test_a_node_group_takes_the_instance_type_of_the_launch_template_its_id_names() -> None:
    first = res("aws:ec2/launchTemplate:LaunchTemplate", "lt-a", instanceType="t3.medium")
    second = res("aws:ec2/launchTemplate:LaunchTemplate", "lt-b", instanceType="m5.xlarge")
    group = res(
        "aws:eks/nodeGroup:NodeGroup",
        "workers",
        launchTemplate={"id": "lt-b-id", "version": "$Latest"},
        scalingConfig={"minSize": 2, "desiredSize": 2, "maxSize": 2},
    )
    nodes = one(run(first, second, group), "workers", "node-hours")
    assert "m5.xlarge" in nodes.description
    assert nodes.monthly_cost_usd == 2 * HOURS_PER_MONTH * hourly("m5.xlarge")


def test_an_instance_on_the_spot_market_is_priced_at_spot() -> None:
    result = run(
        res(
            "aws:ec2/instance:Instance",
            "spot",
            instanceType="m5.large",
            instanceMarketOptions={"marketType": "spot"},
        ),
        res("aws:ec2/instance:Instance", "plain", instanceType="m5.large"),
    )
    spot, plain = one(result, "spot", "instance-hours"), one(result, "plain", "instance-hours")
    assert spot.purchase_option == "spot" and spot.unit_price_usd == hourly("m5.large", "spot")
    assert plain.purchase_option == "on_demand" and plain.unit_price_usd == hourly("m5.large")
    assert spot.unit_price_usd != plain.unit_price_usd


def test_an_autoscaling_group_without_an_instance_type_anywhere_is_unpriced_with_the_reason() -> None:
    template = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", imageId="ami-1")
    group = res(
        "aws:autoscaling/group:Group",
        "blind",
        launchTemplate={"id": "lt-id"},
        minSize=1,
        desiredCapacity=2,
        maxSize=3,
    )
    (only,) = [ln for ln in run(template, group).lines if ln.resource == "blind"]
    assert (only.description, only.unit) == ("Auto Scaling group without an instance type", "node-hours")
    assert only.reason == (
        "no instanceType on the group's launch template, launch configuration or mixed-instances overrides"
    )
    assert only.monthly_cost_usd is None


def test_an_eks_version_that_is_no_minor_version_is_standard_support_and_says_so() -> None:
    plane = one(run(res("aws:eks/cluster:Cluster", "odd", version="latest")), "odd", "cluster-hours")
    assert plane.description == "EKS control plane (Kubernetes latest, standard support)"
    assert "version 'latest' is not a Kubernetes minor version: standard support assumed" in plane.assumptions
    standard = CATALOG.service_price("aws", "eks", "cluster-hour", REGION)
    assert standard is not None and plane.unit_price_usd == standard.usd


def test_a_log_group_is_its_ingested_gb_at_the_cloudwatch_logs_price() -> None:
    from aiinfra.estimate.usage import ResourceUsage, UsageFile

    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[res("aws:cloudwatch/logGroup:LogGroup", "logs")],
        config={"aws:region": REGION},
    )
    usage = UsageFile(resources={"logs": ResourceUsage.model_validate({"logIngestedGB": 50})})
    ingested = one(estimate(graph, CATALOG, usage=usage, today=DAY), "logs", "GB ingested")
    price = CATALOG.service_price("aws", "cloudwatch-logs", "gb-ingested", REGION)
    assert price is not None and price.usd is not None
    assert ingested.description == "CloudWatch Logs ingestion"
    assert ingested.quantity == 50 and ingested.monthly_cost_usd == 50 * price.usd
