"""GCP managed services real programs create beside their machines: Cloud SQL, Cloud Run (v1 and v2),
Cloud Functions (1st and 2nd gen), persistent disks, Vertex AI endpoints and deployments, the Autopilot and
boot-disk parts the machine rules leave out, and the many configuration types that cost nothing. Type tokens
and input names are pulumi-gcp 9's (camelCase, as Pulumi passes them to the provider).

Prices are `service_prices` rows of catalog/data/gcp/services.yaml (service, item) and the persistent-disk
rows of storage.yaml: an item the catalog does not price is an unpriced line naming the row to add, and a
quantity only usage can say (requests, instance time) comes from the usage file (`requestsMillions`,
`instanceSeconds`), else the line is unpriced with the key to set — never $0. Pure helpers (Cloud SQL tiers,
memory strings, function CPU tiers) are plain functions, tested alone."""

from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.engine.inputs import is_secret
from aiinfra.estimate.compute import machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count, unpriced, with_notes
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.machines import Machines, machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import RULES, free_listed, rule, superseded
from aiinfra.estimate.rules import gcp as _gcp  # noqa: F401  (its cluster and VM rules are extended below)
from aiinfra.estimate.rules.common import item_charge, usage_amount
from aiinfra.estimate.rules.common import missing_usage as _missing
from aiinfra.estimate.rules.common import noted as _note
from aiinfra.estimate.rules.common import text as _text
from aiinfra.estimate.storage import storage_charge

CLOUD = "gcp"
D = Decimal
SECONDS_PER_HOUR = D(3600)

SQL_INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
RUN_V1 = "gcp:cloudrun/service:Service"
RUN_V2 = "gcp:cloudrunv2/service:Service"
RUN_V2_JOB = "gcp:cloudrunv2/job:Job"
FUNCTION_V1 = "gcp:cloudfunctions/function:Function"
FUNCTION_V2 = "gcp:cloudfunctionsv2/function:Function"
DISK = "gcp:compute/disk:Disk"
REGION_DISK = "gcp:compute/regionDisk:RegionDisk"
CLUSTER = "gcp:container/cluster:Cluster"
INSTANCE = "gcp:compute/instance:Instance"

_charge = functools.partial(item_charge, cloud=CLOUD)
"""One catalog-priced item of a service in the resource's region (`common.item_charge`)."""


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


def _sizing(r: PlannedResource, ctx: Context, key: str) -> tuple[dict[str, Any], list[str]]:
    """An input block a rule reads sizes from (CPU, memory, scaling). A program that puts a secret anywhere
    in it (a password in an environment variable) makes the whole block a secret; when the plan holds the
    program's own value (an offline plan), the sizes are read from it and nothing else, and the line says
    so. A secret without its value (a state file) is unreadable: the line is unpriced with that reason."""
    given = r.inputs.get(key)
    if is_secret(given) and isinstance(given, dict) and isinstance(given.get("value"), dict):
        return given["value"], [
            f"{key} is a secret (it holds one); only its CPU, memory and scaling were read"
        ]
    return as_dict(ctx.value(r, key)), []


# -- Cloud SQL ------------------------------------------------------------------------------------------------

N1_MEMORY_PER_VCPU = {"standard": D("3.75"), "highmem": D("6.5")}
"""GB of memory per vCPU of the legacy db-n1-standard-N and db-n1-highmem-N tiers (Compute Engine's N1
shapes, which Cloud SQL's tiers mirror)."""

SHARED_CORE = {"db-f1-micro", "db-g1-small"}


@dataclasses.dataclass(frozen=True)
class SqlTier:
    """A Cloud SQL machine tier as it is billed: dedicated vCPUs and GB of memory, or why it is not."""

    vcpus: Decimal | None
    memory_gb: Decimal | None
    why_not: str = ""
    shared: bool = False
    """A shared-core tier: one flat price per instance-hour (catalog item `<tier>-hour`)."""


def sql_tier(tier: str) -> SqlTier:
    """`db-custom-2-7680` → 2 vCPUs, 7.5 GB; `db-n1-standard-4` → 4 vCPUs, 15 GB; `db-n1-highmem-2` → 2, 13 GB.
    Shared-core tiers (db-f1-micro, db-g1-small) have a flat price per instance-hour; Enterprise Plus
    (db-perf-optimized-N-*) and the newer predefined families are priced per edition: both say why not."""
    t = tier.strip().lower()
    m = re.fullmatch(r"db-custom-(\d+)-(\d+)", t)
    if m:
        return SqlTier(D(m.group(1)), D(m.group(2)) / 1024)
    m = re.fullmatch(r"db-n1-(standard|highmem)-(\d+)", t)
    if m:
        vcpus = D(m.group(2))
        return SqlTier(vcpus, vcpus * N1_MEMORY_PER_VCPU[m.group(1)])
    if t in SHARED_CORE:
        return SqlTier(None, None, f"shared-core tier {tier}: billed per instance-hour", shared=True)
    if t.startswith("db-perf-optimized-"):
        return SqlTier(None, None, f"tier {tier} is Enterprise Plus, whose prices the catalog does not hold")
    return SqlTier(
        None,
        None,
        f"tier {tier!r} is not one this estimate maps to vCPUs and memory (db-custom-N-MB, db-n1-*)",
    )


