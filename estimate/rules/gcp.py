"""GCP rules: GKE clusters and node pools, Compute Engine VMs, Cloud TPU VMs, the file systems and buckets an
AI stack mounts, Cloud NAT, external addresses and KMS keys. Type tokens and input names are pulumi-gcp's
(camelCase, as Pulumi passes them to the provider)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from aiinfra.clouds.gcp import region_of as gcp_region
from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.compute import Pool, average_nodes, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count, unpriced, with_notes
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.machines import Machines, machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.rules.common import MANAGED, usage_amount
from aiinfra.estimate.storage import service_charge, storage_charge

CLOUD = "gcp"
CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
INSTANCE = "gcp:compute/instance:Instance"
TPU_VM = "gcp:tpu/v2Vm:V2Vm"
REGIONAL_ZONES = 3
"""Zones a regional GKE cluster spreads a node pool over when nodeLocations is not set (GKE's default)."""
GKE_DEFAULT_MACHINE = "e2-medium"
NO_NODE_COUNT = "no nodeCount, initialNodeCount or autoscaling: the node count is unknown"
GKE_DEFAULT_DISK = ("pd-balanced", 100)
SOFT_DELETE_DEFAULT_SECONDS = 604_800
"""Cloud Storage keeps soft-deleted objects 7 days unless a bucket says otherwise (its API default)."""

FLEX_START = (
    "DWS flex-start: priced at on-demand rates, an upper bound (Google's flex-start discount is not in "
    "the catalog); nodes run only while pods wait for them, up to 7 days each"
)


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


def _is_zone(location: str) -> bool:
    return gcp_region(location) != location


def _option(node_config: dict[str, Any]) -> str:
    """nodeConfig (GKE) → purchase option: spot / preemptible VMs, a specific reservation, else on demand."""
    if node_config.get("spot") or node_config.get("preemptible"):
        return "spot"
    affinity = as_dict(node_config.get("reservationAffinity"))
    if str(affinity.get("consumeReservationType", "")).upper() == "SPECIFIC_RESERVATION":
        return "reservation"
    return "on_demand"


# -- GKE ---------------------------------------------------------------------------------------------------


def _cluster_of(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    return ctx.referenced(r.inputs.get("cluster"), CLUSTER, r)


def _cluster_zones(cluster: PlannedResource) -> list[str]:
    """A cluster's node zones: its nodeLocations, plus its own zone for a zonal cluster (GKE lists the
    additional zones there and keeps the cluster's zone)."""
    zones = [str(z) for z in cluster.inputs.get("nodeLocations") or [] if z]
    location = cluster.inputs.get("location")
    if zones and isinstance(location, str) and _is_zone(location) and location not in zones:
        zones.insert(0, location)
    return zones


def _zones(r: PlannedResource, ctx: Context, cluster: PlannedResource | None) -> tuple[int, str]:
    """How many zones the pool's per-zone node counts are multiplied by, and why."""
    own = r.inputs.get("nodeLocations")
    if r.type == NODE_POOL and isinstance(own, list) and own:
        return len(own), f"nodeLocations {', '.join(map(str, own))}"
    theirs = _cluster_zones(cluster) if cluster is not None else []
    if theirs:
        return len(theirs), f"the cluster's node locations {', '.join(theirs)}"
    location = r.inputs.get("location") or (cluster.inputs.get("location") if cluster is not None else None)
    if isinstance(location, str) and _is_zone(location):
        return 1, f"zonal location {location}"
    if isinstance(location, str):
        return (
            REGIONAL_ZONES,
            f"regional location {location} without nodeLocations: GKE's default of {REGIONAL_ZONES} zones",
        )
    return 1, "location unknown: one zone assumed"


def _gke_pool(r: PlannedResource, ctx: Context, cluster: PlannedResource | None) -> tuple[Pool, list[str]]:
    """A node pool's size across all its zones. GKE counts nodeCount, initialNodeCount and min/maxNodeCount
    per zone and totalMin/totalMaxNodeCount for the whole pool."""
    node_config = as_dict(ctx.value(r, "nodeConfig"))
    machine = str(node_config.get("machineType") or GKE_DEFAULT_MACHINE)
    zones, why = _zones(r, ctx, cluster)
    scaling = as_dict(r.inputs.get("autoscaling"))
    per_zone = count(ctx.value(r, "nodeCount"), "nodeCount")
    if per_zone is None:
        per_zone = count(ctx.value(r, "initialNodeCount"), "initialNodeCount")
    lo_zone = count(scaling.get("minNodeCount"), "autoscaling.minNodeCount")
    hi_zone = count(scaling.get("maxNodeCount"), "autoscaling.maxNodeCount")
    total_lo = count(scaling.get("totalMinNodeCount"), "autoscaling.totalMinNodeCount")
    total_hi = count(scaling.get("totalMaxNodeCount"), "autoscaling.totalMaxNodeCount")
    lo = total_lo if total_lo is not None else (lo_zone * zones if lo_zone is not None else None)
    hi = total_hi if total_hi is not None else (hi_zone * zones if hi_zone is not None else None)
    desired = per_zone * zones if per_zone is not None else (lo if lo is not None else 0)
    lo = desired if lo is None else lo
    hi = max(desired, hi if hi is not None else desired)
    assumptions = [f"GKE node counts are per zone: × {zones} zone{'s' if zones != 1 else ''} ({why})"]
    if not node_config.get("machineType"):
        assumptions.append(f"no nodeConfig.machineType: GKE's default {GKE_DEFAULT_MACHINE}")
    if node_config.get("flexStart"):
        assumptions.append(FLEX_START)
    if per_zone is None and lo_zone is None and hi_zone is None and total_lo is None and total_hi is None:
        assumptions.append(NO_NODE_COUNT)
    return Pool(machine, lo, desired, hi, _option(node_config)), assumptions


def _boot_disks(
    r: PlannedResource, ctx: Context, region: str | None, pool: Pool, node_config: dict[str, Any]
) -> Charge:
    """Every node's boot disk, by the pool's average running nodes under the usage profile."""
    kind = str(node_config.get("diskType") or GKE_DEFAULT_DISK[0])
    size = size_of(node_config.get("diskSizeGb"), "nodeConfig.diskSizeGb", unit="GB") or Decimal(
        GKE_DEFAULT_DISK[1]
    )
    average = average_nodes(r, ctx, pool)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="persistent-disk",
        tier=kind,
        gib=size * average,
        media="hdd" if kind == "pd-standard" else "ssd",
        description=f"{kind} boot disks: {size:,.0f} GiB × {average:,.2f} (average nodes)",
    )
    defaults = []
    if not node_config.get("diskType"):
        defaults.append(f"no nodeConfig.diskType: GKE's default {GKE_DEFAULT_DISK[0]}")
    if not node_config.get("diskSizeGb"):
        defaults.append(f"no nodeConfig.diskSizeGb: GKE's default {GKE_DEFAULT_DISK[1]} GB")
    return dataclasses.replace(charge, assumptions=(*charge.assumptions, *defaults))


def _has_default_pool(cluster: PlannedResource) -> bool:
    """A cluster without removeDefaultNodePool keeps the inline default pool of initialNodeCount nodes per
    zone (Autopilot has none)."""
    inputs = cluster.inputs
    return bool(
        inputs.get("initialNodeCount")
        and not inputs.get("removeDefaultNodePool")
        and not inputs.get("enableAutopilot")
    )


def _pool_machines(r: PlannedResource, ctx: Context, cluster: PlannedResource | None) -> Machines:
    region = _region(r, ctx)
    if region is None and cluster is not None and cluster is not r:
        region = _region(cluster, ctx)
    pool, assumptions = _gke_pool(r, ctx, cluster)
    return Machines(
        r,
        CLOUD,
        region,
        (pool.instance_type,),
        pool.lo,
        pool.desired,
        pool.hi,
        pool.option,
        assumptions=tuple(assumptions),
    )


@machines_of(NODE_POOL)
def node_pool_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """A GKE node pool: nodeConfig.machineType (GKE's default when absent), counts across its zones."""
    return [_pool_machines(r, ctx, _cluster_of(r, ctx))]


@machines_of(CLUSTER)
def cluster_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """A GKE cluster's default node pool, when it keeps one."""
    return [_pool_machines(r, ctx, r)] if _has_default_pool(r) else []


def _pool_charges(m: Machines, ctx: Context) -> list[Charge]:
    r = m.resource
    if NO_NODE_COUNT in m.assumptions:  # never $0 for a pool whose size is not known
        return [
            unpriced(
                f"GKE node pool {r.name}: {m.pool.instance_type} nodes",
                "node-hours",
                f"{NO_NODE_COUNT}; set nodeCount (per zone) or autoscaling",
            )
        ]
    charges = with_notes(
        machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool), list(m.assumptions)
    )
    charges.append(_boot_disks(r, ctx, m.region, m.pool, as_dict(r.inputs.get("nodeConfig"))))
    return charges


