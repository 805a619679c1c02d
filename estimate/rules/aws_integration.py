"""AWS workflow, integration and discovery services real programs declare beside their compute: Step Functions
state machines, EventBridge buses, Parameter Store parameters, Glue jobs and crawlers, Route 53 hosted zones
(their own, and the one a Cloud Map DNS namespace creates), Cloud Map instances and AppSync GraphQL APIs.

Most are billed by use, so the usage file gives the quantities and a missing one is an unpriced line naming
its key: a Standard workflow's state transitions (`transitionsMillions`), an Express workflow's requests
(`requestsMillions`) and duration (`instanceSeconds` × `memoryMB`, in 64 MB steps), a bus's custom events
and an AppSync API's operations (`requestsMillions`), a Glue job's run hours (`hoursPerMonth`, × its DPUs), a
crawler's DPU-hours (`dpuHours`). Fixed charges are priced from the plan: an advanced parameter, a hosted
zone, a registered instance. First price tiers only, said on the line. Data Catalog databases and tables,
connections, triggers, HTTP namespaces, AppSync keys, data sources and resolvers cost nothing by themselves.
Prices are `service_prices` rows of catalog/data/aws/services.yaml."""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import BadNumber, Unreadable, as_dict, count, size, unpriced
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free_listed, rule
from aiinfra.estimate.rules.aws_messaging import requests_charge
from aiinfra.estimate.rules.common import item_charge, missing_usage, noted, text, usage_amount

CLOUD = "aws"

_charge = functools.partial(item_charge, cloud=CLOUD)

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-aws token)."""

EXPRESS_MEMORY_STEP_MB = 64
"""Express workflows bill memory in 64 MB steps, 64 MB at least (the Step Functions price's unit; infracost's
sfn_state_machine.go rounds the same way)."""
MB_PER_GB = Decimal(1024)
SECONDS_PER_HOUR = Decimal(3600)

GLUE_WORKER_DPUS: dict[str, Decimal] = {
    "Standard": Decimal(1),
    "G.025X": Decimal("0.25"),
    "G.1X": Decimal(1),
    "G.2X": Decimal(2),
    "G.4X": Decimal(4),
    "G.8X": Decimal(8),
    "G.12X": Decimal(12),
    "G.16X": Decimal(16),
}
"""DPUs per Glue worker (https://docs.aws.amazon.com/glue/latest/dg/worker-types.html, read 2026-12-05: a DPU is
4 vCPUs and 16 GB; Standard is 4 vCPUs and 16 GB, so 1 DPU). R.* and Z.2X workers are memory-optimized M-DPUs,
billed at another price the catalog does not hold."""

ADVANCED_TIER = "Advanced"


# -- Step Functions ------------------------------------------------------------------------------------------


def express_billed_mb(memory_mb: Decimal) -> int:
    """The memory an Express workflow is billed for: rounded up to a 64 MB step, 64 MB at least."""
    steps = max(1, math.ceil(memory_mb / EXPRESS_MEMORY_STEP_MB))
    return steps * EXPRESS_MEMORY_STEP_MB


@rule("aws:sfn/stateMachine:StateMachine")
def state_machine(r: PlannedResource, ctx: Context) -> list[Charge]:
    """STANDARD (the default): state transitions, per thousand. EXPRESS: requests, per million, and duration in
    GB-hours = `instanceSeconds` (executions × average duration) × `memoryMB` rounded up to 64 MB."""
    usage = ctx.usage_for(r)
    if text(r.inputs.get("type")).upper() != "EXPRESS":
        transitions = usage_amount(usage.transitions_millions)
        line = _charge(
            r,
            ctx,
            "step-functions",
            "state-transition-thousand",
            transitions * 1000 if transitions is not None else None,
            "thousand state transitions",
            "Step Functions Standard workflow state transitions",
            missing_usage(ctx, r, "state transitions (millions a month)", "transitionsMillions"),
        )
        return [noted(line, "the free tier (4,000 transitions a month) is not deducted")]
    seconds = usage_amount(usage.instance_seconds)
    memory = usage_amount(usage.memory_mb)
    billed = express_billed_mb(memory) if memory is not None else None
    absent = [k for k, v in (("instanceSeconds", seconds), ("memoryMB", memory)) if v is None]
    duration = _charge(
        r,
        ctx,
        "step-functions",
        "express-gb-hour",
        seconds * billed / MB_PER_GB / SECONDS_PER_HOUR
        if seconds is not None and billed is not None
        else None,
        "GB-hours",
        "Step Functions Express workflow duration" + (f": {billed} MB" if billed is not None else ""),
        f"workflow duration unknown: set {' and '.join(absent)} (executions × average duration in seconds, "
        f"and the memory the workflow uses in MB) for {r.name} in {ctx.usage_path}",
    )
    return [
        requests_charge(
            r, ctx, "step-functions", "express-request-million", "Step Functions Express requests"
        ),
        noted(
            duration,
            "first price tier (1,000 GB-hours a month): more a month costs less per GB-hour",
            "each execution is billed in 100 ms steps; instanceSeconds is taken as the billed time",
        ),
    ]


# -- EventBridge buses and Parameter Store -------------------------------------------------------------------


@rule("aws:cloudwatch/eventBus:EventBus")
def event_bus(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Custom events published to the bus, per million (`requestsMillions`)."""
    line = _charge(
        r,
        ctx,
        "eventbridge",
        "custom-event-million",
        usage_amount(ctx.usage_for(r).requests_millions),
        "million events",
        "EventBridge custom events published",
        missing_usage(ctx, r, "custom events published (millions a month)", "requestsMillions"),
    )
    return [
        noted(
            line,
            "AWS service events are free; third-party (SaaS) events, archives, replays and schema discovery "
            "are not modelled",
        )
    ]


