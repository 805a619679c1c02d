"""Azure services real programs create beside AKS: managed disks (and the OS and data disks a VM creates),
Windows licences, Azure SQL databases, App Service plans, load balancers, and the classic provider's
(pulumi-azure, `azure:` tokens) VMs, disks, public IPs, load balancers, plans, databases and AKS clusters;
plus the free configuration types of both providers and of Entra ID (pulumi-azuread). azure-native input
names are camelCase as Pulumi passes them (v2 and v3 share these tokens).

Prices are `service_prices` rows of catalog/data/azure/services.yaml (service, item), eastus only for
managed disks, App Service and Azure SQL. Where no price could be read from a citable source (other regions
and disk tiers, Windows licences) the line is unpriced and names the row a refresh would add — never $0. Pure
helpers (the disk size → billed tier table, SKU parsing) are plain functions, tested alone."""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.compute import machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, count, unpriced, with_notes
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.machines import Machines, machines_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import RULES, free, rule
from aiinfra.estimate.rules import azure as _azure
from aiinfra.estimate.rules.common import item_charge, usage_amount
from aiinfra.estimate.rules.common import noted as _note
from aiinfra.estimate.rules.common import text as _text

CLOUD = "azure"
D = Decimal

VIRTUAL_MACHINE = "azure-native:compute:VirtualMachine"
CLASSIC_LINUX_VM = "azure:compute/linuxVirtualMachine:LinuxVirtualMachine"
CLASSIC_WINDOWS_VM = "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"
CLASSIC_LB = "azure:lb/loadBalancer:LoadBalancer"
CLASSIC_CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster"

_charge = functools.partial(item_charge, cloud=CLOUD)
"""One catalog-priced item of a service in the resource's region (`common.item_charge`)."""


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


REGION_UNKNOWN = (
    "the region is unknown: set the resource's location, or azure-native:location in the stack's config "
    "(`--config azure-native:location=eastus`)"
)


def regional_charge(
    r: PlannedResource,
    ctx: Context,
    service: str,
    item: str,
    quantity: Decimal | None,
    unit: str,
    description: str,
    missing: str = "",
    region: str | None = None,
) -> Charge:
    """`_charge`, whose unpriced line says so when the region, not the catalog, is what is missing (a program
    that names no location and no stack config gives none; no '*' row prices the item everywhere)."""
    c = _charge(r, ctx, service, item, quantity, unit, description, missing, region=region)
    if quantity is not None and c.unit_price_usd is None and c.region is None:
        return dataclasses.replace(c, reason=f"{REGION_UNKNOWN}; {service} {item} is priced per region")
    return c


# -- managed disks --------------------------------------------------------------------------------------------