@rule(NODE_POOL)
def gke_node_pool(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = node_pool_machines(r, ctx)
    return _pool_charges(m, ctx)


@rule(CLUSTER)
def gke_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    fee = service_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="gke",
        item="cluster-hour",
        quantity=HOURS_PER_MONTH,
        unit="cluster-hours",
        description="GKE cluster management fee"
        + (" (Autopilot)" if r.inputs.get("enableAutopilot") else ""),
        energy_note=MANAGED,
    )
    notes = [
        "GKE free tier ($74.40 a month per billing account, one zonal or Autopilot cluster) not subtracted",
    ]
    if str(as_dict(r.inputs.get("releaseChannel")).get("channel") or "").upper() == "EXTENDED":
        notes.append(
            "release channel EXTENDED: in a version's extended support period GKE adds an extended-support "
            "charge per cluster-hour (GKE pricing page, not verified); not modelled, the catalog has no GKE "
            "version calendar"
        )
    if r.inputs.get("enableAutopilot"):
        notes.append(
            "Autopilot: the pods' vCPU, memory and GPU are billed per pod request, not modelled here"
        )
    charges = [dataclasses.replace(fee, assumptions=(*fee.assumptions, *notes))]
    for m in cluster_machines(r, ctx):
        charges += with_notes(
            _pool_charges(m, ctx), ["the cluster's default node pool (removeDefaultNodePool not set)"]
        )
    return charges


