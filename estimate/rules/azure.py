"""Azure rules: AKS clusters and agent pools, VMs and scale sets, capacity reservations, Azure Managed Lustre,
storage accounts, NAT gateways, public IPs and Key Vault keys. Type tokens and input names are
pulumi-azure-native's (camelCase, as Pulumi passes them to the provider)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.compute import Pool, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.inputs import as_dict, unpriced, with_notes
from aiinfra.estimate.inputs import count as count_of
from aiinfra.estimate.inputs import region as region_of
from aiinfra.estimate.inputs import size as size_of
from aiinfra.estimate.model import HOURS_PER_MONTH, Charge, Free
from aiinfra.estimate.registry import free, rule
from aiinfra.estimate.storage import nat_gateway_charges, service_charge, storage_charge

CLOUD = "azure"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
MANAGED = "managed service: energy not modelled (no public power figure)"
GIB_PER_TIB = Decimal(1024)
OS_DISK_NOTE = (
    "OS disks are not priced (no managed-disk price in the catalog; ephemeral OS disks cost nothing extra)"
)


def _region(r: PlannedResource, ctx: Context) -> str | None:
    return region_of(r, ctx, CLOUD)


# -- AKS ---------------------------------------------------------------------------------------------------


def _pool(profile: dict[str, Any], path: str = "") -> Pool | None:
    """An agent pool (or a cluster's agentPoolProfiles entry) → its size and purchase option. AKS defaults
    count to 1; with enableAutoScaling the autoscaler moves between minCount and maxCount."""
    size = profile.get("vmSize")
    if not size:
        return None
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
    return Pool(str(size), lo, count, hi, option)


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


def _pool_charges(
    r: PlannedResource, ctx: Context, profile: dict[str, Any], region: str | None, path: str = ""
) -> list[Charge]:
    pool = _pool(profile, path)
    label = profile.get("name") or r.name
    if pool is None:
        return [
            unpriced(f"AKS agent pool {label} without a vmSize", "node-hours", "no vmSize on the agent pool")
        ]
    notes = [OS_DISK_NOTE]
    if pool.option == "spot" and profile.get("spotMaxPrice") not in (None, -1):
        notes.append(
            f"spotMaxPrice {profile['spotMaxPrice']} caps the spot price; the catalog's spot price is used"
        )
    charges = machine_charges(r, ctx, cloud=CLOUD, region=region, pool=pool)
    if profile.get("name"):
        charges = [dataclasses.replace(c, description=f"pool {label}: {c.description}") for c in charges]
    return with_notes(charges, notes)


@rule(AGENT_POOL)
def aks_agent_pool(r: PlannedResource, ctx: Context) -> list[Charge]:
    cluster = _cluster_of(r, ctx)
    region = _region(cluster, ctx) if cluster is not None else None
    notes = [f"region of its cluster {cluster.name}"] if cluster is not None and region else []
    if region is None:
        region = _region(r, ctx)
    return with_notes(_pool_charges(r, ctx, r.inputs, region), notes)


TIERS = {"standard": "standard-cluster-hour", "premium": "premium-cluster-hour"}


@rule(MANAGED_CLUSTER)
def aks_cluster(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    region = _region(r, ctx)
    tier = str(as_dict(r.inputs.get("sku")).get("tier") or "Free")
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
    for i, profile in enumerate(r.inputs.get("agentPoolProfiles") or []):
        if isinstance(profile, dict):
            charges += _pool_charges(r, ctx, profile, region, f"agentPoolProfiles[{i}].")
    if not charges:
        return Free("AKS Free tier control plane: no charge (the agent pools are priced on their own)")
    if tier.lower() == "free":
        charges = with_notes(charges, ["AKS Free tier control plane: no charge"])
    return charges


# -- VMs ---------------------------------------------------------------------------------------------------


def _vm_option(priority: Any, reservation: Any) -> str:
    if str(priority or "").lower() in ("spot", "low"):
        return "spot"
    return "reservation" if reservation else "on_demand"


@rule("azure-native:compute:VirtualMachine")
def virtual_machine(r: PlannedResource, ctx: Context) -> list[Charge]:
    size = as_dict(r.inputs.get("hardwareProfile")).get("vmSize")
    if not size:
        return [unpriced("VM without a size", "instance-hours", "no hardwareProfile.vmSize")]
    reservation = as_dict(as_dict(r.inputs.get("capacityReservation")).get("capacityReservationGroup")).get(
        "id"
    )
    pool = Pool(str(size), 1, 1, 1, _vm_option(r.inputs.get("priority"), reservation), what="instance")
    return with_notes(machine_charges(r, ctx, cloud=CLOUD, region=_region(r, ctx), pool=pool), [OS_DISK_NOTE])


@rule("azure-native:compute:VirtualMachineScaleSet")
def scale_set(r: PlannedResource, ctx: Context) -> list[Charge]:
    sku = as_dict(r.inputs.get("sku"))
    if not sku.get("name"):
        return [unpriced("scale set without a SKU", "node-hours", "no sku.name on the scale set")]
    profile = as_dict(r.inputs.get("virtualMachineProfile"))
    reservation = as_dict(as_dict(profile.get("capacityReservation")).get("capacityReservationGroup")).get(
        "id"
    )
    count = count_of(sku.get("capacity"), "sku.capacity", 0) or 0
    pool = Pool(str(sku["name"]), count, count, count, _vm_option(profile.get("priority"), reservation))
    return with_notes(machine_charges(r, ctx, cloud=CLOUD, region=_region(r, ctx), pool=pool), [OS_DISK_NOTE])


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
    return [charge]


@rule("azure-native:storage:StorageAccount")
def storage_account(r: PlannedResource, ctx: Context) -> list[Charge]:
    """Blob capacity: the access tier (Hot unless accessTier says otherwise) × the sku's redundancy."""
    sku = str(as_dict(r.inputs.get("sku")).get("name") or "Standard_LRS")
    performance, _, redundancy = sku.partition("_")
    access = "Premium" if performance.lower() == "premium" else str(r.inputs.get("accessTier") or "Hot")
    tier = f"{access}-{redundancy or 'LRS'}"
    usage = ctx.usage_for(r)
    gib = Decimal(str(usage.storage_gib)) if usage.storage_gib is not None else None
    return [
        storage_charge(
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
    ]


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


@rule("azure-native:keyvault:Key")
def key_vault_key(r: PlannedResource, ctx: Context) -> list[Charge] | Free:
    props = as_dict(r.inputs.get("properties"))
    kty = str(props.get("kty") or "RSA").upper()
    if not kty.endswith("-HSM"):
        return Free(
            "software-protected Key Vault key: no monthly charge (operations, $0.03 per 10,000, not modelled)"
        )
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
            description=f"Key Vault HSM-protected key ({kty}{'' if kty.startswith('EC') else f' {size}'}); operations not modelled",
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
)
free(
    "Key Vault: no charge by itself (per-operation pricing is not modelled; HSM keys are priced on the key)",
    "azure-native:keyvault:Vault",
    "azure-native:keyvault:Secret",
)
