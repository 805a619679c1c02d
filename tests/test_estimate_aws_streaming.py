"""MSK clusters (provisioned and serverless) and Firehose delivery streams (estimate/rules/aws_streaming.py):
each line's quantity, the catalog row's unit price and amount; usage-based lines unpriced without the usage
file's key, naming it; a region or broker type without a catalog row unpriced, naming the row; and a program
through the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Estimate
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
USAGE_PATH = "stacks/usage.t.yaml"
MSK = "aws:msk/cluster:Cluster"
SERVERLESS = "aws:msk/serverlessCluster:ServerlessCluster"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, region: str = "us-east-1", **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path=USAGE_PATH)


def price(service: str, item: str, region: str = "us-east-1") -> Decimal:
    row = CATALOG.service_price("aws", service, item, region)
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item} in {region}"
    return row.usd


def kafka(name: str, kind: str = "kafka.m5.large", brokers: Any = 3, size: Any = 1000) -> PlannedResource:
    return res(
        MSK,
        name,
        kafkaVersion="3.6.0",
        numberOfBrokerNodes=brokers,
        brokerNodeGroupInfo={
            "instanceType": kind,
            "clientSubnets": ["subnet-a", "subnet-b", "subnet-c"],
            "storageInfo": {"ebsStorageInfo": {"volumeSize": size}},
        },
    )


# -- MSK provisioned ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "region"),
    [("kafka.m5.large", "us-east-1"), ("kafka.t3.small", "us-east-1"), ("kafka.m7g.xlarge", "us-west-2")],
)
def test_a_cluster_is_its_brokers_hours_and_their_storage(kind: str, region: str) -> None:
    result = run(kafka("events", kind, brokers=3, size=1000), region=region)
    hours = line(result, "events", "broker-hours")
    assert hours.quantity == 3 * HOURS_PER_MONTH
    assert hours.unit_price_usd == price("msk", f"{kind}-broker-hour", region)
    assert hours.monthly_cost_usd == 3 * HOURS_PER_MONTH * price("msk", f"{kind}-broker-hour", region)
    assert hours.description == f"MSK brokers: 3 × {kind}" and hours.reason == ""
    storage = line(result, "events", "GB-months")
    assert storage.quantity == D(3000)
    assert storage.monthly_cost_usd == D(3000) * price("msk", "broker-storage-gb-month", region)
    assert storage.description == "MSK broker storage: 3 × 1000 GB"
    assert any("storage auto-scaling" in a for a in storage.assumptions)
    assert result.unsupported == [] and result.free == []


def test_broker_prices_differ_by_type() -> None:
    assert price("msk", "kafka.m5.24xlarge-broker-hour") > price("msk", "kafka.m5.large-broker-hour")
    assert price("msk", "kafka.t3.small-broker-hour") < price("msk", "kafka.m5.large-broker-hour")


def test_a_broker_type_without_a_row_is_unpriced_naming_the_row() -> None:
    result = run(kafka("odd", "kafka.r9.huge"))
    hours = line(result, "odd", "broker-hours")
    assert hours.unit_price_usd is None and hours.monthly_cost_usd is None
    assert "kafka.r9.huge-broker-hour" in hours.reason
    assert line(result, "odd", "GB-months").unit_price_usd == price("msk", "broker-storage-gb-month")


def test_a_region_without_msk_rows_is_unpriced_naming_the_row() -> None:
    result = run(kafka("far"), region="ap-southeast-2")
    hours = line(result, "far", "broker-hours")
    assert hours.unit_price_usd is None and "kafka.m5.large-broker-hour" in hours.reason
    assert line(result, "far", "GB-months").unit_price_usd is None


def test_a_cluster_without_instance_type_or_storage_says_so() -> None:
    result = run(res(MSK, "bare", numberOfBrokerNodes=2, brokerNodeGroupInfo={}))
    hours = line(result, "bare", "broker-hours")
    assert hours.unit_price_usd is None and "instanceType" in hours.reason
    storage = line(result, "bare", "GB-months")
    assert storage.monthly_cost_usd is None and "volumeSize" in storage.reason


def test_an_unusable_broker_count_names_the_input() -> None:
    result = run(kafka("bad", brokers=-1))
    assert len(result.invalid_inputs) == 1
    assert result.invalid_inputs[0].startswith("bad (aws:msk/cluster:Cluster): numberOfBrokerNodes")


# -- MSK Serverless -------------------------------------------------------------------------------------------


def test_a_serverless_cluster_is_its_hours_and_data_in() -> None:
    result = run(res(SERVERLESS, "sls"), sls={"dataProcessedGB": 250})
    hours = line(result, "sls", "cluster-hours")
    assert hours.quantity == HOURS_PER_MONTH
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * price("msk", "serverless-cluster-hour")
    assert any("partition-hours" in a for a in hours.assumptions)
    data = line(result, "sls", "GB")
    assert data.monthly_cost_usd == D(250) * price("msk", "serverless-ingress-gb")


def test_serverless_data_in_without_usage_names_the_key() -> None:
    data = line(run(res(SERVERLESS, "sls")), "sls", "GB")
    assert data.monthly_cost_usd is None
    assert data.reason == f"data in unknown: set dataProcessedGB for sls in {USAGE_PATH}"


# -- Firehose -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["eu-west-2", "us-east-1"])
def test_a_delivery_stream_is_its_data_ingested(region: str) -> None:
    result = run(
        res(FIREHOSE, "logs", destination="extended_s3"), region=region, logs={"dataProcessedGB": 1200}
    )
    ln = line(result, "logs", "GB")
    assert ln.quantity == D(1200)
    assert ln.monthly_cost_usd == D(1200) * price("firehose", "ingested-gb", region)
    assert any("first-tier price" in a for a in ln.assumptions)


def test_a_delivery_stream_without_usage_names_the_key() -> None:
    ln = line(run(res(FIREHOSE, "logs")), "logs", "GB")
    assert ln.monthly_cost_usd is None
    assert ln.reason == f"data ingested unknown: set dataProcessedGB for logs in {USAGE_PATH}"


# -- through the CLI -------------------------------------------------------------------------------------------


def test_a_program_with_an_msk_cluster_and_a_firehose_stream_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: streams\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.msk.Cluster('kafka', kafka_version='3.6.0', number_of_broker_nodes=3,\n"
        "    broker_node_group_info={'instance_type': 'kafka.m5.large', 'client_subnets': ['a', 'b', 'c'],\n"
        "        'security_groups': ['sg'], 'storage_info': {'ebs_storage_info': {'volume_size': 500}}})\n"
        "aws.kinesis.FirehoseDeliveryStream('logs', destination='extended_s3',\n"
        "    extended_s3_configuration={'role_arn': 'arn:r', 'bucket_arn': 'arn:b'})\n"
    )
    usage = tmp_path / "given-usage.yaml"
    usage.write_text("resources:\n  logs: {dataProcessedGB: 100}\n")
    args = ["estimate", "--program", str(tmp_path), "--format", "json", "--usage", str(usage)]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["unsupported"] == [] and doc["totals"]["unpriced_lines"] == 0
    expected = (
        3 * HOURS_PER_MONTH * price("msk", "kafka.m5.large-broker-hour")
        + 1500 * price("msk", "broker-storage-gb-month")
        + 100 * price("firehose", "ingested-gb")
    )
    assert D(str(doc["totals"]["monthly_cost_usd"])) == round(expected, 2)


def test_an_unusable_volume_size_names_the_input() -> None:
    result = run(kafka("bad", size="lots"))
    assert len(result.invalid_inputs) == 1
    assert result.invalid_inputs[0].startswith(
        "bad (aws:msk/cluster:Cluster): brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"
    )
