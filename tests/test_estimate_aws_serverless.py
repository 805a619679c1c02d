"""Lambda functions and API Gateway APIs (estimate/rules/aws_serverless.py): requests and GB-seconds from the
usage file at the catalog's rows, unpriced naming the key without it, the first-tier note, and free
configuration types; and pulumi/examples-style serverless resources through an estimate."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate
from aiinfra.estimate.rules.aws_serverless import FREE_TYPES
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
USAGE_PATH = "stacks/usage.t.yaml"
FUNCTION = "aws:lambda/function:Function"


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


def test_a_function_is_its_requests_and_its_gb_seconds_at_its_memory() -> None:
    fn = res(FUNCTION, "resize", memorySize=512)
    result = run(fn, resize={"requestsMillions": 2, "instanceSeconds": 400_000})
    requests = line(result, "resize", "million requests")
    assert requests.monthly_cost_usd == 2 * price("lambda", "request-million")
    compute = line(result, "resize", "GB-seconds")
    assert compute.quantity == D(200_000), "400,000 s × 512 MB / 1024 = 200,000 GB-seconds"
    assert compute.monthly_cost_usd == D(200_000) * price("lambda", "x86-gb-second")
    assert compute.description == "Lambda compute: 512 MB, x86"
    assert any("first price tier (6 billion" in a for a in compute.assumptions)


def test_an_arm_function_without_memory_size_is_128_mb_at_the_arm_price() -> None:
    fn = res(FUNCTION, "api", architectures=["arm64"])
    compute = line(run(fn, api={"instanceSeconds": 1024}), "api", "GB-seconds")
    assert compute.quantity == D(128)
    assert compute.monthly_cost_usd == 128 * price("lambda", "arm-gb-second")
    assert "memorySize not set: Lambda's default 128 MB" in compute.assumptions
    assert price("lambda", "arm-gb-second") < price("lambda", "x86-gb-second"), "Arm costs less"


def test_a_function_without_usage_is_two_unpriced_lines_naming_the_keys() -> None:
    result = run(res(FUNCTION, "fn"))
    requests, compute = line(result, "fn", "million requests"), line(result, "fn", "GB-seconds")
    assert requests.monthly_cost_usd is None and "set requestsMillions for fn" in requests.reason
    assert compute.monthly_cost_usd is None and "set instanceSeconds for fn" in compute.reason
    assert len(result.unpriced) == 2 and result.unsupported == []


@pytest.mark.parametrize(
    ("type_token", "inputs", "item"),
    [
        ("aws:apigateway/restApi:RestApi", {}, "rest-request-million"),
        ("aws:apigatewayv2/api:Api", {"protocolType": "HTTP"}, "http-request-million"),
    ],
)
def test_an_api_is_its_requests(type_token: str, inputs: dict[str, Any], item: str) -> None:
    result = run(res(type_token, "api", **inputs), api={"requestsMillions": 5})
    ln = line(result, "api", "million requests")
    assert ln.monthly_cost_usd == 5 * price("api-gateway", item)
    assert any("first price tier" in a for a in ln.assumptions)


def test_a_websocket_api_is_unpriced_with_the_reason() -> None:
    ln = line(run(res("aws:apigatewayv2/api:Api", "ws", protocolType="WEBSOCKET")), "ws", "million requests")
    assert ln.monthly_cost_usd is None and "per message and connection minute" in ln.reason


def test_permissions_stages_routes_and_integrations_are_free() -> None:
    result = run(
        res("aws:lambda/permission:Permission", "allow"),
        res("aws:apigateway/deployment:Deployment", "deploy"),
        res("aws:apigatewayv2/route:Route", "route"),
        res("aws:apigatewayv2/integration:Integration", "integ"),
    )
    assert result.lines == [] and result.unsupported == []
    assert {s.resource for s in result.free} == {"allow", "deploy", "route", "integ"}


def test_every_type_listed_free_is_a_real_pulumi_aws_token() -> None:
    import pulumi_aws

    root = Path(pulumi_aws.__file__).parent
    missing = []
    for token in FREE_TYPES:
        module, kind = token.split(":")[1].split("/")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        folder = root / ("lambda_" if module == "lambda" else module)
        if f'"{token}"' not in (folder / f"{snake}.py").read_text():
            missing.append(token)
    assert missing == []


def test_what_each_line_says_descriptions_notes_and_reasons() -> None:
    result = run(
        res(FUNCTION, "sized", memorySize=256),
        res(FUNCTION, "no-usage"),
        res("aws:apigateway/restApi:RestApi", "rest"),
        res("aws:apigatewayv2/api:Api", "http", protocolType="HTTP"),
        sized={"requestsMillions": 1, "instanceSeconds": 10},
    )
    requests = line(result, "sized", "million requests")
    assert requests.description == "Lambda requests"
    assert requests.assumptions[-1] == (
        "ephemeral storage above the included 512 MB and provisioned concurrency are not modelled"
    )
    compute = line(result, "sized", "GB-seconds")
    assert not any("memorySize not set" in a for a in compute.assumptions), "256 MB was given"
    unknown = line(result, "no-usage", "GB-seconds")
    assert unknown.reason == (
        f"compute time (invocations × average duration, seconds) unknown: set instanceSeconds for "
        f"no-usage in {USAGE_PATH}"
    )
    rest, http = line(result, "rest", "million requests"), line(result, "http", "million requests")
    assert rest.reason == f"requests unknown: set requestsMillions for rest in {USAGE_PATH}"
    assert rest.assumptions[-1] == "first price tier (333 million): more a month costs less per request"
    assert http.assumptions[-1] == "first price tier (300 million): more a month costs less per request"
    assert (rest.description, http.description) == (
        "API Gateway REST API requests",
        "API Gateway HTTP API requests",
    )


def test_a_function_whose_memory_is_unknown_until_created_is_unpriced_naming_the_field() -> None:
    from aiinfra.engine.inputs import UNKNOWN

    result = run(res(FUNCTION, "f", memorySize=UNKNOWN), f={"instanceSeconds": 5})
    (only,) = [ln for ln in result.lines if ln.resource == "f"]
    assert only.monthly_cost_usd is None and "memorySize" in only.reason


def test_the_free_lists_name_their_types_and_reasons() -> None:
    from aiinfra.estimate.rules import aws_messaging

    assert {"aws:lambda/permission:Permission", "aws:apigatewayv2/route:Route"} <= set(FREE_TYPES)
    assert {"aws:cloudwatch/eventRule:EventRule", "aws:sqs/queuePolicy:QueuePolicy"} <= set(
        aws_messaging.FREE_TYPES
    )
    result = run(res("aws:lambda/alias:Alias", "live"), res("aws:apigateway/stage:Stage", "prod"))
    reasons = {s.resource: s.reason for s in result.free}
    assert reasons == {
        "live": "Lambda configuration: no charge (requests and compute are priced on the function)",
        "prod": "API Gateway configuration: no charge (requests are priced on the API)",
    }


def test_the_unpriced_lines_of_a_function_and_a_websocket_api_say_exactly_what_is_missing() -> None:
    result = run(res(FUNCTION, "fn"), res("aws:apigatewayv2/api:Api", "ws", protocolType="WEBSOCKET"))
    assert line(result, "fn", "million requests").reason == (
        f"requests unknown: set requestsMillions for fn in {USAGE_PATH}"
    )
    ws = line(result, "ws", "million requests")
    assert ws.description == "API Gateway WebSocket API messages and connection minutes"
