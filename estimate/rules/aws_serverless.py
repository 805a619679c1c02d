"""AWS Lambda functions and API Gateway APIs: billed by use, so the usage file gives the quantities.

A Lambda function is its requests (`requestsMillions`) and its compute time in GB-seconds: the usage file's
`instanceSeconds` (invocations × average duration) × the function's memory (`memorySize`, 128 MB by default),
at the x86 or Arm price (`architectures`). A REST API or an HTTP API is its requests. The first price tier
only (Lambda's first 6 billion x86 / 7.5 billion Arm GB-seconds a month; API Gateway's first 333 million REST /
300 million HTTP requests): above those, the estimate is high, and the line says so. Permissions, stages,
routes, integrations and the like cost nothing by themselves. Prices are `service_prices` rows of
catalog/data/aws/services.yaml."""

from __future__ import annotations

import functools
from decimal import Decimal

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import count, unpriced
from aiinfra.estimate.model import Charge
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.aws_messaging import requests_charge
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, text, usage_amount

CLOUD = "aws"
LAMBDA_DEFAULT_MEMORY_MB = 128
"""A function without `memorySize` gets 128 MB (AWS Lambda's default)."""
MB_PER_GB = Decimal(1024)

_charge = functools.partial(item_charge, cloud=CLOUD)

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-aws token)."""


def _requests(r: PlannedResource, ctx: Context, service: str, item: str, label: str, tier: str) -> Charge:
    line = requests_charge(r, ctx, service, item, label)
    return noted(line, f"first price tier ({tier}): more a month costs less per request")


@rule("aws:lambda/function:Function")
def lambda_function(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Requests, and GB-seconds = `instanceSeconds` × memory in GB, at the architecture's price."""
    usage = ctx.usage_for(r)
    # a missing memorySize (or 0, which Lambda refuses) is Lambda's default; an unknown or unusable one raises
    memory_mb = count(r.inputs.get("memorySize"), "memorySize") or LAMBDA_DEFAULT_MEMORY_MB
    architectures = r.inputs.get("architectures")
    arm = isinstance(architectures, list) and [text(a) for a in architectures] == ["arm64"]
    arch = "arm" if arm else "x86"
    seconds = usage_amount(usage.instance_seconds)
    duration = _charge(
        r,
        ctx,
        "lambda",
        f"{arch}-gb-second",
        seconds * Decimal(memory_mb) / MB_PER_GB if seconds is not None else None,
        "GB-seconds",
        f"Lambda compute: {memory_mb} MB, {'Arm' if arm else 'x86'}",
        missing_usage(ctx, r, "compute time (invocations × average duration, seconds)", "instanceSeconds"),
    )
    notes = [f"first price tier ({'7.5' if arm else '6'} billion GB-seconds a month)"]
    if r.inputs.get("memorySize") is None:
        notes.append(f"memorySize not set: Lambda's default {LAMBDA_DEFAULT_MEMORY_MB} MB")
    return [
        noted(
            requests_charge(r, ctx, "lambda", "request-million", "Lambda requests"),
            "ephemeral storage above the included 512 MB and provisioned concurrency are not modelled",
        ),
        noted(duration, *notes),
    ]


@rule("aws:apigateway/restApi:RestApi")
def rest_api(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A REST API's requests (caching, if enabled on a stage, is not modelled)."""
    return [
        _requests(
            r, ctx, "api-gateway", "rest-request-million", "API Gateway REST API requests", "333 million"
        )
    ]


@rule("aws:apigatewayv2/api:Api")
def http_api(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An HTTP API's requests; a WebSocket API's messages and connection minutes are not priced here."""
    if text(r.inputs.get("protocolType")).upper() == "WEBSOCKET":
        return [
            unpriced(
                "API Gateway WebSocket API messages and connection minutes",
                "million requests",
                "WebSocket APIs are billed per message and connection minute, which this estimate does not price",
            )
        ]
    return [
        _requests(
            r, ctx, "api-gateway", "http-request-million", "API Gateway HTTP API requests", "300 million"
        )
    ]


_free = functools.partial(free_listed, FREE_TYPES)
"""Register types that cost nothing by themselves (`registry.free_listed`)."""


_free(
    "Lambda configuration: no charge (requests and compute are priced on the function)",
    "aws:lambda/permission:Permission",
    "aws:lambda/alias:Alias",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/functionUrl:FunctionUrl",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
)
_free(
    "API Gateway configuration: no charge (requests are priced on the API)",
    "aws:apigateway/deployment:Deployment",
    "aws:apigateway/stage:Stage",
    "aws:apigateway/resource:Resource",
    "aws:apigateway/method:Method",
    "aws:apigateway/methodResponse:MethodResponse",
    "aws:apigateway/integration:Integration",
    "aws:apigateway/integrationResponse:IntegrationResponse",
    "aws:apigateway/authorizer:Authorizer",
    "aws:apigateway/model:Model",
    "aws:apigateway/requestValidator:RequestValidator",
    "aws:apigateway/restApiPolicy:RestApiPolicy",
    "aws:apigateway/basePathMapping:BasePathMapping",
    "aws:apigateway/account:Account",
    "aws:apigatewayv2/route:Route",
    "aws:apigatewayv2/integration:Integration",
    "aws:apigatewayv2/stage:Stage",
    "aws:apigatewayv2/deployment:Deployment",
    "aws:apigatewayv2/authorizer:Authorizer",
    "aws:apigatewayv2/apiMapping:ApiMapping",
    "aws:apigatewayv2/routeResponse:RouteResponse",
    "aws:apigatewayv2/integrationResponse:IntegrationResponse",
)
