"""Step Functions, EventBridge buses, Parameter Store, Glue, Route 53 zones, Cloud Map and AppSync
(estimate/rules/aws_integration.py): each line's amount from the usage file (or the plan) at the catalog's row,
unpriced naming the usage key without it, the free types with their reasons, bad usage values refused with the
field and the fix; and pulumi/examples-style programs through the CLI."""

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
from aiinfra.estimate.rules.aws_integration import FREE_TYPES, express_billed_mb, glue_job_dpus
from aiinfra.estimate.usage import ResourceUsage, UsageFile, UsageFileError, read_usage_file
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
USAGE_PATH = "stacks/usage.t.yaml"
SFN = "aws:sfn/stateMachine:StateMachine"
BUS = "aws:cloudwatch/eventBus:EventBus"
PARAM = "aws:ssm/parameter:Parameter"
JOB = "aws:glue/job:Job"
CRAWLER = "aws:glue/crawler:Crawler"
ZONE = "aws:route53/zone:Zone"
PRIVATE_NS = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
PUBLIC_NS = "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace"
SD_SERVICE = "aws:servicediscovery/service:Service"
SD_INSTANCE = "aws:servicediscovery/instance:Instance"
GRAPHQL = "aws:appsync/graphQLApi:GraphQLApi"
CACHE = "aws:appsync/apiCache:ApiCache"


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


# -- Step Functions ------------------------------------------------------------------------------------------


def test_a_standard_workflow_is_its_state_transitions_per_thousand() -> None:
    result = run(res(SFN, "flow"), flow={"transitionsMillions": 2.5})
    transitions = line(result, "flow", "thousand state transitions")
    assert transitions.quantity == D(2500), "2.5 million transitions = 2,500 thousand"
    assert transitions.monthly_cost_usd == 2500 * price("step-functions", "state-transition-thousand")
    assert transitions.description == "Step Functions Standard workflow state transitions"
    assert "the free tier (4,000 transitions a month) is not deducted" in transitions.assumptions
    assert len(result.lines) == 1, "a Standard workflow has no request or duration line"


def test_a_standard_workflow_without_usage_is_unpriced_naming_the_key() -> None:
    result = run(res(SFN, "flow", type="STANDARD"))
    transitions = line(result, "flow", "thousand state transitions")
    assert transitions.monthly_cost_usd is None
    assert transitions.reason == (
        f"state transitions (millions a month) unknown: set transitionsMillions for flow in {USAGE_PATH}"
    )
    assert [s.resource for s in result.unpriced] == ["flow"] and result.unsupported == []


def test_an_express_workflow_is_its_requests_and_its_gb_hours_at_memory_rounded_to_64_mb() -> None:
    flow = res(SFN, "fast", type="EXPRESS")
    result = run(flow, fast={"requestsMillions": 10, "instanceSeconds": 720_000, "memoryMB": 100})
    requests = line(result, "fast", "million requests")
    assert requests.monthly_cost_usd == 10 * price("step-functions", "express-request-million")
    duration = line(result, "fast", "GB-hours")
    assert duration.quantity == D(720_000) * 128 / 1024 / 3600, "100 MB is billed as 128 MB"
    assert duration.quantity == D(25)
    assert duration.monthly_cost_usd == 25 * price("step-functions", "express-gb-hour")
    assert duration.description == "Step Functions Express workflow duration: 128 MB"
    assert any("first price tier (1,000 GB-hours" in a for a in duration.assumptions)
    assert any("100 ms steps" in a for a in duration.assumptions)


@pytest.mark.parametrize(
    ("memory", "billed"), [(D(1), 64), (D(64), 64), (D("64.5"), 128), (D(512), 512), (D(1200), 1216)]
)
def test_express_memory_is_billed_in_64_mb_steps_at_least_one(memory: Decimal, billed: int) -> None:
    assert express_billed_mb(memory) == billed


