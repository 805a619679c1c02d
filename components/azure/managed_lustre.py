"""ManagedLustre: an Azure Managed Lustre file system (AMLFS) next to the GPU nodes.

SKU AMLFS-Durable-Premium-<MB/s per TiB> from `throughputMBpsPerTiB` (40/125/250/500), sized in the SKU's
steps (checked by aiinfra.clouds.azure), in its own subnet (AMLFS needs one per file system), in the GPU
pool's zone when one is given, with a weekly maintenance window. Encrypted at rest by the service (its
default, Microsoft-managed keys).

When the spec links an `object` store (`dataRepository`), the file system is linked to that blob container
by Lustre HSM: the container is imported into the namespace on create and files are archived back to it by
export jobs, with import/export logs in a second container of the same account. Before the file system is
created, the "HPC Cache Resource Provider" service principal gets Storage Account Contributor and Storage
Blob Data Contributor on the account, as Microsoft's prerequisites require; the account must also allow
shared-key access, because AMLFS works through SAS tokens
(https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites#blob-integration-prerequisites-optional,
read 2026-12-04). Azure notes that role assignments can take up to five minutes to propagate: if the first
`pulumi up` fails on container access, run it again.

The file system and the logging container hold data: `protect` and `retain_on_delete` follow the spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_azure_native as azure

from aiinfra.clouds.azure import AMLFS_DEFAULT_THROUGHPUT, AMLFS_SKUS, TIB, amlfs_size_problem
from aiinfra.components.azure.storage_account import blob_container_name

TYPE = "aiinfra:azure:ManagedLustre"
LUSTRE_FS_NAME = "lustrefs"
"""The Lustre file system name every AMLFS serves (`mount -t lustre MGS@tcp:/lustrefs`)."""

HPC_CACHE_RP_APP_ID = "4392ab71-2ce2-4b0d-8770-b352745c73f5"
"""Application ID of Microsoft's "HPC Cache Resource Provider" service principal (the same in every tenant;
its object ID differs per tenant: `az ad sp show --id 4392ab71-2ce2-4b0d-8770-b352745c73f5 --query id -o tsv`)."""

# Built-in role definition IDs: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
# (read 2026-12-04).
HSM_ROLES: dict[str, str] = {
    "account-contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",  # Storage Account Contributor
    "blob-data-contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",  # Storage Blob Data Contributor
}


def amlfs_sku(throughput_mbps_per_tib: int) -> str:
    """The AMLFS SKU name for a throughput per TiB; ValueError naming the ones that exist otherwise."""
    if throughput_mbps_per_tib not in AMLFS_SKUS:
        raise ValueError(
            f"{throughput_mbps_per_tib} MB/s per TiB is not an Azure Managed Lustre SKU; use one of "
            f"{', '.join(map(str, AMLFS_SKUS))}."
        )
    return f"AMLFS-Durable-Premium-{throughput_mbps_per_tib}"


def lustre_mount(mgs_address: str | None) -> str:
    """`MGS@tcp:/lustrefs`: the device a Lustre client (or the azurelustre CSI driver) mounts."""
    return f"{mgs_address}@tcp:/{LUSTRE_FS_NAME}" if mgs_address else ""


@dataclass
class HsmLink:
    """The blob container an AMLFS is linked to, and who must be allowed to reach it."""

    account_id: pulumi.Input[str]
    account_name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    container_id: pulumi.Input[str]
    principal_id: pulumi.Input[str]
    """Object ID of the "HPC Cache Resource Provider" service principal in this tenant."""


@dataclass
class ManagedLustreArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    subnet_id: pulumi.Input[str]
    """The file system's own subnet (one per file system, IPv4, sized for its capacity)."""
    capacity_gib: int
    throughput_mbps_per_tib: int = AMLFS_DEFAULT_THROUGHPUT
    zone: str | None = None
    """Availability zone ("1", "2", "3") of the GPU nodes; None: Azure picks."""
    hsm: HsmLink | None = None
    maintenance_day: str = "Sunday"
    maintenance_time_utc: str = "02:00"
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)


