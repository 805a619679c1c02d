"""Azure serverless containers: Container Instances (a container group) and Container Apps (an app and its
environment).

A container group is billed per second for the vCPU and memory its containers request (and per GPU), while
it runs: all month under restartPolicy Always (the default) unless the usage file's `hoursPerMonth` says
otherwise; a group that runs to completion (Never, OnFailure) needs `hoursPerMonth`. A container app on the
Consumption plan is billed per vCPU-second and GiB-second of its replicas (active, or idle at a lower vCPU
rate while it sits at its minimum replicas doing nothing) and per million requests; one on a dedicated
workload profile costs nothing by itself, the environment's profile instances are billed per hour. Prices
are `service_prices` rows of catalog/data/azure/services.yaml (services container-instances and
container-apps); where none was read from a citable source the line is unpriced and names the row to add.
Pure helpers (memory strings, the seconds split) are plain functions, tested alone."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import BadNumber, as_dict, as_list, count, unpriced
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import rule
from aiinfra.estimate.rules.azure_services import regional_charge
from aiinfra.estimate.rules.common import missing_usage, noted, text, usage_amount

D = Decimal
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
"""730 h in seconds: the month a replica kept at its minimum is billed for."""

CONTAINER_GROUP = "azure-native:containerinstance:ContainerGroup"
CONTAINER_APP = "azure-native:app:ContainerApp"
ENVIRONMENT = "azure-native:app:ManagedEnvironment"

# -- Container Instances --------------------------------------------------------------------------------------

ACI_NOT_PRICED = (
    "windows software, GPU and spot rates are separate meters; a public IP and the network egress are not "
    "priced here"
)


def _group_requests(inputs: dict[str, Any]) -> tuple[Decimal, Decimal, dict[str, int]]:
    """(vCPU, memory GB, GPUs by SKU) a container group's containers request: a group is billed for the sum
    of its containers' requests (init containers run before them and are not added)."""
    cpu, memory = D(0), D(0)
    gpus: dict[str, int] = {}
    for i, c in enumerate(as_dict(c) for c in as_list(inputs.get("containers"))):
        requests = as_dict(as_dict(c.get("resources")).get("requests"))
        where = f"containers[{i}].resources.requests"
        cpu += size_of(requests.get("cpu"), f"{where}.cpu", unit="vCPU") or D(0)
        memory += size_of(requests.get("memoryInGB"), f"{where}.memoryInGB", unit="GB") or D(0)
        gpu = as_dict(requests.get("gpu"))
        n = count(gpu.get("count"), f"{where}.gpu.count", 0) or 0
        if n:
            sku = text(gpu.get("sku")) or "(no sku)"
            gpus[sku] = gpus.get(sku, 0) + n
    return cpu, memory, gpus


@rule(CONTAINER_GROUP)
def container_group(r: PlannedResource, ctx: Context) -> list[Charge]:
    """vCPU-hours and GB-hours of the group's requests by OS (sku Confidential and priority Spot have their
    own meters), GPU-hours by SKU, and a Windows group's software charge."""
    cpu, memory, gpus = _group_requests(r.inputs)
    os_name = "windows" if text(r.inputs.get("osType")).lower() == "windows" else "linux"
    kind = ""
    if text(r.inputs.get("priority")).lower() == "spot":
        kind = "spot-"
    elif text(r.inputs.get("sku")).lower() == "confidential":
        kind = "confidential-"
    policy = text(r.inputs.get("restartPolicy")) or "Always"
    usage = ctx.usage_for(r)
    notes: list[str] = []
    hours: Decimal | None
    if usage.hours_per_month is not None:
        hours = usage_amount(usage.hours_per_month)
    elif policy.lower() == "always":
        hours = HOURS_PER_MONTH
        notes.append(
            "runs all month (restartPolicy Always"
            + ("" if r.inputs.get("restartPolicy") else ", the default")
            + "); set hoursPerMonth if it does not"
        )
    else:
        hours = None
    missing = (
        f"run time unknown: a group with restartPolicy {policy} runs to completion; set hoursPerMonth for "
        f"{r.name} in {ctx.usage_path}"
    )
    label = f"Container group ({os_name}{', ' + kind.rstrip('-') if kind else ''})"
    if cpu == 0 or memory == 0:
        return [
            unpriced(
                label,
                "vCPU-hours",
                "no containers[].resources.requests.cpu and memoryInGB: a group is billed for what its "
                "containers request; set them",
            )
        ]
    charges = [
        noted(
            regional_charge(
                r,
                ctx,
                "container-instances",
                f"{kind}{os_name}-vcpu-hour",
                cpu * hours if hours is not None else None,
                "vCPU-hours",
                f"{label}: {cpu:g} vCPU",
                missing,
            ),
            *notes,
            ACI_NOT_PRICED,
        ),
        regional_charge(
            r,
            ctx,
            "container-instances",
            f"{kind}{os_name}-gb-hour",
            memory * hours if hours is not None else None,
            "GB-hours",
            f"{label}: {memory:g} GB memory",
            missing,
        ),
    ]
    for sku, n in sorted(gpus.items()):
        charges.append(
            regional_charge(
                r,
                ctx,
                "container-instances",
                f"gpu-{sku}-hour",
                D(n) * hours if hours is not None else None,
                "GPU-hours",
                f"{label}: {n} × {sku} GPU",
                missing,
            )
        )
    if os_name == "windows":
        charges.append(
            regional_charge(
                r,
                ctx,
                "container-instances",
                "windows-software-vcpu-hour",
                cpu * hours if hours is not None else None,
                "vCPU-hours",
                f"{label}: Windows software, {cpu:g} vCPU",
                missing,
            )
        )
    return charges