@pytest.mark.parametrize(
    ("usage", "keys"),
    [
        ({}, "instanceSeconds and memoryMB"),
        ({"instanceSeconds": 10}, "memoryMB"),
        ({"memoryMB": 256}, "instanceSeconds"),
    ],
)
def test_an_express_workflow_duration_without_its_usage_names_the_missing_keys(
    usage: dict[str, Any], keys: str
) -> None:
    result = run(res(SFN, "fast", type="express"), fast=usage)
    duration = line(result, "fast", "GB-hours")
    assert duration.monthly_cost_usd is None
    assert duration.reason == (
        f"workflow duration unknown: set {keys} (executions × average duration in seconds, and the memory "
        f"the workflow uses in MB) for fast in {USAGE_PATH}"
    )
    requests = line(result, "fast", "million requests")
    assert requests.monthly_cost_usd is None and "set requestsMillions for fast" in requests.reason


# -- EventBridge buses ---------------------------------------------------------------------------------------


def test_an_event_bus_is_its_custom_events_per_million() -> None:
    result = run(res(BUS, "bus"), bus={"requestsMillions": 3})
    events = line(result, "bus", "million events")
    assert events.monthly_cost_usd == 3 * price("eventbridge", "custom-event-million")
    assert events.description == "EventBridge custom events published"
    assert any("archives, replays and schema discovery are not modelled" in a for a in events.assumptions)


def test_an_event_bus_without_usage_is_unpriced_naming_the_key() -> None:
    events = line(run(res(BUS, "bus")), "bus", "million events")
    assert events.monthly_cost_usd is None
    assert events.reason == (
        f"custom events published (millions a month) unknown: set requestsMillions for bus in {USAGE_PATH}"
    )


# -- Parameter Store -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("inputs", [{}, {"tier": "Standard"}, {"type": "SecureString"}])
def test_a_standard_parameter_is_free_and_says_how_higher_throughput_is_priced(
    inputs: dict[str, Any],
) -> None:
    result = run(res(PARAM, "key", **inputs))
    assert result.lines == [] and result.unsupported == []
    (free,) = result.free
    assert free.reason.startswith("Parameter Store Standard parameter: no charge for storage")
    assert "set requestsMillions to price its interactions" in free.reason


def test_a_standard_parameter_with_interactions_given_prices_them_as_higher_throughput() -> None:
    result = run(res(PARAM, "key"), key={"requestsMillions": 0.5})
    calls = line(result, "key", "10k API interactions")
    assert calls.quantity == D(50), "0.5 million = 50 × 10,000"
    assert calls.monthly_cost_usd == 50 * price("ssm", "api-interaction-10k")
    assert calls.description == "Parameter Store higher-throughput API interactions"
    assert any("higher throughput" in a for a in calls.assumptions)


def test_an_advanced_parameter_is_a_parameter_month_and_its_interactions() -> None:
    result = run(res(PARAM, "big", tier="Advanced"), big={"requestsMillions": 0.1})
    storage = line(result, "big", "parameter-months")
    assert storage.monthly_cost_usd == price("ssm", "advanced-parameter-month")
    assert storage.description == "Parameter Store advanced parameter"
    calls = line(result, "big", "10k API interactions")
    assert calls.monthly_cost_usd == 10 * price("ssm", "api-interaction-10k")
    assert calls.description == "Parameter Store advanced parameter API interactions"


def test_an_advanced_parameter_without_usage_is_priced_storage_and_unpriced_interactions() -> None:
    result = run(res(PARAM, "big", tier="Advanced"))
    assert line(result, "big", "parameter-months").monthly_cost_usd == price(
        "ssm", "advanced-parameter-month"
    )
    calls = line(result, "big", "10k API interactions")
    assert calls.monthly_cost_usd is None
    assert (
        calls.reason
        == f"API interactions (millions a month) unknown: set requestsMillions for big in {USAGE_PATH}"
    )