class ManagedLustre(pulumi.ComponentResource):
    file_system_id: pulumi.Output[str]
    file_system_name: pulumi.Output[str]
    mgs_address: pulumi.Output[str]
    mount: pulumi.Output[str]
    """MGS@tcp:/lustrefs."""

    def __init__(
        self, name: str, args: ManagedLustreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        sku = amlfs_sku(args.throughput_mbps_per_tib)
        problem = amlfs_size_problem(args.capacity_gib, args.throughput_mbps_per_tib)
        if problem:
            raise ValueError(problem)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=args.protect)

        hsm: azure.storagecache.AmlFilesystemHsmArgs | None = None
        needs: list[pulumi.Resource] = []
        if args.hsm is not None:
            hsm, needs = self._link_blob(name, args.hsm, args.protect)
        fs = azure.storagecache.AmlFilesystem(
            f"{name}-fs",
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=azure.storagecache.SkuNameArgs(name=sku),
            storage_capacity_ti_b=args.capacity_gib / TIB,
            filesystem_subnet=args.subnet_id,
            zones=[args.zone] if args.zone else None,
            maintenance_window=azure.storagecache.AmlFilesystemMaintenanceWindowArgs(
                day_of_week=args.maintenance_day, time_of_day_utc=args.maintenance_time_utc
            ),
            hsm=hsm,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions.merge(keep, pulumi.ResourceOptions(depends_on=needs)),
        )

        self.file_system_id = fs.id
        self.file_system_name = fs.name
        self.mgs_address = fs.client_info.apply(_mgs_address)
        self.mount = self.mgs_address.apply(lustre_mount)
        self.register_outputs(
            {
                "fileSystemId": self.file_system_id,
                "fileSystemName": self.file_system_name,
                "mgsAddress": self.mgs_address,
                "mount": self.mount,
            }
        )

    def _link_blob(
        self, name: str, link: HsmLink, protect: bool
    ) -> tuple[azure.storagecache.AmlFilesystemHsmArgs, list[pulumi.Resource]]:
        """The logging container and the two role assignments the HSM link needs, created first."""
        child = pulumi.ResourceOptions(parent=self)
        logs = azure.storage.BlobContainer(
            f"{name}-hsm-logs",
            account_name=link.account_name,
            resource_group_name=link.resource_group_name,
            container_name=blob_container_name(f"{name}-hsm-logs"),
            public_access=azure.storage.PublicAccess.NONE,
            opts=pulumi.ResourceOptions(parent=self, protect=protect, retain_on_delete=protect),
        )
        subscription = azure.authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=self)
        )
        grants: list[pulumi.Resource] = [
            azure.authorization.RoleAssignment(
                f"{name}-hsm-{role}",
                scope=link.account_id,
                principal_id=link.principal_id,
                principal_type=azure.authorization.PrincipalType.SERVICE_PRINCIPAL,
                role_definition_id=subscription.subscription_id.apply(
                    lambda sub, guid=guid: (
                        f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
                    )
                ),
                description=f"Azure Managed Lustre {name}: HSM link to its blob container",
                opts=child,
            )
            for role, guid in HSM_ROLES.items()
        ]
        settings = azure.storagecache.AmlFilesystemHsmArgs(
            settings=azure.storagecache.AmlFilesystemHsmSettingsArgs(
                container=link.container_id, logging_container=logs.id
            )
        )
        return settings, [logs, *grants]


def _mgs_address(client_info: Any) -> str:
    """The MGS address from the file system's clientInfo (absent until it is created)."""
    if client_info is None:
        return ""
    address = getattr(client_info, "mgs_address", None)
    if address is None and isinstance(client_info, Mapping):
        address = client_info.get("mgsAddress") or client_info.get("mgs_address")
    return str(address or "")
