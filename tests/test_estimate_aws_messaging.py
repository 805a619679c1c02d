"""Queues, topics, secrets, streams and event rules (estimate/rules/aws_messaging.py): each line's quantity,
the catalog row's unit price and amount; request-priced lines unpriced without the usage file's key, naming
it; free types listed free; and pulumi/examples-style programs through the CLI."""

from __future__ import annotations

import json
import re
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
from aiinfra.estimate.rules.aws_messaging import FREE_TYPES
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
USAGE_PATH = "stacks/usage.t.yaml"


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


QUEUE = "aws:sqs/queue:Queue"
TOPIC = "aws:sns/topic:Topic"
SECRET = "aws:secretsmanager/secret:Secret"
STREAM = "aws:kinesis/stream:Stream"


# -- SQS and SNS -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "item"),
    [
        ({}, "request-million"),
        ({"fifoQueue": True}, "fifo-request-million"),
        ({"fifoQueue": "true"}, "fifo-request-million"),
    ],
)
def test_a_queue_is_its_requests_from_the_usage_file_standard_or_fifo(
    inputs: dict[str, Any], item: str
) -> None:
    result = run(res(QUEUE, "jobs", **inputs), jobs={"requestsMillions": 3})
    ln = line(result, "jobs", "million requests")
    assert (ln.quantity, ln.unit_price_usd) == (D(3), price("sqs", item))
    assert ln.monthly_cost_usd == D(3) * price("sqs", item) and ln.reason == ""
    assert ("FIFO" in ln.description) == (item.startswith("fifo"))
    assert price("sqs", "fifo-request-million") > price("sqs", "request-million"), "FIFO costs more"


def test_a_queue_without_requests_is_unpriced_naming_the_key_and_the_total_is_a_lower_bound() -> None:
    result = run(res(QUEUE, "jobs"))
    ln = line(result, "jobs", "million requests")
    assert ln.monthly_cost_usd is None and ln.quantity == 0
    assert ln.reason == f"requests unknown: set requestsMillions for jobs in {USAGE_PATH}"
    assert result.unsupported == [] and result.free == []
    assert len(result.unpriced) == 1


def test_a_topic_is_its_publish_requests_and_says_deliveries_are_not_modelled() -> None:
    result = run(
        res(TOPIC, "alerts"),
        res(TOPIC, "orders", fifoTopic=True),
        alerts={"requestsMillions": 2},
        orders={"requestsMillions": 5},
    )
    alerts, orders = line(result, "alerts", "million requests"), line(result, "orders", "million requests")
    assert alerts.monthly_cost_usd == D(2) * price("sns", "request-million")
    assert orders.monthly_cost_usd == D(5) * price("sns", "fifo-request-million")
    assert any("deliveries" in a for a in alerts.assumptions)
    assert any("payload" in a for a in orders.assumptions)


# -- Secrets Manager -------------------------------------------------------------------------------------------


def test_a_secret_is_a_secret_month_and_its_api_calls() -> None:
    result = run(res(SECRET, "db-pass"), **{"db-pass": {"requestsMillions": 0.5}})
    month = line(result, "db-pass", "secret-months")
    calls = line(result, "db-pass", "million requests")
    assert (month.quantity, month.monthly_cost_usd) == (D(1), price("secrets-manager", "secret-month"))
    assert calls.monthly_cost_usd == D("0.5") * price("secrets-manager", "request-million")


def test_a_replicated_secret_is_billed_once_per_region_and_its_calls_without_usage_are_unpriced() -> None:
    result = run(res(SECRET, "key", replicas=[{"region": "eu-west-1"}, {"region": "ap-south-1"}]))
    month = line(result, "key", "secret-months")
    assert month.quantity == 3 and month.monthly_cost_usd == 3 * price("secrets-manager", "secret-month")
    assert "2 replica(s)" in month.description
    calls = line(result, "key", "million requests")
    assert calls.monthly_cost_usd is None and "set requestsMillions for key" in calls.reason


# -- Kinesis ---------------------------------------------------------------------------------------------------


def test_a_provisioned_stream_is_its_shards_every_hour() -> None:
    result = run(res(STREAM, "clicks", shardCount=4))
    ln = line(result, "clicks", "shard-hours")
    assert ln.quantity == 4 * HOURS_PER_MONTH
    assert ln.monthly_cost_usd == 4 * HOURS_PER_MONTH * price("kinesis", "shard-hour")
    assert "4 shard(s)" in ln.description and any("PUT payload" in a for a in ln.assumptions)
    assert [x.unit for x in result.lines] == ["shard-hours"], "provisioned mode has no ingest line"


def test_a_provisioned_stream_whose_shard_count_is_unknown_is_unpriced() -> None:
    ln = line(run(res(STREAM, "clicks")), "clicks", "shard-hours")
    assert ln.monthly_cost_usd is None and "shard count unknown" in ln.reason


def test_an_on_demand_stream_is_its_hours_and_the_data_it_ingests() -> None:
    stream = res(STREAM, "events", streamModeDetails={"streamMode": "ON_DEMAND"}, shardCount=9)
    result = run(stream, region="us-east-2", events={"dataProcessedGB": 40})
    hours = line(result, "events", "stream-hours")
    gb = line(result, "events", "GB")
    assert hours.monthly_cost_usd == HOURS_PER_MONTH * price("kinesis", "on-demand-stream-hour", "us-east-2")
    assert gb.monthly_cost_usd == 40 * price("kinesis", "on-demand-ingested-gb", "us-east-2")
    assert {x.unit for x in result.lines} == {"stream-hours", "GB"}, "no shard-hours in on-demand mode"
    no_usage = line(run(stream), "events", "GB")
    assert no_usage.monthly_cost_usd is None and "set dataProcessedGB for events" in no_usage.reason