def test_an_intelligent_tiering_parameter_is_priced_as_standard_and_says_when_it_is_not() -> None:
    result = run(res(PARAM, "auto", tier="Intelligent-Tiering"))
    (free,) = result.free
    assert "Intelligent-Tiering: priced as Standard" in free.reason and "above 4 KB" in free.reason
    with_calls = run(res(PARAM, "auto", tier="Intelligent-Tiering"), auto={"requestsMillions": 1})
    calls = line(with_calls, "auto", "10k API interactions")
    assert any(a.startswith("Intelligent-Tiering: priced as Standard") for a in calls.assumptions)


# -- Glue ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "dpus"),
    [
        ({"numberOfWorkers": 10, "workerType": "G.1X"}, D(10)),
        ({"numberOfWorkers": 10, "workerType": "G.2X"}, D(20)),
        ({"numberOfWorkers": 4, "workerType": "G.025X"}, D(1)),
        ({"numberOfWorkers": 3, "workerType": "G.8X"}, D(24)),
        ({"maxCapacity": 0.0625, "command": {"name": "pythonshell"}}, D("0.0625")),
        ({"maxCapacity": 10}, D(10)),
    ],
)
def test_a_glue_job_is_its_run_hours_times_its_dpus(inputs: dict[str, Any], dpus: Decimal) -> None:
    result = run(res(JOB, "etl", **inputs), etl={"hoursPerMonth": 60})
    hours = line(result, "etl", "DPU-hours")
    assert hours.quantity == 60 * dpus
    assert hours.monthly_cost_usd == 60 * dpus * price("glue", "etl-dpu-hour")


def test_the_glue_job_line_says_its_command_workers_and_dpus() -> None:
    result = run(res(JOB, "etl", numberOfWorkers=10, workerType="G.2X"), etl={"hoursPerMonth": 1})
    assert line(result, "etl", "DPU-hours").description == "Glue job (glueetl): 10 × G.2X (20 DPUs)"
    shell = run(res(JOB, "py", maxCapacity=1, command={"name": "pythonshell"}), py={"hoursPerMonth": 1})
    assert line(shell, "py", "DPU-hours").description == "Glue job (pythonshell): maxCapacity 1 DPUs"


def test_a_glue_job_without_run_hours_is_unpriced_naming_the_key() -> None:
    hours = line(run(res(JOB, "etl", numberOfWorkers=2, workerType="G.1X")), "etl", "DPU-hours")
    assert hours.monthly_cost_usd is None
    assert hours.reason == f"run time (hours a month) unknown: set hoursPerMonth for etl in {USAGE_PATH}"


@pytest.mark.parametrize(
    ("inputs", "reason"),
    [
        ({}, "the job's size is unknown: set numberOfWorkers and workerType (or maxCapacity) on it"),
        (
            {"numberOfWorkers": 2, "workerType": "R.2X"},
            "workerType R.2X is billed per M-DPU-hour (memory-optimized), which the catalog has no price for",
        ),
        (
            {"numberOfWorkers": 2, "workerType": "Z.2X", "command": {"name": "glueray"}},
            "workerType Z.2X is billed per M-DPU-hour (memory-optimized), which the catalog has no price for",
        ),
        (
            {"numberOfWorkers": 2, "workerType": "G.3X"},
            "workerType G.3X is not a Glue worker type this estimate knows",
        ),
    ],
)
def test_a_glue_job_whose_size_cannot_be_priced_says_why(inputs: dict[str, Any], reason: str) -> None:
    hours = line(run(res(JOB, "etl", **inputs), etl={"hoursPerMonth": 5}), "etl", "DPU-hours")
    assert hours.monthly_cost_usd is None and hours.reason == reason