# -- Compute Engine and Cloud TPU --------------------------------------------------------------------------


@machines_of(INSTANCE)
def instance_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    scheduling = as_dict(r.inputs.get("scheduling"))
    option = "on_demand"
    if str(scheduling.get("provisioningModel", "")).upper() == "SPOT" or scheduling.get("preemptible"):
        option = "spot"
    affinity = as_dict(r.inputs.get("reservationAffinity"))
    if str(affinity.get("type", "")).upper() == "SPECIFIC_RESERVATION":
        option = "reservation"
    machine = str(r.inputs.get("machineType") or "").rsplit("/", 1)[-1]
    return [
        Machines(r, CLOUD, _region(r, ctx), (machine,) if machine else (), 1, 1, 1, option, what="instance")
    ]


@rule(INSTANCE)
def compute_instance(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = instance_machines(r, ctx)
    region = m.region
    charges = machine_charges(r, ctx, cloud=CLOUD, region=region, pool=m.pool)
    params = as_dict(as_dict(r.inputs.get("bootDisk")).get("initializeParams"))
    size = size_of(params.get("size"), "bootDisk.initializeParams.size", unit="GB")
    if size:
        kind = str(params.get("type") or "pd-standard")
        charges.append(
            storage_charge(
                ctx,
                cloud=CLOUD,
                region=region,
                service="persistent-disk",
                tier=kind,
                gib=size,
                media="hdd" if kind == "pd-standard" else "ssd",
                description=f"{kind} boot disk: {size:,.0f} GiB",
            )
        )
    if r.inputs.get("guestAccelerators"):
        charges = with_notes(
            charges, ["guestAccelerators attached to the VM are not priced (only the machine type)"]
        )
    return charges


TPU_FAMILIES: dict[str, tuple[str, bool, str]] = {
    # acceleratorType prefix → (GKE machine-type prefix, the number counts TensorCores (2 per chip), accelerator)
    "v5litepod": ("ct5lp-hightpu", False, "TPU-v5e"),
    "v5e": ("ct5lp-hightpu", False, "TPU-v5e"),
    "v6e": ("ct6e-standard", False, "TPU-v6e"),
    "v5p": ("ct5p-hightpu", True, "TPU-v5p"),
    "v4": ("ct4p-hightpu", True, "TPU-v4"),
}
SINGLE_HOST_CHIPS = {
    "ct5lp-hightpu": (1, 4, 8),
    "ct6e-standard": (1, 4, 8),
    "ct5p-hightpu": (4,),
    "ct4p-hightpu": (4,),
}
"""Slice sizes served by one host; larger slices are hosts of 4 chips each."""


def tpu_hosts(accelerator_type: str) -> tuple[str, int, int] | str:
    """`v5litepod-16` → (machine type of one host, hosts, chips), or why it cannot be mapped. v5e / v6e names
    count chips; v5p / v4 names count TensorCores, two per chip (v5p-8 is 4 chips on one host)."""
    m = re.fullmatch(r"(v\d+[a-z]*)-(\d+)", accelerator_type.strip().lower())
    if m is None or m.group(1) not in TPU_FAMILIES:
        return f"TPU accelerator type {accelerator_type!r} is not one this estimator maps (v5litepod-N, v6e-N, v5p-N, v4-N)"
    prefix, cores, _ = TPU_FAMILIES[m.group(1)]
    n = int(m.group(2))
    chips = n // 2 if cores else n
    if chips in SINGLE_HOST_CHIPS[prefix]:
        return f"{prefix}-{chips}t", 1, chips
    if chips > 0 and chips % 4 == 0:
        return f"{prefix}-4t", chips // 4, chips
    return f"{accelerator_type}: {chips} chips do not divide into {prefix} hosts of 4 chips"


@rule(TPU_VM)
def tpu_vm(r: PlannedResource, ctx: Context) -> list[Charge]:
    accelerator_type = r.inputs.get("acceleratorType")
    if not accelerator_type:
        config = as_dict(r.inputs.get("acceleratorConfig"))
        return [
            unpriced(
                f"Cloud TPU VM {config.get('type', '?')} {config.get('topology', '')}".strip(),
                "node-hours",
                "acceleratorConfig (type + topology) is not mapped to chips: set acceleratorType (e.g. v5litepod-8)",
            )
        ]
    mapped = tpu_hosts(str(accelerator_type))
    if isinstance(mapped, str):
        return [unpriced(f"Cloud TPU VM {accelerator_type}", "node-hours", mapped)]
    (m,) = tpu_machines(r, ctx)
    charges = machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)
    return with_notes(charges, list(m.assumptions))