def _interactions(r: PlannedResource, ctx: Context, millions: Decimal | None, label: str) -> Charge:
    return _charge(
        r,
        ctx,
        "ssm",
        "api-interaction-10k",
        millions * 100 if millions is not None else None,
        "10k API interactions",
        label,
        missing_usage(ctx, r, "API interactions (millions a month)", "requestsMillions"),
    )


@rule("aws:ssm/parameter:Parameter")
def ssm_parameter(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A Standard parameter (the default tier) is free, and so are its API calls at standard throughput; with
    `requestsMillions` given they are priced as higher-throughput interactions. An Advanced parameter is a
    parameter-month plus its API interactions, per 10,000."""
    tier = text(r.inputs.get("tier")) or "Standard"
    millions = usage_amount(ctx.usage_for(r).requests_millions)
    if tier != ADVANCED_TIER:
        note = (
            "Intelligent-Tiering: priced as Standard; AWS makes it Advanced (a parameter-month) if its value "
            "is above 4 KB or it has parameter policies"
            if tier == "Intelligent-Tiering"
            else ""
        )
        if millions is None:
            return Free(
                "Parameter Store Standard parameter: no charge for storage or standard-throughput API calls "
                "(with higher throughput, an account setting, set requestsMillions to price its interactions)"
                + (f"; {note}" if note else "")
            )
        line = noted(
            _interactions(r, ctx, millions, "Parameter Store higher-throughput API interactions"),
            "billed only when the account's Parameter Store throughput is set to higher throughput",
        )
        return [noted(line, note) if note else line]
    return [
        _charge(
            r,
            ctx,
            "ssm",
            "advanced-parameter-month",
            Decimal(1),
            "parameter-months",
            "Parameter Store advanced parameter",
        ),
        _interactions(r, ctx, millions, "Parameter Store advanced parameter API interactions"),
    ]


# -- Glue ----------------------------------------------------------------------------------------------------


def _max_capacity(value: Any) -> Decimal | None:
    """`maxCapacity` as DPUs; unusable (a word, negative, absurd) raises BadNumber naming the field."""
    try:
        return size(value, "maxCapacity", unit="DPUs")
    except Unreadable:
        raise
    except BadNumber:
        raise BadNumber(
            "maxCapacity", value, "is not a number of DPUs", "give the DPUs the job may use, e.g. 0.0625 or 1"
        ) from None


def glue_job_dpus(inputs: dict[str, Any]) -> tuple[Decimal | None, str]:
    """The DPUs one run of a Glue job holds, and what they are (or None and why not): `numberOfWorkers` ×
    the worker type's DPUs, else `maxCapacity`."""
    workers = count(inputs.get("numberOfWorkers"), "numberOfWorkers")
    worker_type = text(inputs.get("workerType"))
    if workers is not None and worker_type:
        per = GLUE_WORKER_DPUS.get(worker_type)
        if per is None:
            return None, (
                f"workerType {worker_type} is billed per M-DPU-hour (memory-optimized), which the catalog has "
                "no price for"
                if worker_type.startswith(("R.", "Z."))
                else f"workerType {worker_type} is not a Glue worker type this estimate knows"
            )
        return workers * per, f"{workers} × {worker_type} ({workers * per:,} DPUs)"
    capacity = _max_capacity(inputs.get("maxCapacity"))
    if capacity is not None:
        return capacity, f"maxCapacity {capacity:,} DPUs"
    return None, "the job's size is unknown: set numberOfWorkers and workerType (or maxCapacity) on it"


@rule("aws:glue/job:Job")
def glue_job(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Run hours (`hoursPerMonth`) × the job's DPUs at the ETL price per DPU-hour (Spark and Python shell
    alike); FLEX, streaming and Ray jobs are other items, unpriced until the catalog has their rows."""
    command = text(as_dict(r.inputs.get("command")).get("name")) or "glueetl"
    dpus, what = glue_job_dpus(r.inputs)
    label = f"Glue job ({command})"
    if dpus is None:
        return [unpriced(label, "DPU-hours", what)]
    flex = text(r.inputs.get("executionClass")).upper() == "FLEX"
    item = {"gluestreaming": "streaming-dpu-hour", "glueray": "ray-dpu-hour"}.get(
        command, "flex-dpu-hour" if flex else "etl-dpu-hour"
    )
    hours = usage_amount(ctx.usage_for(r).hours_per_month)
    line = _charge(
        r,
        ctx,
        "glue",
        item,
        hours * dpus if hours is not None else None,
        "DPU-hours",
        f"{label}: {what}" + (", Flex" if flex else ""),
        missing_usage(ctx, r, "run time (hours a month)", "hoursPerMonth"),
    )
    return [line]


@rule("aws:glue/crawler:Crawler")
def glue_crawler(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A crawler's DPU-hours (`dpuHours`): AWS decides its DPUs, so the usage file gives the product."""
    return [
        _charge(
            r,
            ctx,
            "glue",
            "crawler-dpu-hour",
            usage_amount(ctx.usage_for(r).dpu_hours),
            "DPU-hours",
            "Glue crawler runs",
            missing_usage(ctx, r, "crawler DPU-hours (run time × DPUs, a month)", "dpuHours"),
        )
    ]


# -- Route 53 hosted zones and Cloud Map ---------------------------------------------------------------------


def _hosted_zone(r: PlannedResource, ctx: Context, description: str) -> Charge:
    line = _charge(r, ctx, "route53", "hosted-zone-month", Decimal(1), "hosted-zone-months", description)
    return noted(line, "first 25 hosted zones' price; DNS queries (per million) are not modelled")


@rule("aws:route53/zone:Zone")
def hosted_zone(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A public or private hosted zone, a month."""
    return [_hosted_zone(r, ctx, "Route 53 hosted zone")]


@rule(
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace",
)
def dns_namespace(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Cloud Map DNS namespace creates a Route 53 hosted zone (private in its VPC, or public), billed as one."""
    private = r.type.endswith(":PrivateDnsNamespace")
    return [
        _hosted_zone(
            r, ctx, f"Route 53 {'private' if private else 'public'} hosted zone of the Cloud Map namespace"
        )
    ]


def _registered(r: PlannedResource, ctx: Context, instances: int, description: str) -> Charge:
    line = _charge(
        r,
        ctx,
        "cloud-map",
        "registered-instance-month",
        Decimal(instances),
        "instance-months",
        description,
    )
    return noted(line, "discovery API calls (per million) are not modelled")


@rule("aws:servicediscovery/service:Service")
def discovery_service(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Free by itself; the instances registered in it (`registeredInstances`, e.g. an ECS service's tasks) are
    billed per month each."""
    instances = ctx.usage_for(r).registered_instances
    if instances is None:
        return Free(
            "Cloud Map service: no charge by itself (instances registered in it are billed per month: set "
            f"registeredInstances for {r.name} in {ctx.usage_path}, e.g. the tasks of an ECS service that "
            "registers here)"
        )
    return [_registered(r, ctx, instances, f"Cloud Map registered instances: {instances}")]


@rule("aws:servicediscovery/instance:Instance")
def discovery_instance(r: PlannedResource, ctx: Context) -> list[Charge]:
    """One registered instance, a month."""
    return [_registered(r, ctx, 1, "Cloud Map registered instance")]


# -- AppSync -------------------------------------------------------------------------------------------------


@rule("aws:appsync/graphQLApi:GraphQLApi")
def graphql_api(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Query and mutation operations, per million (`requestsMillions`); real-time connection minutes when the
    usage file gives them (`connectionMinutesMillions`)."""
    usage = ctx.usage_for(r)
    operations = noted(
        _charge(
            r,
            ctx,
            "appsync",
            "operation-million",
            usage_amount(usage.requests_millions),
            "million operations",
            "AppSync query and mutation operations",
            missing_usage(ctx, r, "query and mutation operations (millions a month)", "requestsMillions"),
        ),
        "real-time updates (subscription messages) are not modelled",
    )
    minutes = usage_amount(usage.connection_minutes_millions)
    if minutes is None:
        return [
            noted(
                operations,
                "real-time subscriptions: set connectionMinutesMillions to price their connection minutes",
            )
        ]
    return [
        operations,
        _charge(
            r,
            ctx,
            "appsync",
            "connection-minute-million",
            minutes,
            "million connection-minutes",
            "AppSync real-time connection minutes",
        ),
    ]


@rule("aws:appsync/apiCache:ApiCache")
def api_cache(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A dedicated cache instance of its `type`, every hour of the month."""
    kind = text(r.inputs.get("type"))
    if not kind:
        return [unpriced("AppSync API cache", "cache-hours", "the cache type is unknown: set type on it")]
    return [
        _charge(
            r,
            ctx,
            "appsync",
            f"cache-{kind.lower()}-hour",
            HOURS_PER_MONTH,
            "cache-hours",
            f"AppSync API cache: {kind}",
        )
    ]


_free = functools.partial(free_listed, FREE_TYPES)
"""Register types that cost nothing by themselves (`registry.free_listed`)."""


_free(
    "Glue Data Catalog: the first million objects stored and the first million requests a month are free "
    "(above that, not modelled)",
    "aws:glue/catalogDatabase:CatalogDatabase",
    "aws:glue/catalogTable:CatalogTable",
)
_free(
    "Glue configuration: no charge (jobs and crawlers are priced by their DPU-hours)",
    "aws:glue/connection:Connection",
    "aws:glue/trigger:Trigger",
    "aws:glue/workflow:Workflow",
    "aws:glue/classifier:Classifier",
    "aws:glue/securityConfiguration:SecurityConfiguration",
)
_free(
    "Cloud Map HTTP namespace: no charge by itself (registered instances are priced where they are declared)",
    "aws:servicediscovery/httpNamespace:HttpNamespace",
)
_free(
    "AppSync configuration: no charge (operations are priced on the API; a data source's own resource is "
    "priced where it is declared)",
    "aws:appsync/apiKey:ApiKey",
    "aws:appsync/dataSource:DataSource",
    "aws:appsync/resolver:Resolver",
    "aws:appsync/function:Function",
    "aws:appsync/type:Type",
)