@pytest.mark.parametrize(
    ("inputs", "item"),
    [
        ({"executionClass": "FLEX"}, "flex-dpu-hour"),
        ({"command": {"name": "gluestreaming"}}, "streaming-dpu-hour"),
    ],
)
def test_flex_and_streaming_jobs_are_other_items_unpriced_until_the_catalog_has_them(
    inputs: dict[str, Any], item: str
) -> None:
    assert CATALOG.service_price("aws", "glue", item, "us-east-1") is None
    job = res(JOB, "etl", numberOfWorkers=2, workerType="G.1X", **inputs)
    hours = line(run(job, etl={"hoursPerMonth": 5}), "etl", "DPU-hours")
    assert hours.monthly_cost_usd is None
    assert (
        f"(service: glue, item: {item})" in hours.reason and "catalog/data/aws/services.yaml" in hours.reason
    )


def test_glue_job_dpus_reads_workers_before_max_capacity() -> None:
    assert glue_job_dpus({"numberOfWorkers": 5, "workerType": "G.4X", "maxCapacity": 1}) == (
        D(20),
        "5 × G.4X (20 DPUs)",
    )
    assert glue_job_dpus({"numberOfWorkers": 5, "maxCapacity": 3})[0] == D(3), "no workerType: maxCapacity"


@pytest.mark.parametrize("bad", ["lots", -1, float("nan")])
def test_an_unusable_max_capacity_is_an_unpriced_line_and_an_invalid_input_naming_the_field(bad: Any) -> None:
    result = run(res(JOB, "etl", maxCapacity=bad), etl={"hoursPerMonth": 5})
    (only,) = result.lines
    assert only.monthly_cost_usd is None and only.reason.startswith("maxCapacity = ")
    assert "give the DPUs the job may use, e.g. 0.0625 or 1" in only.reason
    assert len(result.invalid_inputs) == 1 and result.invalid_inputs[0].startswith(
        f"etl ({JOB}): maxCapacity"
    )


def test_a_fractional_worker_count_is_an_invalid_input_naming_the_field() -> None:
    result = run(res(JOB, "etl", numberOfWorkers=2.5, workerType="G.1X"), etl={"hoursPerMonth": 5})
    (only,) = result.lines
    assert only.monthly_cost_usd is None and "numberOfWorkers = 2.5 is not a whole number" in only.reason


def test_a_crawler_is_its_dpu_hours_from_the_usage_file() -> None:
    result = run(res(CRAWLER, "crawl"), crawl={"dpuHours": 12.5})
    hours = line(result, "crawl", "DPU-hours")
    assert hours.monthly_cost_usd == D("12.5") * price("glue", "crawler-dpu-hour")
    assert hours.description == "Glue crawler runs"
    bare = line(run(res(CRAWLER, "crawl")), "crawl", "DPU-hours")
    assert bare.monthly_cost_usd is None
    assert bare.reason == (
        f"crawler DPU-hours (run time × DPUs, a month) unknown: set dpuHours for crawl in {USAGE_PATH}"
    )


# -- Route 53 zones and Cloud Map ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_token", "description"),
    [
        (ZONE, "Route 53 hosted zone"),
        (PRIVATE_NS, "Route 53 private hosted zone of the Cloud Map namespace"),
        (PUBLIC_NS, "Route 53 public hosted zone of the Cloud Map namespace"),
    ],
)
def test_a_hosted_zone_and_a_dns_namespace_are_a_hosted_zone_month(type_token: str, description: str) -> None:
    result = run(res(type_token, "ns", vpc="vpc-1"))
    zone = line(result, "ns", "hosted-zone-months")
    assert zone.quantity == 1 and zone.monthly_cost_usd == price("route53", "hosted-zone-month")
    assert zone.description == description
    assert any("DNS queries (per million) are not modelled" in a for a in zone.assumptions)