@machines_of(TPU_VM)
def tpu_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """A Cloud TPU VM's hosts, from its acceleratorType (none when it cannot be mapped)."""
    accelerator_type = r.inputs.get("acceleratorType")
    mapped = tpu_hosts(str(accelerator_type)) if accelerator_type else "no acceleratorType"
    if isinstance(mapped, str):
        return []
    machine, hosts, chips = mapped
    scheduling = as_dict(r.inputs.get("schedulingConfig"))
    option = "spot" if scheduling.get("spot") or scheduling.get("preemptible") else "on_demand"
    if scheduling.get("reserved"):
        option = "reservation"
    note = f"{accelerator_type} = {chips} chips on {hosts} × {machine} host{'s' if hosts > 1 else ''}"
    region = _region(r, ctx)
    return [
        Machines(r, CLOUD, region, (machine,), hosts, hosts, hosts, option, "TPU host", assumptions=(note,))
    ]


# -- storage -----------------------------------------------------------------------------------------------


@rule("gcp:parallelstore/instance:Instance")
def parallelstore(r: PlannedResource, ctx: Context) -> list[Charge]:
    tier = str(r.inputs.get("deploymentType") or "SCRATCH").upper()
    gib = size_of(r.inputs.get("capacityGib"), "capacityGib")
    region = _region(r, ctx)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="parallelstore",
        tier=tier,
        gib=gib,
        media="ssd",
        description=f"Parallelstore {tier}" + (f": {gib:,.0f} GiB" if gib is not None else ""),
        missing_quantity="no capacityGib on the instance",
    )
    return [charge]