def sql_edition(settings: dict[str, Any], database_version: str) -> str:
    """The edition as Cloud SQL decides it: the input, else ENTERPRISE_PLUS for POSTGRES_16 and later and
    ENTERPRISE for every other version (pulumi-gcp 9 DatabaseInstance settings.edition)."""
    given = _text(settings.get("edition")).upper()
    if given:
        return given
    m = re.fullmatch(r"POSTGRES_(\d+)", database_version.upper())
    return "ENTERPRISE_PLUS" if m and int(m.group(1)) >= 16 else "ENTERPRISE"


SQL_DEFAULT_DISK = ("PD_SSD", 10)
"""settings.diskType defaults to PD_SSD (pulumi-gcp docs); 10 GB is the smallest data disk Cloud SQL takes."""


@rule(SQL_INSTANCE)
def cloud_sql(r: PlannedResource, ctx: Context) -> list[Charge]:
    """vCPU-hours and memory GB-hours of the instance's tier (twice for high availability: the standby is
    billed like the primary), and its data disk. SQL Server licences are not priced."""
    settings = as_dict(ctx.value(r, "settings"))
    version = _text(ctx.value(r, "databaseVersion")) or "(no databaseVersion)"
    tier = _text(settings.get("tier"))
    edition = sql_edition(settings, version)
    regional = _text(settings.get("availabilityType")).upper() == "REGIONAL"
    copies = D(2) if regional else D(1)
    layout = "high availability (primary + standby)" if regional else "single zone"
    charges: list[Charge] = []
    if not tier:
        charges.append(unpriced("Cloud SQL instance without settings.tier", "vCPU-hours", "no settings.tier"))
    elif version.upper().startswith("SQLSERVER"):
        charges.append(
            unpriced(
                f"Cloud SQL {version} {tier}",
                "vCPU-hours",
                "SQL Server instances add a licence per vCPU by edition, which the catalog does not price",
            )
        )
    elif edition != "ENTERPRISE":
        charges.append(
            unpriced(
                f"Cloud SQL {version} {tier}, {edition}",
                "vCPU-hours",
                f"edition {edition}: only Enterprise edition vCPU and memory prices are in the catalog"
                + ("" if settings.get("edition") else f" (no settings.edition: {version}'s default)"),
            )
        )
    else:
        shape = sql_tier(tier)
        if shape.shared:
            charges.append(
                _charge(
                    r,
                    ctx,
                    "cloud-sql",
                    f"{tier.lower()}-hour",
                    copies * HOURS_PER_MONTH,
                    "instance-hours",
                    f"Cloud SQL {version} {tier} (shared core), Enterprise, {layout}: × {copies}",
                )
            )
        elif shape.vcpus is None or shape.memory_gb is None:
            charges.append(unpriced(f"Cloud SQL {version} {tier}", "instance-hours", shape.why_not))
        else:
            what = f"Cloud SQL {version} {tier}, Enterprise, {layout}"
            charges.append(
                _charge(
                    r,
                    ctx,
                    "cloud-sql",
                    "enterprise-vcpu-hour",
                    shape.vcpus * copies * HOURS_PER_MONTH,
                    "vCPU-hours",
                    f"{what}: {shape.vcpus} vCPU × {copies}",
                )
            )
            charges.append(
                _charge(
                    r,
                    ctx,
                    "cloud-sql",
                    "enterprise-memory-gb-hour",
                    shape.memory_gb * copies * HOURS_PER_MONTH,
                    "GB-hours",
                    f"{what}: {shape.memory_gb:,.2f} GB memory × {copies}",
                )
            )
    disk_type = _text(settings.get("diskType")).upper() or SQL_DEFAULT_DISK[0]
    gb = size_of(settings.get("diskSize"), "settings.diskSize", unit="GB")
    disk = _charge(
        r,
        ctx,
        "cloud-sql",
        f"{disk_type.lower()}-storage-gb-month",
        (gb if gb is not None else D(SQL_DEFAULT_DISK[1])) * copies,
        "GB-months",
        f"Cloud SQL {disk_type} data disk: {gb or SQL_DEFAULT_DISK[1]} GB × {copies}",
    )
    notes = []
    if gb is None:
        notes.append(
            f"no settings.diskSize: Cloud SQL's minimum {SQL_DEFAULT_DISK[1]} GB (it grows by itself)"
        )
    if not settings.get("diskType"):
        notes.append(f"no settings.diskType: the default {SQL_DEFAULT_DISK[0]}")
    charges.append(_note(disk, *notes))
    extra = ["backups, network egress and the instance's IPv4 address are not priced"]
    if r.inputs.get("masterInstanceName"):
        extra.append("read replica: billed like an instance of its own tier")
    if regional:
        extra.append("high availability: the standby's vCPUs, memory and disk are billed like the primary's")
    return with_notes(charges, extra)


# -- Cloud Run ------------------------------------------------------------------------------------------------

RUN_DEFAULTS = (D(1), D("0.5"))
"""vCPU and GiB a Cloud Run container gets when its resources.limits say nothing (1 CPU, 512 MiB)."""