def test_a_registered_instance_is_an_instance_month_and_a_service_is_free_until_instances_are_given() -> None:
    result = run(res(SD_INSTANCE, "web-1"), res(SD_SERVICE, "web"))
    instance = line(result, "web-1", "instance-months")
    assert instance.quantity == 1
    assert instance.monthly_cost_usd == price("cloud-map", "registered-instance-month")
    (free,) = result.free
    assert free.resource == "web" and "set registeredInstances for web in stacks/usage.t.yaml" in free.reason
    given = run(res(SD_SERVICE, "web"), web={"registeredInstances": 3})
    tasks = line(given, "web", "instance-months")
    assert tasks.monthly_cost_usd == 3 * price("cloud-map", "registered-instance-month")
    assert tasks.description == "Cloud Map registered instances: 3"
    assert given.free == []


def test_the_cloud_map_price_is_the_every_region_row_and_says_it_is_not_us_east_1s() -> None:
    row = CATALOG.service_price("aws", "cloud-map", "registered-instance-month", "eu-west-1")
    assert row is not None and row.region == "*"
    assert "no us-east-1 row read" in row.source


# -- AppSync -------------------------------------------------------------------------------------------------


def test_a_graphql_api_is_its_operations_and_its_connection_minutes_when_given() -> None:
    result = run(res(GRAPHQL, "api"), api={"requestsMillions": 2, "connectionMinutesMillions": 5})
    operations = line(result, "api", "million operations")
    assert operations.monthly_cost_usd == 2 * price("appsync", "operation-million")
    assert operations.description == "AppSync query and mutation operations"
    assert "real-time updates (subscription messages) are not modelled" in operations.assumptions
    minutes = line(result, "api", "million connection-minutes")
    assert minutes.monthly_cost_usd == 5 * price("appsync", "connection-minute-million")


def test_a_graphql_api_without_usage_is_one_unpriced_line_and_a_note_on_subscriptions() -> None:
    result = run(res(GRAPHQL, "api"))
    (operations,) = result.lines
    assert operations.monthly_cost_usd is None
    assert operations.reason == (
        f"query and mutation operations (millions a month) unknown: set requestsMillions for api in {USAGE_PATH}"
    )
    assert any("set connectionMinutesMillions" in a for a in operations.assumptions)


def test_an_api_cache_is_unpriced_until_the_catalog_has_its_type() -> None:
    result = run(res(CACHE, "cache", type="SMALL"))
    (hours,) = result.lines
    assert hours.quantity == HOURS_PER_MONTH and hours.unit == "cache-hours"
    assert hours.monthly_cost_usd is None and "(service: appsync, item: cache-small-hour)" in hours.reason
    (no_type,) = run(res(CACHE, "cache")).lines
    assert no_type.reason == "the cache type is unknown: set type on it"


# -- free types ----------------------------------------------------------------------------------------------


def test_catalog_databases_connections_triggers_and_appsync_configuration_are_free_with_their_reason() -> (
    None
):
    result = run(
        res("aws:glue/catalogDatabase:CatalogDatabase", "db"),
        res("aws:glue/catalogTable:CatalogTable", "events"),
        res("aws:glue/connection:Connection", "jdbc"),
        res("aws:glue/trigger:Trigger", "every-15"),
        res("aws:servicediscovery/httpNamespace:HttpNamespace", "http"),
        res("aws:appsync/apiKey:ApiKey", "key"),
        res("aws:appsync/dataSource:DataSource", "ds"),
        res("aws:appsync/resolver:Resolver", "get"),
    )
    assert result.lines == [] and result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert reasons["db"] == reasons["events"]
    assert reasons["db"].startswith("Glue Data Catalog: the first million objects stored")
    assert reasons["jdbc"] == reasons["every-15"]
    assert reasons["jdbc"].startswith("Glue configuration: no charge")
    assert reasons["http"].startswith("Cloud Map HTTP namespace: no charge")
    assert reasons["key"] == reasons["ds"] == reasons["get"]
    assert reasons["key"].startswith("AppSync configuration: no charge")


