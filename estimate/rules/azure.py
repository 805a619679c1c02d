"""Azure rules: AKS clusters and agent pools, VMs and scale sets, capacity reservations, Azure Managed Lustre,
storage accounts, NAT gateways, public IPs and Key Vault keys. Type tokens and input names are
pulumi-azure-native's (camelCase, as Pulumi passes them to the provider)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.compute import Pool, average_nodes, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, unpriced, with_notes
from aiinfra.estimate.inputs import count as count_of
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.machines import Machines, machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.rules.common import MANAGED, item_charge, missing_usage, usage_amount
from aiinfra.estimate.storage import nat_gateway_charges, service_charge, storage_charge

CLOUD = "azure"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
VIRTUAL_MACHINE = "azure-native:compute:VirtualMachine"
SCALE_SET = "azure-native:compute:VirtualMachineScaleSet"
CLASSIC_CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster"
CLASSIC_NODE_POOL = "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool"
GIB_PER_TIB = Decimal(1024)
SCALE_SET_DISKS = "virtualMachineProfile.storageProfile."
SCALE_SET_EPHEMERAL = (
    "ephemeral OS disks (osDisk.diffDiskSettings.option Local): on each instance's host, no charge"
)

AKS_OS_DISK_DEFAULT_GIB = ((7, 128), (15, 256), (63, 512), (None, 1024))
"""AKS's managed OS disk when a pool sets no osDiskSizeGB, by the VM size's vCPUs: 1-7 P10/128G, 8-15
P15/256G, 16-63 P20/512G, 64+ P30/1024G (MicrosoftDocs/azure-aks-docs articles/aks/concepts-storage.md,
"Managed OS disks", @fb060abe 2026-08-21: pools created since July 2022)."""
AKS_EPHEMERAL = "ephemeral OS disks: on the node's host, no charge"
AKS_OS_DISK_CHOICE = (
    "no osDiskType: AKS gives the pool ephemeral OS disks (no charge) when the size's cache or temp disk "
    "holds them, else managed Premium SSD OS disks; set osDiskType (Ephemeral or Managed) to price them"
)
# Any case: AKS keeps a size as the program spelled it (`standard_d2s_v3`).
_SIZE_NAME = re.compile(r"^Standard_([A-Z]+)\d+(?:-\d+)?([a-z]*)", re.IGNORECASE)


def premium_storage(size: str) -> bool:
    """Whether a VM size takes Premium SSDs, read from Azure's size naming: an `s` among the additive
    features (Standard_D8s_v5, Standard_ND96isr_H100_v5, Standard_B2ms) or a DS/GS-series family."""
    match = _SIZE_NAME.match(size)
    if match is None:
        return False
    family, features = match.groups()
    return "s" in features.lower() or (len(family) > 1 and family.upper().endswith("S"))


def os_disk_charges(
    r: PlannedResource, ctx: Context, m: Machines, disk_type: Any, disk_gib: Any, fields: tuple[str, str]
) -> tuple[list[Charge], list[str]]:
    """A pool's OS disks (lines, notes): none for ephemeral ones; for managed ones the Premium SSD tier of
    `disk_gib` (else AKS's default by vCPUs) × the pool's average nodes; unpriced when the type is left to
    AKS or the size takes no Premium SSD. `fields`: the type and size fields' names, for messages."""
    from aiinfra.estimate.rules.azure_services import disk_tier  # azure_services imports this module

    kind = str(disk_type or "").lower()
    if kind == "ephemeral":
        return [], [AKS_EPHEMERAL]
    size = m.types[0]
    average = average_nodes(r, ctx, m.pool)
    label = f"OS disks of pool {m.label or r.name}"

    def gap(description: str, reason: str) -> tuple[list[Charge], list[str]]:
        """Unpriced, but for as many disks as the pool has nodes on average."""
        return [dataclasses.replace(unpriced(description, "disk-months", reason), quantity=average)], []

    if kind != "managed":
        return gap(label, AKS_OS_DISK_CHOICE)
    if not premium_storage(size):
        return gap(
            label,
            f"{size} takes no Premium SSD and AKS does not document the managed OS disk it then uses; "
            f"set {fields[0]}: Ephemeral where the size allows",
        )
    notes = []
    gib = size_of(disk_gib, fields[1])
    if gib is None:
        try:
            vcpu = ctx.catalog.instance_type(size, cloud=CLOUD).vcpu
        except LookupError:
            return gap(label, f"{size} is not in the catalog: its default OS disk is unknown")
        gib = Decimal(next(g for most, g in AKS_OS_DISK_DEFAULT_GIB if most is None or vcpu <= most))
        notes.append(f"no {fields[1]}: AKS's default {gib:,.0f} GiB for {vcpu} vCPUs")
    tier = disk_tier("Premium_LRS", gib)
    if isinstance(tier, str):
        return gap(f"{label} (Premium_LRS, {gib:,.0f} GiB)", tier)
    name, billed = tier
    charge = item_charge(
        r,
        ctx,
        "managed-disk",
        f"Premium_LRS/{name}",
        average,
        "disk-months",
        f"{label}: Premium_LRS {name} ({gib:,.0f} GiB, billed as {billed:,} GiB) × {average:,.2f} (average nodes)",
        cloud=CLOUD,
        region=m.region,
    )
    return [dataclasses.replace(charge, assumptions=(*charge.assumptions, *notes))], []


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


# -- AKS ---------------------------------------------------------------------------------------------------


def _pool_machines(
    r: PlannedResource, profile: dict[str, Any], region: str | None, path: str = "", label: str = ""
) -> Machines:
    """An agent pool (or a cluster's agentPoolProfiles entry) → its size and purchase option. AKS defaults
    count to 1; with enableAutoScaling the autoscaler moves between minCount and maxCount."""
    size = profile.get("vmSize")
    count = count_of(profile.get("count"), f"{path}count", 1) or 0
    lo = hi = count
    if profile.get("enableAutoScaling"):
        lo = count_of(profile.get("minCount"), f"{path}minCount", count) or 0
        hi = max(count_of(profile.get("maxCount"), f"{path}maxCount", count) or 0, count)
    option = "on_demand"
    if str(profile.get("scaleSetPriority", "")).lower() == "spot":
        option = "spot"
    elif profile.get("capacityReservationGroupID"):
        option = "reservation"
    types = (str(size),) if size else ()
    notes = () if profile.get("count") not in (None, "") else (f"no {path}count: AKS's default of 1 node",)
    return Machines(r, CLOUD, region, types, lo, count, hi, option, label=label, assumptions=notes)


def _cluster_of(r: PlannedResource, ctx: Context) -> PlannedResource | None:
    """The ManagedCluster an AgentPool belongs to: the one whose resourceName (and resource group, when both
    are plain strings) matches the pool's, else the pool's sibling cluster."""
    name, group = r.inputs.get("resourceName"), r.inputs.get("resourceGroupName")
    if isinstance(name, str):
        for c in ctx.resources(MANAGED_CLUSTER):
            their_group = c.inputs.get("resourceGroupName")
            if name in (c.inputs.get("resourceName"), c.name, f"{c.name}-id") and (
                not isinstance(group, str) or not isinstance(their_group, str) or group == their_group
            ):
                return c
    return ctx.referenced(name, MANAGED_CLUSTER, r)


@machines_of(AGENT_POOL)
def agent_pool_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """An AKS agent pool, in its cluster's region (its own location, else the stack's, when no cluster)."""
    cluster = _cluster_of(r, ctx)
    region = _region(cluster, ctx) if cluster is not None else None
    notes = (f"region of its cluster {cluster.name}",) if cluster is not None and region else ()
    if region is None:
        region = _region(r, ctx)
    inputs = ctx.with_outputs(r, "vmSize", "count", "minCount", "maxCount")
    m = _pool_machines(r, inputs, region, label=str(r.inputs.get("name") or ""))
    return [dataclasses.replace(m, assumptions=(*notes, *m.assumptions))]


@machines_of(MANAGED_CLUSTER)
def cluster_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """An AKS cluster's inline agentPoolProfiles."""
    region = _region(r, ctx)
    return [
        _pool_machines(r, profile, region, f"agentPoolProfiles[{i}].", str(profile.get("name") or ""))
        for i, profile in enumerate(r.inputs.get("agentPoolProfiles") or [])
        if isinstance(profile, dict)
    ]


@machines_of(CLASSIC_NODE_POOL)
def classic_node_pool_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """A pool of the classic provider (pulumi-azure): vmSize, nodeCount or min/maxCount, Spot priority; in
    its cluster's region."""
    inputs = ctx.with_outputs(r, "vmSize", "nodeCount", "minCount", "maxCount")
    cluster = ctx.referenced(inputs.get("kubernetesClusterId"), CLASSIC_CLUSTER, r)
    region = _region(cluster, ctx) if cluster is not None else None
    count = count_of(inputs.get("nodeCount"), "nodeCount", None)
    lo = count_of(inputs.get("minCount"), "minCount", count)
    hi = count_of(inputs.get("maxCount"), "maxCount", count)
    desired = count if count is not None else (lo if lo is not None else 1)
    option = "spot" if str(inputs.get("priority", "")).lower() == "spot" else "on_demand"
    if inputs.get("capacityReservationGroupId"):
        option = "reservation"
    size = inputs.get("vmSize")
    return [
        Machines(
            r,
            CLOUD,
            region or _region(r, ctx),
            (str(size),) if size else (),
            desired if lo is None else lo,
            desired,
            max(desired, hi if hi is not None else desired),
            option,
        )
    ]


def _pool_charges(
    r: PlannedResource,
    ctx: Context,
    m: Machines,
    profile: dict[str, Any],
    fields: tuple[str, str] = ("osDiskType", "osDiskSizeGB"),
) -> list[Charge]:
    label = m.label or r.name
    if not m.types:
        return [
            unpriced(f"AKS agent pool {label} without a vmSize", "node-hours", "no vmSize on the agent pool")
        ]
    disks, notes = os_disk_charges(r, ctx, m, profile.get("osDiskType"), profile.get("osDiskSizeGB"), fields)
    if m.option == "spot" and profile.get("spotMaxPrice") not in (None, -1):
        notes.append(
            f"spotMaxPrice {profile['spotMaxPrice']} caps the spot price; the catalog's spot price is used"
        )
    charges = with_notes(
        machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool), list(m.assumptions)
    )
    if m.label:
        charges = [dataclasses.replace(c, description=f"pool {label}: {c.description}") for c in charges]
    return with_notes(charges, notes) + disks


