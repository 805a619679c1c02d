"""AWS managed services real programs create beside their machines: RDS and Aurora, ElastiCache, load
balancers, ECS on Fargate, ECR, VPC endpoints, Transit Gateway, CloudWatch alarms, DynamoDB, SageMaker
endpoints, Redshift, and the IOPS and throughput of EBS volumes. Type tokens are pulumi-aws 7's.

Prices are `service_prices` rows of catalog/data/aws/services.yaml (service, item), and for RDS instance hours
the per-region table catalog/data/aws/rds-instance.csv: an item the catalog does not price is an unpriced line
naming the row to add (for RDS, the regions where the class is priced), and a quantity only usage can say
(requests, traffic, stored bytes, capacity units) comes from the usage file, else the line is unpriced with
the key to set — never $0. Pure helpers (Fargate sizes, RDS IOPS baselines, node counts) are plain functions,
tested alone."""

from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal
from typing import Any

from aiinfra.catalog.query import closest
from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import BadNumber, as_dict, as_list, count, unpriced
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free_listed, not_estimated, rule
from aiinfra.estimate.rules.common import item_charge, usage_amount
from aiinfra.estimate.rules.common import missing_usage as _missing
from aiinfra.estimate.rules.common import noted as _note
from aiinfra.estimate.rules.common import text as _text

CLOUD = "aws"
D = Decimal

RDS_INSTANCE = "aws:rds/instance:Instance"
RDS_CLUSTER = "aws:rds/cluster:Cluster"
RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
ECS_SERVICE = "aws:ecs/service:Service"
ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
SAGEMAKER_ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
SAGEMAKER_ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
EBS_VOLUME = "aws:ebs/volume:Volume"

_charge = functools.partial(item_charge, cloud=CLOUD)
"""One catalog-priced item of a service in the resource's region (`common.item_charge`)."""


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


def _referenced(ctx: Context, ref: Any, type_token: str, near: PlannedResource) -> PlannedResource | None:
    """The resource of `type_token` an input names by ID, ARN or name (offline plans give IDs as `<name>-id`
    and ARNs ending in `/<name>`); else the only one of that type in the graph, else a sibling."""
    by_id = ctx.by_id(ref, type_token)
    if by_id is not None:
        return by_id
    if isinstance(ref, str) and ref:
        tail = ref.rsplit("/", 1)[-1]
        for candidate in (ref, ref.removesuffix("-id"), tail, tail.split(":", 1)[0]):
            for found in ctx.resources(type_token):
                if found.name == candidate or found.inputs.get("family") == candidate:
                    return found
    every = ctx.resources(type_token)
    if len(every) == 1:
        return every[0]
    return next(ctx.siblings(near, type_token), None)


# -- RDS and Aurora ----------------------------------------------------------------------------------------

RDS_ENGINES = {"mysql", "postgres", "mariadb"}
"""Engines whose instance prices the catalog may hold (license-included Oracle and SQL Server are priced per
edition and licence model, which this estimate does not model: unpriced with that reason)."""

MULTI_AZ = "Multi-AZ: the standby is billed as a second instance and keeps its own copy of storage"
"""RDS user guide, Multi-AZ DB instances: compute and storage are charged for both primary and standby."""

RDS_DEFAULT_STORAGE = "gp2"
"""pulumi-aws rds.Instance storageType: "io1" if iops is given, "gp2" if not (the SDK's documented default)."""


def rds_iops_baseline(storage_type: str, gib: Decimal, engine: str) -> int:
    """IOPS included in an RDS gp3 volume's price: 3,000 below 400 GiB, 12,000 from 400 GiB (MySQL, MariaDB,
    PostgreSQL; RDS user guide, gp3 storage). io1/io2 include none: every provisioned IOPS is billed."""
    if storage_type != "gp3":
        return 0
    if engine in RDS_ENGINES and gib >= 400:
        return 12_000
    return 3_000


RDS_TABLE = "rds-instance"
"""The catalog service of RDS instance hours: catalog/data/aws/rds-instance.csv and services.yaml."""


def priced_in(regions: list[str], shown: int = 5) -> str:
    """`; priced in a, b, c, d, e and 9 more regions`, in the words of an EC2 machine's unpriced reason
    (`Catalog.unpriced_reason`); "" when there are none."""
    if not regions:
        return ""
    more = len(regions) - shown
    return f"; priced in {', '.join(regions[:shown])}" + (f" and {more} more regions" if more > 0 else "")


def rds_instance_gap(ctx: Context, cls: str, engine: str, region: str | None) -> str | None:
    """Why the catalog has no price for `cls` running `engine` in `region`, worded as EC2's: the regions where
    it is priced, else the engines it is priced for, else that the class is unknown (with the closest one).
    None when it is priced or the catalog has no RDS table."""
    item = f"{cls}/{engine}"
    if ctx.catalog.service_price(CLOUD, RDS_TABLE, item, region or "*") is not None:
        return None
    table = ctx.catalog.service_table(CLOUD, RDS_TABLE)
    if table is None:
        return None
    regions = table.regions(item)
    if regions and region is None:
        return f"the region is unknown; RDS {cls} ({engine}) is priced per region{priced_in(regions)}"
    if regions:
        return f"RDS {cls} ({engine}) is not offered in {region} in this catalog{priced_in(regions)}"
    engines = sorted(e for e in RDS_ENGINES if table.regions(f"{cls}/{e}"))
    if engines:
        return (
            f"RDS {cls} has no {engine} price in this catalog (catalog/data/{table.rel} prices it for "
            f"{', '.join(engines)})"
        )
    suggestion = closest(cls, {name.split("/", 1)[0] for name in table.names()})
    hint = f"; did you mean {suggestion}?" if suggestion else ""
    return f"{cls} is not an RDS instance class in this catalog (catalog/data/{table.rel}){hint}"


