"""Estimates of the AWS managed services real programs create (estimate/rules/aws_services.py): each rule's
lines with their quantity, the catalog row's unit price and the monthly cost; usage-based quantities taken
from the usage file, else unpriced with the key to set; free types listed free; and one program planned
and estimated end to end through the CLI."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.catalog.load import DATA_DIR
from aiinfra.cli.main import app
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.inputs import BadNumber
from aiinfra.estimate.model import Estimate
from aiinfra.estimate.rules.aws import ebs_performance
from aiinfra.estimate.rules.aws_services import (
    FREE_TYPES,
    alarm_metrics,
    cache_item,
    fargate_size,
    rds_iops_baseline,
    replication_group_nodes,
)
from aiinfra.estimate.usage import ResourceUsage, UsageFile, UsageFileError, read_usage_file
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()


def res(type_token: str, name: str, parent: str | None = None, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=parent,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, region: str = "us-east-1", **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def units(result: Estimate, resource: str) -> list[str]:
    return sorted(ln.unit for ln in result.lines if ln.resource == resource)


def price(service: str, item: str, region: str = "us-east-1") -> Decimal:
    row = CATALOG.service_price("aws", service, item, region)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item}"
    return row.usd


# -- RDS and Aurora -------------------------------------------------------------------------------------------


RDS = "aws:rds/instance:Instance"


def test_a_single_az_mysql_db_t3_large_is_730_hours_at_0_136_and_its_gp2_storage_at_0_115() -> None:
    db = res(RDS, "db", instanceClass="db.t3.large", engine="mysql", allocatedStorage=20)
    result = run(db)
    hours = line(result, "db", "instance-hours")
    assert price("rds-instance", "db.t3.large/mysql") == D("0.136"), "the catalog row this test relies on"
    assert (hours.quantity, hours.unit_price_usd, hours.monthly_cost_usd) == (730, D("0.136"), D("99.280"))
    storage = line(result, "db", "GB-months")
    assert (storage.quantity, storage.unit_price_usd, storage.monthly_cost_usd) == (
        20,
        D("0.115"),
        D("2.300"),
    )
    assert "no storageType: RDS's default gp2" in storage.assumptions
    assert units(result, "db") == ["GB-months", "instance-hours"], "gp2 has no IOPS line"
    assert "rds/pricing" in hours.source


def test_multi_az_bills_the_standby_as_a_second_instance_with_its_own_storage_and_iops() -> None:
    db = res(
        RDS,
        "db",
        instanceClass="db.t3.large",
        engine="postgres",
        multiAz=True,
        allocatedStorage=100,
        storageType="gp3",
        iops=5000,
    )
    result = run(db)
    hours = line(result, "db", "instance-hours")
    assert (hours.quantity, hours.unit_price_usd) == (1460, D("0.145"))
    assert hours.monthly_cost_usd == D("211.700") and "Multi-AZ (primary + standby)" in hours.description
    storage = line(result, "db", "GB-months")
    assert (storage.quantity, storage.monthly_cost_usd) == (200, D("23.000"))
    iops = line(result, "db", "IOPS-months")
    assert (iops.quantity, iops.unit_price_usd, iops.monthly_cost_usd) == (4000, D("0.02"), D("80.00")), (
        "5,000 IOPS − the 3,000 gp3 includes below 400 GB, × 2 copies, at $0.02"
    )


def test_io1_iops_are_all_billed_and_gp3_includes_12000_from_400_gb() -> None:
    assert rds_iops_baseline("io1", D(100), "mysql") == 0
    assert rds_iops_baseline("gp3", D(399), "postgres") == 3000
    assert rds_iops_baseline("gp3", D(400), "mysql") == 12000
    assert rds_iops_baseline("gp3", D(400), "sqlserver-se") == 3000
    db = res(RDS, "db", instanceClass="db.m5.large", engine="mysql", allocatedStorage=100, iops=1200)
    result = run(db)
    assert line(result, "db", "GB-months").description.startswith("RDS io1 storage"), "iops without type: io1"
    iops = line(result, "db", "IOPS-months")
    assert (iops.quantity, iops.unit_price_usd, iops.monthly_cost_usd) == (1200, D("0.10"), D("120.00"))


def test_an_unknown_instance_class_names_the_closest_one_and_a_licensed_engine_says_why() -> None:
    result = run(
        res(RDS, "odd", instanceClass="db.t3.mirco", engine="mysql", allocatedStorage=20),
        res(RDS, "mssql", instanceClass="db.m5.large", engine="sqlserver-se", allocatedStorage=20),
    )
    odd = line(result, "odd", "instance-hours")
    assert odd.monthly_cost_usd is None and odd.quantity == 730
    assert odd.reason == (
        "db.t3.mirco is not an RDS instance class in this catalog (catalog/data/aws/rds-instance.csv); "
        "did you mean db.t3.micro?"
    )
    mssql = line(result, "mssql", "instance-hours")
    assert mssql.monthly_cost_usd is None and "engine sqlserver-se" in mssql.reason
    assert line(result, "mssql", "GB-months").monthly_cost_usd == D("2.300"), "its storage is still priced"
    assert {s.resource for s in result.unpriced} == {"odd", "mssql"}


def test_a_read_replica_takes_engine_and_storage_from_its_source_and_multi_az_must_be_true() -> None:
    source = res(
        RDS,
        "primary",
        instanceClass="db.m5.large",
        engine="postgres",
        allocatedStorage=100,
        storageType="gp3",
    )
    replica = res(
        RDS, "replica", instanceClass="db.t4g.micro", replicateSourceDb="primary-id", multiAz="false"
    )
    result = run(source, replica)
    hours = line(result, "replica", "instance-hours")
    assert (hours.quantity, hours.unit_price_usd) == (730, D("0.016")), "postgres db.t4g.micro, Single-AZ"
    storage = line(result, "replica", "GB-months")
    assert (storage.quantity, storage.description) == (100, "RDS gp3 storage: 100 GB × 1 (copies)")
    assert "read replica of primary: its engine and storage unless given here" in storage.assumptions


def test_outside_us_east_1_the_region_s_own_price_prices_the_instance() -> None:
    db = res(RDS, "db", instanceClass="db.t3.large", engine="mysql", allocatedStorage=20)
    hours = line(run(db, region="eu-west-1"), "db", "instance-hours")
    row = CATALOG.service_price("aws", "rds-instance", "db.t3.large/mysql", "eu-west-1")
    assert (
        row is not None
        and row.region == "eu-west-1"
        and row.usd != price("rds-instance", "db.t3.large/mysql")
    )
    assert hours.unit_price_usd == row.usd and hours.source == row.source


AURORA = "aws:rds/cluster:Cluster"
AURORA_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"


def test_an_aurora_cluster_volume_needs_usage_and_its_instances_are_priced_by_class() -> None:
    cluster = res(AURORA, "aurora", engine="aurora-postgresql")
    writer = res(AURORA_INSTANCE, "writer", instanceClass="db.t3.large", engine="aurora-postgresql")
    without = run(cluster, writer)
    assert "set storageGiB for aurora" in line(without, "aurora", "GB-months").reason
    assert "set ioRequestsMillions for aurora" in line(without, "aurora", "million I/O requests").reason
    node = line(without, "writer", "instance-hours")
    assert (node.quantity, node.unit_price_usd, node.monthly_cost_usd) == (730, D("0.164"), D("119.720"))
    priced = run(cluster, writer, aurora={"storageGiB": 100, "ioRequestsMillions": 52.56})
    assert line(priced, "aurora", "GB-months").monthly_cost_usd == D("10.00")
    assert line(priced, "aurora", "million I/O requests").monthly_cost_usd == D("10.5120")


def test_aurora_io_optimized_has_no_io_line_and_serverless_v2_is_acu_hours_from_usage() -> None:
    cluster = res(AURORA, "aurora", engine="aurora-mysql", storageType="aurora-iopt1")
    serverless = res(AURORA_INSTANCE, "sv2", instanceClass="db.serverless", engine="aurora-mysql")
    result = run(cluster, serverless, aurora={"storageGiB": 10}, sv2={"capacityUnits": 2})
    assert units(result, "aurora") == ["GB-months"], "I/O-Optimized storage includes its I/O"
    iopt = line(result, "aurora", "GB-months")
    assert iopt.monthly_cost_usd is None, "no sourced I/O-Optimized storage price: unpriced, never $0"
    acu = line(result, "sv2", "ACU-hours")
    assert (acu.quantity, acu.unit_price_usd, acu.monthly_cost_usd) == (1460, D("0.12"), D("175.20"))
    no_usage = line(run(serverless), "sv2", "ACU-hours")
    assert no_usage.monthly_cost_usd is None and "set capacityUnits for sv2" in no_usage.reason


# -- ElastiCache ------------------------------------------------------------------------------------------------


def test_the_price_item_of_a_node_names_its_engine_except_redis() -> None:
    assert cache_item("cache.r7g.large", "redis") == "cache.r7g.large"
    assert cache_item("cache.r7g.large", "memcached") == "cache.r7g.large/memcached"
    assert cache_item("cache.r7g.large", "valkey") == "cache.r7g.large/valkey"
    assert cache_item("cache.r7g.large", "dragonfly") == "cache.r7g.large/dragonfly", (
        "unknown: no row prices it"
    )


def test_replication_group_nodes_are_shards_times_primary_plus_replicas() -> None:
    assert replication_group_nodes({"numNodeGroups": 3, "replicasPerNodeGroup": 2})[0] == 9
    assert replication_group_nodes({"numCacheClusters": 2})[0] == 2
    assert replication_group_nodes({}) == (1, "no numCacheClusters or numNodeGroups: one node")


def test_elasticache_nodes_are_node_type_times_nodes_and_a_member_cluster_is_free() -> None:
    group = res(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "cache",
        nodeType="cache.m4.large",
        numNodeGroups=2,
        replicasPerNodeGroup=1,
    )
    member = res("aws:elasticache/cluster:Cluster", "member", replicationGroupId="cache-id")
    memcached = res(
        "aws:elasticache/cluster:Cluster",
        "mc",
        engine="memcached",
        nodeType="cache.t3.micro",
        numCacheNodes=2,
    )
    valkey = res("aws:elasticache/cluster:Cluster", "vk", engine="valkey", nodeType="cache.t3.micro")
    result = run(group, member, memcached, valkey)
    nodes = line(result, "cache", "node-hours")
    assert (nodes.quantity, nodes.unit_price_usd, nodes.monthly_cost_usd) == (2920, D("0.156"), D("455.520"))
    assert line(result, "mc", "node-hours").monthly_cost_usd == D("24.820"), "2 × 730 h × $0.017"
    assert "member" in {s.resource for s in result.free} and not units(result, "member")
    vk = line(result, "vk", "node-hours")
    assert (vk.unit_price_usd, vk.monthly_cost_usd) == (D("0.0136"), D("9.9280")), (
        "Valkey nodes cost less than Redis: their own row, never the Redis one"
    )


EC_JSON = (
    "LeanerCloud/ec2-instances-info data/elasticache-instances.json @32acf84f42eb1b5d4f4b95bb3e749a75fbae94f9"
)
ELASTICACHE_CLUSTER = "aws:elasticache/cluster:Cluster"
ELASTICACHE_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
CATALOG_EC_SOURCE = next(
    ln.removeprefix("@source ")
    for ln in (DATA_DIR / "aws" / "elasticache.csv").read_text().splitlines()
    if ln.startswith("@source ")
)


@pytest.mark.parametrize(
    ("region", "node_type", "engine", "price"),
    [
        # pricing.<region>.<Redis|Memcached|Valkey>.ondemand as data/elasticache-instances.json lists them
        ("eu-west-1", "cache.t3.micro", "redis", "0.018"),
        ("eu-west-1", "cache.t3.micro", "memcached", "0.018"),
        ("eu-west-1", "cache.t3.micro", "valkey", "0.0144"),
        ("ap-southeast-2", "cache.t4g.small", "valkey", "0.0384"),
        ("sa-east-1", "cache.t2.micro", "redis", "0.03"),
        ("eu-central-1", "cache.r5.4xlarge", "redis", "2.075"),
        ("ap-northeast-1", "cache.m6g.12xlarge", "valkey", "3.6664"),
    ],
)
def test_elasticache_nodes_outside_us_east_1_get_their_regions_price(
    region: str, node_type: str, engine: str, price: str
) -> None:
    cluster = res("aws:elasticache/cluster:Cluster", "c", engine=engine, nodeType=node_type, numCacheNodes=2)
    nodes = line(run(cluster, region=region), "c", "node-hours")
    assert (nodes.quantity, nodes.unit_price_usd) == (1460, D(price))
    assert nodes.monthly_cost_usd == D(price) * 1460
    item = node_type + ("/valkey" if engine == "valkey" else "")
    row = CATALOG.service_price("aws", "elasticache", item, region)
    assert row is not None and row.region == region, "a regional row, not a fallback for every region"
    assert EC_JSON.split(" @")[0] in row.source and EC_JSON.split(" @")[1] in row.source


def test_elasticache_in_a_region_the_price_list_does_not_cover_is_unpriced_not_the_us_east_price() -> None:
    assert CATALOG.service_price("aws", "elasticache", "cache.t3.micro", "*") is None
    cluster = res("aws:elasticache/cluster:Cluster", "c", nodeType="cache.t3.micro")
    nodes = line(run(cluster, region="ap-east-2"), "c", "node-hours")
    assert nodes.monthly_cost_usd is None and "cache.t3.micro" in nodes.reason


def elasticache_source_row(node_type: str, region: str) -> dict[str, str] | None:
    """The (node type, region) line of catalog/data/aws/elasticache.csv, read here with the csv module (not the
    catalog's reader): its redis / memcached / valkey prices as written."""
    text = (DATA_DIR / "aws" / "elasticache.csv").read_text()
    data = [ln for ln in text.splitlines() if ln.strip() and ln[0] not in "#@"]
    for row in csv.DictReader(data):
        if (row["node_type"], row["region"]) == (node_type, region):
            return row
    return None


@pytest.mark.parametrize(
    ("kind", "node_type", "engine", "region", "inputs", "nodes"),
    [
        # types the old YAML subset did not price outside us-east-1
        (ELASTICACHE_GROUP, "cache.r7g.large", "redis", "eu-west-1", {"numCacheClusters": 3}, 3),
        (ELASTICACHE_GROUP, "cache.m7g.xlarge", "valkey", "ap-southeast-2", {"numNodeGroups": 2}, 2),
        (
            ELASTICACHE_GROUP,
            "cache.r6gd.xlarge",
            "redis",
            "ap-southeast-2",
            {"numNodeGroups": 2, "replicasPerNodeGroup": 1},
            4,
        ),
        (ELASTICACHE_CLUSTER, "cache.m5.large", "memcached", "ap-southeast-2", {"numCacheNodes": 3}, 3),
        (ELASTICACHE_CLUSTER, "cache.r6g.2xlarge", "redis", "eu-west-1", {}, 1),
        (ELASTICACHE_CLUSTER, "cache.r6gd.xlarge", "valkey", "eu-west-1", {}, 1),
    ],
)
def test_elasticache_groups_and_clusters_in_any_region_are_priced_at_the_tables_row(
    kind: str, node_type: str, engine: str, region: str, inputs: dict[str, Any], nodes: int
) -> None:
    row = elasticache_source_row(node_type, region)
    assert row is not None and row[engine], f"{node_type} {engine} in {region} is in the table"
    cache = res(kind, "cache", engine=engine, nodeType=node_type, **inputs)
    priced = line(run(cache, region=region), "cache", "node-hours")
    assert (priced.quantity, priced.unit_price_usd) == (730 * nodes, D(row[engine]))
    assert priced.monthly_cost_usd == D(row[engine]) * 730 * nodes and priced.reason == ""
    assert EC_JSON in priced.source, "the line names the price list and its commit"


def test_memcached_on_a_node_type_that_only_runs_redis_and_valkey_is_unpriced_not_the_redis_price() -> None:
    row = elasticache_source_row("cache.r6gd.xlarge", "eu-west-1")
    assert row is not None and row["redis"] and not row["memcached"], "data tiering (r6gd) has no Memcached"
    cache = res(ELASTICACHE_CLUSTER, "mc", engine="memcached", nodeType="cache.r6gd.xlarge", numCacheNodes=2)
    nodes = line(run(cache, region="eu-west-1"), "mc", "node-hours")
    assert nodes.monthly_cost_usd is None and nodes.unit_price_usd is None
    assert nodes.reason == (
        "catalog/data/aws/elasticache.csv has no cache.r6gd.xlarge/memcached price in any region "
        f"(source: {CATALOG_EC_SOURCE})"
    )


def test_elasticache_in_a_region_the_table_lacks_is_unpriced_naming_the_table_and_where_it_prices() -> None:
    assert elasticache_source_row("cache.r7g.large", "ap-east-2") is None
    cache = res(ELASTICACHE_GROUP, "cache", nodeType="cache.r7g.large", numCacheClusters=2)
    nodes = line(run(cache, region="ap-east-2"), "cache", "node-hours")
    assert nodes.monthly_cost_usd is None and nodes.unit_price_usd is None
    text = (DATA_DIR / "aws" / "elasticache.csv").read_text()
    regions = sorted(ln.split(",")[1] for ln in text.splitlines() if ln.startswith("cache.r7g.large,"))
    assert len(regions) > 6 and "ap-east-2" not in regions
    assert nodes.reason == (
        f"catalog/data/aws/elasticache.csv has no cache.r7g.large price in ap-east-2 (source: {CATALOG_EC_SOURCE}); "
        f"it prices cache.r7g.large in {len(regions)} regions: {', '.join(regions[:6])}, …"
    )


def test_an_elasticache_node_type_the_table_does_not_list_is_unpriced_with_the_closest_name() -> None:
    cache = res(ELASTICACHE_CLUSTER, "typo", nodeType="cache.r7g.lage")
    nodes = line(run(cache, region="eu-west-1"), "typo", "node-hours")
    assert nodes.monthly_cost_usd is None
    assert nodes.reason == (
        f"cache.r7g.lage is not in catalog/data/aws/elasticache.csv (source: {CATALOG_EC_SOURCE}). "
        "Did you mean 'cache.r7g.large'?"
    )


# -- load balancers -------------------------------------------------------------------------------------------------


def test_an_alb_is_hours_plus_lcus_from_usage_and_unpriced_lcus_name_the_key() -> None:
    alb = res("aws:lb/loadBalancer:LoadBalancer", "web", internal=True)
    without = run(alb)
    hours = line(without, "web", "LB-hours")
    assert (hours.quantity, hours.unit_price_usd, hours.monthly_cost_usd) == (730, D("0.0225"), D("16.4250"))
    lcu = line(without, "web", "LCU-hours")
    assert lcu.monthly_cost_usd is None
    assert lcu.reason == "capacity units unknown: set capacityUnits for web in stacks/usage.t.yaml"
    priced = line(run(alb, web={"capacityUnits": 2}), "web", "LCU-hours")
    assert (priced.quantity, priced.unit_price_usd, priced.monthly_cost_usd) == (
        1460,
        D("0.008"),
        D("11.680"),
    )


def test_an_nlb_uses_the_nlcu_price_and_the_alb_token_is_priced_too() -> None:
    nlb = res("aws:lb/loadBalancer:LoadBalancer", "nlb", loadBalancerType="network")
    legacy = res("aws:alb/loadBalancer:LoadBalancer", "legacy")
    result = run(nlb, legacy, nlb={"capacityUnits": 1})
    assert line(result, "nlb", "LCU-hours").unit_price_usd == D("0.006")
    assert "Network Load Balancer" in line(result, "nlb", "LB-hours").description
    assert line(result, "legacy", "LB-hours").monthly_cost_usd == D("16.4250")


def test_a_classic_load_balancer_is_hours_plus_gb_processed_from_usage() -> None:
    elb = res("aws:elb/loadBalancer:LoadBalancer", "classic")
    without = run(elb)
    hours = line(without, "classic", "LB-hours")
    assert (hours.unit_price_usd, hours.monthly_cost_usd) == (D("0.025"), D("18.250"))
    assert "set dataProcessedGB for classic" in line(without, "classic", "GB processed").reason
    priced = line(run(elb, classic={"dataProcessedGB": 10000}), "classic", "GB processed")
    assert (priced.unit_price_usd, priced.monthly_cost_usd) == (D("0.008"), D("80.000"))


# -- ECS on Fargate ---------------------------------------------------------------------------------------------------


def test_fargate_sizes_read_cpu_units_and_mib_or_words() -> None:
    assert fargate_size("256", "512") == (D("0.25"), D("0.5"))
    assert fargate_size("1 vCPU", "2 GB") == (D(1), D(2))
    assert fargate_size(4096, "30GB") == (D(4), D(30))
    with pytest.raises(BadNumber, match="cpu = 'lots' is not a Fargate size"):
        fargate_size("lots", "512")


TASK = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"


def test_a_fargate_service_is_desired_tasks_times_vcpu_and_gb_hours() -> None:
    task = res(TASK, "api-task", family="api", cpu="512", memory="1024", requiresCompatibilities=["FARGATE"])
    service = res(
        SERVICE,
        "api",
        taskDefinition="arn:aws:ecs:us-east-1:1:taskdefinition/api-task",
        launchType="FARGATE",
        desiredCount=3,
    )
    result = run(task, service)
    vcpu = line(result, "api", "vCPU-hours")
    assert (vcpu.quantity, vcpu.unit_price_usd) == (D("1095.0"), D("0.04048")), "3 tasks × 0.5 vCPU × 730 h"
    assert vcpu.monthly_cost_usd == D("44.32560")
    gb = line(result, "api", "GB-hours")
    assert (gb.quantity, gb.unit_price_usd, gb.monthly_cost_usd) == (D("2190"), D("0.004445"), D("9.734550"))
    assert "api-task" in {s.resource for s in result.free}, "the task definition itself is free"


def test_arm_tasks_use_arm_prices_extra_ephemeral_storage_is_charged_and_ec2_services_are_free() -> None:
    task = res(
        TASK,
        "t",
        cpu="1024",
        memory="2048",
        runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        ephemeralStorage={"sizeInGib": 50},
    )
    fargate = res(
        SERVICE,
        "arm",
        taskDefinition="t-id",
        capacityProviderStrategies=[{"capacityProvider": "FARGATE"}],
        desiredCount=1,
    )
    on_ec2 = res(SERVICE, "ec2", taskDefinition="t-id", launchType="EC2", desiredCount=5)
    result = run(task, fargate, on_ec2)
    assert line(result, "arm", "vCPU-hours").unit_price_usd == D("0.03238")
    assert line(result, "arm", "GB-hours").unit_price_usd == D("0.00356")
    disk = line(result, "arm", "ephemeral GB-hours")
    assert (disk.quantity, disk.unit_price_usd) == (30 * 730, D("0.000111")), "50 GiB − the free 20"
    assert "ec2" in {s.resource for s in result.free} and not units(result, "ec2")


def test_a_task_definition_without_task_level_sizes_is_unpriced_with_the_reason() -> None:
    task = res(TASK, "t", containerDefinitions="[]")
    service = res(SERVICE, "s", taskDefinition="t-id", launchType="FARGATE", desiredCount=1)
    result = run(task, service)
    vcpu = line(result, "s", "vCPU-hours")
    assert vcpu.monthly_cost_usd is None and "no task-level cpu and memory" in vcpu.reason
    assert result.invalid_inputs == [], "a missing size is not a bad input"


def test_a_fargate_service_without_desired_count_runs_ecs_default_zero_tasks_and_says_so() -> None:
    task = res(TASK, "t", cpu="256", memory="512")
    service = res(SERVICE, "idle", taskDefinition="t-id", launchType="FARGATE")
    vcpu = line(run(task, service), "idle", "vCPU-hours")
    assert vcpu.monthly_cost_usd == 0 and "no desiredCount: ECS's default 0 tasks" in vcpu.assumptions


# -- ECR, endpoints, transit gateway, alarms -----------------------------------------------------------------------


def test_ecr_storage_comes_from_usage() -> None:
    repo = res("aws:ecr/repository:Repository", "images")
    assert "set storageGiB for images" in line(run(repo), "images", "GB-months").reason
    priced = line(run(repo, images={"storageGiB": 50}), "images", "GB-months")
    assert (priced.unit_price_usd, priced.monthly_cost_usd) == (D("0.10"), D("5.00"))


def test_an_interface_endpoint_is_billed_per_az_hour_and_per_gb_and_a_gateway_endpoint_is_free() -> None:
    interface = res(
        "aws:ec2/vpcEndpoint:VpcEndpoint", "ssm", vpcEndpointType="Interface", subnetIds=["a", "b"]
    )
    gateway = res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3")
    result = run(interface, gateway)
    hours = line(result, "ssm", "AZ-hours")
    assert (hours.quantity, hours.unit_price_usd, hours.monthly_cost_usd) == (1460, D("0.01"), D("14.60"))
    assert "set dataProcessedGB for ssm" in line(result, "ssm", "GB processed").reason
    assert "s3" in {s.resource for s in result.free} and not units(result, "s3")
    with_traffic = line(run(interface, ssm={"dataProcessedGB": 1000}), "ssm", "GB processed")
    assert with_traffic.monthly_cost_usd == D("10.00")


def test_a_transit_gateway_attachment_is_hours_plus_gb_processed() -> None:
    attachment = res("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "tgw-a")
    tgw = res("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw")
    result = run(attachment, tgw, **{"tgw-a": {"dataProcessedGB": 1000}})
    assert line(result, "tgw-a", "attachment-hours").monthly_cost_usd == D("36.50")
    processed = line(result, "tgw-a", "GB processed")
    assert (processed.unit_price_usd, processed.monthly_cost_usd) == (D("0.02"), D("20.00"))
    assert "tgw" in {s.resource for s in result.free}, "the transit gateway itself bills through attachments"


def test_alarm_metrics_count_queries_resolution_and_anomaly_bands() -> None:
    assert alarm_metrics({"period": 300}) == (1, False, False)
    assert alarm_metrics({"period": 10}) == (1, True, False)
    queries = [{"metric": {"period": 60}}, {"metric": {"period": 60}}, {"expression": "m1+m2"}]
    assert alarm_metrics({"metricQueries": queries}) == (2, False, False)
    assert alarm_metrics({"metricQueries": queries[:1], "thresholdMetricId": "ad1"}) == (3, False, True)


def test_alarms_are_priced_per_alarm_metric_month() -> None:
    standard = res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", period=300)
    high = res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast", period=10)
    result = run(standard, high)
    assert line(result, "cpu", "alarm metric-months").monthly_cost_usd == D("0.10")
    fast = line(result, "fast", "alarm metric-months")
    assert (fast.unit_price_usd, fast.monthly_cost_usd) == (D("0.30"), D("0.30"))


# -- DynamoDB, SageMaker, Redshift, EBS ---------------------------------------------------------------------------------


def test_a_provisioned_table_pays_capacity_units_every_hour() -> None:
    table = res("aws:dynamodb/table:Table", "orders", readCapacity=30, writeCapacity=20)
    result = run(table)
    wcu = line(result, "orders", "WCU-hours")
    assert (wcu.quantity, wcu.unit_price_usd, wcu.monthly_cost_usd) == (14600, D("0.00065"), D("9.49000"))
    rcu = line(result, "orders", "RCU-hours")
    assert (rcu.quantity, rcu.monthly_cost_usd) == (21900, D("2.84700"))
    assert "set storageGiB for orders" in line(result, "orders", "GB-months").reason


def test_an_on_demand_table_takes_request_units_from_usage() -> None:
    table = res("aws:dynamodb/table:Table", "events", billingMode="PAY_PER_REQUEST")
    without = run(table)
    assert (
        "set writeRequestsMillions for events"
        in line(without, "events", "million write request units").reason
    )
    assert (
        "set readRequestsMillions for events" in line(without, "events", "million read request units").reason
    )
    priced = run(table, events={"writeRequestsMillions": 3, "readRequestsMillions": 8, "storageGiB": 230})
    assert line(priced, "events", "million write request units").monthly_cost_usd == D("1.875")
    assert line(priced, "events", "million read request units").monthly_cost_usd == D("1.000")
    assert line(priced, "events", "GB-months").monthly_cost_usd == D("57.50")


CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"


def test_a_sagemaker_endpoint_pays_each_variants_instances_and_its_configuration_is_free() -> None:
    config = res(
        CONFIG,
        "llm-config",
        productionVariants=[
            {"variantName": "a", "instanceType": "ml.g5.xlarge", "initialInstanceCount": 2, "modelName": "m"},
            {
                "variantName": "b",
                "instanceType": "ml.p4d.24xlarge",
                "initialInstanceCount": 1,
                "modelName": "m",
            },
            {"variantName": "c", "serverlessConfig": {"maxConcurrency": 5, "memorySizeInMb": 2048}},
        ],
    )
    endpoint = res("aws:sagemaker/endpoint:Endpoint", "llm", endpointConfigName="llm-config-id")
    result = run(config, endpoint)
    lines = {ln.description.split(":")[0]: ln for ln in result.lines if ln.resource == "llm"}
    a = lines["SageMaker real-time inference a"]
    assert (a.quantity, a.unit_price_usd, a.monthly_cost_usd) == (1460, D("1.408"), D("2055.680"))
    b = lines["SageMaker real-time inference b"]
    assert b.monthly_cost_usd is None and "item: ml.p4d.24xlarge" in b.reason
    c = lines["SageMaker serverless variant c"]
    assert c.monthly_cost_usd is None and "compute-seconds" in c.reason
    assert "llm-config" in {s.resource for s in result.free}


def test_a_redshift_cluster_is_nodes_times_node_hours_and_ra3_storage_needs_usage() -> None:
    dc2 = res(
        "aws:redshift/cluster:Cluster", "dw", nodeType="dc2.large", clusterType="multi-node", numberOfNodes=4
    )
    ra3 = res("aws:redshift/cluster:Cluster", "lake", nodeType="ra3.xlplus", clusterType="single-node")
    result = run(dc2, ra3)
    nodes = line(result, "dw", "node-hours")
    assert (nodes.quantity, nodes.unit_price_usd, nodes.monthly_cost_usd) == (2920, D("0.25"), D("730.00"))
    assert units(result, "dw") == ["node-hours"], "DC2 storage is in the node price"
    lake = line(result, "lake", "node-hours")
    assert (lake.quantity, lake.monthly_cost_usd) == (730, 730 * D("1.086")), (
        "ra3.xlplus: the feed's us-east-1"
    )
    assert "set storageGiB for lake" in line(result, "lake", "GB-months").reason
    mexico = line(run(ra3, region="mx-central-1"), "lake", "node-hours")
    assert mexico.monthly_cost_usd is None and "item: ra3.xlplus" in mexico.reason, "no row there, no '*' row"


def test_ebs_performance_bills_io1_iops_and_gp3_above_its_baseline() -> None:
    assert ebs_performance("gp3", 3000, 125) == [], "the baseline is included"
    assert ebs_performance("gp2", 6000, None) == [], "gp2 performance scales with size, no charge"
    assert [q for _, q, _, _ in ebs_performance("gp3", 4000, 250)] == [1000, 125]
    volumes = run(
        res("aws:ebs/volume:Volume", "fast", type="io1", size=100, iops=3000),
        res("aws:ebs/volume:Volume", "tuned", type="gp3", size=40, iops=4000, throughput=250),
        res("aws:ebs/volume:Volume", "plain", type="gp2", size=10),
    )
    assert line(volumes, "fast", "GiB-months").monthly_cost_usd == D("12.500")
    iops = line(volumes, "fast", "IOPS-months")
    assert (iops.quantity, iops.unit_price_usd, iops.monthly_cost_usd) == (3000, D("0.065"), D("195.000"))
    assert line(volumes, "tuned", "IOPS-months").monthly_cost_usd == D("5.000")
    assert line(volumes, "tuned", "MiB/s-months").monthly_cost_usd == D("5.00")
    assert units(volumes, "plain") == ["GiB-months"]


EBS_FEED = "meteredUnitMaps/ec2/USD/current/ebs.json"
EBS_SNAPSHOT = "yeo/ec2.shop data/ebs/ebs.json @576c890f33ae177837e93499866aa04a0ac4fa89"


@pytest.mark.parametrize(
    ("region", "gp3", "iops", "mibps"),
    [
        # AWS's EBS calculator feed (hawkFilePublicationDate 2024-07-18): regions.<location>.
        # "Storage General Purpose gp3 GB Mo", "Provisioned EBS IOPS gp3 Volumes per IOPS Mo",
        # "Provisioned Throughput gp3 per GiBps mo" (45.056 and 49.152 per GiB/s: / 1024 per MiB/s)
        ("eu-west-1", "0.088", "0.0055", "0.044"),
        ("ap-southeast-2", "0.096", "0.006", "0.048"),
    ],
)
def test_a_gp3_volume_outside_the_us_is_priced_at_its_regions_feed_figures(
    region: str, gp3: str, iops: str, mibps: str
) -> None:
    tuned = res("aws:ebs/volume:Volume", "tuned", type="gp3", size=100, iops=4000, throughput=250)
    result = run(tuned, region=region)
    storage = line(result, "tuned", "GiB-months")
    assert (storage.unit_price_usd, storage.monthly_cost_usd) == (D(gp3), D(gp3) * 100)
    extra_iops = line(result, "tuned", "IOPS-months")
    assert (extra_iops.quantity, extra_iops.unit_price_usd) == (1000, D(iops))
    throughput = line(result, "tuned", "MiB/s-months")
    assert (throughput.quantity, throughput.unit_price_usd) == (125, D(mibps))
    for ln in (storage, extra_iops, throughput):
        assert EBS_FEED in ln.source and EBS_SNAPSHOT in ln.source and ln.reason == ""
    assert not storage.assumptions, "a regional row, not a default for every region"


def test_io1_and_io2_outside_the_us_use_the_regions_rows_and_io2_where_the_feed_has_none_is_unpriced() -> (
    None
):
    fast = res("aws:ebs/volume:Volume", "fast", type="io1", size=100, iops=3000)
    eu = run(fast, region="eu-west-1")
    assert line(eu, "fast", "GiB-months").unit_price_usd == D("0.138"), "feed: Storage Provisioned IOPS io1"
    assert line(eu, "fast", "IOPS-months").monthly_cost_usd == D("0.072") * 3000
    io2 = res("aws:ebs/volume:Volume", "db", type="io2", size=100, iops=3000)
    paris = run(io2, region="eu-west-3")
    storage, iops = line(paris, "db", "GiB-months"), line(paris, "db", "IOPS-months")
    assert (
        storage.monthly_cost_usd is None and storage.reason == "no ebs io2 price in eu-west-3 in the catalog"
    )
    assert iops.monthly_cost_usd is None, "not the '*' row's US East price"
    assert iops.reason == "no ebs io2-iops-month price in the catalog"


def test_ebs_in_a_region_the_feed_predates_is_unpriced_not_the_us_price() -> None:
    plain = res("aws:ebs/volume:Volume", "plain", type="gp3", size=10)
    nodes = line(run(plain, region="ap-southeast-5"), "plain", "GiB-months")
    assert (
        nodes.monthly_cost_usd is None and nodes.reason == "no ebs gp3 price in ap-southeast-5 in the catalog"
    )


# -- free types, usage file ---------------------------------------------------------------------------------------------


def test_configuration_types_are_listed_free_with_a_reason_not_unsupported() -> None:
    result = run(
        res("aws:ec2/networkInterface:NetworkInterface", "eni"),
        res("aws:s3/bucketObjectv2:BucketObjectv2", "obj"),
        res("aws:s3/bucketAclV2:BucketAclV2", "acl"),
        res("aws:lb/listener:Listener", "listener"),
        res("aws:rds/subnetGroup:SubnetGroup", "subnets"),
        res("aws:iam/user:User", "user"),
    )
    assert result.unsupported == [] and result.lines == []
    reasons = {s.resource: s.reason for s in result.free}
    assert set(reasons) == {"eni", "obj", "acl", "listener", "subnets", "user"}
    assert "no charge" in reasons["eni"] and "priced on the bucket" in reasons["obj"]


def test_every_type_listed_free_is_a_real_pulumi_aws_token() -> None:
    import pulumi_aws

    root = Path(pulumi_aws.__file__).parent
    missing = []
    for token in FREE_TYPES:
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower().replace("v_2", "v2")
        guess = root / module / f"{snake}.py"
        files = [guess] if guess.exists() else list((root / module).glob("*.py"))
        if not any(f'"{token}"' in f.read_text() for f in files):
            missing.append(token)
    assert missing == [], (
        f"free types that pulumi-aws does not define (typos never match a resource): {missing}"
    )


def test_the_new_usage_keys_are_read_from_the_usage_file_and_snake_case_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "usage.t.yaml"
    good.write_text(
        "resources:\n  web:\n    capacityUnits: 1.5\n  events:\n    readRequestsMillions: 8\n"
        "    writeRequestsMillions: 3\n  aurora:\n    ioRequestsMillions: 52.56\n"
    )
    usage = read_usage_file(good)
    assert usage.resources["web"].capacity_units == 1.5
    assert usage.resources["aurora"].io_requests_millions == 52.56
    bad = tmp_path / "usage.bad.yaml"
    bad.write_text("resources:\n  web:\n    capacity_units: 1\n")
    with pytest.raises(UsageFileError, match="keys are camelCase: write capacityUnits"):
        read_usage_file(bad)


# -- end to end: a program planned under the mocks and estimated by the CLI ------------------------------------------

PROGRAM = """\
import json
import pulumi_aws as aws

db = aws.rds.Instance("orders-db", instance_class="db.t3.large", engine="mysql", allocated_storage=20,
                      username="app", password="not-a-real-secret", skip_final_snapshot=True)
alb = aws.lb.LoadBalancer("web", internal=True, subnets=["subnet-a", "subnet-b"])
cluster = aws.ecs.Cluster("apps")
task = aws.ecs.TaskDefinition("api-task", family="api", cpu="512", memory="1024", network_mode="awsvpc",
                              requires_compatibilities=["FARGATE"],
                              container_definitions=json.dumps([{"name": "api", "image": "nginx"}]))
aws.ecs.Service("api", cluster=cluster.arn, task_definition=task.arn, desired_count=2, launch_type="FARGATE",
                network_configuration={"subnets": ["subnet-a"]})
"""


def test_a_program_with_rds_an_alb_and_fargate_is_priced_line_by_line_and_its_total_is_a_lower_bound(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "prog"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: services\nruntime: python\n")
    (directory / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (directory / "__main__.py").write_text(PROGRAM)
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["estimate", "--program", str(directory), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    got = {(ln["resource"], ln["unit"]): ln for ln in doc["lines"]}
    expected = {
        ("orders-db", "instance-hours"): 99.28,
        ("orders-db", "GB-months"): 2.3,
        ("web", "LB-hours"): 16.425,
        ("api", "vCPU-hours"): 2 * 0.5 * 730 * 0.04048,
        ("api", "GB-hours"): 2 * 1 * 730 * 0.004445,
    }
    for key, cost in expected.items():
        assert key in got, f"{key} is priced: {sorted(got)}"
        assert got[key]["monthly_cost_usd"] == pytest.approx(cost, abs=0.005), key
    assert got[("web", "LCU-hours")]["monthly_cost_usd"] is None, "LCUs need usage"
    assert doc["unsupported"] == [], f"every resource of the program has a rule: {doc['unsupported']}"
    assert doc["totals"]["unpriced_lines"] == 1
    assert doc["totals"]["monthly_cost_usd"] == pytest.approx(sum(expected.values()), abs=0.02)
    table = runner.invoke(app, ["estimate", "--program", str(directory)])
    assert table.exit_code == 0 and f"≥ {sum(expected.values()):.2f}" in table.stdout, (
        "the total says it is a lower bound: one line is unpriced"
    )


# -- CloudTrail, Fargate profiles, pulumi-eks bookkeeping (all seen in real stack exports) ---------------------


TRAIL = "aws:cloudtrail/trail:Trail"


def test_a_management_events_trail_is_free_only_as_the_first_of_its_region() -> None:
    result = run(
        res(TRAIL, "audit", s3BucketName="logs"),
        res(TRAIL, "audit-copy", s3BucketName="logs"),
        res(TRAIL, "audit-eu", s3BucketName="logs-eu", region="eu-west-1"),
    )
    assert result.unsupported == []
    free = {s.resource: s.reason for s in result.free}
    assert set(free) == {"audit", "audit-eu"}, "the first trail of each region"
    assert "first copy in a region is free" in free["audit"] and "additional copy" in free["audit"]
    copy = line(result, "audit-copy", "100,000 events")
    assert copy.monthly_cost_usd is None and "number of events is not known" in copy.reason
    assert "additional trail in us-east-1 (after audit)" in copy.description


def test_a_second_trail_where_no_region_is_known_says_so_in_words() -> None:
    graph = ResourceGraph(
        stack="t",
        project="p",
        resources=[res(TRAIL, "a", s3BucketName="l"), res(TRAIL, "b", s3BucketName="l")],
    )
    copy = line(estimate(graph, CATALOG), "b", "100,000 events")
    assert copy.description == "CloudTrail events (it is an additional trail in the same region (after a))"


def test_a_trail_of_data_or_insights_events_is_unpriced_even_when_first() -> None:
    result = run(
        res(
            TRAIL,
            "objects",
            eventSelectors=[{"dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}],
        ),
        res(TRAIL, "insights", region="us-west-2", insightSelectors=[{"insightType": "ApiCallRateInsight"}]),
        res(TRAIL, "mgmt", region="eu-west-1", eventSelectors=[{"includeManagementEvents": True}]),
    )
    assert {s.resource for s in result.free} == {"mgmt"}, (
        "selectors without data resources bill nothing extra"
    )
    for name in ("objects", "insights"):
        got = line(result, name, "100,000 events")
        assert got.monthly_cost_usd is None and "data or Insights events" in got.description


def test_pulumi_eks_bookkeeping_is_free_and_a_fargate_profile_is_its_pods_not_free() -> None:
    result = run(
        res("aws:eks/fargateProfile:FargateProfile", "pods"),
        res("eks:index:RandomSuffix", "suffix"),
        res("eks:index:VpcCni", "cni"),
    )
    assert result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert set(reasons) == {"suffix", "cni"}
    assert "VPC CNI" in reasons["cni"]
    (pods,) = result.lines
    assert pods.resource == "pods" and pods.monthly_cost_usd is None, "its pods: unpriced without usage"
    assert "billed per vCPU- and GB-hour" in pods.reason