def test_a_region_without_its_own_row_takes_the_default_row_and_says_so() -> None:
    ln = line(run(res(STREAM, "clicks", shardCount=1), region="eu-central-1"), "clicks", "shard-hours")
    star = CATALOG.service_price("aws", "kinesis", "shard-hour", "eu-central-1")
    assert star is not None and star.region == "*"
    assert ln.monthly_cost_usd == HOURS_PER_MONTH * star.usd


def test_a_fractional_shard_count_is_an_unpriced_line_and_an_invalid_input_naming_the_field() -> None:
    result = run(res(STREAM, "clicks", shardCount=2.5))
    (ln,) = result.lines
    assert ln.monthly_cost_usd is None and "shardCount" in ln.reason
    (invalid,) = result.invalid_inputs
    assert invalid.startswith(
        "clicks (aws:kinesis/stream:Stream): shardCount = 2.5 is not a whole number; give"
    )


# -- free ------------------------------------------------------------------------------------------------------


def test_rules_policies_subscriptions_and_secret_versions_are_free_with_their_reason() -> None:
    result = run(
        res("aws:cloudwatch/eventRule:EventRule", "nightly", scheduleExpression="rate(1 day)"),
        res("aws:cloudwatch/eventTarget:EventTarget", "nightly-target"),
        res("aws:sns/topicSubscription:TopicSubscription", "sub"),
        res("aws:secretsmanager/secretVersion:SecretVersion", "v1"),
    )
    assert result.lines == [] and result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert set(reasons) == {"nightly", "nightly-target", "sub", "v1"}
    assert "custom events" in reasons["nightly"] and "priced on the queue, topic or secret" in reasons["v1"]


def test_every_type_listed_free_is_a_real_pulumi_aws_token() -> None:
    import pulumi_aws

    root = Path(pulumi_aws.__file__).parent
    missing = []
    for token in FREE_TYPES:
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        if f'"{token}"' not in (root / module / f"{snake}.py").read_text():
            missing.append(token)
    assert missing == []


def test_a_docker_image_is_free_not_unsupported() -> None:
    result = run(res("docker:index/image:Image", "app-image", imageName="registry/app:v1"))
    assert result.unsupported == [] and result.lines == []
    (skipped,) = result.free
    assert "Docker provider" in skipped.reason and "registry" in skipped.reason


# -- through the CLI -------------------------------------------------------------------------------------------


def test_a_program_with_a_queue_a_topic_and_a_secret_prices_them_from_its_usage_file(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: msgs\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.sqs.Queue('jobs')\n"
        "aws.sns.Topic('alerts')\n"
        "aws.secretsmanager.Secret('token')\n"
    )
    usage = (
        tmp_path / "given-usage.yaml"
    )  # not usage.yaml: a program directory's usage.yaml is read by default
    usage.write_text("resources:\n  jobs: {requestsMillions: 10}\n  alerts: {requestsMillions: 1}\n")
    args = ["estimate", "--program", str(tmp_path), "--format", "json"]
    without = CliRunner().invoke(app, args)
    assert without.exit_code == 0, without.output
    doc = json.loads(without.stdout)
    assert doc["unsupported"] == [] and doc["totals"]["unpriced_lines"] == 3
    with_usage = CliRunner().invoke(app, [*args, "--usage", str(usage)])
    assert with_usage.exit_code == 0, with_usage.output
    doc = json.loads(with_usage.stdout)
    expected = (
        10 * price("sqs", "request-million")
        + 1 * price("sns", "request-million")
        + price("secrets-manager", "secret-month")
    )
    assert D(str(doc["totals"]["monthly_cost_usd"])) == round(expected, 2)
    assert doc["totals"]["unpriced_lines"] == 1, "the secret's API calls are still not given"


def test_each_line_says_what_it_prices_and_a_missing_quantity_says_which_key() -> None:
    """The descriptions and reasons a reader sees, line by line (a blank one would still be priced)."""
    result = run(
        res(QUEUE, "q"),
        res(QUEUE, "fq", fifoQueue=True),
        res(TOPIC, "t"),
        res(TOPIC, "ft", fifoTopic=True),
        res(SECRET, "s"),
        res(STREAM, "od", streamModeDetails={"streamMode": "ON_DEMAND"}),
    )
    described = {(ln.resource, ln.unit): ln.description for ln in result.lines}
    assert described == {
        ("q", "million requests"): "SQS standard queue requests",
        ("fq", "million requests"): "SQS FIFO queue requests",
        ("t", "million requests"): "SNS standard topic API requests",
        ("ft", "million requests"): "SNS FIFO topic publish requests",
        ("s", "secret-months"): "Secrets Manager secret",
        ("s", "million requests"): "Secrets Manager API calls",
        ("od", "stream-hours"): "Kinesis on-demand stream",
        ("od", "GB"): "Kinesis on-demand data ingested",
    }
    reasons = {(ln.resource, ln.unit): ln.reason for ln in result.lines if ln.monthly_cost_usd is None}
    assert (
        reasons[("s", "million requests")] == f"API calls unknown: set requestsMillions for s in {USAGE_PATH}"
    )
    assert reasons[("od", "GB")] == f"data ingested unknown: set dataProcessedGB for od in {USAGE_PATH}"
    hours = line(result, "od", "stream-hours")
    assert "data retrieval, extended retention and enhanced fan-out are not modelled" in hours.assumptions