DISK_SIZES = (4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
"""GiB a Premium SSD or Standard SSD is billed as: the next size up from what is provisioned (Standard HDD
starts at 32). Azure managed disks billing increments (PSRule for Azure, Azure.VM.DiskSizeAlignment;
Microsoft's managed disk types page)."""
DISK_TIERS = {
    "P": ("P1", "P2", "P3", "P4", "P6", "P10", "P15", "P20", "P30", "P40", "P50", "P60", "P70", "P80"),
    "E": ("E1", "E2", "E3", "E4", "E6", "E10", "E15", "E20", "E30", "E40", "E50", "E60", "E70", "E80"),
    "S": ("", "", "", "S4", "S6", "S10", "S15", "S20", "S30", "S40", "S50", "S60", "S70", "S80"),
}
SKU_FAMILY = {"premium": "P", "standardssd": "E", "standard": "S"}


def disk_tier(sku: str, gib: Decimal) -> tuple[str, int] | str:
    """(billed tier, its GiB) of a Premium SSD (P), Standard SSD (E) or Standard HDD (S) disk of `gib`:
    `Premium_LRS`, 100 → ("P10", 128); or why it has none (Premium SSD v2 and Ultra Disk are billed by GiB,
    IOPS and throughput; above 32,767 GiB no tier exists)."""
    kind = sku.split("_", 1)[0].lower()
    family = SKU_FAMILY.get(kind)
    if family is None:
        return f"{sku} disks are billed by provisioned GiB, IOPS and throughput, not by tier"
    for size, tier in zip(DISK_SIZES, DISK_TIERS[family], strict=True):
        if tier and gib <= size:
            return tier, size
    return f"{gib} GiB is above the largest {sku} tier (32,767 GiB)"


def disk_charge(
    r: PlannedResource, ctx: Context, sku: str, gib: Decimal | None, label: str, region: str | None = None
) -> Charge:
    """One managed disk: its billed tier's monthly price (`managed-disk` rows, item `<sku>/<tier>`)."""
    if gib is None:
        return unpriced(
            f"{label} ({sku})",
            "disk-months",
            "no disk size: it comes from the image or source; set the size (GB)",
        )
    tier = disk_tier(sku, gib)
    if isinstance(tier, str):
        return unpriced(f"{label} ({sku}, {gib:,.0f} GiB)", "disk-months", tier)
    name, billed = tier
    return _charge(
        r,
        ctx,
        "managed-disk",
        f"{sku}/{name}",
        D(1),
        "disk-months",
        f"{label}: {sku} {name} ({gib:,.0f} GiB, billed as {billed:,} GiB)",
        region=region,
    )


@rule("azure-native:compute:Disk")
def managed_disk(r: PlannedResource, ctx: Context) -> list[Charge]:
    sku = _text(as_dict(r.inputs.get("sku")).get("name")) or "Standard_LRS"
    gib = size_of(ctx.value(r, "diskSizeGB"), "diskSizeGB")
    charge = disk_charge(r, ctx, sku, gib, "managed disk")
    notes = [] if as_dict(r.inputs.get("sku")).get("name") else ["no sku.name: Azure's default Standard_LRS"]
    notes.append("transactions (Standard SSD and HDD) and snapshots are not priced")
    return [_note(charge, *notes)]


@rule("azure:compute/managedDisk:ManagedDisk")
def classic_managed_disk(r: PlannedResource, ctx: Context) -> list[Charge]:
    sku = _text(r.inputs.get("storageAccountType")) or "Standard_LRS"
    gib = size_of(ctx.value(r, "diskSizeGb"), "diskSizeGb")
    return [_note(disk_charge(r, ctx, sku, gib, "managed disk"), "transactions and snapshots are not priced")]


# -- VMs: OS and data disks, Windows licences -----------------------------------------------------------------

WINDOWS_LICENCE = (
    "Windows Server licence: the catalog holds Linux prices only; a Windows VM adds a licence charge per "
    "hour by size (none under Azure Hybrid Benefit: licenseType Windows_Server)"
)


def _is_windows(inputs: dict[str, Any]) -> bool:
    profile = as_dict(inputs.get("osProfile"))
    storage = as_dict(inputs.get("storageProfile"))
    image = as_dict(storage.get("imageReference"))
    os_disk = as_dict(storage.get("osDisk"))
    return bool(
        profile.get("windowsConfiguration")
        or "windows" in _text(image.get("publisher")).lower()
        or _text(os_disk.get("osType")).lower() == "windows"
    )


def windows_licence(inputs: dict[str, Any]) -> list[Charge]:
    if _text(inputs.get("licenseType")).lower().startswith("windows"):
        return []  # Azure Hybrid Benefit: the customer brings the licence
    return [unpriced("Windows Server licence", "instance-hours", WINDOWS_LICENCE)]


def _vm_disks(r: PlannedResource, ctx: Context, region: str | None) -> list[Charge]:
    """The OS disk (unless ephemeral) and the data disks an azure-native VM creates with itself (empty ones
    and copies of its image's data disks)."""
    storage = as_dict(r.inputs.get("storageProfile"))
    os_disk = as_dict(storage.get("osDisk"))
    out: list[Charge] = []
    if _text(as_dict(os_disk.get("diffDiskSettings")).get("option")).lower() != "local":
        sku = _text(as_dict(os_disk.get("managedDisk")).get("storageAccountType"))
        gib = size_of(os_disk.get("diskSizeGB"), "storageProfile.osDisk.diskSizeGB")
        # A deployed VM's outputs say what Azure chose where the inputs were silent (a state export).
        deployed = as_dict(as_dict(r.outputs.get("storageProfile")).get("osDisk"))
        if not sku:
            chosen = as_dict(deployed.get("managedDisk")).get("storageAccountType")
            sku = _text(ctx.deployed_value(r, "storageProfile.osDisk.managedDisk.storageAccountType", chosen))
        if gib is None and sku:
            size = ctx.deployed_value(r, "storageProfile.osDisk.diskSizeGB", deployed.get("diskSizeGB"))
            gib = size_of(size, "storageProfile.osDisk.diskSizeGB")
        if not sku:
            out.append(
                unpriced(
                    "OS disk",
                    "disk-months",
                    "no storageProfile.osDisk.managedDisk.storageAccountType: Azure picks the disk type by VM "
                    "size; set it to price the disk",
                )
            )
        else:
            out.append(disk_charge(r, ctx, sku, gib, "OS disk", region))
    for i, disk in enumerate(as_dict(d) for d in storage.get("dataDisks") or []):
        if _text(disk.get("createOption")).lower() not in ("empty", "fromimage"):
            continue  # an attached disk is its own resource; empty and image disks are created with the VM
        sku = _text(as_dict(disk.get("managedDisk")).get("storageAccountType")) or "Standard_LRS"
        gib = size_of(disk.get("diskSizeGB"), f"storageProfile.dataDisks[{i}].diskSizeGB")
        out.append(disk_charge(r, ctx, sku, gib, f"data disk {disk.get('lun', i)}", region))
    return out


def deployed_disk(r: PlannedResource, ctx: Context, path: str, *keys: str) -> dict[str, Any]:
    """The inline disk block at input `path` (a classic VM's `osDisk`, `storageOsDisk`) with each of `keys`
    it leaves out taken from the same block of the deployed outputs (a state export: the size the image
    gave), recorded so the line says so."""
    disk, decided = as_dict(r.inputs.get(path)), as_dict(r.outputs.get(path))
    out = dict(disk)
    for key in keys:
        value = (
            ctx.deployed_value(r, f"{path}.{key}", decided.get(key)) if disk.get(key) in (None, "") else None
        )
        if value is not None:
            out[key] = value
    return out


def classic_disk(
    r: PlannedResource,
    ctx: Context,
    disk: dict[str, Any],
    path: str,
    label: str,
    region: str | None,
    sku_key: str = "storageAccountType",
    default_sku: str | None = "Standard_LRS",
) -> Charge:
    """A disk a classic-provider VM or scale set declares inline (its OS disk, an empty data disk): the type
    from `sku_key` (else `default_sku`; with none, unpriced: Azure picks it by VM size) and `diskSizeGb`."""
    sku = _text(disk.get(sku_key)) or default_sku
    if not sku:
        return unpriced(
            label,
            "disk-months",
            f"no {path}.{sku_key}: Azure picks the disk type by VM size; set it to price the disk",
        )
    return disk_charge(r, ctx, sku, size_of(disk.get("diskSizeGb"), f"{path}.diskSizeGb"), label, region)


_vm_rule = RULES.pop(VIRTUAL_MACHINE, None)
"""rules/azure.py prices a VM's size; this file adds its disks and, on Windows, the licence."""


@rule(VIRTUAL_MACHINE)
def virtual_machine(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    charges = _vm_rule(r, ctx) if _vm_rule is not None else []
    if isinstance(charges, Free):
        return charges
    charges = [c for c in charges]
    charges += _vm_disks(r, ctx, _region(r, ctx))
    if _is_windows(r.inputs):
        charges += windows_licence(r.inputs)
    return charges


def classic_vm_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    size = _text(r.inputs.get("size") or r.inputs.get("vmSize"))
    option = "spot" if _text(r.inputs.get("priority")).lower() == "spot" else "on_demand"
    if r.inputs.get("capacityReservationGroupId"):
        option = "reservation"
    return [Machines(r, CLOUD, _region(r, ctx), (size,) if size else (), 1, 1, 1, option, what="instance")]


machines_of(CLASSIC_LINUX_VM, CLASSIC_WINDOWS_VM)(classic_vm_machines)


@rule(CLASSIC_LINUX_VM, CLASSIC_WINDOWS_VM)
def classic_vm(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A classic-provider VM: its size's hours, its OS disk (storageAccountType, diskSizeGb) and, for a
    WindowsVirtualMachine, the licence."""
    (m,) = classic_vm_machines(r, ctx)
    if not m.types:
        return [unpriced("VM without a size", "instance-hours", "no size")]
    charges = machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)
    os_disk = deployed_disk(r, ctx, "osDisk", "storageAccountType", "diskSizeGb")
    charges.append(classic_disk(r, ctx, os_disk, "osDisk", "OS disk", m.region))
    if r.type == CLASSIC_WINDOWS_VM:
        charges += windows_licence(r.inputs)
    return charges


CLASSIC_LINUX_VMSS = "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet"
CLASSIC_WINDOWS_VMSS = "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet"


def _classic_scale_set_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    size = _text(r.inputs.get("sku"))
    # `instances` is optional and 0 by default in the classic provider: a scale set with no count runs none
    n = count(r.inputs.get("instances"), "instances", 0) or 0
    option = "spot" if _text(r.inputs.get("priority")).lower() == "spot" else "on_demand"
    if r.inputs.get("capacityReservationGroupId"):
        option = "reservation"
    return [Machines(r, CLOUD, _region(r, ctx), (size,) if size else (), n, n, n, option, what="instance")]


machines_of(CLASSIC_LINUX_VMSS, CLASSIC_WINDOWS_VMSS)(_classic_scale_set_machines)


@rule(CLASSIC_LINUX_VMSS, CLASSIC_WINDOWS_VMSS)
def classic_scale_set(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A classic-provider scale set: `instances` × its SKU's hours, and per instance its OS disk and its empty
    data disks (storageAccountType, diskSizeGb); for a Windows scale set, the licence."""
    (m,) = _classic_scale_set_machines(r, ctx)
    if not m.types:
        return [unpriced("scale set without a SKU", "instance-hours", "no sku")]
    charges = machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)
    if m.desired == 0:  # no instances, no disks: nothing else to bill until it scales
        unset = r.inputs.get("instances") is None
        return with_notes(
            charges, ["instances = 0" + (" (not set: the classic provider's default)" if unset else "")]
        )
    n = D(m.desired)
    os_disk = deployed_disk(r, ctx, "osDisk", "storageAccountType", "diskSizeGb")
    disks = [classic_disk(r, ctx, os_disk, "osDisk", "OS disk", m.region)]
    for i, disk in enumerate(as_dict(d) for d in r.inputs.get("dataDisks") or []):
        if _text(disk.get("createOption")).lower() not in ("", "empty"):
            continue  # a disk made from another source is its own resource
        label = f"data disk {disk.get('lun', i)}"
        disks.append(classic_disk(r, ctx, disk, f"dataDisks[{i}]", label, m.region))
    charges += [
        dataclasses.replace(
            c, quantity=c.quantity * n, description=f"{c.description}, × {m.desired} instances"
        )
        for c in disks
    ]
    if r.type == CLASSIC_WINDOWS_VMSS:
        charges += windows_licence(r.inputs)
    return charges


# -- Azure SQL --------------------------------------------------------------------------------------------------


def sql_sku(name: str) -> str:
    """What an Azure SQL database SKU name means: `GP_Gen5_2` → 'General Purpose, Gen5, 2 vCores',
    `GP_S_Gen5_1` → 'General Purpose serverless, Gen5, up to 1 vCores', `S0` → 'Standard S0 (DTU)'."""
    parts = name.split("_")
    tiers = {"GP": "General Purpose", "BC": "Business Critical", "HS": "Hyperscale"}
    if parts[0] in tiers and len(parts) >= 3:
        serverless = parts[1] == "S"
        family, cores = (parts[2], parts[3]) if serverless and len(parts) >= 4 else (parts[1], parts[2])
        kind = tiers[parts[0]] + (" serverless" if serverless else "")
        return f"{kind}, {family}, {'up to ' if serverless else ''}{cores} vCores"
    dtu = {"B": "Basic", "S": "Standard", "P": "Premium"}
    if name == "Basic":
        return "Basic (DTU)"
    if name[:1] in dtu and name[1:].isdigit():
        return f"{dtu[name[0]]} {name} (DTU)"
    return name


def sql_vcores(name: str) -> tuple[str, str, int] | None:
    """(tier, hardware family, vCores) of a provisioned vCore SKU (`GP_Gen5_4` → ("GP", "Gen5", 4)); None for
    DTU and serverless SKUs."""
    parts = name.split("_")
    if len(parts) == 3 and parts[0] in ("GP", "BC", "HS") and parts[2].isdigit():
        return parts[0], parts[1], int(parts[2])
    return None


def _sql_database(
    r: PlannedResource, ctx: Context, sku: str, free_offer: bool, license_type: str = ""
) -> list[Charge] | Free:
    if free_offer:
        return Free(
            "Azure SQL Database free offer (useFreeLimit): no charge within the monthly free vCore-seconds "
            "and storage"
        )
    if not sku:
        return [
            unpriced(
                "Azure SQL database",
                "database-hours",
                "no sku: the service picks the database's size; set sku.name (e.g. GP_Gen5_2, S0)",
            )
        ]
    what = f"Azure SQL database {sku}: {sql_sku(sku)}"
    if "_S_" in sku:
        return [
            unpriced(
                what,
                "vCore-seconds",
                "serverless databases are billed per vCore-second used and per GB stored; no price in the catalog",
            )
        ]
    storage_note = "data storage and backup storage are not priced"
    vcore = sql_vcores(sku)
    if vcore is None:
        return [
            _note(_charge(r, ctx, "sql-database", sku, HOURS_PER_MONTH, "database-hours", what), storage_note)
        ]
    tier, family, cores = vcore
    hours = D(cores) * HOURS_PER_MONTH
    charges = [
        _charge(
            r, ctx, "sql-database", f"{tier}_{family}/vcore-hour", hours, "vCore-hours", f"{what}, compute"
        )
    ]
    if license_type.lower() == "baseprice":
        return with_notes(
            charges, ["licenseType BasePrice: Azure Hybrid Benefit, no SQL licence charge", storage_note]
        )
    charges.append(
        _charge(
            r,
            ctx,
            "sql-database",
            f"{tier}/license-vcore-hour",
            hours,
            "licence vCore-hours",
            f"{what}, SQL licence",
        )
    )
    return with_notes(charges, [storage_note])


SQL_DTU_TIERS = frozenset({"basic", "standard", "premium"})
"""DTU tiers a database's `sku.name` may give instead of a service objective (S0, P1, ...): the size is then
the objective Azure chose (with `sku.capacity`), which a deployed database's outputs name."""


@rule("azure-native:sql:Database")
def sql_database(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    sku = _text(as_dict(ctx.value(r, "sku")).get("name"))
    if sku.lower() in SQL_DTU_TIERS:
        chosen = ctx.deployed_value(
            r, "currentServiceObjectiveName", r.outputs.get("currentServiceObjectiveName")
        )
        sku = _text(chosen) or sku
    return _sql_database(r, ctx, sku, bool(r.inputs.get("useFreeLimit")), _text(r.inputs.get("licenseType")))


@rule("azure:mssql/database:Database")
def classic_sql_database(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    return _sql_database(r, ctx, _text(ctx.value(r, "skuName")), False, _text(r.inputs.get("licenseType")))


# -- App Service ------------------------------------------------------------------------------------------------

FREE_PLANS = {"F1", "FREE"}


def _plan(
    r: PlannedResource, ctx: Context, sku: str, linux: bool, workers: int, defaults: list[str]
) -> list[Charge] | Free:
    if not sku:
        return [unpriced("App Service plan without a SKU", "instance-hours", "no sku")]
    if sku.upper() in FREE_PLANS:
        return Free("App Service Free plan (F1): no charge")
    os_name = "linux" if linux else "windows"
    if sku.upper() == "Y1" or sku.upper().startswith("EP") or sku.upper().startswith("FC"):
        return [
            unpriced(
                f"Functions plan {sku} ({os_name})",
                "executions",
                "Consumption, Flex Consumption and Elastic Premium plans are billed by executions and "
                "instance time, which the catalog does not price",
            )
        ]
    charge = regional_charge(
        r,
        ctx,
        "app-service",
        f"{os_name}/{sku}",
        D(workers) * HOURS_PER_MONTH,
        "instance-hours",
        f"App Service plan {sku} ({os_name}) × {workers} instance{'s' if workers != 1 else ''}",
    )
    return [_note(charge, *defaults)]


@rule("azure-native:web:AppServicePlan")
def app_service_plan(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A plan's instances: its SKU (by OS: kind 'linux' or reserved true is Linux) × sku.capacity (default
    1) every hour. The apps in a plan cost nothing more."""
    sku = as_dict(ctx.value(r, "sku"))
    linux = bool(r.inputs.get("reserved")) or "linux" in _text(r.inputs.get("kind")).lower()
    workers = count(sku.get("capacity"), "sku.capacity", 1) or 0
    defaults = [] if sku.get("capacity") not in (None, "") else ["no sku.capacity: one instance"]
    return _plan(r, ctx, _text(sku.get("name")), linux, workers, defaults)


@rule("azure:appservice/servicePlan:ServicePlan")
def classic_service_plan(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    linux = _text(r.inputs.get("osType")).lower() == "linux"
    workers = count(r.inputs.get("workerCount"), "workerCount", 1) or 0
    defaults = [] if r.inputs.get("workerCount") not in (None, "") else ["no workerCount: one instance"]
    return _plan(r, ctx, _text(ctx.value(r, "skuName")), linux, workers, defaults)


# -- load balancers and public IPs ------------------------------------------------------------------------------

LB_INCLUDED_RULES = 5
"""Standard Load Balancer: the hourly charge covers the first five rules (load-balancing and outbound);
each further rule is billed by the hour."""


def _lb_charges(
    r: PlannedResource, ctx: Context, sku: str, rules: int, defaults: list[str]
) -> list[Charge] | Free:
    name = sku or "Basic"
    if name.lower() == "basic":
        return Free(
            "Basic Load Balancer: no charge (retired on 30 September 2025: new ones cannot be created, "
            "Standard is billed)"
        )
    if name.lower() != "standard":
        return [unpriced(f"{name} load balancer", "hours", f"no {name} load balancer price in the catalog")]
    usage = ctx.usage_for(r)
    gb = usage_amount(usage.data_processed_gb)
    charges = [
        _note(
            _charge(
                r, ctx, "load-balancer", "standard-hour", HOURS_PER_MONTH, "hours", "Standard load balancer"
            ),
            f"{rules} load-balancing and outbound rule{'s' if rules != 1 else ''}; the first "
            f"{LB_INCLUDED_RULES} are included",
            "inbound NAT rules are not counted",
            *defaults,
        )
    ]
    if rules > LB_INCLUDED_RULES:
        extra = rules - LB_INCLUDED_RULES
        charges.append(
            _charge(
                r,
                ctx,
                "load-balancer",
                "standard-rule-hour",
                D(extra) * HOURS_PER_MONTH,
                "rule-hours",
                f"Standard load balancer: {extra} rules above the first {LB_INCLUDED_RULES}",
            )
        )
    charges.append(
        _charge(
            r,
            ctx,
            "load-balancer",
            "gb-processed",
            gb,
            "GB processed",
            "Standard load balancer data processed",
            f"traffic unknown: set dataProcessedGB for {r.name} in {ctx.usage_path}",
        )
    )
    return charges


@rule("azure-native:network:LoadBalancer")
def load_balancer(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    sku = _text(as_dict(r.inputs.get("sku")).get("name"))
    rules = len(r.inputs.get("loadBalancingRules") or []) + len(r.inputs.get("outboundRules") or [])
    defaults = [] if sku else ["no sku.name: Azure's default Basic"]
    return _lb_charges(r, ctx, sku, rules, defaults)


def _lb_of(ref: Any, ctx: Context, near: PlannedResource) -> PlannedResource | None:
    return ctx.referenced(ref, CLASSIC_LB, near)


@rule(CLASSIC_LB)
def classic_load_balancer(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A classic-provider load balancer; its rules are separate resources (lb.Rule, lb.OutboundRule) that
    name it by loadbalancerId."""
    sku = _text(r.inputs.get("sku"))
    rules = sum(
        1
        for token in ("azure:lb/rule:Rule", "azure:lb/outboundRule:OutboundRule")
        for rl in ctx.resources(token)
        if _lb_of(rl.inputs.get("loadbalancerId"), ctx, rl) is r
    )
    defaults = [] if sku else ["no sku: the provider's default Basic"]
    return _lb_charges(r, ctx, sku, rules, defaults)


@rule("azure:network/publicIp:PublicIp")
def classic_public_ip(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    """A classic-provider public IP, priced as azure-native's (rules/azure.py) from its sku."""
    sku = _text(r.inputs.get("sku"))
    shaped = dataclasses.replace(r, inputs={**r.inputs, "sku": {"name": sku or "Standard"}})
    charges = _azure.public_ip(shaped, ctx)
    if isinstance(charges, Free):
        return charges
    return with_notes(charges, [] if sku else ["no sku: pulumi-azure 6's default Standard"])


# -- container registry -------------------------------------------------------------------------------------------

DAYS_PER_MONTH = HOURS_PER_MONTH / 24
"""730 h / 24: the days a registry is billed in the estimate's month."""


@rule("azure-native:containerregistry:Registry", "azure:containerregistry/registry:Registry")
def container_registry(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A registry's SKU per day (included storage; storage above it, builds and geo-replicas are not
    priced)."""
    given = r.inputs.get("sku")
    sku = _text(as_dict(given).get("name") if isinstance(given, dict) else given) or "(no sku)"
    charge = regional_charge(
        r,
        ctx,
        "container-registry",
        f"{sku}-day",
        DAYS_PER_MONTH,
        "registry-days",
        f"Container Registry {sku}",
    )
    notes = ["storage above the SKU's included amount, builds and geo-replication are not priced"]
    return [_note(charge, *notes)]


# -- monitoring -------------------------------------------------------------------------------------------------


@rule(
    "azure-native:operationalinsights:Workspace",
    "azure-native:applicationinsights:Component",
    "azure-native:insights:Component",
    "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace",
)
def log_ingestion(r: PlannedResource, ctx: Context) -> list[Charge]:
    """A Log Analytics workspace (azure-native or classic `azure:`) or an azure-native Application Insights
    component (the classic one: rules/azure_classic_services.py):
    billed per GB of data ingested (usage `logIngestedGB`), at a price the catalog does not hold."""
    usage = ctx.usage_for(r)
    gb = usage_amount(usage.log_ingested_gb)
    what = "Application Insights" if r.type.endswith(":Component") else "Log Analytics workspace"
    return [
        _charge(
            r,
            ctx,
            "log-analytics",
            "gb-ingested",
            gb,
            "GB ingested",
            f"{what}: data ingested",
            f"data ingested unknown: set logIngestedGB for {r.name} in {ctx.usage_path}",
        )
    ]


# -- classic AKS cluster ----------------------------------------------------------------------------------------


@machines_of(CLASSIC_CLUSTER)
def classic_cluster_machines(r: PlannedResource, ctx: Context) -> list[Machines]:
    """A classic-provider AKS cluster's defaultNodePool: vmSize, nodeCount or min/maxCount."""
    pool = as_dict(r.inputs.get("defaultNodePool"))
    size = _text(pool.get("vmSize"))
    n = count(pool.get("nodeCount"), "defaultNodePool.nodeCount")
    lo = count(pool.get("minCount"), "defaultNodePool.minCount", n)
    hi = count(pool.get("maxCount"), "defaultNodePool.maxCount", n)
    desired = n if n is not None else (lo if lo is not None else 1)
    notes = (
        () if n is not None or lo is not None else ("no defaultNodePool.nodeCount: AKS's default of 1 node",)
    )
    return [
        Machines(
            r,
            CLOUD,
            _region(r, ctx),
            (size,) if size else (),
            desired if lo is None else lo,
            desired,
            max(desired, hi if hi is not None else desired),
            "on_demand",
            label=_text(pool.get("name")) or "default",
            assumptions=notes,
        )
    ]


@rule(CLASSIC_CLUSTER)
def classic_cluster(r: PlannedResource, ctx: Context) -> list[Charge]:
    """The control plane by skuTier (Free: no charge) and the default node pool's nodes."""
    tier = _text(r.inputs.get("skuTier")) or "Free"
    charges: list[Charge] = []
    if tier.lower() in _azure.TIERS:
        charges.append(
            _charge(
                r,
                ctx,
                "aks",
                _azure.TIERS[tier.lower()],
                HOURS_PER_MONTH,
                "cluster-hours",
                f"AKS control plane, {tier} tier",
            )
        )
    elif tier.lower() != "free":
        charges.append(
            unpriced(f"AKS control plane, {tier} tier", "cluster-hours", f"unknown AKS tier {tier!r}")
        )
    (m,) = classic_cluster_machines(r, ctx)
    if not m.types:
        charges.append(
            unpriced("AKS default node pool without a vmSize", "node-hours", "no defaultNodePool.vmSize")
        )
    else:
        pool = as_dict(r.inputs.get("defaultNodePool"))
        disks, disk_notes = _azure.os_disk_charges(
            r,
            ctx,
            m,
            pool.get("osDiskType") or "Managed",  # the classic provider's default
            pool.get("osDiskSizeGb"),
            ("defaultNodePool.osDiskType", "defaultNodePool.osDiskSizeGb"),
        )
        pool_charges = machine_charges(r, ctx, cloud=CLOUD, region=m.region, pool=m.pool)
        charges += with_notes(
            [dataclasses.replace(c, description=f"pool {m.label}: {c.description}") for c in pool_charges],
            [*m.assumptions, *disk_notes],
        )
        charges += disks
    if tier.lower() == "free":
        charges = with_notes(charges, ["AKS Free tier control plane: no charge"])
    return charges


# -- free types -------------------------------------------------------------------------------------------------

FREE_TYPES: list[str] = []
"""Every azure-native and azuread type this file lists as free (tests check each is a real token)."""
CLASSIC_FREE_TYPES: list[str] = []
"""Classic-provider (pulumi-azure, not installed here) types listed as free."""


def _free(reason: str, *type_tokens: str) -> None:
    """Register types that cost nothing by themselves, skipping any another rule module already lists."""
    for t in type_tokens:
        (CLASSIC_FREE_TYPES if t.startswith("azure:") else FREE_TYPES).append(t)
    free(reason, *(t for t in type_tokens if t not in RULES))


_free(
    "networking configuration: no charge",
    "azure-native:network:NetworkInterface",
    "azure-native:network:VirtualNetworkPeering",
    "azure-native:network:ApplicationSecurityGroup",
    "azure-native:network:InboundNatRule",
    "azure-native:network:LoadBalancerBackendAddressPool",
    "azure:network/virtualNetwork:VirtualNetwork",
    "azure:network/subnet:Subnet",
    "azure:network/networkSecurityGroup:NetworkSecurityGroup",
    "azure:network/networkSecurityRule:NetworkSecurityRule",
    "azure:network/networkInterface:NetworkInterface",
    "azure:network/routeTable:RouteTable",
    "azure:network/route:Route",
)
_free(
    "load balancer configuration: no charge (rules are counted on the load balancer)",
    "azure:lb/rule:Rule",
    "azure:lb/outboundRule:OutboundRule",
    "azure:lb/backendAddressPool:BackendAddressPool",
    "azure:lb/probe:Probe",
    "azure:lb/natRule:NatRule",
)
_free("resource group: no charge", "azure:core/resourceGroup:ResourceGroup")
_free(
    "identity and access: no charge",
    "azure-native:authorization:RoleDefinition",
    "azure:authorization/assignment:Assignment",
    "azure:authorization/userAssignedIdentity:UserAssignedIdentity",
)
_free(
    "Entra ID (Azure AD) object: no charge",
    "azuread:index/application:Application",
    "azuread:index/applicationRegistration:ApplicationRegistration",
    "azuread:index/servicePrincipal:ServicePrincipal",
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
    "azuread:index/applicationPassword:ApplicationPassword",
    "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
    "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant",
    "azuread:index/appRoleAssignment:AppRoleAssignment",
    "azuread:index/group:Group",
    "azuread:index/groupMember:GroupMember",
    "azuread:index/user:User",
)
_free(
    "web app: no charge by itself (it runs on its App Service plan, which is priced)",
    "azure-native:web:WebApp",
    "azure-native:web:WebAppSourceControl",
    "azure-native:web:WebAppApplicationSettings",
    "azure-native:web:WebAppSiteExtension",
    "azure:appservice/linuxWebApp:LinuxWebApp",
    "azure:appservice/windowsWebApp:WindowsWebApp",
    "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
    "azure:appservice/windowsFunctionApp:WindowsFunctionApp",
)
_free(
    "Azure SQL logical server or firewall rule: no charge (its databases are priced)",
    "azure-native:sql:Server",
    "azure-native:sql:FirewallRule",
    "azure:mssql/server:Server",
    "azure:mssql/firewallRule:FirewallRule",
)
_free(
    "storage object or configuration: no charge by itself (capacity is priced on the storage account, from "
    "the usage file)",
    "azure-native:storage:Blob",
    "azure-native:storage:Queue",
    "azure-native:storage:Table",
    "azure-native:storage:QueueServiceProperties",
    "azure-native:storage:TableServiceProperties",
    "azure:storage/container:Container",
    "azure:storage/blob:Blob",
)
_free(
    "VM configuration: no charge (availability sets, extensions, SSH keys)",
    "azure-native:compute:AvailabilitySet",
    "azure-native:compute:VirtualMachineExtension",
    "azure-native:compute:SshPublicKey",
    "azure:compute/availabilitySet:AvailabilitySet",
    "azure:compute/virtualMachineExtension:VirtualMachineExtension",
)
