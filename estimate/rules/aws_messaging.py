"""AWS queues, topics, secrets, streams and events: what real programs declare beside their compute.

SQS queues and SNS topics cost nothing while idle: they are billed per million requests, which the usage file
gives (`requestsMillions`); without it the line is unpriced and names the key. A Secrets Manager secret is a
fixed monthly charge plus its API calls. A Kinesis data stream is billed per shard-hour (provisioned) or per
stream-hour plus data ingested (on-demand). EventBridge rules and targets, policies, subscriptions and secret
versions cost nothing by themselves. Prices are `service_prices` rows of catalog/data/aws/services.yaml."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, text, usage_amount

CLOUD = "aws"

_charge = functools.partial(item_charge, cloud=CLOUD)

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-aws token)."""


def _true(value: Any) -> bool:
    """A boolean input as the provider reads it (`true`, or the string "true")."""
    return value is True or text(value).lower() == "true"


def requests_charge(r: PlannedResource, ctx: Context, service: str, item: str, label: str) -> Charge:
    """Requests of `service`, per million, from the usage file's `requestsMillions` (unpriced, naming the key,
    without it): SQS, SNS, Lambda and API Gateway bill this way."""
    return _charge(
        r,
        ctx,
        service,
        item,
        usage_amount(ctx.usage_for(r).requests_millions),
        "million requests",
        label,
        missing_usage(ctx, r, "requests", "requestsMillions"),
    )


@rule("aws:sqs/queue:Queue")
def sqs_queue(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Requests (sends, receives, deletes; 64 KB chunks), per million; standard and FIFO differ."""
    if _true(r.inputs.get("fifoQueue")):
        return [requests_charge(r, ctx, "sqs", "fifo-request-million", "SQS FIFO queue requests")]
    return [requests_charge(r, ctx, "sqs", "request-million", "SQS standard queue requests")]


@rule("aws:sns/topic:Topic")
def sns_topic(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Publish API requests, per million. Deliveries are billed per endpoint type (HTTP, email, SMS, mobile
    push) and FIFO payload per GB: not modelled, and said so on the line."""
    if _true(r.inputs.get("fifoTopic")):
        line = requests_charge(r, ctx, "sns", "fifo-request-million", "SNS FIFO topic publish requests")
        return [noted(line, "payload per GB and deliveries to subscribers are not modelled")]
    line = requests_charge(r, ctx, "sns", "request-million", "SNS standard topic API requests")
    return [noted(line, "deliveries to subscribers (HTTP, email, SMS, mobile push) are not modelled")]


@rule("aws:secretsmanager/secret:Secret")
def secret(r: PlannedResource, ctx: Context) -> list[Charge]:
    """One secret a month (a replica region is billed as another secret) plus API calls."""
    replicas = r.inputs.get("replicas")
    copies = 1 + (len(replicas) if isinstance(replicas, list) else 0)
    return [
        _charge(
            r,
            ctx,
            "secrets-manager",
            "secret-month",
            Decimal(copies),
            "secret-months",
            "Secrets Manager secret" + (f" and {copies - 1} replica(s)" if copies > 1 else ""),
        ),
        _charge(
            r,
            ctx,
            "secrets-manager",
            "request-million",
            usage_amount(ctx.usage_for(r).requests_millions),
            "million requests",
            "Secrets Manager API calls",
            missing_usage(ctx, r, "API calls", "requestsMillions"),
        ),
    ]


@rule("aws:kinesis/stream:Stream")
def kinesis_stream(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Provisioned: `shardCount` shards every hour. On-demand: the stream's hours plus data ingested (usage
    `dataProcessedGB`). PUT payload units, retrieval, extended retention and enhanced fan-out are not
    modelled, and said so on the line."""
    mode = text(as_dict(r.inputs.get("streamModeDetails")).get("streamMode")).upper() or "PROVISIONED"
    if mode == "ON_DEMAND":
        return [
            noted(
                _charge(
                    r,
                    ctx,
                    "kinesis",
                    "on-demand-stream-hour",
                    HOURS_PER_MONTH,
                    "stream-hours",
                    "Kinesis on-demand stream",
                ),
                "data retrieval, extended retention and enhanced fan-out are not modelled",
            ),
            _charge(
                r,
                ctx,
                "kinesis",
                "on-demand-ingested-gb",
                usage_amount(ctx.usage_for(r).data_processed_gb),
                "GB",
                "Kinesis on-demand data ingested",
                missing_usage(ctx, r, "data ingested", "dataProcessedGB"),
            ),
        ]
    shards = count(r.inputs.get("shardCount"), "shardCount")
    line = _charge(
        r,
        ctx,
        "kinesis",
        "shard-hour",
        Decimal(shards) * HOURS_PER_MONTH if shards is not None else None,
        "shard-hours",
        f"Kinesis provisioned stream: {shards} shard(s)"
        if shards is not None
        else "Kinesis provisioned stream",
        "shard count unknown: the stream gives no shardCount the plan knows",
    )
    return [noted(line, "PUT payload units, extended retention and enhanced fan-out are not modelled")]


_free = functools.partial(free_listed, FREE_TYPES)
"""Register types that cost nothing by themselves (`registry.free_listed`)."""


_free(
    "EventBridge rule or target: no charge by itself (AWS service events and schedules are free; custom events "
    "are billed per million published to a bus)",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
)
_free(
    "queue, topic or secret configuration: no charge (requests are priced on the queue, topic or secret)",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redrivePolicy:RedrivePolicy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:secretsmanager/secretPolicy:SecretPolicy",
    "aws:secretsmanager/secretRotation:SecretRotation",
)