@rule("gcp:filestore/instance:Instance")
def filestore(r: PlannedResource, ctx: Context) -> list[Charge]:
    tier = str(r.inputs.get("tier") or "BASIC_HDD").upper()
    shares = r.inputs.get("fileShares")
    shares = shares if isinstance(shares, list) else [shares] if isinstance(shares, dict) else []
    sizes = [
        size_of(s.get("capacityGb"), "fileShares.capacityGb", unit="GB")
        for s in shares
        if isinstance(s, dict)
    ]
    gib = sum((s for s in sizes if s is not None), Decimal(0)) if any(s is not None for s in sizes) else None
    region = _region(r, ctx)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="filestore",
        tier=tier,
        gib=gib,
        media="hdd" if tier in ("BASIC_HDD", "STANDARD") else "ssd",
        description=f"Filestore {tier}" + (f": {gib:,.0f} GiB" if gib is not None else ""),
        missing_quantity="no fileShares.capacityGb on the instance",
    )
    return [charge]


@rule("gcp:lustre/instance:Instance")
def managed_lustre(r: PlannedResource, ctx: Context) -> list[Charge]:
    tier = str(r.inputs.get("perUnitStorageThroughput") or "?")
    gib = size_of(r.inputs.get("capacityGib"), "capacityGib")
    region = _region(r, ctx)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="managed-lustre",
        tier=tier,
        gib=gib,
        media="ssd",
        description=f"Managed Lustre {tier} MBps per TiB" + (f": {gib:,.0f} GiB" if gib is not None else ""),
        missing_quantity="no capacityGib on the instance",
    )
    return [charge]


@rule("gcp:storage/bucket:Bucket")
def gcs_bucket(r: PlannedResource, ctx: Context) -> list[Charge]:
    usage = ctx.usage_for(r)
    gib = usage_amount(usage.storage_gib)
    storage_class = str(r.inputs.get("storageClass") or "STANDARD").upper()
    location = r.inputs.get("location")
    region = location.lower() if isinstance(location, str) else _region(r, ctx)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="gcs",
        tier=storage_class,
        gib=gib,
        media="hdd",
        description=f"Cloud Storage {storage_class}" + (f": {gib:,.0f} GiB" if gib is not None else ""),
        missing_quantity=f"stored amount unknown: set storageGiB for {r.name} in {ctx.usage_path}",
    )
    return [dataclasses.replace(charge, assumptions=(*charge.assumptions, *_retained_data(r.inputs)))]