def test_every_type_listed_free_is_a_real_pulumi_aws_token() -> None:
    import pulumi_aws

    root = Path(pulumi_aws.__file__).parent
    missing = []
    for token in FREE_TYPES:
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        if f'"{token}"' not in (root / module / f"{snake}.py").read_text():
            missing.append(token)
    assert missing == [] and len(FREE_TYPES) == 13


def test_every_type_with_a_rule_here_is_a_real_pulumi_aws_token() -> None:
    import pulumi_aws

    root = Path(pulumi_aws.__file__).parent
    for token in (
        SFN,
        BUS,
        PARAM,
        JOB,
        CRAWLER,
        ZONE,
        PRIVATE_NS,
        PUBLIC_NS,
        SD_SERVICE,
        SD_INSTANCE,
        GRAPHQL,
        CACHE,
    ):
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        snake = {"graph_q_l_api": "graph_ql_api"}.get(snake, snake)
        assert f'"{token}"' in (root / module / f"{snake}.py").read_text(), token


# -- a region without its own row ----------------------------------------------------------------------------


def test_a_region_without_its_own_row_takes_the_every_region_row() -> None:
    result = run(res(BUS, "bus"), region="eu-west-1", bus={"requestsMillions": 1})
    events = line(result, "bus", "million events")
    row = CATALOG.service_price("aws", "eventbridge", "custom-event-million", "eu-west-1")
    assert row is not None and row.region == "*"
    assert events.monthly_cost_usd == row.usd and "the us-east-1 row's price" in events.source


# -- bad usage values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("transitionsMillions", "-1", "Input should be greater than or equal to 0"),
        ("memoryMB", "0", "Input should be greater than 0"),
        ("memoryMB", "lots", "Input should be a valid number"),
        ("dpuHours", "-0.5", "Input should be greater than or equal to 0"),
        ("connectionMinutesMillions", "many", "Input should be a valid number"),
        ("registeredInstances", "2.5", "Input should be a valid integer"),
        ("registeredInstances", "-3", "Input should be greater than or equal to 0"),
    ],
)
def test_a_bad_usage_value_is_refused_naming_the_field(
    tmp_path: Path, key: str, value: str, message: str
) -> None:
    path = tmp_path / "usage.t.yaml"
    path.write_text(f"resources:\n  flow:\n    {key}: {value}\n")
    with pytest.raises(UsageFileError) as raised:
        read_usage_file(path)
    assert f"{path}: resources.flow.{key}: {message}" in str(raised.value)


def test_a_snake_case_key_is_refused_with_its_camel_case_spelling(tmp_path: Path) -> None:
    path = tmp_path / "usage.t.yaml"
    path.write_text("resources:\n  flow:\n    memory_mb: 128\n")
    with pytest.raises(UsageFileError, match="keys are camelCase: write memoryMB"):
        read_usage_file(path)


# -- through the CLI -------------------------------------------------------------------------------------------


PROGRAM = (
    "import json\n"
    "import pulumi_aws as aws\n"
    "aws.sfn.StateMachine('flow', role_arn='arn:aws:iam::1:role/r', definition=json.dumps({}))\n"
    "aws.sfn.StateMachine('fast', role_arn='arn:aws:iam::1:role/r', definition=json.dumps({}), type='EXPRESS')\n"
    "aws.cloudwatch.EventBus('bus')\n"
    "aws.ssm.Parameter('key', type='SecureString', value='x')\n"
    "aws.glue.Job('etl', role_arn='arn:aws:iam::1:role/r', number_of_workers=10, worker_type='G.1X',\n"
    "             command=aws.glue.JobCommandArgs(script_location='s3://b/job.py'))\n"
    "aws.glue.CatalogDatabase('db')\n"
    "aws.servicediscovery.PrivateDnsNamespace('ns', name='dev.local', vpc='vpc-1')\n"
)