# -- Container Apps ----------------------------------------------------------------------------------------------

_MEMORY = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*")
_MEMORY_UNITS = {
    "": D(1),  # a bare number: GiB, as the service's own examples write them ("1Gi", "0.5Gi")
    "gi": D(1),
    "gib": D(1),
    "g": D(10**9) / D(2**30),
    "gb": D(10**9) / D(2**30),
    "mi": D(1) / D(1024),
    "mib": D(1) / D(1024),
    "m": D(10**6) / D(2**30),
    "mb": D(10**6) / D(2**30),
}


def memory_gib(value: Any, path: str) -> Decimal | None:
    """A container app's memory request as GiB: "1Gi" → 1, "0.5Gi" → 0.5, "250Mb" → 0.2328…, "512Mi" → 0.5;
    None when not given. Anything else raises BadNumber naming `path` and the fix."""
    if value in (None, ""):
        return None
    fix = 'write a size such as "0.5Gi", "1Gi" or "512Mi"'
    if not isinstance(value, str):
        gib = size_of(value, path)
        return gib
    m = _MEMORY.fullmatch(value)
    if m is None or m.group(2).lower() not in _MEMORY_UNITS:
        raise BadNumber(path, value, "is not a memory size", fix)
    gib = D(m.group(1)) * _MEMORY_UNITS[m.group(2).lower()]
    return size_of(gib, path)


def replica_seconds(min_replicas: int, active: Decimal | None) -> tuple[Decimal | None, Decimal]:
    """(active, idle) replica-seconds of a month: active from the usage file (None when it does not say);
    idle is the rest of the time the minimum replicas are kept, min × 730 h − active (never below 0; all of
    it while active is unknown, the least the app is billed)."""
    kept = D(min_replicas) * SECONDS_PER_MONTH
    idle = max(D(0), kept - (active or D(0)))
    return active, idle


FREE_GRANT = (
    "the Consumption plan's monthly free grant (180,000 vCPU-seconds, 360,000 GiB-seconds and 2 million "
    "requests per subscription; learn.microsoft.com/azure/container-apps/billing) is not deducted: every "
    "app in the subscription shares it"
)
IDLE_RULE = (
    "idle rate only while the app sits at its minimum replicas using under 0.01 vCPU and serving no requests "
    "(Microsoft's Container Apps billing page)"
)


def consumption_profile(kind: str) -> bool:
    """Whether a workload profile type is billed by use: Consumption, and the serverless GPU profiles
    (`Consumption-GPU-NC24-A100`, ...); every other type is a dedicated profile billed per instance."""
    return kind.lower() == "consumption" or kind.lower().startswith("consumption-")


def _profile_type(env: PlannedResource | None, name: str) -> str | None:
    """The workloadProfileType of the environment's profile called `name`, else None."""
    if env is None:
        return None
    for p in (as_dict(p) for p in as_list(env.inputs.get("workloadProfiles"))):
        if text(p.get("name")).lower() == name.lower():
            return text(p.get("workloadProfileType")) or None
    return None