def _retained_data(inputs: dict[str, Any]) -> list[str]:
    """What a bucket keeps billing beyond its live objects: noncurrent versions and soft-deleted objects
    are stored (and billed) at the bucket's rate; operations and egress are not modelled."""
    notes = []
    if as_dict(inputs.get("versioning")).get("enabled"):
        rules = inputs.get("lifecycleRules")
        days = [
            count(as_dict(rule.get("condition")).get("daysSinceNoncurrentTime"), "lifecycleRules.condition")
            for rule in (rules if isinstance(rules, list) else [])
            if isinstance(rule, dict) and as_dict(rule.get("action")).get("type") == "Delete"
        ]
        after = [d for d in days if d]
        kept = (
            f"until a lifecycle rule deletes them ({min(after)} days after)"
            if after
            else "with no lifecycle rule deleting them by age"
        )
        notes.append(
            f"versioning on: noncurrent versions are billed as stored data {kept}; count them in storageGiB"
        )
    raw = as_dict(inputs.get("softDeletePolicy")).get("retentionDurationSeconds")
    retention = raw if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0 else None
    seconds = SOFT_DELETE_DEFAULT_SECONDS if retention is None else retention
    if seconds:
        notes.append(
            f"soft delete: deleted objects stay billed for {seconds // 86_400} days"
            + ("" if retention is not None else " (Cloud Storage's default)")
        )
    notes.append("operations (class A/B requests) and network egress not modelled")
    return notes


# -- networking and keys -----------------------------------------------------------------------------------


def _vms_in(ctx: Context, region: str | None) -> int:
    """VMs this plan runs in `region` (node pools at desired size across their zones, VMs, TPU hosts)."""
    count = 0
    for pool in ctx.resources(NODE_POOL):
        if _region(pool, ctx) == region:
            count += _gke_pool(pool, ctx, _cluster_of(pool, ctx))[0].desired
    for vm in ctx.resources(INSTANCE):
        if _region(vm, ctx) == region:
            count += 1
    for tpu in ctx.resources(TPU_VM):
        mapped = tpu_hosts(str(tpu.inputs.get("acceleratorType") or ""))
        if _region(tpu, ctx) == region and not isinstance(mapped, str):
            count += mapped[1]
    return count