def _us_east_fallback(ctx: Context, service: str, item: str, region: str | None) -> str | None:
    """A note when `service`/`item` in `region` is priced by services.yaml's '*' row (the us-east-1 rate)."""
    row = ctx.catalog.service_price(CLOUD, service, item, region or "*")
    if region is None or row is None or row.region != "*":
        return None
    what = {"rds-storage": "storage", "rds-iops": "IOPS"}.get(service, service)
    return f"no RDS {item} {what} price for {region} in the catalog: the us-east-1 rate (usually lower)"


def _replica_source(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    """The instance a read replica copies (replicateSourceDb: its identifier or ARN), when it is in the plan."""
    ref = r.inputs.get("replicateSourceDb")
    if not ref:
        return None
    found = _referenced(ctx, ref, RDS_INSTANCE, r)
    return found if found is not None and found is not r else None


@rule(RDS_INSTANCE)
def rds_instance(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Instance hours by class and engine (a Multi-AZ standby is a second billed instance), allocated storage
    by type (also twice for Multi-AZ), and provisioned IOPS above what the storage type includes."""
    cls = _text(ctx.value(r, "instanceClass"))
    source = _replica_source(r, ctx)
    inputs = {**(source.inputs if source is not None else {}), **{k: v for k, v in r.inputs.items() if v}}
    engine = _text(inputs.get("engine") or ctx.value(r, "engine")).lower()
    multi_az = str(r.inputs.get("multiAz")).lower() == "true"
    copies = D(2) if multi_az else D(1)
    deployment = "Multi-AZ (primary + standby)" if multi_az else "Single-AZ"
    charges: list[Charge] = []
    if not cls:
        charges.append(
            unpriced("RDS instance without an instanceClass", "instance-hours", "no instanceClass")
        )
    elif engine not in RDS_ENGINES:
        charges.append(
            unpriced(
                f"RDS {cls} ({engine or 'no engine'})",
                "instance-hours",
                f"engine {engine or '(none)'}: only {', '.join(sorted(RDS_ENGINES))} instances are priced "
                "(licensed engines depend on edition and licence model)",
            )
        )
    else:
        hours = _charge(
            r,
            ctx,
            RDS_TABLE,
            f"{cls}/{engine}",
            copies * HOURS_PER_MONTH,
            "instance-hours",
            f"RDS {engine} {cls}, {deployment}, on-demand",
        )
        if hours.unit_price_usd is None:
            gap = rds_instance_gap(ctx, cls, engine, _region(r, ctx))
            hours = dataclasses.replace(hours, reason=gap or hours.reason)
        charges.append(hours)
    gib = size_of(inputs.get("allocatedStorage") or ctx.value(r, "allocatedStorage"), "allocatedStorage")
    iops = count(inputs.get("iops"), "iops")
    kind = _text(inputs.get("storageType")).lower() or ("io1" if iops else RDS_DEFAULT_STORAGE)
    if gib is not None:
        line = _charge(
            r,
            ctx,
            "rds-storage",
            kind,
            gib * copies,
            "GB-months",
            f"RDS {kind} storage: {gib:,.0f} GB × {copies} (copies)",
        )
        if not inputs.get("storageType"):
            line = _note(line, f"no storageType: RDS's default {kind}")
        fallback = _us_east_fallback(ctx, "rds-storage", kind, _region(r, ctx))
        if fallback:
            line = _note(line, fallback)
        if source is not None:
            line = _note(line, f"read replica of {source.name}: its engine and storage unless given here")
        charges.append(line)
    else:
        charges.append(unpriced("RDS storage", "GB-months", "no allocatedStorage"))
    baseline = rds_iops_baseline(kind, gib or D(0), engine)
    if iops is not None and iops > baseline and kind in ("io1", "io2", "gp3"):
        extra = D(iops - baseline) * copies
        provisioned = _charge(
            r,
            ctx,
            "rds-iops",
            kind,
            extra,
            "IOPS-months",
            f"RDS {kind} provisioned IOPS: {iops:,} − {baseline:,} included, × {copies}",
        )
        fallback = _us_east_fallback(ctx, "rds-iops", kind, _region(r, ctx))
        charges.append(_note(provisioned, fallback) if fallback else provisioned)
    return [_note(c, MULTI_AZ) for c in charges] if multi_az else charges


AURORA_ENGINES = {"aurora-mysql", "aurora-postgresql", "aurora"}


@rule(RDS_CLUSTER)
def rds_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An Aurora cluster's shared volume: GB stored and, on standard storage, I/O requests (both from the
    usage file). Its instances are priced as aws:rds/clusterInstance resources."""
    engine = _text(ctx.value(r, "engine")).lower() or "aurora"
    if engine not in AURORA_ENGINES:
        return [
            unpriced(
                f"RDS Multi-AZ DB cluster ({engine})",
                "",
                f"engine {engine}: Multi-AZ DB clusters (non-Aurora) are not estimated",
            )
        ]
    if _text(r.inputs.get("engineMode")).lower() == "serverless":
        return [
            unpriced("Aurora Serverless v1 cluster", "ACU-hours", "Aurora Serverless v1 is not estimated")
        ]
    usage = ctx.usage_for(r)
    optimized = _text(r.inputs.get("storageType")).lower() == "aurora-iopt1"
    gib = usage_amount(usage.storage_gib)
    storage_item = "io-optimized-storage-gb-month" if optimized else "storage-gb-month"
    charges = [
        _charge(
            r,
            ctx,
            "aurora",
            storage_item,
            gib,
            "GB-months",
            "Aurora " + ("I/O-Optimized " if optimized else "") + "storage",
            _missing(ctx, r, "stored amount", "storageGiB"),
        )
    ]
    if not optimized:
        charges.append(
            _charge(
                r,
                ctx,
                "aurora",
                "io-million-requests",
                usage_amount(usage.io_requests_millions),
                "million I/O requests",
                "Aurora I/O requests",
                _missing(ctx, r, "I/O requests", "ioRequestsMillions"),
            )
        )
    return charges


@rule(RDS_CLUSTER_INSTANCE)
def rds_cluster_instance(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An Aurora instance: its class's hours by engine; db.serverless (Serverless v2) is ACU-hours from the
    usage file's capacityUnits."""
    cls = _text(ctx.value(r, "instanceClass"))
    engine = _text(ctx.value(r, "engine")).lower() or "aurora-mysql"
    if engine == "aurora":
        engine = "aurora-mysql"  # the engine name of Aurora MySQL 1 (MySQL 5.6-compatible), priced the same
    if cls == "db.serverless":
        acu = usage_amount(ctx.usage_for(r).capacity_units)
        return [
            _charge(
                r,
                ctx,
                "aurora",
                "serverless-v2-acu-hour",
                acu * HOURS_PER_MONTH if acu is not None else None,
                "ACU-hours",
                "Aurora Serverless v2" + (f": {acu} ACUs average × {HOURS_PER_MONTH} h" if acu else ""),
                _missing(ctx, r, "average capacity", "capacityUnits"),
            )
        ]
    if not cls:
        return [unpriced("Aurora instance without an instanceClass", "instance-hours", "no instanceClass")]
    return [
        _charge(
            r,
            ctx,
            "aurora-instance",
            f"{cls}/{engine}",
            HOURS_PER_MONTH,
            "instance-hours",
            f"Aurora {engine} {cls}, on-demand",
        )
    ]


# -- ElastiCache -------------------------------------------------------------------------------------------


CACHE_ENGINES = {"redis": "", "memcached": "/memcached", "valkey": "/valkey"}
"""The catalog item of a node type per engine (catalog/data/aws/elasticache.csv's price columns): Redis OSS is
the node type itself; Memcached (the same price where offered, but not on every type) and Valkey (cheaper)
have their own."""


def cache_item(node_type: str, engine: str) -> str:
    """The ElastiCache price item of `node_type` running `engine`. An engine the price list does not know
    gets `<type>/<engine>`, which no row prices: the line stays unpriced and names it."""
    return node_type + CACHE_ENGINES.get(engine, f"/{engine}")


def replication_group_nodes(inputs: dict[str, Any]) -> tuple[int, str]:
    """(nodes, how) of an ElastiCache replication group: shards × (1 primary + replicas) in cluster mode,
    else numCacheClusters (primary and replicas), else one node (the API's default)."""
    shards = count(inputs.get("numNodeGroups"), "numNodeGroups")
    if shards is not None:
        replicas = count(inputs.get("replicasPerNodeGroup"), "replicasPerNodeGroup", 0) or 0
        return shards * (1 + replicas), f"{shards} shards × (1 primary + {replicas} replicas)"
    clusters = count(inputs.get("numCacheClusters"), "numCacheClusters")
    if clusters is not None:
        return clusters, f"{clusters} nodes (primary and replicas)"
    return 1, "no numCacheClusters or numNodeGroups: one node"


def _cache_nodes(
    r: PlannedResource, ctx: Context, node_type: str, engine: str, nodes: int, how: str
) -> list[Charge]:
    if not node_type:
        return [unpriced("ElastiCache without a nodeType", "node-hours", "no nodeType")]
    return [
        _note(
            _charge(
                r,
                ctx,
                "elasticache",
                cache_item(node_type, engine),
                D(nodes) * HOURS_PER_MONTH,
                "node-hours",
                f"ElastiCache {engine} {node_type} × {nodes}, on-demand",
            ),
            how,
        )
    ]


@rule("aws:elasticache/cluster:Cluster")
def elasticache_cluster(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    if r.inputs.get("replicationGroupId"):
        return Free("ElastiCache cluster in a replication group: its nodes are priced on the group")
    nodes = count(r.inputs.get("numCacheNodes"), "numCacheNodes", 1) or 0
    engine = _text(r.inputs.get("engine")).lower() or "redis"
    node_type = _text(ctx.value(r, "nodeType"))
    return _cache_nodes(r, ctx, node_type, engine, nodes, f"numCacheNodes {nodes}")


@rule("aws:elasticache/replicationGroup:ReplicationGroup")
def elasticache_replication_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    nodes, how = replication_group_nodes(r.inputs)
    engine = _text(r.inputs.get("engine")).lower() or "redis"
    return _cache_nodes(r, ctx, _text(ctx.value(r, "nodeType")), engine, nodes, how)


# -- Elastic Load Balancing ---------------------------------------------------------------------------------

LB_KINDS = {"application": "Application", "network": "Network", "gateway": "Gateway"}


@rule("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
def load_balancer(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Hours, and capacity units (LCUs; NLCUs / GLCUs) from the usage file's capacityUnits."""
    kind = _text(r.inputs.get("loadBalancerType")).lower() or "application"
    label = LB_KINDS.get(kind, kind)
    lcu = usage_amount(ctx.usage_for(r).capacity_units)
    return [
        _charge(r, ctx, "elb", f"{kind}-hour", HOURS_PER_MONTH, "LB-hours", f"{label} Load Balancer"),
        _charge(
            r,
            ctx,
            "elb",
            f"{kind}-lcu-hour",
            lcu * HOURS_PER_MONTH if lcu is not None else None,
            "LCU-hours",
            f"{label} Load Balancer capacity units"
            + (f": {lcu} average × {HOURS_PER_MONTH} h" if lcu else ""),
            _missing(ctx, r, "capacity units", "capacityUnits"),
        ),
    ]


@rule("aws:elb/loadBalancer:LoadBalancer")
def classic_load_balancer(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Classic Load Balancer: hours, and the GB it processes (usage dataProcessedGB)."""
    return [
        _charge(r, ctx, "elb", "classic-hour", HOURS_PER_MONTH, "LB-hours", "Classic Load Balancer"),
        _charge(
            r,
            ctx,
            "elb",
            "classic-gb-processed",
            usage_amount(ctx.usage_for(r).data_processed_gb),
            "GB processed",
            "Classic Load Balancer data processing",
            _missing(ctx, r, "traffic", "dataProcessedGB"),
        ),
    ]


# -- ECS on Fargate -----------------------------------------------------------------------------------------

FARGATE_FREE_EPHEMERAL_GIB = 20
"""Ephemeral storage every Fargate task gets at no charge (AWS Fargate pricing)."""


def fargate_size(cpu: Any, memory: Any) -> tuple[Decimal, Decimal]:
    """(vCPU, GB) of a task definition's `cpu` and `memory`: CPU units ("256" = 0.25 vCPU) or "1 vCPU";
    MiB ("512") or "1 GB". Anything else raises BadNumber naming the input."""

    def parse(value: Any, path: str, unit_word: str, per_unit: int) -> Decimal:
        text = str(value).strip() if value is not None else ""
        match = re.fullmatch(rf"(\d+(?:\.\d+)?)\s*({unit_word})?", text, flags=re.IGNORECASE)
        if not match:
            raise BadNumber(
                path, value, "is not a Fargate size", f"give {path} as a number or as '1 {unit_word}'"
            )
        number = D(match.group(1))
        return number if match.group(2) else number / per_unit

    return parse(cpu, "cpu", "vCPU", 1024), parse(memory, "memory", "GB", 1024)


def _fargate(service: PlannedResource) -> str | None:
    """FARGATE, FARGATE_SPOT, EC2 or EXTERNAL: the launch type, else the first capacity provider."""
    launch = _text(service.inputs.get("launchType")).upper()
    if launch:
        return launch
    strategies = service.inputs.get("capacityProviderStrategies") or []
    for s in strategies:
        provider = _text(as_dict(s).get("capacityProvider")).upper()
        if provider:
            return provider if provider in ("FARGATE", "FARGATE_SPOT") else "EC2"
    return None


@rule(ECS_SERVICE)
def ecs_service(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A Fargate service: desiredCount tasks × the task definition's vCPU and GB, every hour; ephemeral
    storage above the free 20 GiB. Tasks on EC2 run on instances priced as instances."""
    launch = _fargate(r)
    if launch in (None, "EC2", "EXTERNAL"):
        return Free("ECS service on EC2 or external capacity: its tasks run on instances priced apart")
    task = _referenced(ctx, r.inputs.get("taskDefinition"), ECS_TASK_DEFINITION, r)
    if task is None:
        return [unpriced("Fargate tasks", "vCPU-hours", "its task definition is not in the plan")]
    if launch == "FARGATE_SPOT":
        return [unpriced("Fargate Spot tasks", "vCPU-hours", "Fargate Spot prices are not in the catalog")]
    desired = count(r.inputs.get("desiredCount"), "desiredCount", 0) or 0
    cpu, memory = ctx.value(task, "cpu"), ctx.value(task, "memory")
    if cpu in (None, "") or memory in (None, ""):
        return [
            unpriced(
                f"Fargate tasks of {task.name}",
                "vCPU-hours",
                "the task definition has no task-level cpu and memory (Fargate bills those)",
            )
        ]
    vcpu, gb = fargate_size(cpu, memory)
    platform = as_dict(task.inputs.get("runtimePlatform"))
    os_family = _text(platform.get("operatingSystemFamily")).upper() or "LINUX"
    arch = "arm" if _text(platform.get("cpuArchitecture")).upper() == "ARM64" else "x86"
    hours = D(desired) * HOURS_PER_MONTH
    shape = f"{desired} tasks × {vcpu} vCPU / {gb} GB ({task.name})"
    if os_family != "LINUX":
        return [unpriced(f"Fargate {shape}", "vCPU-hours", f"{os_family} Fargate tasks are not priced")]
    notes = [] if r.inputs.get("desiredCount") is not None else ["no desiredCount: ECS's default 0 tasks"]
    charges = [
        _charge(
            r, ctx, "fargate", f"linux-{arch}-vcpu-hour", vcpu * hours, "vCPU-hours", f"Fargate vCPU: {shape}"
        ),
        _charge(
            r, ctx, "fargate", f"linux-{arch}-gb-hour", gb * hours, "GB-hours", f"Fargate memory: {shape}"
        ),
    ]
    ephemeral = size_of(
        as_dict(task.inputs.get("ephemeralStorage")).get("sizeInGib"), "ephemeralStorage.sizeInGib"
    )
    if ephemeral is not None and ephemeral > FARGATE_FREE_EPHEMERAL_GIB:
        extra = ephemeral - FARGATE_FREE_EPHEMERAL_GIB
        charges.append(
            _charge(
                r,
                ctx,
                "fargate",
                "ephemeral-gb-hour",
                extra * hours,
                "ephemeral GB-hours",
                f"Fargate ephemeral storage above {FARGATE_FREE_EPHEMERAL_GIB} GiB: {extra} GB × {desired} tasks",
            )
        )
    return [_note(c, n) for c in charges for n in notes] if notes else charges


# -- EKS on Fargate ------------------------------------------------------------------------------------------

EKS_FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile"

EKS_FARGATE_CONFIGURATIONS: tuple[tuple[Decimal, tuple[Decimal, ...]], ...] = (
    (D("0.25"), (D("0.5"), D(1), D(2))),
    (D("0.5"), tuple(D(g) for g in range(1, 5))),
    (D(1), tuple(D(g) for g in range(2, 9))),
    (D(2), tuple(D(g) for g in range(4, 17))),
    (D(4), tuple(D(g) for g in range(8, 31))),
    (D(8), tuple(D(g) for g in range(16, 61, 4))),
    (D(16), tuple(D(g) for g in range(32, 121, 8))),
)
"""(vCPU, memory GB choices) a pod on EKS Fargate can be given, smallest first (Amazon EKS user guide,
"Understand Fargate Pod configuration details", https://docs.aws.amazon.com/eks/latest/userguide/
fargate-pod-configuration.html, read 2026-12-05)."""

EKS_FARGATE_KUBERNETES_GB = D("0.25")
"""Memory EKS adds to every Fargate pod for kubelet, kube-proxy and containerd (same page: 256 MB)."""

EKS_FARGATE_NOTES = (
    "EKS runs Fargate pods on x86 only (Arm for EKS Fargate is an open request: aws/containers-roadmap#1629): "
    "x86 Linux Fargate prices",
    "EKS runs each Fargate pod on its own Fargate node, billed while the pod runs: the usage file's pods are "
    "an average over hoursPerMonth",
)


def _plain(number: Decimal) -> str:
    """A quantity as a person writes it: 10.0 → 10, 0.50 → 0.5."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def eks_fargate_configuration(vcpu: Decimal, memory_gb: Decimal) -> tuple[Decimal, Decimal] | str:
    """The (vCPU, GB) configuration EKS bills a Fargate pod that requests `vcpu` and `memory_gb`: the
    smallest one holding the vCPU and the memory plus the 256 MB EKS adds (1 vCPU / 8 GB → 2 vCPU / 9 GB);
    or why none holds it."""
    need = memory_gb + EKS_FARGATE_KUBERNETES_GB
    for cpus, choices in EKS_FARGATE_CONFIGURATIONS:
        if cpus >= vcpu and choices[-1] >= need:
            return cpus, next(g for g in choices if g >= need)
    return (
        f"no EKS Fargate configuration holds {vcpu} vCPU and {memory_gb} GB (+0.25 GB for Kubernetes): the "
        "largest is 16 vCPU / 120 GB"
    )


@rule(EKS_FARGATE_PROFILE)
def eks_fargate_profile(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The pods an EKS Fargate profile selects, each its own Fargate task billed per vCPU- and GB-hour at the
    configuration EKS rounds its requests up to, plus ephemeral storage above the included 20 GB. The profile
    costs nothing itself; how many pods run, how large and how long only the usage file can say (`pods`,
    `podVcpu`, `podMemoryGB`, optional `podEphemeralGB` and `hoursPerMonth`), else the lines are unpriced."""
    usage = ctx.usage_for(r)
    what = f"Fargate pods of profile {r.name}"
    keys = [
        k
        for k, v in (("pods", usage.pods), ("podVcpu", usage.pod_vcpu), ("podMemoryGB", usage.pod_memory_gb))
        if v is None
    ]
    if keys:
        reason = (
            f"the pods it runs are billed per vCPU- and GB-hour, and how many and how large is not in the "
            f"stack: set {', '.join(keys)} for {r.name} in {ctx.usage_path}"
        )
        return [unpriced(f"{what} (vCPU- and GB-hours)", "vCPU-hours", reason)]
    pods = D(usage.pods or 0)
    vcpu, memory = D(str(usage.pod_vcpu)), D(str(usage.pod_memory_gb))
    size = eks_fargate_configuration(vcpu, memory)
    if isinstance(size, str):
        return [unpriced(f"{what} (vCPU- and GB-hours)", "vCPU-hours", size)]
    cpus, gb = size
    hours = D(str(usage.hours_per_month)) if usage.hours_per_month is not None else HOURS_PER_MONTH
    shape = (
        f"{pods} pods × {_plain(cpus)} vCPU / {_plain(gb)} GB (requests {_plain(vcpu)} vCPU / "
        f"{_plain(memory)} GB + 0.25 GB, rounded up), {_plain(hours)} h"
    )
    charges = [
        _charge(
            r, ctx, "fargate", "linux-x86-vcpu-hour", pods * cpus * hours, "vCPU-hours", f"{what}: {shape}"
        ),
        _charge(r, ctx, "fargate", "linux-x86-gb-hour", pods * gb * hours, "GB-hours", f"{what}: {shape}"),
    ]
    ephemeral = usage_amount(usage.pod_ephemeral_gb)
    if ephemeral is not None and ephemeral > FARGATE_FREE_EPHEMERAL_GIB:
        extra = ephemeral - FARGATE_FREE_EPHEMERAL_GIB
        charges.append(
            _charge(
                r,
                ctx,
                "fargate",
                "ephemeral-gb-hour",
                pods * extra * hours,
                "ephemeral GB-hours",
                f"{what}: ephemeral storage above {FARGATE_FREE_EPHEMERAL_GIB} GB, {_plain(extra)} GB × {pods} pods",
            )
        )
    notes = [*EKS_FARGATE_NOTES]
    if usage.hours_per_month is None:
        notes.append("no hoursPerMonth: the pods run all month")
    return [_note(c, *notes) for c in charges]


# -- ECR, VPC endpoints, Transit Gateway, CloudWatch alarms ----------------------------------------------------


@rule("aws:ecr/repository:Repository")
def ecr_repository(r: PlannedResource, ctx: Context) -> list[Charge]:
    gib = usage_amount(ctx.usage_for(r).storage_gib)
    return [
        _charge(
            r,
            ctx,
            "ecr",
            "storage-gb-month",
            gib,
            "GB-months",
            "ECR image storage",
            _missing(ctx, r, "stored amount", "storageGiB"),
        )
    ]


ENDPOINT_KINDS = {"interface": "interface", "gatewayloadbalancer": "gwlb"}


@rule("aws:ec2/vpcEndpoint:VpcEndpoint")
def vpc_endpoint(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Interface and Gateway Load Balancer endpoints: an hourly charge per AZ (one per subnet) and the GB
    they process (usage dataProcessedGB). Gateway endpoints (S3, DynamoDB) are free."""
    kind = _text(r.inputs.get("vpcEndpointType")).lower() or "gateway"
    if kind == "gateway":
        return Free("gateway VPC endpoint (S3, DynamoDB): no charge")
    item = ENDPOINT_KINDS.get(kind)
    if item is None:
        return [unpriced(f"VPC endpoint ({kind})", "AZ-hours", f"{kind} endpoints are not estimated")]
    subnets = r.inputs.get("subnetIds")
    zones = len(subnets) if isinstance(subnets, list) and subnets else 1
    note = "" if isinstance(subnets, list) and subnets else "no subnetIds: one AZ assumed"
    hours = _charge(
        r,
        ctx,
        "vpc-endpoint",
        f"{item}-az-hour",
        D(zones) * HOURS_PER_MONTH,
        "AZ-hours",
        f"VPC {kind} endpoint in {zones} AZ{'s' if zones != 1 else ''}",
    )
    return [
        _note(hours, note) if note else hours,
        _charge(
            r,
            ctx,
            "vpc-endpoint",
            f"{item}-gb-processed",
            usage_amount(ctx.usage_for(r).data_processed_gb),
            "GB processed",
            f"VPC {kind} endpoint data processing",
            _missing(ctx, r, "traffic", "dataProcessedGB"),
        ),
    ]


@rule("aws:ec2transitgateway/vpcAttachment:VpcAttachment")
def transit_gateway_attachment(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        _charge(
            r,
            ctx,
            "transit-gateway",
            "attachment-hour",
            HOURS_PER_MONTH,
            "attachment-hours",
            "Transit Gateway VPC attachment",
        ),
        _charge(
            r,
            ctx,
            "transit-gateway",
            "gb-processed",
            usage_amount(ctx.usage_for(r).data_processed_gb),
            "GB processed",
            "Transit Gateway data processing",
            _missing(ctx, r, "traffic", "dataProcessedGB"),
        ),
    ]


def alarm_metrics(inputs: dict[str, Any]) -> tuple[int, bool, bool]:
    """(metrics billed, high resolution, anomaly detection) of a CloudWatch metric alarm: one metric, or each
    metric a metricQueries entry reads; a period under 60 s is high resolution; an anomaly detection band
    (thresholdMetricId) bills 3 metrics per metric (the metric and the band's upper and lower bounds)."""
    queries = [as_dict(q) for q in inputs.get("metricQueries") or []]
    metrics = sum(1 for q in queries if q.get("metric")) or 1
    periods = [inputs.get("period")] + [as_dict(q.get("metric")).get("period") for q in queries]
    high = any(p not in (None, "") and (count(p, "period") or 0) < 60 for p in periods)
    anomaly = bool(inputs.get("thresholdMetricId"))
    return (metrics * 3 if anomaly else metrics), high, anomaly


@rule("aws:cloudwatch/metricAlarm:MetricAlarm")
def metric_alarm(r: PlannedResource, ctx: Context) -> list[Charge]:
    metrics, high, anomaly = alarm_metrics(r.inputs)
    resolution = "high-resolution" if high else "standard"
    what = f"CloudWatch {resolution} alarm: {metrics} metric{'s' if metrics != 1 else ''}"
    if anomaly:
        what += " (anomaly detection: 3 per metric)"
    return [
        _charge(
            r, ctx, "cloudwatch-alarms", f"{resolution}-metric-month", D(metrics), "alarm metric-months", what
        )
    ]


@rule("aws:cloudwatch/compositeAlarm:CompositeAlarm")
def composite_alarm(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        _charge(
            r,
            ctx,
            "cloudwatch-alarms",
            "composite-alarm-month",
            D(1),
            "alarm-months",
            "CloudWatch composite alarm",
        )
    ]


# -- DynamoDB, SageMaker, Redshift ---------------------------------------------------------------------------


@rule("aws:dynamodb/table:Table")
def dynamodb_table(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Provisioned: read and write capacity units every hour. On-demand: request units from the usage
    file. Both: data stored (usage storageGiB). Standard table class; the free tier is not deducted."""
    usage = ctx.usage_for(r)
    table_class = _text(r.inputs.get("tableClass")).upper() or "STANDARD"
    if table_class != "STANDARD":
        return [unpriced(f"DynamoDB {table_class} table", "", f"table class {table_class} is not priced")]
    mode = _text(r.inputs.get("billingMode")).upper() or "PROVISIONED"
    charges: list[Charge] = []
    if mode == "PAY_PER_REQUEST":
        for key, item, label, value in (
            ("writeRequestsMillions", "write-request-million", "write", usage.write_requests_millions),
            ("readRequestsMillions", "read-request-million", "read", usage.read_requests_millions),
        ):
            charges.append(
                _charge(
                    r,
                    ctx,
                    "dynamodb",
                    item,
                    usage_amount(value),
                    f"million {label} request units",
                    f"DynamoDB on-demand {label} request units",
                    _missing(ctx, r, f"{label} requests", key),
                )
            )
    else:
        for key, item, label in (
            ("writeCapacity", "wcu-hour", "write"),
            ("readCapacity", "rcu-hour", "read"),
        ):
            units = count(r.inputs.get(key), key, 0) or 0
            charges.append(
                _charge(
                    r,
                    ctx,
                    "dynamodb",
                    item,
                    D(units) * HOURS_PER_MONTH,
                    f"{item.split('-')[0].upper()}-hours",
                    f"DynamoDB provisioned {label} capacity: {units} units",
                )
            )
    charges.append(
        _charge(
            r,
            ctx,
            "dynamodb",
            "storage-gb-month",
            usage_amount(usage.storage_gib),
            "GB-months",
            "DynamoDB table storage",
            _missing(ctx, r, "stored amount", "storageGiB"),
        )
    )
    return charges


@rule(SAGEMAKER_ENDPOINT)
def sagemaker_endpoint(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A real-time endpoint: each production variant of its endpoint configuration, instance type ×
    initialInstanceCount, every hour (ml.* hosting prices). Serverless variants are billed by use."""
    config = _referenced(ctx, r.inputs.get("endpointConfigName"), SAGEMAKER_ENDPOINT_CONFIGURATION, r)
    if config is None:
        return [
            unpriced("SageMaker endpoint", "instance-hours", "its endpoint configuration is not in the plan")
        ]
    charges: list[Charge] = []
    for i, variant in enumerate(as_dict(v) for v in config.inputs.get("productionVariants") or []):
        name = _text(variant.get("variantName")) or f"variant {i}"
        if variant.get("serverlessConfig"):
            charges.append(
                unpriced(
                    f"SageMaker serverless variant {name}",
                    "",
                    "serverless inference is billed by compute-seconds of use, which this estimate does not model",
                )
            )
            continue
        kind = _text(variant.get("instanceType"))
        n = (
            count(variant.get("initialInstanceCount"), f"productionVariants[{i}].initialInstanceCount", 1)
            or 0
        )
        if not kind:
            charges.append(unpriced(f"SageMaker variant {name}", "instance-hours", "no instanceType"))
            continue
        charges.append(
            _charge(
                r,
                ctx,
                "sagemaker-hosting",
                kind,
                D(n) * HOURS_PER_MONTH,
                "instance-hours",
                f"SageMaker real-time inference {name}: {n} × {kind} ({config.name})",
            )
        )
    return charges or [
        unpriced("SageMaker endpoint", "", f"configuration {config.name} has no production variants")
    ]


@rule("aws:redshift/cluster:Cluster")
def redshift_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Node type × nodes every hour; RA3 managed storage from the usage file's storageGiB."""
    node_type = _text(ctx.value(r, "nodeType"))
    single = _text(r.inputs.get("clusterType")).lower() == "single-node"
    nodes = 1 if single else count(r.inputs.get("numberOfNodes"), "numberOfNodes", 1) or 0
    charges = [
        _charge(
            r,
            ctx,
            "redshift",
            node_type,
            D(nodes) * HOURS_PER_MONTH,
            "node-hours",
            f"Redshift {node_type} × {nodes}, on-demand",
        )
        if node_type
        else unpriced("Redshift cluster without a nodeType", "node-hours", "no nodeType")
    ]
    if node_type.startswith("ra3."):
        charges.append(
            _charge(
                r,
                ctx,
                "redshift",
                "managed-storage-gb-month",
                usage_amount(ctx.usage_for(r).storage_gib),
                "GB-months",
                "Redshift managed storage (RA3)",
                _missing(ctx, r, "stored amount", "storageGiB"),
            )
        )
    return charges


# -- CloudTrail ----------------------------------------------------------------------------------------------

CLOUDTRAIL = "aws:cloudtrail/trail:Trail"
CLOUDTRAIL_PRICING = (
    "aws.amazon.com/cloudtrail/pricing (CloudTrail API reference, EventSelector, read 2026-12-04)"
)


def _records_billed_events(r: PlannedResource) -> bool:
    """Whether a trail asks for the events CloudTrail bills on every trail: data events (event selectors with
    data resources, or advanced event selectors) or Insights."""
    selectors = r.inputs.get("eventSelectors") or []
    data = any(as_dict(s).get("dataResources") for s in selectors if isinstance(s, dict))
    return bool(data or r.inputs.get("advancedEventSelectors") or r.inputs.get("insightSelectors"))


@rule(CLOUDTRAIL)
def cloudtrail_trail(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """The first copy of management events in a region is free; data and Insights events, and management
    events on a second trail of the same region, are billed per 100,000 events, a number no stack says."""
    region = _region(r, ctx)
    trails = ctx.resources(CLOUDTRAIL)
    before = trails[: next((i for i, t in enumerate(trails) if t.urn == r.urn), 0)]
    earlier = [t for t in before if _region(t, ctx) == region]
    if not _records_billed_events(r) and not earlier:
        return Free(
            f"CloudTrail trail of management events only: the first copy in a region is free ({CLOUDTRAIL_PRICING}); "
            "if the account already has a trail in this region, this one is an additional copy, billed per event"
        )
    why = (
        "it records data or Insights events"
        if _records_billed_events(r)
        else f"it is an additional trail in {region or 'the same region'} (after {earlier[0].name})"
    )
    return [
        unpriced(
            f"CloudTrail events ({why})",
            "100,000 events",
            f"CloudTrail bills these events per 100,000 ({CLOUDTRAIL_PRICING}); the number of events is not known",
        )
    ]


# -- free types ---------------------------------------------------------------------------------------------


FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-aws token)."""


_free = functools.partial(free_listed, FREE_TYPES)
"""Register types that cost nothing by themselves (`registry.free_listed`)."""


_free(
    "network configuration: no charge (interfaces, ACLs, DHCP options, attachments and associations)",
    "aws:ec2/networkInterface:NetworkInterface",
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment",
    "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    "aws:ec2/defaultRouteTable:DefaultRouteTable",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/networkAclRule:NetworkAclRule",
    "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions",
    "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation",
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    "aws:ec2/vpcEndpointSubnetAssociation:VpcEndpointSubnetAssociation",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    "aws:ec2/defaultVpc:DefaultVpc",
    "aws:ec2/defaultSubnet:DefaultSubnet",
    "aws:ec2/eipAssociation:EipAssociation",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:ec2transitgateway/routeTable:RouteTable",
    "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
    "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
    "aws:ec2transitgateway/route:Route",
)
_free("EC2 key pair: no charge", "aws:ec2/keyPair:KeyPair")
_free(
    "volume attachment: no charge (the volume and the instance are priced)",
    "aws:ec2/volumeAttachment:VolumeAttachment",
)
_free(
    "S3 object or bucket configuration: no charge by itself (stored bytes are priced on the bucket, from the "
    "usage file; requests are not modelled)",
    "aws:s3/bucketObject:BucketObject",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketNotification:BucketNotification",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketLoggingV2:BucketLoggingV2",
)
_free(
    "IAM: no charge",
    "aws:iam/user:User",
    "aws:iam/group:Group",
    "aws:iam/groupMembership:GroupMembership",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/accessKey:AccessKey",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
)
_free(
    "load balancer configuration: no charge (the load balancer's hours and capacity units are priced)",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:alb/targetGroup:TargetGroup",
    "aws:alb/listener:Listener",
    "aws:alb/listenerRule:ListenerRule",
    "aws:alb/targetGroupAttachment:TargetGroupAttachment",
)
_free(
    "ECS configuration: no charge (Fargate tasks are priced on their service; EC2 capacity as instances)",
    "aws:ecs/cluster:Cluster",
    ECS_TASK_DEFINITION,
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    "aws:ecs/capacityProvider:CapacityProvider",
)
_free(
    "ECR policy: no charge (image storage is priced on the repository)",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
)
_free(
    "database configuration: no charge (subnet, parameter and option groups)",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    "aws:rds/optionGroup:OptionGroup",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:elasticache/parameterGroup:ParameterGroup",
    "aws:redshift/subnetGroup:SubnetGroup",
    "aws:redshift/parameterGroup:ParameterGroup",
)
_free(
    "SageMaker model or endpoint configuration: no charge by itself (instances are priced on the endpoint "
    "that serves it)",
    "aws:sagemaker/model:Model",
    SAGEMAKER_ENDPOINT_CONFIGURATION,
)
_free(
    "CloudWatch Logs configuration: no charge (ingestion is priced on the log group)",
    "aws:cloudwatch/logStream:LogStream",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter",
)
_free(
    "Application Auto Scaling target or policy: no charge (what it scales is priced)",
    "aws:appautoscaling/target:Target",
    "aws:appautoscaling/policy:Policy",
)
_free(
    "DynamoDB item: no charge by itself (storage is priced on the table)", "aws:dynamodb/tableItem:TableItem"
)


# -- Elastic Beanstalk ------------------------------------------------------------------------------------------
# "There is no additional charge for Elastic Beanstalk - you pay only for the AWS resources needed to store and
# run your applications" (AWS's description of the service, quoted in
# http://solutionsbyraymond.com/2017/04/04/aws-beanstalk-resources/, read 2026-12-05).
BEANSTALK_ENVIRONMENT = "aws:elasticbeanstalk/environment:Environment"
_free(
    "Elastic Beanstalk application, version or configuration template: no charge (Beanstalk bills nothing "
    "itself; an environment's instances and load balancer are what cost)",
    "aws:elasticbeanstalk/application:Application",
    "aws:elasticbeanstalk/applicationVersion:ApplicationVersion",
    "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate",
)


def _beanstalk_setting(r: PlannedResource, namespace: str, name: str) -> str:
    for entry in as_list(r.inputs.get("settings")):
        e = as_dict(entry)
        if _text(e.get("namespace")) == namespace and _text(e.get("name")) == name:
            return _text(e.get("value"))
    return ""


@not_estimated(BEANSTALK_ENVIRONMENT)
def beanstalk_environment(r: PlannedResource) -> str:
    """Not estimated, saying why and what the environment's settings say it will run."""
    said = [
        f"{label} {value}"
        for label, value in (
            ("instance type", _beanstalk_setting(r, "aws:autoscaling:launchconfiguration", "InstanceType")),
            ("min", _beanstalk_setting(r, "aws:autoscaling:asg", "MinSize")),
            ("max", _beanstalk_setting(r, "aws:autoscaling:asg", "MaxSize")),
            (
                "environment type",
                _beanstalk_setting(r, "aws:elasticbeanstalk:environment", "EnvironmentType"),
            ),
        )
        if value
    ]
    settings = f" (its settings: {', '.join(said)})" if said else ""
    return (
        "an Elastic Beanstalk environment creates its EC2 instances, Auto Scaling group and load balancer "
        f"itself, in a CloudFormation stack outside the program{settings}: they are not in the plan, so "
        "the environment is not estimated (an Auto Scaling group or instances declared in the program are)"
    )