@rule(CONTAINER_APP)
def container_app(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """On the Consumption plan: its containers' vCPU and memory × replica-seconds (active from the usage
    file's `instanceSeconds`; idle for the rest of its minimum replicas' month) and its requests
    (`requestsMillions`). On a dedicated workload profile: nothing by itself."""
    env = ctx.referenced(
        r.inputs.get("managedEnvironmentId") or r.inputs.get("environmentId"), ENVIRONMENT, r
    )
    profile = text(r.inputs.get("workloadProfileName"))
    kind = _profile_type(env, profile) if profile else None
    if profile and profile.lower() != "consumption" and (kind is None or not consumption_profile(kind)):
        return Free(
            f"runs on the dedicated workload profile {profile!r}: billed as that profile's instances, "
            "which are priced on its environment"
        )
    template = as_dict(r.inputs.get("template"))
    cpu, memory, gpus, unset = D(0), D(0), D(0), []
    for i, c in enumerate(as_dict(c) for c in as_list(template.get("containers"))):
        resources = as_dict(c.get("resources"))
        where = f"template.containers[{i}].resources"
        gpus += size_of(resources.get("gpu"), f"{where}.gpu", unit="GPUs") or D(0)
        got_cpu = size_of(resources.get("cpu"), f"{where}.cpu", unit="vCPU")
        got_memory = memory_gib(resources.get("memory"), f"{where}.memory")
        if got_cpu is None or got_memory is None:
            unset.append(where)
        cpu += got_cpu or D(0)
        memory += got_memory or D(0)
    scale = as_dict(template.get("scale"))
    least = count(scale.get("minReplicas"), "template.scale.minReplicas", 0) or 0
    usage = ctx.usage_for(r)
    active, idle = replica_seconds(least, usage_amount(usage.instance_seconds))
    label = f"Container app ({cpu:g} vCPU, {memory:g} GiB per replica)"
    if unset:
        label = "Container app"
        reason = (
            f"no cpu and memory on {', '.join(unset)}: the service then applies its default size, which "
            "this estimate does not assume; set them"
        )
        return [unpriced(f"{label}: vCPU-seconds", "vCPU-seconds", reason)]
    missing = missing_usage(ctx, r, "active replica time", "instanceSeconds")
    charges = [
        noted(
            regional_charge(
                r,
                ctx,
                "container-apps",
                "vcpu-second-active",
                cpu * active if active is not None else None,
                "vCPU-seconds",
                f"{label}: vCPU, active",
                missing,
            ),
            FREE_GRANT,
        ),
        regional_charge(
            r,
            ctx,
            "container-apps",
            "gib-second-active",
            memory * active if active is not None else None,
            "GiB-seconds",
            f"{label}: memory, active",
            missing,
        ),
    ]
    gpu = kind is not None and kind.lower() != "consumption"  # a serverless GPU profile (dedicated ones left)
    if least:
        rate = "active" if gpu else "idle"  # a replica with a GPU is never billed idle
        idle_notes = [
            f"{least} minimum replica{'s' if least != 1 else ''} kept all month",
            "a serverless GPU replica is billed at the active rate while kept" if gpu else IDLE_RULE,
        ]
        if active is None:
            idle_notes.append("all of it counted idle until instanceSeconds says how much is active")
        charges += [
            noted(
                regional_charge(
                    r,
                    ctx,
                    "container-apps",
                    f"vcpu-second-{rate}",
                    cpu * idle,
                    "vCPU-seconds",
                    f"{label}: vCPU, kept at the minimum ({rate} rate)" if gpu else f"{label}: vCPU, idle",
                ),
                *idle_notes,
            ),
            regional_charge(
                r,
                ctx,
                "container-apps",
                f"gib-second-{rate}",
                memory * idle,
                "GiB-seconds",
                f"{label}: memory, kept at the minimum ({rate} rate)" if gpu else f"{label}: memory, idle",
            ),
        ]
    if gpu:
        charges.append(
            regional_charge(
                r,
                ctx,
                "container-apps",
                f"{kind}-gpu-second",
                (gpus or D(1)) * (active + idle) if active is not None else None,
                "GPU-seconds",
                f"Container app: serverless GPU ({kind}), active",
                missing,
            )
        )
    charges.append(
        regional_charge(
            r,
            ctx,
            "container-apps",
            "request-million",
            usage_amount(usage.requests_millions),
            "million requests",
            "Container app: HTTP requests",
            missing_usage(ctx, r, "requests", "requestsMillions"),
        )
    )
    return charges


@rule(ENVIRONMENT)
def managed_environment(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Free on the Consumption plan alone. Each dedicated workload profile: its instances every hour (the
    usage file's `nodes`, else its minimumCount), plus the Dedicated plan's management charge."""
    dedicated = [
        (i, as_dict(p))
        for i, p in enumerate(as_list(r.inputs.get("workloadProfiles")))
        if text(as_dict(p).get("workloadProfileType"))
        and not consumption_profile(text(as_dict(p).get("workloadProfileType")))
    ]
    if not dedicated:
        return Free(
            "Container Apps environment on the Consumption plan: no charge by itself (its apps are billed "
            "by their use)"
        )
    usage = ctx.usage_for(r)
    charges: list[Charge] = []
    for i, p in dedicated:
        kind = text(p.get("workloadProfileType"))
        name = text(p.get("name")) or kind
        least = count(p.get("minimumCount"), f"workloadProfiles[{i}].minimumCount")
        most = count(p.get("maximumCount"), f"workloadProfiles[{i}].maximumCount")
        n = usage.nodes if usage.nodes is not None else (least or None)
        line = regional_charge(
            r,
            ctx,
            "container-apps",
            f"dedicated-{kind}-instance-hour",
            D(n) * HOURS_PER_MONTH if n is not None else None,
            "instance-hours",
            f"Workload profile {name} ({kind})" + (f" × {n} instance{'s' if n != 1 else ''}" if n else ""),
            f"instances unknown: profile {name} sets no minimumCount above 0; set nodes for {r.name} in "
            f"{ctx.usage_path}",
        )
        if usage.nodes is None and n is not None:
            line = noted(line, f"minimumCount {n} all month" + (f" (scales to {most})" if most else ""))
        charges.append(line)
    charges.append(
        regional_charge(
            r,
            ctx,
            "container-apps",
            "dedicated-plan-management-hour",
            HOURS_PER_MONTH,
            "hours",
            "Dedicated plan management",
        )
    )
    return charges