@rule(AGENT_POOL)
def aks_agent_pool(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = agent_pool_machines(r, ctx)
    return _pool_charges(r, ctx, m, ctx.with_outputs(r, "osDiskType", "osDiskSizeGB"))


@rule(CLASSIC_NODE_POOL)
def aks_classic_node_pool(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = classic_node_pool_machines(r, ctx)
    inputs = r.inputs
    profile = {
        "spotMaxPrice": inputs.get("spotMaxPrice"),
        "osDiskType": inputs.get("osDiskType") or "Managed",  # the classic provider's default
        "osDiskSizeGB": inputs.get("osDiskSizeGb"),
    }
    return _pool_charges(r, ctx, m, profile, fields=("osDiskType", "osDiskSizeGb"))


TIERS = {"standard": "standard-cluster-hour", "premium": "premium-cluster-hour"}


@rule(MANAGED_CLUSTER)
def aks_cluster(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    region = _region(r, ctx)
    given = as_dict(r.inputs.get("sku")).get("tier")
    tier = str(given or "Free")
    charges: list[Charge] = []
    if tier.lower() in TIERS:
        charges.append(
            service_charge(
                ctx,
                cloud=CLOUD,
                region=region,
                service="aks",
                item=TIERS[tier.lower()],
                quantity=HOURS_PER_MONTH,
                unit="cluster-hours",
                description=f"AKS control plane, {tier} tier",
                energy_note=MANAGED,
            )
        )
    elif tier.lower() != "free":
        charges.append(
            unpriced(f"AKS control plane, {tier} tier", "cluster-hours", f"unknown AKS tier {tier!r}")
        )
    profiles = _deployed_profiles(r, ctx)
    for i, (m, profile) in enumerate(zip(cluster_machines(r, ctx), profiles, strict=True)):
        path = f"agentPoolProfiles[{i}]."
        charges += _pool_charges(r, ctx, m, profile, (f"{path}osDiskType", f"{path}osDiskSizeGB"))
    if not charges:
        return Free("AKS Free tier control plane: no charge (the agent pools are priced on their own)")
    if tier.lower() == "free":
        charges = with_notes(
            charges,
            ["AKS Free tier control plane: no charge" + ("" if given else " (no sku.tier: AKS's default)")],
        )
    elif tier.lower() == "premium":
        charges[:1] = with_notes(charges[:1], ["AKS Premium tier: Standard plus Long Term Support"])
    return charges


def _deployed_profiles(r: PlannedResource, ctx: Context) -> list[dict[str, Any]]:
    """A cluster's inline agentPoolProfiles, each with the OS disk type and size AKS decided where the input
    is silent: the deployed outputs' profile of the same name (a state export; the line says so)."""
    decided = {p.get("name"): p for p in r.outputs.get("agentPoolProfiles") or [] if isinstance(p, dict)}
    out = []
    for i, given in enumerate(r.inputs.get("agentPoolProfiles") or []):
        if not isinstance(given, dict):
            continue
        profile, found = dict(given), as_dict(decided.get(given.get("name")))
        for key in ("osDiskType", "osDiskSizeGB"):
            decided_value = None
            if given.get(key) in (None, ""):
                decided_value = ctx.deployed_value(r, f"agentPoolProfiles[{i}].{key}", found.get(key))
            if decided_value is not None:
                profile[key] = decided_value
        out.append(profile)
    return out


# -- VMs ---------------------------------------------------------------------------------------------------


def _vm_option(priority: Any, reservation: Any) -> str:
    if str(priority or "").lower() in ("spot", "low"):
        return "spot"
    return "reservation" if reservation else "on_demand"


@machines_of(VIRTUAL_MACHINE)
def vm_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    size = as_dict(r.inputs.get("hardwareProfile")).get("vmSize")
    reservation = as_dict(as_dict(r.inputs.get("capacityReservation")).get("capacityReservationGroup")).get(
        "id"
    )
    option = _vm_option(r.inputs.get("priority"), reservation)
    return [
        Machines(r, CLOUD, _region(r, ctx), (str(size),) if size else (), 1, 1, 1, option, what="instance")
    ]


@rule(VIRTUAL_MACHINE)
def virtual_machine(r: PlannedResource, ctx: Context) -> list[Charge]:
    (m,) = vm_machines(r, ctx)
    if not m.types:
        return [unpriced("VM without a size", "instance-hours", "no hardwareProfile.vmSize")]
    return machine_charges(
        r, ctx, cloud=CLOUD, region=m.region, pool=m.pool
    )  # disks: rules/azure_services.py


@machines_of(SCALE_SET)
def scale_set_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    sku = as_dict(r.inputs.get("sku"))
    profile = as_dict(r.inputs.get("virtualMachineProfile"))
    reservation = as_dict(as_dict(profile.get("capacityReservation")).get("capacityReservationGroup")).get(
        "id"
    )
    count = count_of(sku.get("capacity"), "sku.capacity", 0) or 0
    option = _vm_option(profile.get("priority"), reservation)
    types = (str(sku["name"]),) if sku.get("name") else ()
    return [Machines(r, CLOUD, _region(r, ctx), types, count, count, count, option)]


def _instance_disk(
    r: PlannedResource, ctx: Context, disk: dict[str, Any], path: str, label: str, region: str | None
) -> Charge:
    """One disk each instance of a scale set has: its type (`managedDisk.storageAccountType`) and size
    (`diskSizeGB`) priced as a managed disk; unpriced naming the field when either is left to Azure (the
    type to the VM size, the size to the image: neither has a documented default)."""
    from aiinfra.estimate.rules.azure_services import disk_charge  # azure_services imports this module

    sku = str(as_dict(disk.get("managedDisk")).get("storageAccountType") or "")
    if not sku:
        return unpriced(
            label,
            "disk-months",
            f"no {path}.managedDisk.storageAccountType: Azure picks the disk type by VM size; set it to price "
            "the disks",
        )
    gib = size_of(disk.get("diskSizeGB"), f"{path}.diskSizeGB")
    if gib is None:
        return unpriced(
            f"{label} ({sku})",
            "disk-months",
            f"no {path}.diskSizeGB: the disk takes its size from the image; set it to price the disks",
        )
    return disk_charge(r, ctx, sku, gib, label, region)


def scale_set_disks(r: PlannedResource, ctx: Context, m: Machines) -> tuple[list[Charge], list[str]]:
    """A scale set's per-instance disks (lines, notes): the managed OS disk (none when ephemeral) and every
    data disk the instances are created with (empty or from the image), each × the average instances, as an
    AKS pool's OS disks are; no lines when no instance runs."""
    average = average_nodes(r, ctx, m.pool)
    if not average:
        return [], []
    storage = as_dict(as_dict(r.inputs.get("virtualMachineProfile")).get("storageProfile"))
    os_disk = as_dict(storage.get("osDisk"))
    disks: list[Charge] = []
    notes: list[str] = []
    if str(as_dict(os_disk.get("diffDiskSettings")).get("option") or "").lower() == "local":
        notes.append(SCALE_SET_EPHEMERAL)
    else:
        disks.append(_instance_disk(r, ctx, os_disk, f"{SCALE_SET_DISKS}osDisk", "OS disk", m.region))
    for i, disk in enumerate(as_dict(d) for d in storage.get("dataDisks") or []):
        label = f"data disk {disk.get('lun', i)}"
        disks.append(_instance_disk(r, ctx, disk, f"{SCALE_SET_DISKS}dataDisks[{i}]", label, m.region))
    return [
        dataclasses.replace(
            c,
            quantity=average if c.unit_price_usd is None else c.quantity * average,
            description=f"{c.description} × {average:,.2f} (average instances)",
        )
        for c in disks
    ], notes


@rule(SCALE_SET)
def scale_set(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A scale set's instance hours, each instance's disks and, for Windows instances, the licence."""
    from aiinfra.estimate.rules.azure_services import _is_windows, windows_licence

    (m,) = scale_set_machines(r, ctx)
    if not m.types:
        return [unpriced("scale set without a SKU", "node-hours", "no sku.name on the scale set")]
    disks, notes = scale_set_disks(r, ctx, m)
    charges = with_notes(machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool), notes) + disks
    profile = as_dict(r.inputs.get("virtualMachineProfile"))
    if _is_windows(profile):
        charges += windows_licence(profile)
    return charges


def _uses_reservations(ctx: Context) -> bool:
    """Whether any pool or VM of the plan runs in a capacity reservation group."""
    for pool in ctx.resources(AGENT_POOL):
        if pool.inputs.get("capacityReservationGroupID"):
            return True
    for cluster in ctx.resources(MANAGED_CLUSTER):
        if any(
            as_dict(p).get("capacityReservationGroupID")
            for p in cluster.inputs.get("agentPoolProfiles") or []
        ):
            return True
    for vm in ctx.resources("azure-native:compute:VirtualMachine"):
        if as_dict(vm.inputs.get("capacityReservation")).get("capacityReservationGroup"):
            return True
    for vmss in ctx.resources("azure-native:compute:VirtualMachineScaleSet"):
        profile = as_dict(vmss.inputs.get("virtualMachineProfile"))
        if as_dict(profile.get("capacityReservation")).get("capacityReservationGroup"):
            return True
    return False


@rule("azure-native:compute:CapacityReservation")
def capacity_reservation(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Reserved capacity is billed at the pay-as-you-go rate whether VMs use it or not, and VMs running in it
    are not billed again. When pools or VMs of the plan use a reservation group they are priced as
    `reservation` (every node, every hour), so the reservation itself is not priced a second time."""
    if _uses_reservations(ctx):
        return Free(
            "capacity reservation: billed through the pools and VMs that use it (priced there, every hour)"
        )
    sku = as_dict(r.inputs.get("sku"))
    if not sku.get("name"):
        return [
            unpriced("capacity reservation without a SKU", "node-hours", "no sku.name on the reservation")
        ]
    count = count_of(sku.get("capacity"), "sku.capacity", 0) or 0
    pool = Pool(str(sku["name"]), count, count, count, "reservation", what="reserved VM")
    return machine_charges(r, ctx, cloud=CLOUD, region=_region(r, ctx), pool=pool)


# -- storage -----------------------------------------------------------------------------------------------


@rule("azure-native:storagecache:AmlFilesystem")
def managed_lustre(r: PlannedResource, ctx: Context) -> list[Charge]:
    tier = str(as_dict(r.inputs.get("sku")).get("name") or "?")
    tib = r.inputs.get("storageCapacityTiB")
    tib_size = size_of(tib, "storageCapacityTiB", unit="TiB", per_gib=GIB_PER_TIB)
    gib = tib_size * GIB_PER_TIB if tib_size is not None else None
    region = _region(r, ctx)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="amlfs",
        tier=tier,
        gib=gib,
        media="ssd",
        description=f"Azure Managed Lustre {tier}" + (f": {tib} TiB" if tib is not None else ""),
        missing_quantity="no storageCapacityTiB on the file system",
    )
    notes = ["billed by provisioned TiB whether used or not"]
    if as_dict(as_dict(r.inputs.get("hsm")).get("settings")).get("container"):
        notes.append(
            "HSM link: imports and exports are blob transactions billed on the linked storage account "
            "(not modelled)"
        )
    return with_notes([charge], notes)


STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
VERSIONS_NOTE = (
    "blob versioning and soft delete are on: previous versions and deleted blobs kept for restore are billed "
    "as stored data (count them in storageGiB)"
)


def _account_named(name: Any, ctx: Context, near: PlannedResource) -> PlannedResource | None:
    """The storage account a child names by `accountName` (its name, or its resource name offline)."""
    if isinstance(name, str):
        for a in ctx.resources(STORAGE_ACCOUNT):
            if name in (a.inputs.get("accountName"), a.name):
                return a
    return ctx.referenced(name, STORAGE_ACCOUNT, near)


def _versioned(account: PlannedResource, ctx: Context) -> bool:
    """Whether a BlobServiceProperties of the plan turns versioning or blob soft delete on for `account`."""
    for props in ctx.resources("azure-native:storage:BlobServiceProperties"):
        if _account_named(props.inputs.get("accountName"), ctx, props) is account and (
            props.inputs.get("isVersioningEnabled")
            or as_dict(props.inputs.get("deleteRetentionPolicy")).get("enabled")
        ):
            return True
    return False


@rule(STORAGE_ACCOUNT)
def storage_account(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """Blob capacity: the access tier (Hot unless accessTier says otherwise) × the sku's redundancy. A
    FileStorage account holds only file shares, which are billed (and priced here) by provisioned size."""
    if str(r.inputs.get("kind") or "").lower() == "filestorage":
        return Free(
            "FileStorage account: no charge by itself (its premium file shares are priced on each share)"
        )
    sku = str(as_dict(r.inputs.get("sku")).get("name") or "Standard_LRS")
    performance, _, redundancy = sku.partition("_")
    access = "Premium" if performance.lower() == "premium" else str(r.inputs.get("accessTier") or "Hot")
    tier = f"{access}-{redundancy or 'LRS'}"
    usage = ctx.usage_for(r)
    gib = usage_amount(usage.storage_gib)
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="blob",
        tier=tier,
        gib=gib,
        media="hdd" if access != "Premium" else "ssd",
        description=f"Blob storage {tier}" + (f": {gib:,.0f} GiB" if gib is not None else ""),
        missing_quantity=f"stored amount unknown: set storageGiB for {r.name} in {ctx.usage_path}",
    )
    return with_notes([charge], [VERSIONS_NOTE] if _versioned(r, ctx) else [])


@rule("azure-native:storage:FileShare")
def file_share(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An Azure Files share. Premium (FileStorage, provisioned v1) shares are billed by provisioned GiB
    (shareQuota) whatever they hold; standard shares by usage, which the catalog does not price."""
    account = _account_named(r.inputs.get("accountName"), ctx, r)
    region = _region(account, ctx) if account is not None else _region(r, ctx)
    sku = str(as_dict(account.inputs.get("sku")).get("name") or "") if account is not None else ""
    performance, _, redundancy = sku.partition("_")
    premium = performance.lower() == "premium" or str(r.inputs.get("accessTier") or "").lower() == "premium"
    if not premium:
        return [
            unpriced(
                "Azure Files standard share",
                "GiB-months",
                "standard (pay-as-you-go) Azure Files shares are not in the catalog",
            )
        ]
    tier = f"Premium-{redundancy or 'LRS'}"
    quota = r.inputs.get("shareQuota")
    gib = size_of(quota, "shareQuota", unit="GiB", per_gib=Decimal(1))
    protocol = str(r.inputs.get("enabledProtocols") or "SMB")
    charge = storage_charge(
        ctx,
        cloud=CLOUD,
        region=region,
        service="azure-files",
        tier=tier,
        gib=gib,
        media="ssd",
        description=f"Azure Files {tier} {protocol} share, provisioned"
        + (f": {gib:,.0f} GiB" if gib is not None else ""),
        missing_quantity="no shareQuota on the premium share (billed by provisioned size)",
    )
    notes = [f"region of its storage account {account.name}"] if account is not None and region else []
    return with_notes([charge], notes)


# -- networking and keys -----------------------------------------------------------------------------------


@rule("azure-native:network:NatGateway")
def nat_gateway(r: PlannedResource, ctx: Context) -> list[Charge]:
    return nat_gateway_charges(
        r,
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        description="NAT gateway (its public IPs are priced on their own)",
    )


@rule("azure-native:network:PublicIPAddress")
def public_ip(r: PlannedResource, ctx: Context) -> list[Charge]:
    sku = as_dict(r.inputs.get("sku"))
    name = str(sku.get("name") or "Standard")
    if name.lower() != "standard":
        return [
            unpriced(
                f"public IP, {name} SKU",
                "IP-hours",
                f"no {name} public IP price in the catalog (Basic IPs were retired in September 2025)",
            )
        ]
    charge = service_charge(
        ctx,
        cloud=CLOUD,
        region=_region(r, ctx),
        service="public-ip",
        item="standard-ip-hour",
        quantity=HOURS_PER_MONTH,
        unit="IP-hours",
        description="public IPv4 address, Standard",
        energy_note=MANAGED,
    )
    if str(sku.get("tier", "")).lower() == "global":
        charge = dataclasses.replace(
            charge,
            assumptions=(
                *charge.assumptions,
                "Global tier priced as Regional (its own rate is not in the catalog)",
            ),
        )
    return [charge]


OPERATIONS_PER_UNIT = Decimal(10_000)
SOFTWARE_KEY = "software-protected Key Vault key: no monthly charge (billed through its vault's operations)"


def key_vault_operations(r: PlannedResource, ctx: Context, sku: str) -> list[Charge]:
    """A vault's operations (on its secrets, software keys and certificates), billed per 10,000, from the usage
    file's requestsMillions: `key-vault` `operations-10k` rows; unpriced naming the key without it. Shared by
    the azure-native Vault and the classic KeyVault, so both price the same usage the same way."""
    from aiinfra.estimate.rules.azure_services import regional_charge  # azure_services imports this module

    millions = usage_amount(ctx.usage_for(r).requests_millions)
    units = millions * Decimal(1_000_000) / OPERATIONS_PER_UNIT if millions is not None else None
    what = "Key Vault operations (requests to its secrets, keys and certificates)"
    charge = regional_charge(
        r,
        ctx,
        "key-vault",
        "operations-10k",
        units,
        "10K operations",
        f"Key Vault ({sku}): operations"
        + (f", {millions.normalize():f} million" if millions is not None else ""),
        missing_usage(ctx, r, what, "requestsMillions"),
    )
    return with_notes([charge], ["HSM-protected keys are priced on each key (Premium vault)"])


@rule("azure-native:keyvault:Vault")
def key_vault(r: PlannedResource, ctx: Context) -> list[Charge]:
    """An azure-native vault (`properties.sku.name`, standard or premium): its operations, as the classic
    provider's KeyVault is priced; secrets are free, HSM keys priced on each key."""
    sku = str(as_dict(as_dict(r.inputs.get("properties")).get("sku")).get("name") or "standard")
    return key_vault_operations(r, ctx, sku)


@rule("azure-native:keyvault:Key")
def key_vault_key(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    props = as_dict(r.inputs.get("properties"))
    kty = str(props.get("kty") or "RSA").upper()
    if not kty.endswith("-HSM"):
        return Free(SOFTWARE_KEY)
    size = count_of(props.get("keySize"), "properties.keySize", 2048) or 0
    advanced = kty.startswith("EC") or size > 2048
    return [
        service_charge(
            ctx,
            cloud=CLOUD,
            region=_region(r, ctx),
            service="key-vault",
            item="hsm-advanced-key-month" if advanced else "hsm-key-month",
            quantity=Decimal(1),
            unit="key-months",
            description=f"Key Vault HSM-protected key ({kty}{'' if kty.startswith('EC') else f' {size}'}); operations priced on the vault",
            energy_note=MANAGED,
        )
    ]


# -- free --------------------------------------------------------------------------------------------------

free("resource group: no charge", "azure-native:resources:ResourceGroup")
free(
    "networking configuration: no charge",
    "azure-native:network:VirtualNetwork",
    "azure-native:network:Subnet",
    "azure-native:network:NetworkSecurityGroup",
    "azure-native:network:SecurityRule",
    "azure-native:network:RouteTable",
    "azure-native:network:Route",
)
free(
    "AKS planned maintenance window: no charge",
    "azure-native:containerservice:MaintenanceConfiguration",
)
free(
    "identity and access: no charge",
    "azure-native:authorization:RoleAssignment",
    "azure-native:managedidentity:UserAssignedIdentity",
    "azure-native:managedidentity:FederatedIdentityCredential",
)
free(
    "placement: no charge (capacity reservations inside a group are priced on their own)",
    "azure-native:compute:ProximityPlacementGroup",
    "azure-native:compute:CapacityReservationGroup",
)
free(
    "storage account configuration: no charge (capacity is priced on the storage account)",
    "azure-native:storage:BlobContainer",
    "azure-native:storage:BlobServiceProperties",
    "azure-native:storage:ManagementPolicy",
    "azure-native:storage:FileServiceProperties",
)
free(
    "Key Vault secret: no charge by itself (requests to it are billed as its vault's operations, priced on the "
    "vault from the usage file)",
    "azure-native:keyvault:Secret",
)
