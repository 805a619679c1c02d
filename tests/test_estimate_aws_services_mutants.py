"""AWS managed services (estimate/rules/aws_services.py) seen through `estimate`: an RDS instance without
storage, the gp3 IOPS every open-source engine includes, an Aurora cluster that names no engine and an
Aurora Serverless v1 one, a Valkey replication group, ECS services on EC2 or without their task definition,
a task with only one task-level size, a composite alarm, the DynamoDB capacity lines, unnamed SageMaker
variants, a single-node Redshift cluster and the free configuration types' reasons. Prices come from the
catalog. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate
from aiinfra.estimate.rules.aws_services import rds_iops_baseline
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
REGION = "us-east-1"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": REGION})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def service_usd(service: str, item: str) -> Decimal:
    price = CATALOG.service_price("aws", service, item, REGION)
    assert price is not None and price.usd is not None, (service, item)
    return price.usd


def test_an_rds_instance_without_allocated_storage_has_an_unpriced_storage_line() -> None:
    result = run(res("aws:rds/instance:Instance", "db", instanceClass="db.t3.large", engine="mysql"))
    storage = line(result, "db", "GB-months")
    assert storage.description == "RDS storage" and storage.reason == "no allocatedStorage"
    assert storage.monthly_cost_usd is None


@pytest.mark.parametrize("engine", ["mysql", "mariadb", "postgres"])
def test_gp3_includes_12000_iops_from_400_gib_on_every_open_source_engine(engine: str) -> None:
    """RDS user guide, gp3 storage: 3,000 IOPS below 400 GiB, 12,000 from 400 GiB (MySQL, MariaDB,
    PostgreSQL)."""
    assert rds_iops_baseline("gp3", D(400), engine) == 12_000
    assert rds_iops_baseline("gp3", D(399), engine) == 3_000
    assert rds_iops_baseline("gp3", D(400), "sqlserver-se") == 3_000


def test_an_aurora_cluster_without_an_engine_is_aurora() -> None:
    result = run(
        res("aws:rds/cluster:Cluster", "aurora"), aurora={"storageGiB": 100, "ioRequestsMillions": 5}
    )
    storage = line(result, "aurora", "GB-months")
    assert storage.description == "Aurora storage"
    assert storage.monthly_cost_usd == 100 * service_usd("aurora", "storage-gb-month")
    assert line(result, "aurora", "million I/O requests").monthly_cost_usd == 5 * service_usd(
        "aurora", "io-million-requests"
    )


def test_aurora_serverless_v1_is_unpriced_with_the_reason() -> None:
    result = run(res("aws:rds/cluster:Cluster", "v1", engine="aurora-mysql", engineMode="serverless"))
    only = line(result, "v1", "ACU-hours")
    assert only.description == "Aurora Serverless v1 cluster"
    assert only.reason == "Aurora Serverless v1 is not estimated"
    assert [ln.resource for ln in result.lines] == ["v1"]


def test_a_replication_group_names_its_engine() -> None:
    group = res(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "cache",
        engine="valkey",
        nodeType="cache.r7g.large",
        numCacheClusters=2,
    )
    nodes = line(run(group), "cache", "node-hours")
    assert nodes.description.startswith("ElastiCache valkey cache.r7g.large × 2")
    plain = res(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "plain",
        nodeType="cache.r7g.large",
        numCacheClusters=2,
    )
    assert line(run(plain), "plain", "node-hours").description.startswith(
        "ElastiCache redis cache.r7g.large × 2"
    )


def test_an_ecs_service_on_ec2_is_free_and_a_fargate_one_without_its_task_definition_is_unpriced() -> None:
    result = run(
        res(SERVICE, "on-ec2", launchType="EC2", desiredCount=3),
        res(SERVICE, "lost", launchType="FARGATE", desiredCount=3, taskDefinition="missing-id"),
    )
    assert [(f.resource, f.reason) for f in result.free] == [
        ("on-ec2", "ECS service on EC2 or external capacity: its tasks run on instances priced apart")
    ]
    tasks = line(result, "lost", "vCPU-hours")
    assert tasks.description == "Fargate tasks" and tasks.reason == "its task definition is not in the plan"


@pytest.mark.parametrize("sizes", [{"cpu": "1024"}, {"memory": "2048"}])
def test_a_task_definition_with_only_one_task_level_size_is_unpriced(sizes: dict[str, str]) -> None:
    task = res(TASK, "t", containerDefinitions="[]", **sizes)
    service = res(SERVICE, "s", taskDefinition="t-id", launchType="FARGATE", desiredCount=1)
    vcpu = line(run(task, service), "s", "vCPU-hours")
    assert vcpu.monthly_cost_usd is None and "no task-level cpu and memory" in vcpu.reason


def test_a_composite_alarm_is_one_alarm_month() -> None:
    alarm = line(run(res("aws:cloudwatch/compositeAlarm:CompositeAlarm", "both")), "both", "alarm-months")
    assert alarm.quantity == 1
    assert alarm.monthly_cost_usd == service_usd("cloudwatch-alarms", "composite-alarm-month")


def test_provisioned_capacity_lines_say_which_capacity_and_how_many_units() -> None:
    result = run(res("aws:dynamodb/table:Table", "orders", readCapacity=30, writeCapacity=20))
    assert line(result, "orders", "RCU-hours").description == "DynamoDB provisioned read capacity: 30 units"
    assert line(result, "orders", "WCU-hours").description == "DynamoDB provisioned write capacity: 20 units"


def test_unnamed_sagemaker_variants_are_named_by_their_position() -> None:
    config = res(
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "cfg",
        productionVariants=[{"serverlessConfig": {"maxConcurrency": 5}}, {"initialInstanceCount": 1}],
    )
    endpoint = res("aws:sagemaker/endpoint:Endpoint", "ep", endpointConfigName="cfg-id")
    result = run(config, endpoint)
    assert sorted(ln.description for ln in result.lines if ln.resource == "ep") == [
        "SageMaker serverless variant variant 0",
        "SageMaker variant variant 1",
    ]


def test_a_single_node_redshift_cluster_is_one_node_whatever_number_of_nodes_says() -> None:
    single = res(
        "aws:redshift/cluster:Cluster",
        "one",
        nodeType="dc2.large",
        clusterType="single-node",
        numberOfNodes=4,
    )
    default = res("aws:redshift/cluster:Cluster", "dflt", nodeType="dc2.large")
    result = run(single, default)
    for name in ("one", "dflt"):
        nodes = line(result, name, "node-hours")
        assert nodes.quantity == HOURS_PER_MONTH
        assert nodes.monthly_cost_usd == HOURS_PER_MONTH * service_usd("redshift", "dc2.large")


def test_free_configuration_types_give_their_reason() -> None:
    result = run(
        res("aws:ec2/keyPair:KeyPair", "key"),
        res("aws:iam/user:User", "user"),
        res("aws:appautoscaling/target:Target", "target"),
    )
    assert {f.resource: f.reason for f in result.free} == {
        "key": "EC2 key pair: no charge",
        "user": "IAM: no charge",
        "target": "Application Auto Scaling target or policy: no charge (what it scales is priced)",
    }


# -- the survivors of the measured run (bench/mutation-report.md, estimate/rules/aws_services.py) ------------


def fargate_task(name: str, family: str, cpu: str, memory: str, **inputs: Any) -> PlannedResource:
    return res(TASK, name, family=family, cpu=cpu, memory=memory, containerDefinitions="[]", **inputs)


def test_a_service_names_its_task_definition_by_family_among_several() -> None:
    small, large = fargate_task("a", "api", "256", "512"), fargate_task("b", "web", "1024", "2048")
    service = res(SERVICE, "s", taskDefinition="web", launchType="FARGATE", desiredCount=2)
    vcpu = line(run(small, large, service), "s", "vCPU-hours")
    assert vcpu.description == "Fargate vCPU: 2 tasks × 1 vCPU / 2 GB (b)"
    assert vcpu.quantity == 2 * HOURS_PER_MONTH


def test_the_only_task_definition_of_the_plan_is_the_one_an_unmatched_reference_means() -> None:
    only = fargate_task("t", "api", "512", "1024")
    service = res(
        SERVICE, "s", taskDefinition="arn:aws:ecs:us-east-1:1:task-definition/other:3", launchType="FARGATE"
    )
    result = run(only, service, s={"nodes": 1})
    vcpu = line(result, "s", "vCPU-hours")
    assert vcpu.description.endswith("(t)"), vcpu.description


def test_a_windows_fargate_task_is_unpriced_with_its_operating_system() -> None:
    task = fargate_task(
        "w", "win", "1024", "2048", runtimePlatform={"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}
    )
    service = res(SERVICE, "s", taskDefinition="win", launchType="FARGATE", desiredCount=1)
    vcpu = line(run(task, service), "s", "vCPU-hours")
    assert vcpu.monthly_cost_usd is None
    assert vcpu.reason == "WINDOWS_SERVER_2022_CORE Fargate tasks are not priced"


def test_gp3_from_400_gib_includes_12000_iops_so_12000_provisioned_cost_nothing_extra() -> None:
    db = res(
        "aws:rds/instance:Instance",
        "db",
        engine="postgres",
        instanceClass="db.m5.large",
        allocatedStorage=400,
        storageType="gp3",
        iops=12000,
    )
    result = run(db)
    assert [ln.unit for ln in result.lines if ln.resource == "db" and "IOPS" in ln.unit] == []


def test_a_bad_node_count_of_a_cache_cluster_is_named_by_its_field() -> None:
    result = run(res("aws:elasticache/cluster:Cluster", "c", nodeType="cache.t3.micro", numCacheNodes=-2))
    assert any("numCacheNodes" in message for message in result.invalid_inputs), result.invalid_inputs


def test_a_dynamodb_table_of_another_class_is_one_unpriced_line_with_the_class() -> None:
    result = run(res("aws:dynamodb/table:Table", "cold", tableClass="STANDARD_INFREQUENT_ACCESS"))
    (only,) = [ln for ln in result.lines if ln.resource == "cold"]
    assert only.description == "DynamoDB STANDARD_INFREQUENT_ACCESS table"
    assert only.monthly_cost_usd is None
    assert only.reason == "table class STANDARD_INFREQUENT_ACCESS is not priced"


def test_provisioned_capacity_not_given_is_zero_units() -> None:
    result = run(res("aws:dynamodb/table:Table", "reads", readCapacity=5))
    write = line(result, "reads", "WCU-hours")
    assert write.quantity == 0 and write.description == "DynamoDB provisioned write capacity: 0 units"


def test_a_sagemaker_variant_without_a_count_is_one_instance_and_a_configuration_without_variants_is_said() -> (
    None
):
    config = res(
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "cfg",
        productionVariants=[{"variantName": "main", "instanceType": "ml.m5.large"}],
    )
    empty = res("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "none", productionVariants=[])
    result = run(
        config,
        empty,
        res("aws:sagemaker/endpoint:Endpoint", "ep", endpointConfigName="cfg"),
        res("aws:sagemaker/endpoint:Endpoint", "idle", endpointConfigName="none"),
    )
    hosted = line(result, "ep", "instance-hours")
    assert hosted.quantity == HOURS_PER_MONTH
    assert hosted.description == "SageMaker real-time inference main: 1 × ml.m5.large (cfg)"
    (said,) = [ln for ln in result.lines if ln.resource == "idle"]
    assert (
        said.description == "SageMaker endpoint"
        and said.reason == "configuration none has no production variants"
    )


def test_cloudtrail_lines_cite_its_pricing_page_and_a_table_item_is_free() -> None:
    result = run(
        res("aws:cloudtrail/trail:Trail", "audit", s3BucketName="l"),
        res("aws:cloudtrail/trail:Trail", "copy", s3BucketName="l"),
        res("aws:dynamodb/tableItem:TableItem", "row", tableName="t", hashKey="k", item="{}"),
    )
    free = {f.resource: f.reason for f in result.free}
    assert "aws.amazon.com/cloudtrail/pricing" in free["audit"]
    assert "aws.amazon.com/cloudtrail/pricing" in line(result, "copy", "100,000 events").reason
    assert free["row"] == "DynamoDB item: no charge by itself (storage is priced on the table)"
    assert result.unsupported == []


# -- what the second measured run found unchecked (after the EKS Fargate rule was added) -------------------


def test_the_reasons_and_descriptions_of_usage_priced_and_free_aws_services() -> None:
    result = run(
        res("aws:ecr/repository:Repository", "repo"),
        res("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "att"),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", vpcEndpointType="Gateway"),
        res("aws:ecs/cluster:Cluster", "ecs"),
        res("aws:redshift/cluster:Cluster", "dw"),
    )
    assert line(result, "repo", "GB-months").reason == (
        "stored amount unknown: set storageGiB for repo in stacks/usage.t.yaml"
    )
    assert line(result, "att", "GB processed").reason == (
        "traffic unknown: set dataProcessedGB for att in stacks/usage.t.yaml"
    )
    free = {s.resource: s.reason for s in result.free}
    assert free["s3"] == "gateway VPC endpoint (S3, DynamoDB): no charge"
    assert free["ecs"] == (
        "ECS configuration: no charge (Fargate tasks are priced on their service; EC2 capacity as instances)"
    )
    redshift = line(result, "dw", "node-hours")
    assert (redshift.description, redshift.reason) == ("Redshift cluster without a nodeType", "no nodeType")


def test_a_gateway_load_balancer_endpoint_is_priced_at_its_own_rows() -> None:
    endpoint = res(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "gwlbe",
        vpcEndpointType="GatewayLoadBalancer",
        subnetIds=["a", "b"],
    )
    result = run(endpoint, gwlbe={"dataProcessedGB": 100})
    hours = line(result, "gwlbe", "AZ-hours")
    assert hours.monthly_cost_usd == 2 * HOURS_PER_MONTH * service_usd("vpc-endpoint", "gwlb-az-hour")
    processed = line(result, "gwlbe", "GB processed")
    assert processed.monthly_cost_usd == 100 * service_usd("vpc-endpoint", "gwlb-gb-processed")


def test_an_alarm_with_an_unusable_period_names_the_field() -> None:
    alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", metricName="CPUUtilization", period="often")
    result = run(alarm)
    (invalid,) = result.invalid_inputs
    assert invalid.startswith("cpu (aws:cloudwatch/metricAlarm:MetricAlarm): period = 'often' is not a count")


def test_a_sagemaker_variant_without_an_instance_type_says_so() -> None:
    config = res(
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "cfg",
        productionVariants=[{"variantName": "main", "initialInstanceCount": 1}],
    )
    result = run(config, res("aws:sagemaker/endpoint:Endpoint", "ep", endpointConfigName="cfg-id"))
    variant = line(result, "ep", "instance-hours")
    assert (variant.description, variant.reason) == ("SageMaker variant main", "no instanceType")


def test_eks_fargate_pods_say_they_are_an_average_over_the_billed_hours() -> None:
    profile = res("aws:eks/fargateProfile:FargateProfile", "apps")
    result = run(profile, apps={"pods": 2, "podVcpu": 0.25, "podMemoryGB": 0.5})
    vcpu = line(result, "apps", "vCPU-hours")
    assert (
        "EKS runs each Fargate pod on its own Fargate node, billed while the pod runs: the usage file's pods are "
        "an average over hoursPerMonth"
    ) in vcpu.assumptions
    assert vcpu.monthly_cost_usd == 2 * D("0.25") * HOURS_PER_MONTH * service_usd(
        "fargate", "linux-x86-vcpu-hour"
    )