_MEMORY_UNITS = {
    "": D(1) / D(2**30),
    "k": D(10**3) / D(2**30),
    "m": D(10**6) / D(2**30),
    "g": D(10**9) / D(2**30),
    "ki": D(2**10) / D(2**30),
    "mi": D(2**20) / D(2**30),
    "gi": D(1),
}


def memory_gib(text: str) -> Decimal | None:
    """A Kubernetes-style quantity as GiB: `512Mi` → 0.5, `1Gi` → 1, `256M` → 0.2384…; None when unreadable."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?\s*[bB]?\s*", text, flags=re.IGNORECASE)
    if m is None:
        return None
    return D(m.group(1)) * _MEMORY_UNITS[(m.group(2) or "").lower()]


def cpu_count(text: str) -> Decimal | None:
    """`1` → 1, `2000m` → 2, `0.5` → 0.5; None when unreadable."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(m?)\s*", text)
    if m is None:
        return None
    value = D(m.group(1))
    return value / 1000 if m.group(2) else value


def _limits(container: dict[str, Any]) -> tuple[Decimal, Decimal, list[str]]:
    limits = as_dict(as_dict(container.get("resources")).get("limits"))
    notes: list[str] = []
    cpu = cpu_count(_text(limits.get("cpu"))) if limits.get("cpu") else None
    mem = memory_gib(_text(limits.get("memory"))) if limits.get("memory") else None
    if cpu is None:
        cpu = RUN_DEFAULTS[0]
        notes.append(f"no resources.limits.cpu: Cloud Run's default {RUN_DEFAULTS[0]} vCPU")
    if mem is None:
        mem = RUN_DEFAULTS[1]
        notes.append("no resources.limits.memory: Cloud Run's default 512 MiB")
    return cpu, mem, notes


def _run_charges(
    r: PlannedResource,
    ctx: Context,
    label: str,
    cpu: Decimal,
    mem: Decimal,
    instance_based: bool,
    min_instances: int,
    notes: list[str],
) -> list[Charge]:
    """vCPU-seconds and GiB-seconds of billed instance time, and requests (request-based billing only), from
    the usage file; instance-based billing has no per-request charge."""
    usage = ctx.usage_for(r)
    seconds = usage_amount(usage.instance_seconds)
    billing = "instance-based" if instance_based else "request-based"
    prefix = "instance" if instance_based else "request"
    missing = _missing(ctx, r, "billed instance time", "instanceSeconds")
    if min_instances:
        missing += (
            f" (at least {min_instances} minimum instance{'s' if min_instances != 1 else ''} always kept)"
        )
    charges = [
        _charge(
            r,
            ctx,
            "cloud-run",
            f"{prefix}-vcpu-second",
            cpu * seconds if seconds is not None else None,
            "vCPU-seconds",
            f"{label}: {cpu} vCPU, {billing} billing",
            missing,
        ),
        _charge(
            r,
            ctx,
            "cloud-run",
            f"{prefix}-memory-gib-second",
            mem * seconds if seconds is not None else None,
            "GiB-seconds",
            f"{label}: {mem:.3f} GiB memory, {billing} billing",
            missing,
        ),
    ]
    if not instance_based:
        charges.append(
            _charge(
                r,
                ctx,
                "cloud-run",
                "million-requests",
                usage_amount(usage.requests_millions),
                "million requests",
                f"{label}: requests",
                _missing(ctx, r, "requests", "requestsMillions"),
            )
        )
    row = ctx.catalog.service_price(CLOUD, "cloud-run", f"{prefix}-vcpu-second", _region(r, ctx) or "*")
    tier = (
        "Tier 1 region prices (no row for this region; Tier 2 regions cost more)"
        if row is None or row.region == "*"
        else f"the {row.region} prices"
    )
    return with_notes(charges, [*notes, f"{tier}; the monthly free tier is not subtracted"])