@rule("gcp:compute/routerNat:RouterNat")
def cloud_nat(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Cloud NAT bills $0.0014 an hour per VM using the gateway up to 32 VMs, a flat $0.044 above, plus
    every GiB it processes."""
    region = _region(r, ctx)
    vms = _vms_in(ctx, region)
    common = dict(ctx=ctx, cloud=CLOUD, region=region, service="cloud-nat", energy_note=MANAGED)
    if 0 < vms <= 32:
        gateway = service_charge(
            **common,  # type: ignore[arg-type]
            item="vm-hour",
            quantity=vms * HOURS_PER_MONTH,
            unit="VM-hours",
            description=f"Cloud NAT gateway: {vms} VMs",
        )
        note = f"every VM of this plan in {region} ({vms}) uses the gateway"
    else:
        gateway = service_charge(
            **common,  # type: ignore[arg-type]
            item="gateway-hour",
            quantity=HOURS_PER_MONTH,
            unit="gateway-hours",
            description="Cloud NAT gateway (32 or more VMs: the hourly cap)",
        )
        note = (
            f"{vms} VMs of this plan in {region}: the cap applies"
            if vms
            else f"no VMs of this plan in {region}: priced at the 32-VM cap (an upper bound)"
        )
    gateway = dataclasses.replace(gateway, assumptions=(*gateway.assumptions, note))
    if str(r.inputs.get("natIpAllocateOption", "")).upper() == "AUTO_ONLY":
        gateway = dataclasses.replace(
            gateway,
            assumptions=(
                *gateway.assumptions,
                "auto-allocated NAT IPs ($0.005 an hour each) are not counted",
            ),
        )
    usage = ctx.usage_for(r)
    gb = usage_amount(usage.data_processed_gb)
    data = service_charge(
        **common,  # type: ignore[arg-type]
        item="gb-processed",
        quantity=gb,
        unit="GB processed",
        description="Cloud NAT data processing",
        missing_quantity=f"traffic unknown: set dataProcessedGB for {r.name} in {ctx.usage_path}",
    )
    return [gateway, data]


INTERNAL_PURPOSES = {
    "VPC_PEERING",
    "PRIVATE_SERVICE_CONNECT",
    "GCE_ENDPOINT",
    "SHARED_LOADBALANCER_VIP",
    "IPSEC_INTERCONNECT",
}


@rule("gcp:compute/address:Address", "gcp:compute/globalAddress:GlobalAddress")
def external_address(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    kind = str(r.inputs.get("addressType") or "EXTERNAL").upper()
    purpose = str(r.inputs.get("purpose", "")).upper()
    if purpose == "VPC_PEERING":
        return Free(
            "private services access range (VPC_PEERING): an internal allocation, no charge; the file "
            "services that take addresses from it are priced on their own"
        )
    if kind == "INTERNAL" or purpose in INTERNAL_PURPOSES:
        return Free("internal address: no charge")
    charge = service_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="external-ipv4",
        item="ip-hour",
        quantity=HOURS_PER_MONTH,
        unit="IP-hours",
        description="external IPv4 address",
        energy_note=MANAGED,
    )
    note = "assumed in use (a reserved address left unused is $0.01 an hour)"
    return [dataclasses.replace(charge, assumptions=(*charge.assumptions, note))]


@rule("gcp:kms/cryptoKey:CryptoKey")
def kms_key(r: PlannedResource, ctx: Context) -> list[Charge]:
    template = as_dict(r.inputs.get("versionTemplate"))
    level = str(template.get("protectionLevel") or "SOFTWARE").upper()
    algorithm = str(template.get("algorithm") or "GOOGLE_SYMMETRIC_ENCRYPTION").upper()
    if level == "HSM":
        advanced = any(x in algorithm for x in ("3072", "4096", "EC_"))
        item = "hsm-advanced-key-version-month" if advanced else "hsm-key-version-month"
    elif level.startswith("EXTERNAL"):
        item = "external-key-version-month"
    else:
        item = "software-key-version-month"
    charge = service_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="kms",
        item=item,
        quantity=Decimal(1),
        unit="key-version-months",
        description=f"Cloud KMS key, {level} ({algorithm}); operations not modelled",
        energy_note=MANAGED,
    )
    notes = ["one active key version"]
    if r.inputs.get("rotationPeriod"):
        notes.append(
            f"rotation every {r.inputs['rotationPeriod']} adds a billed version each time unless old ones are destroyed"
        )
    return [dataclasses.replace(charge, assumptions=(*charge.assumptions, *notes))]


# -- free --------------------------------------------------------------------------------------------------

free(
    "networking configuration: no charge",
    "gcp:compute/network:Network",
    "gcp:compute/subnetwork:Subnetwork",
    "gcp:compute/firewall:Firewall",
    "gcp:compute/route:Route",
    "gcp:compute/router:Router",
    "gcp:compute/networkPeering:NetworkPeering",
)
free(
    "private services access peering (Service Networking connection): no charge; traffic across it is "
    "billed like VM-to-VM traffic (free within a zone), not modelled",
    "gcp:servicenetworking/connection:Connection",
)
free(
    "resource policy (compact placement, schedules): no charge",
    "gcp:compute/resourcePolicy:ResourcePolicy",
)
free(
    "IAM: no charge",
    "gcp:serviceaccount/account:Account",
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:serviceaccount/iAMBinding:IAMBinding",
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/iAMBinding:IAMBinding",
    "gcp:projects/iAMCustomRole:IAMCustomRole",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
    "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding",
)
free("KMS key ring: no charge (its keys are priced)", "gcp:kms/keyRing:KeyRing")
free("enabling a Google API on a project: no charge", "gcp:projects/service:Service")
