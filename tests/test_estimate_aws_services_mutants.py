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
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate, Line
from aiinfra.estimate.rules.aws_services import rds_iops_baseline
from aiinfra.estimate.usage import ResourceUsage, UsageFile

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


def line(result: Estimate, resource: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == resource and ln.unit == unit]
    assert len(found) == 1, (
        f"one {unit} line for {resource}: {[(ln.resource, ln.unit) for ln in result.lines]}"
    )
    return found[0]


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