@rule(RUN_V2)
def cloud_run_v2(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Cloud Run service (v2 API): its containers' CPU and memory limits × billed instance time. Billing is
    request-based unless resources.cpuIdle is false (CPU always allocated: instance-based)."""
    template, notes = _sizing(r, ctx, "template")
    containers = [as_dict(c) for c in template.get("containers") or [{}]]
    cpu, mem = D(0), D(0)
    idle = True
    for c in containers:
        c_cpu, c_mem, c_notes = _limits(c)
        cpu, mem, notes = cpu + c_cpu, mem + c_mem, notes + c_notes
        if as_dict(c.get("resources")).get("cpuIdle") is False:
            idle = False
    scaling = as_dict(template.get("scaling"))
    low = count(scaling.get("minInstanceCount"), "template.scaling.minInstanceCount", 0) or 0
    service_low = count(
        as_dict(r.inputs.get("scaling")).get("minInstanceCount"), "scaling.minInstanceCount", 0
    )
    return _run_charges(r, ctx, "Cloud Run service", cpu, mem, not idle, max(low, service_low or 0), notes)


@rule(RUN_V1)
def cloud_run_v1(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Cloud Run service (v1 API): template.spec.containers' limits; the run.googleapis.com/cpu-throttling
    annotation "false" makes billing instance-based."""
    template, notes = _sizing(r, ctx, "template")
    spec = as_dict(template.get("spec"))
    annotations = as_dict(as_dict(template.get("metadata")).get("annotations"))
    cpu, mem = D(0), D(0)
    for c in [as_dict(c) for c in spec.get("containers") or [{}]]:
        c_cpu, c_mem, c_notes = _limits(c)
        cpu, mem, notes = cpu + c_cpu, mem + c_mem, notes + c_notes
    instance_based = _text(annotations.get("run.googleapis.com/cpu-throttling")).lower() == "false"
    low = (
        count(annotations.get("autoscaling.knative.dev/minScale"), "autoscaling.knative.dev/minScale", 0) or 0
    )
    return _run_charges(r, ctx, "Cloud Run service", cpu, mem, instance_based, low, notes)


@rule(RUN_V2_JOB)
def cloud_run_job(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Cloud Run job: its task containers' limits × the instance time its executions take (usage)."""
    job, notes = _sizing(r, ctx, "template")
    task = as_dict(job.get("template"))
    cpu, mem = D(0), D(0)
    for c in [as_dict(c) for c in task.get("containers") or [{}]]:
        c_cpu, c_mem, c_notes = _limits(c)
        cpu, mem, notes = cpu + c_cpu, mem + c_mem, notes + c_notes
    return _run_charges(r, ctx, "Cloud Run job", cpu, mem, True, 0, notes)


# -- Cloud Functions ------------------------------------------------------------------------------------------

FUNCTION_TIERS: tuple[tuple[int, Decimal, Decimal], ...] = (
    # memory MB → (vCPU, GHz) of a 1st gen function; 1 vCPU = 2.4 GHz (Cloud Run functions 1st gen,
    # "Configure memory and vCPU limits", docs.cloud.google.com/functions/1stgendocs/configuring/memory)
    (128, D("0.083"), D("0.2")),
    (256, D("0.167"), D("0.4")),
    (512, D("0.333"), D("0.8")),
    (1024, D("0.583"), D("1.4")),
    (2048, D(1), D("2.4")),
    (4096, D(2), D("4.8")),
    (8192, D(2), D("4.8")),
    (16384, D(4), D("9.6")),
    (32768, D(8), D("19.2")),
)
FUNCTION_DEFAULT_MB = 256
"""A function's memory when availableMemoryMb / serviceConfig.availableMemory is not set."""


def function_tier(memory_mb: Decimal) -> tuple[Decimal, Decimal]:
    """(vCPU, GHz) a function of `memory_mb` gets: the smallest tier at least that large (the largest above)."""
    for mb, vcpu, ghz in FUNCTION_TIERS:
        if memory_mb <= mb:
            return vcpu, ghz
    return FUNCTION_TIERS[-1][1], FUNCTION_TIERS[-1][2]


@rule(FUNCTION_V1)
def cloud_function_v1(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A 1st gen function: invocations, GB-seconds of memory and GHz-seconds of CPU, from the usage file
    (invocations `requestsMillions`, compute time `instanceSeconds` = invocations × average duration)."""
    mb = size_of(ctx.value(r, "availableMemoryMb"), "availableMemoryMb", unit="MB") or D(FUNCTION_DEFAULT_MB)
    _, ghz = function_tier(mb)
    usage = ctx.usage_for(r)
    seconds = usage_amount(usage.instance_seconds)
    missing = _missing(ctx, r, "compute time", "instanceSeconds")
    gb = mb / 1024
    charges = [
        _charge(
            r,
            ctx,
            "cloud-functions-v1",
            "million-invocations",
            usage_amount(usage.requests_millions),
            "million invocations",
            "Cloud Functions (1st gen) invocations",
            _missing(ctx, r, "invocations", "requestsMillions"),
        ),
        _charge(
            r,
            ctx,
            "cloud-functions-v1",
            "gb-second",
            gb * seconds if seconds is not None else None,
            "GB-seconds",
            f"Cloud Functions (1st gen) memory: {mb:,.0f} MB",
            missing,
        ),
        _charge(
            r,
            ctx,
            "cloud-functions-v1",
            "ghz-second",
            ghz * seconds if seconds is not None else None,
            "GHz-seconds",
            f"Cloud Functions (1st gen) CPU: {ghz} GHz ({mb:,.0f} MB tier)",
            missing,
        ),
    ]
    notes = ["the monthly free tier is not subtracted; network egress and image storage are not priced"]
    if not r.inputs.get("availableMemoryMb"):
        notes.append(f"no availableMemoryMb: the default {FUNCTION_DEFAULT_MB} MB")
    return with_notes(charges, notes)


@rule(FUNCTION_V2)
def cloud_function_v2(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A 2nd gen function runs as a Cloud Run service and is billed as one (request-based): its memory and
    CPU × billed instance time, and its requests."""
    config, notes = _sizing(r, ctx, "serviceConfig")
    mem_text = _text(config.get("availableMemory"))
    mem = memory_gib(mem_text) if mem_text else None
    if mem is None:
        mem = D(FUNCTION_DEFAULT_MB) / 1024
        notes.append(f"no serviceConfig.availableMemory: the default {FUNCTION_DEFAULT_MB} MiB")
    cpu_text = _text(config.get("availableCpu"))
    cpu = cpu_count(cpu_text) if cpu_text else None
    if cpu is None:
        cpu = function_tier(mem * 1024)[0]
        notes.append(f"no serviceConfig.availableCpu: {cpu} vCPU, the memory tier's share")
    low = count(config.get("minInstanceCount"), "serviceConfig.minInstanceCount", 0) or 0
    return _run_charges(r, ctx, "Cloud Functions (2nd gen)", cpu, mem, False, low, notes)


# -- persistent disks -----------------------------------------------------------------------------------------

DISK_DEFAULT_TYPE = "pd-standard"
"""Compute Engine's disk type when a disk names none."""


def _disk_kind(value: Any) -> str:
    """`pd-ssd`, or the last part of a disk type URL (`projects/p/zones/z/diskTypes/pd-ssd`)."""
    return _text(value).rsplit("/", 1)[-1].lower() or DISK_DEFAULT_TYPE


@rule(DISK, REGION_DISK)
def persistent_disk(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A persistent disk's provisioned GB × its type's price. A regional disk keeps a synchronous copy in a
    second zone and is billed at the regional rate, which the catalog does not hold."""
    kind = _disk_kind(ctx.value(r, "type"))
    gb = size_of(ctx.value(r, "size"), "size", unit="GB")
    from_image = r.inputs.get("image") or r.inputs.get("snapshot") or r.inputs.get("sourceDisk")
    what = f"{kind} persistent disk" + (f": {gb:,.0f} GB" if gb is not None else "")
    if r.type == REGION_DISK:
        return [
            unpriced(
                f"regional {what}",
                "GiB-months",
                f"regional persistent disks are billed at regional rates; no regional {kind} price in the catalog",
            )
        ]
    missing = (
        "no size: the disk takes its image's or snapshot's size; set size"
        if from_image
        else "no size on the disk; set size (GB)"
    )
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="persistent-disk",
        tier=kind,
        gib=gb,
        media="hdd" if kind == "pd-standard" else "ssd",
        description=what,
        missing_quantity=missing,
    )
    notes = [] if r.inputs.get("type") else [f"no type: Compute Engine's default {DISK_DEFAULT_TYPE}"]
    if kind.startswith("hyperdisk") or kind == "pd-extreme":
        notes.append(f"{kind}: provisioned IOPS and throughput are billed apart, not priced")
    return [_note(charge, *notes)]


_vm_rule = RULES.pop(INSTANCE, None)
"""rules/gcp.py prices a VM's machine type and a boot disk whose size it gives; this file adds the boot disk
whose size comes from the image (unpriced, with the fix) so a VM never looks fully priced without it."""


@rule(INSTANCE)
def compute_instance(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    charges = _vm_rule(r, ctx) if _vm_rule is not None else []
    if isinstance(charges, Free):
        return charges
    boot = as_dict(r.inputs.get("bootDisk"))
    params = as_dict(boot.get("initializeParams"))
    if not params.get("size") and not boot.get("source"):
        kind = _disk_kind(params.get("type"))
        charges = [
            *charges,
            unpriced(
                f"{kind} boot disk",
                "GiB-months",
                "the boot disk takes its image's size, which the plan does not know; set "
                "bootDisk.initializeParams.size (GB)",
            ),
        ]
    return charges


# -- GKE Autopilot ----------------------------------------------------------------------------------------------

_cluster_rule = RULES.pop(CLUSTER, None)
"""rules/gcp.py prices a cluster's fee and default pool; on Autopilot this file adds the pods' resources."""


@rule(CLUSTER)
def gke_cluster(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    charges = _cluster_rule(r, ctx) if _cluster_rule is not None else []
    if isinstance(charges, Free) or not r.inputs.get("enableAutopilot"):
        return charges
    return [
        *charges,
        unpriced(
            "GKE Autopilot pod resources (vCPU, memory, GPUs)",
            "vCPU-hours",
            "Autopilot bills each pod's resource requests per second; the pods are Kubernetes workloads "
            "deployed after the cluster, which this estimate does not size",
        ),
    ]


# -- Vertex AI --------------------------------------------------------------------------------------------------

VERTEX = (
    "Vertex AI prediction nodes are billed per node-hour at Vertex AI's own rates (not Compute Engine's), "
    "which the catalog does not hold"
)


def _machine_spec(resources: dict[str, Any], path: str) -> tuple[str, int, str]:
    """(machine type, minimum replicas, accelerators) of a dedicatedResources block."""
    spec = as_dict(resources.get("machineSpec"))
    machine = _text(spec.get("machineType")) or "(no machineType)"
    replicas = count(resources.get("minReplicaCount"), f"{path}.minReplicaCount", 1) or 0
    gpus = ""
    if spec.get("acceleratorType"):
        gpus = f" + {spec.get('acceleratorCount') or 1} × {spec.get('acceleratorType')}"
    return machine, replicas, gpus


@rule("gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment")
def vertex_model_garden(r: PlannedResource, ctx: Context) -> list[Charge]:
    resources = as_dict(as_dict(r.inputs.get("deployConfig")).get("dedicatedResources"))
    machine, replicas, gpus = _machine_spec(resources, "deployConfig.dedicatedResources")
    return [
        unpriced(
            f"Vertex AI model deployment: {replicas} × {machine}{gpus} (minimum replicas)",
            "node-hours",
            VERTEX,
        )
    ]


@rule("gcp:vertex/aiDeploymentResourcePool:AiDeploymentResourcePool")
def vertex_resource_pool(r: PlannedResource, ctx: Context) -> list[Charge]:
    machine, replicas, gpus = _machine_spec(as_dict(r.inputs.get("dedicatedResources")), "dedicatedResources")
    return [
        unpriced(
            f"Vertex AI deployment resource pool: {replicas} × {machine}{gpus} (minimum replicas)",
            "node-hours",
            VERTEX,
        )
    ]


@rule("gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex")
def vertex_deployed_index(r: PlannedResource, ctx: Context) -> list[Charge]:
    dedicated = as_dict(r.inputs.get("dedicatedResources"))
    if dedicated:
        machine, replicas, gpus = _machine_spec(dedicated, "dedicatedResources")
        what = f"Vertex AI Vector Search deployed index: {replicas} × {machine}{gpus}"
    else:
        what = "Vertex AI Vector Search deployed index (automatic resources)"
    return [
        unpriced(
            what,
            "node-hours",
            "Vector Search serving nodes are billed per node-hour; no price in the catalog",
        )
    ]


# -- managed instance groups and load balancing -------------------------------------------------------------------

MIG = "gcp:compute/instanceGroupManager:InstanceGroupManager"
REGION_MIG = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate"
AUTOSCALERS = ("gcp:compute/autoscaler:Autoscaler", "gcp:compute/regionAutoscaler:RegionAutoscaler")


def _template_of(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    """The instance template a group's first version names (by name, ID or self link), else the plan's only
    template."""
    versions = [as_dict(v) for v in r.inputs.get("versions") or []]
    ref = _text(versions[0].get("instanceTemplate")) if versions else ""
    templates = ctx.resources(TEMPLATE)
    by_id = ctx.by_id(ref, TEMPLATE)
    if by_id is not None:
        return by_id
    for t in templates:
        if ref and (ref.rsplit("/", 1)[-1] in (t.name, f"{t.name}-id", _text(t.inputs.get("name")))):
            return t
    return templates[0] if len(templates) == 1 else None


def _autoscaler_of(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    for token in AUTOSCALERS:
        for a in ctx.resources(token):
            whole = _text(a.inputs.get("target"))
            target = whole.rsplit("/", 1)[-1]
            if (r.id and whole == r.id) or target in (r.name, f"{r.name}-id", _text(r.inputs.get("name"))):
                return a
    return None


@machines_of(MIG, REGION_MIG)
def mig_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """A managed instance group: its template's machine type × targetSize (or its autoscaler's min to max
    replicas, desired = min)."""
    template = _template_of(r, ctx)
    props = template.inputs if template is not None else {}
    machine = _text(props.get("machineType")).rsplit("/", 1)[-1]
    scheduling = as_dict(props.get("scheduling"))
    spot = _text(scheduling.get("provisioningModel")).upper() == "SPOT" or bool(scheduling.get("preemptible"))
    size = count(ctx.value(r, "targetSize"), "targetSize")
    lo = hi = size
    notes: list[str] = []
    scaler = _autoscaler_of(r, ctx)
    if scaler is not None:
        policy = as_dict(scaler.inputs.get("autoscalingPolicy"))
        lo = count(policy.get("minReplicas"), "autoscalingPolicy.minReplicas", 1)
        hi = count(policy.get("maxReplicas"), "autoscalingPolicy.maxReplicas", lo)
        notes.append(f"autoscaled by {scaler.name}: {lo} to {hi} VMs")
    desired = size if size is not None and scaler is None else lo
    if template is not None:
        notes.append(f"machine type from its instance template {template.name}")
    return [
        Machines(
            r,
            CLOUD,
            _region(r, ctx),
            (machine,) if machine else (),
            lo or 0,
            desired or 0,
            max(hi or 0, desired or 0),
            "spot" if spot else "on_demand",
            what="instance",
            assumptions=tuple(notes),
        )
    ]


@rule(MIG, REGION_MIG)
def managed_instance_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = mig_machines(r, ctx)
    if not m.types:
        why = "its instance template is not in the plan" if _template_of(r, ctx) is None else "no machineType"
        return [unpriced("managed instance group", "instance-hours", why)]
    if m.desired == 0 and m.hi == 0 and ctx.value(r, "targetSize") is None and _autoscaler_of(r, ctx) is None:
        return [
            unpriced(
                f"managed instance group of {m.pool.instance_type}",
                "instance-hours",
                "no targetSize: set it or give an autoscaler",
            )
        ]
    charges = machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)
    return with_notes(charges, [*m.assumptions, "boot disks from the template are not priced"])


FORWARDING_RULE = "gcp:compute/forwardingRule:ForwardingRule"
GLOBAL_FORWARDING_RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
FIRST_RULES = 5
"""Cloud Load Balancing's minimum charge covers the first five forwarding rules of a project in one region
(global rules together); each rule past five bills the per-additional-rule rate."""


@dataclasses.dataclass(frozen=True)
class RulePlace:
    """Where one forwarding rule falls among the rules of its project and region, in URN order."""

    position: int
    """1 for the rule that carries the first-five charge, 2-5 for those it covers, 6+ for additional ones."""
    where: str
    """The region, `global` for global rules, `an unknown region` when none is known."""
    first: str
    """The name of the rule that carries the first-five charge."""
    covered: tuple[str, ...]
    """The names of the 2nd to 5th rules (those the first-five charge covers besides the first)."""


def forwarding_rule_places(ctx: Context) -> dict[str, RulePlace]:
    """Every forwarding rule of the plan by URN: its place among the rules of the same project and region
    (global ones together), in URN order (computed once per estimate)."""
    key = ("gcp-forwarding-rule-places",)
    cached = ctx.memo.get(key)
    if isinstance(cached, dict):
        return cached
    groups: dict[tuple[str, str], list[PlannedResource]] = {}
    for fr in sorted([*ctx.resources(FORWARDING_RULE), *ctx.resources(GLOBAL_FORWARDING_RULE)], key=_urn):
        where = "global" if fr.type == GLOBAL_FORWARDING_RULE else (_region(fr, ctx) or "an unknown region")
        groups.setdefault((_text(fr.inputs.get("project")), where), []).append(fr)
    places: dict[str, RulePlace] = {}
    for (_project, where), members in groups.items():
        covered = tuple(m.name for m in members[1:FIRST_RULES])
        for i, m in enumerate(members, start=1):
            places[m.urn] = RulePlace(i, where, members[0].name, covered)
    ctx.memo[key] = places
    return places


def _urn(r: PlannedResource) -> str:
    return r.urn


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@rule(FORWARDING_RULE, GLOBAL_FORWARDING_RULE)
def forwarding_rule(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A load balancer's forwarding rule and its data processed. Google bills the forwarding rules of a
    project per region (global ones together): one minimum charge covers the first five, each further rule
    bills the per-additional-rule rate. In URN order, the first rule of its region carries the first-five
    charge, the 2nd to 5th are $0 lines naming it, the 6th and later are priced at the additional rate."""
    scheme = _text(r.inputs.get("loadBalancingScheme")).upper() or "EXTERNAL"
    description = f"Cloud Load Balancing forwarding rule ({scheme})"
    place = forwarding_rule_places(ctx)[r.urn]
    in_where = "global forwarding rules" if place.where == "global" else f"forwarding rules in {place.where}"
    if place.position == 1:
        hours = _charge(
            r, ctx, "cloud-load-balancing", "forwarding-rule-hour", HOURS_PER_MONTH, "rule-hours", description
        )
        also = f": also {', '.join(place.covered)}" if place.covered else " (the only one in this plan)"
        hours = _note(hours, f"the first-five charge: covers up to {FIRST_RULES} {in_where}{also}")
    elif place.position <= FIRST_RULES:
        hours = _charge(
            r,
            ctx,
            "cloud-load-balancing",
            "forwarding-rule-hour",
            HOURS_PER_MONTH,
            "rule-hours",
            f"{description}, in {place.first}'s first-five charge",
        )
        if hours.unit_price_usd is not None:
            hours = dataclasses.replace(hours, unit_price_usd=D(0))
        hours = _note(
            hours,
            f"the {_ordinal(place.position)} of the {in_where}: no charge of its own, the first-five charge "
            f"on {place.first} covers it",
        )
    else:
        hours = _note(
            _charge(
                r,
                ctx,
                "cloud-load-balancing",
                "forwarding-rule-additional-hour",
                HOURS_PER_MONTH,
                "rule-hours",
                f"{description}, additional rule",
            ),
            f"the {_ordinal(place.position)} of the {in_where}: past the {FIRST_RULES} that the first-five "
            f"charge on {place.first} covers, billed per additional rule",
        )
    return [
        hours,
        _charge(
            r,
            ctx,
            "cloud-load-balancing",
            "gb-processed",
            usage_amount(ctx.usage_for(r).data_processed_gb),
            "GB processed",
            "Cloud Load Balancing data processed",
            _missing(ctx, r, "traffic", "dataProcessedGB"),
        ),
    ]


# -- DNS, secrets, images, messaging --------------------------------------------------------------------------------


@rule("gcp:dns/managedZone:ManagedZone")
def dns_zone(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        _note(
            _charge(r, ctx, "cloud-dns", "managed-zone-month", D(1), "zone-months", "Cloud DNS managed zone"),
            "DNS queries are not priced",
        )
    ]


@rule("gcp:secretmanager/secretVersion:SecretVersion")
def secret_version(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    if r.inputs.get("enabled") is False:
        return Free("disabled secret version: not an active version, no charge")
    return [
        _note(
            _charge(
                r,
                ctx,
                "secret-manager",
                "active-version-month",
                D(1),
                "version-months",
                "Secret Manager active version",
            ),
            "access operations are not priced; user-managed replicas are counted once",
        )
    ]


@rule("gcp:artifactregistry/repository:Repository")
def artifact_repository(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        _note(
            _charge(
                r,
                ctx,
                "artifact-registry",
                "storage-gb-month",
                usage_amount(ctx.usage_for(r).storage_gib),
                "GB-months",
                "Artifact Registry storage",
                _missing(ctx, r, "stored amount", "storageGiB"),
            ),
            "the free 0.5 GB and network egress are not subtracted or priced",
        )
    ]


@rule("gcp:pubsub/topic:Topic")
def pubsub_topic(r: PlannedResource, ctx: Context) -> list[Charge]:
    return [
        _note(
            _charge(
                r,
                ctx,
                "pubsub",
                "gb-ingested",
                usage_amount(ctx.usage_for(r).data_processed_gb),
                "GB ingested",
                "Pub/Sub message data published",
                _missing(ctx, r, "message data", "dataProcessedGB"),
            ),
            *_topic_notes(r, ctx),
        )
    ]


def _topic_notes(r: PlannedResource, ctx: Context) -> list[str]:
    """What a topic's line leaves to other lines, and what it leaves unpriced: its subscriptions bill the
    data delivered and the acknowledged messages they retain (their own lines); the messages the topic itself
    retains (messageRetentionDuration) are not priced."""
    kept = _text(ctx.value(r, "messageRetentionDuration"))
    return [
        "each subscription's delivered data and retained acknowledged messages are priced on its own line",
        f"the topic's own message retention (messageRetentionDuration {kept}) is not priced"
        if kept
        else "the topic retains no messages itself (no messageRetentionDuration)",
    ]


# -- free types -------------------------------------------------------------------------------------------------

FREE_TYPES: list[str] = []
"""Every type this file lists as free (tests check each is a real pulumi-gcp token)."""


_free = functools.partial(free_listed, FREE_TYPES)
"""Register types that cost nothing by themselves (`registry.free_listed`)."""


_free(
    "Vertex AI endpoint: no charge by itself (models deployed to it are billed per node-hour where the plan "
    "deploys them; deployments made outside the program are not in the plan)",
    "gcp:vertex/aiEndpoint:AiEndpoint",
    "gcp:vertex/aiIndexEndpoint:AiIndexEndpoint",
)
_free(
    "Cloud SQL database, user or certificate: no charge (the instance is priced)",
    "gcp:sql/database:Database",
    "gcp:sql/user:User",
    "gcp:sql/sslCert:SslCert",
)
_free(
    "IAM: no charge",
    "gcp:cloudrun/iamMember:IamMember",
    "gcp:cloudrun/iamBinding:IamBinding",
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    "gcp:cloudfunctions/functionIamMember:FunctionIamMember",
    "gcp:cloudfunctions/functionIamBinding:FunctionIamBinding",
    "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember",
    "gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding",
    "gcp:serviceaccount/key:Key",
    "gcp:projects/iAMPolicy:IAMPolicy",
    "gcp:projects/iAMAuditConfig:IAMAuditConfig",
    "gcp:storage/bucketAccessControl:BucketAccessControl",
    "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
    "gcp:storage/bucketACL:BucketACL",
    "gcp:storage/objectACL:ObjectACL",
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:serviceaccount/iAMBinding:IAMBinding",
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/iAMBinding:IAMBinding",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
)
_free(
    "Cloud Storage object: no charge by itself (stored bytes are priced on the bucket, from the usage file)",
    "gcp:storage/bucketObject:BucketObject",
)
_free(
    "networking configuration: no charge",
    "gcp:compute/network:Network",
    "gcp:compute/subnetwork:Subnetwork",
    "gcp:compute/firewall:Firewall",
    "gcp:compute/route:Route",
    "gcp:compute/router:Router",
    "gcp:compute/healthCheck:HealthCheck",
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup",
)
_free(
    "Compute Engine configuration: no charge (instance templates, attached disks and project metadata; the "
    "VMs and disks are priced)",
    "gcp:compute/instanceTemplate:InstanceTemplate",
    "gcp:compute/attachedDisk:AttachedDisk",
    "gcp:compute/projectMetadata:ProjectMetadata",
)
_free(
    "Google-managed SSL certificate: no charge",
    "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    "gcp:compute/sSLCertificate:SSLCertificate",
)
_free(
    "load balancer configuration: no charge (forwarding rules are priced)",
    "gcp:compute/backendService:BackendService",
    "gcp:compute/regionBackendService:RegionBackendService",
    "gcp:compute/backendBucket:BackendBucket",
    "gcp:compute/uRLMap:URLMap",
    "gcp:compute/regionUrlMap:RegionUrlMap",
    "gcp:compute/targetHttpProxy:TargetHttpProxy",
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy",
    "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
    "gcp:compute/targetSSLProxy:TargetSSLProxy",
    "gcp:compute/targetTCPProxy:TargetTCPProxy",
    "gcp:compute/regionHealthCheck:RegionHealthCheck",
    "gcp:compute/httpHealthCheck:HttpHealthCheck",
    "gcp:compute/instanceGroup:InstanceGroup",
    "gcp:compute/autoscaler:Autoscaler",
    "gcp:compute/regionAutoscaler:RegionAutoscaler",
)
_free(
    "Secret Manager secret: no charge by itself (each active version is priced)",
    "gcp:secretmanager/secret:Secret",
)
_free(
    "DNS record set: no charge by itself (the zone is priced; queries are not)", "gcp:dns/recordSet:RecordSet"
)
_free(
    "Cloud Run domain mapping: no charge",
    "gcp:cloudrun/domainMapping:DomainMapping",
)
_free(
    "project or API enablement: no charge",
    "gcp:organizations/project:Project",
    "gcp:projects/service:Service",
)

superseded(
    "google-native",
    "it is pulumi-google-native, deprecated: the same resource through pulumi-gcp (its `gcp:` type) is estimated",
)