def write_program(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: flows\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(PROGRAM)


def test_a_program_of_these_services_is_estimated_and_its_usage_file_prices_them(tmp_path: Path) -> None:
    write_program(tmp_path)
    args = ["estimate", "--program", str(tmp_path), "--format", "json"]
    without = CliRunner().invoke(app, args)
    assert without.exit_code == 0, without.output
    doc = json.loads(without.stdout)
    assert doc["unsupported"] == []
    assert {s["resource"] for s in doc["free"]} >= {"key", "db"}
    assert doc["totals"]["unpriced_lines"] == 5, "flow, fast ×2, bus, etl wait for their usage"
    usage = tmp_path / "given-usage.yaml"
    usage.write_text(
        "resources:\n"
        "  flow: {transitionsMillions: 1}\n"
        "  fast: {requestsMillions: 2, instanceSeconds: 36000, memoryMB: 1024}\n"
        "  bus: {requestsMillions: 4}\n"
        "  etl: {hoursPerMonth: 30}\n"
    )
    priced = CliRunner().invoke(app, [*args, "--usage", str(usage)])
    assert priced.exit_code == 0, priced.output
    doc = json.loads(priced.stdout)
    expected = (
        1000 * price("step-functions", "state-transition-thousand")
        + 2 * price("step-functions", "express-request-million")
        + D(10) * price("step-functions", "express-gb-hour")  # 36,000 s × 1 GB / 3,600
        + 4 * price("eventbridge", "custom-event-million")
        + 300 * price("glue", "etl-dpu-hour")  # 30 h × 10 DPUs
        + price("route53", "hosted-zone-month")
    )
    assert D(str(doc["totals"]["monthly_cost_usd"])) == round(expected, 2)
    assert doc["totals"]["unpriced_lines"] == 0 and doc["totals"]["unsupported_resources"] == 0


def test_a_program_whose_usage_file_has_a_bad_value_exits_2_naming_the_file_and_field(tmp_path: Path) -> None:
    write_program(tmp_path)
    usage = tmp_path / "bad-usage.yaml"
    usage.write_text("resources:\n  fast: {memoryMB: -64}\n")
    result = CliRunner().invoke(app, ["estimate", "--program", str(tmp_path), "--usage", str(usage)])
    assert result.exit_code == 2, result.output
    assert f"{usage}: resources.fast.memoryMB: Input should be greater than 0" in result.output
    fix = result.output.split("The usage file is a mapping:", 1)[1]
    for key in (
        "transitionsMillions",
        "memoryMB",
        "dpuHours",
        "connectionMinutesMillions",
        "registeredInstances",
    ):
        assert key in fix, f"the fix lists {key} among the keys"
    assert "Traceback" not in result.output


def test_a_max_capacity_unknown_until_apply_is_unpriced_naming_the_field_and_not_an_invalid_input() -> None:
    from aiinfra.engine.inputs import UNKNOWN

    result = run(res(JOB, "etl", maxCapacity=UNKNOWN), etl={"hoursPerMonth": 5})
    (only,) = result.lines
    assert only.monthly_cost_usd is None
    assert only.reason.startswith("maxCapacity: the value is unknown until apply")
    assert result.invalid_inputs == []


def test_a_flex_job_line_says_flex_and_a_standard_one_does_not() -> None:
    flex = res(JOB, "etl", numberOfWorkers=2, workerType="G.1X", executionClass="FLEX")
    assert line(run(flex, etl={"hoursPerMonth": 1}), "etl", "DPU-hours").description == (
        "Glue job (glueetl): 2 × G.1X (2 DPUs), Flex"
    )
    standard = res(JOB, "etl", numberOfWorkers=2, workerType="G.1X", executionClass="STANDARD")
    line_ = line(run(standard, etl={"hoursPerMonth": 1}), "etl", "DPU-hours")
    assert line_.description == "Glue job (glueetl): 2 × G.1X (2 DPUs)"
    assert line_.monthly_cost_usd == 2 * price("glue", "etl-dpu-hour")
