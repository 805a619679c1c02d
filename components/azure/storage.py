"""AzureClusterStorage: every storage entry of one Azure cluster, wired to each other and to the cluster.

`object` → BlobStorageAccount (StorageV2 + container), `lustre` → ManagedLustre (AMLFS, linked to its
`dataRepository` container by HSM), `file` → NfsFileShare (Azure Files premium NFS). Storage accounts
accept traffic only from the cluster's subnets; an account a Lustre file system links to also admits the
Lustre subnet and shared-key access (AMLFS needs both), every other account refuses shared keys.
`mounts` gives each entry what a client mounts or points at: a blob URL, `MGS@tcp:/lustrefs`, or
`ACCOUNT.file.core.windows.net:/ACCOUNT/SHARE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from aiinfra.clouds.azure import AMLFS_DEFAULT_THROUGHPUT
from aiinfra.components.azure.files import NfsFileShare, NfsFileShareArgs
from aiinfra.components.azure.managed_lustre import (
    HPC_CACHE_RP_APP_ID,
    HsmLink,
    ManagedLustre,
    ManagedLustreArgs,
)
from aiinfra.components.azure.storage_account import BlobStorageAccount, BlobStorageAccountArgs
from aiinfra.spec.models import Storage

TYPE = "aiinfra:azure:ClusterStorage"


@dataclass
class AzureStorageArgs:
    storage: Sequence[Storage]
    """All the storage entries the cluster declares."""
    resource_group_name: pulumi.Input[str]
    location: str
    lustre_subnet_id: pulumi.Input[str] | None
    """The AMLFS subnet; None when no entry is `lustre`."""
    node_subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets allowed to reach storage (each needs the Microsoft.Storage service endpoint)."""
    tags: Mapping[str, str]
    zone: str | None = None
    """Availability zone ("1", "2", "3") of the GPU nodes, for the Lustre file systems."""
    hpc_cache_principal_id: pulumi.Input[str] | None = None
    """Object ID of the "HPC Cache Resource Provider" service principal in the tenant, for the role
    assignments of a `lustre` entry's blob link (`dataRepository`); None: looked up in Entra ID by the
    service's application ID (pulumi_azuread's getServicePrincipal, with the same Azure login)."""
    lustre_subnet_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Per-entry AMLFS subnets when a cluster has more than one `lustre` entry (each needs its own)."""
    scope: str | None = None
    """What makes storage account names unique; None: "project/stack" of the running program."""


def linked_object_stores(storage: Sequence[Storage]) -> dict[str, list[str]]:
    """Object store name → the `lustre` entries that link to it (pure; the spec validator checks names)."""
    links: dict[str, list[str]] = {}
    for s in storage:
        if s.kind == "lustre" and s.data_repository is not None:
            links.setdefault(s.data_repository, []).append(s.name)
    return links


class AzureClusterStorage(pulumi.ComponentResource):
    accounts: dict[str, BlobStorageAccount]
    containers: dict[str, pulumi.Output[str]]
    """Object store name → its container's resource ID."""
    lustres: dict[str, ManagedLustre]
    shares: dict[str, NfsFileShare]
    mounts: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: AzureStorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        self._name = name
        child = pulumi.ResourceOptions(parent=self)
        scope = args.scope if args.scope is not None else f"{pulumi.get_project()}/{pulumi.get_stack()}"
        lustre_subnets = self._lustre_subnets(args)
        links = linked_object_stores(args.storage)

        self.accounts = {}
        for s in args.storage:
            if s.kind != "object":
                continue
            linked = links.get(s.name, [])
            self.accounts[s.name] = BlobStorageAccount(
                f"{name}-{s.name}",
                BlobStorageAccountArgs(
                    resource_group_name=args.resource_group_name,
                    location=args.location,
                    allowed_subnet_ids=[*args.node_subnet_ids, *(lustre_subnets[fs] for fs in linked)],
                    container=s.name,
                    shared_key_access=bool(linked),
                    protect=s.protect,
                    tags=args.tags,
                    scope=scope,
                ),
                opts=child,
            )
        self.containers = {k: a.container_id for k, a in self.accounts.items()}

        self.lustres = {}
        for s in args.storage:
            if s.kind != "lustre":
                continue
            assert s.capacity_gib is not None  # the spec validator requires it
            self.lustres[s.name] = ManagedLustre(
                f"{name}-{s.name}",
                ManagedLustreArgs(
                    resource_group_name=args.resource_group_name,
                    location=args.location,
                    subnet_id=lustre_subnets[s.name],
                    capacity_gib=s.capacity_gib,
                    throughput_mbps_per_tib=s.throughput_mbps_per_tib or AMLFS_DEFAULT_THROUGHPUT,
                    zone=args.zone,
                    hsm=self._hsm_link(s, args),
                    protect=s.protect,
                    tags=args.tags,
                ),
                opts=child,
            )

        self.shares = {}
        for s in args.storage:
            if s.kind != "file":
                continue
            assert s.capacity_gib is not None  # the spec validator requires it
            self.shares[s.name] = NfsFileShare(
                f"{name}-{s.name}",
                NfsFileShareArgs(
                    resource_group_name=args.resource_group_name,
                    location=args.location,
                    allowed_subnet_ids=list(args.node_subnet_ids),
                    capacity_gib=s.capacity_gib,
                    share=s.name,
                    protect=s.protect,
                    tags=args.tags,
                    scope=scope,
                ),
                opts=child,
            )

        self.mounts = {
            **{k: a.blob_url for k, a in self.accounts.items()},
            **{k: fs.mount for k, fs in self.lustres.items()},
            **{k: sh.mount for k, sh in self.shares.items()},
        }
        self.register_outputs(
            {
                "accounts": {k: a.account_name for k, a in self.accounts.items()},
                "containers": dict(self.containers),
                "lustres": {k: fs.file_system_id for k, fs in self.lustres.items()},
                "shares": {k: sh.share_name for k, sh in self.shares.items()},
                "mounts": dict(self.mounts),
            }
        )

    @staticmethod
    def _lustre_subnets(args: AzureStorageArgs) -> dict[str, pulumi.Input[str]]:
        """Each `lustre` entry's subnet: its own from `lustre_subnet_ids`, else the one `lustre_subnet_id`,
        which only one file system may use (AMLFS needs a subnet per file system)."""
        names = [s.name for s in args.storage if s.kind == "lustre"]
        shared = [n for n in names if n not in args.lustre_subnet_ids]
        if shared and args.lustre_subnet_id is None:
            raise ValueError(
                f"Azure Managed Lustre {', '.join(shared)} needs a subnet: lustre_subnet_id is None."
            )
        if len(shared) > 1:
            raise ValueError(
                f"Azure Managed Lustre file systems {', '.join(shared)} would share one subnet; each needs its "
                "own (give lustre_subnet_ids per name)."
            )
        subnets = dict(args.lustre_subnet_ids)
        for n in shared:
            assert args.lustre_subnet_id is not None
            subnets[n] = args.lustre_subnet_id
        return {n: subnets[n] for n in names}

    def _hsm_link(self, s: Storage, args: AzureStorageArgs) -> HsmLink | None:
        if s.data_repository is None:
            return None
        principal = args.hpc_cache_principal_id
        if principal is None:  # look it up in the tenant: the provider's login is enough
            import pulumi_azuread as azuread

            principal = azuread.get_service_principal_output(
                client_id=HPC_CACHE_RP_APP_ID, opts=pulumi.InvokeOutputOptions(parent=self)
            ).object_id
        account = self.accounts[s.data_repository]
        return HsmLink(
            account_id=account.account_id,
            account_name=account.account_name,
            resource_group_name=args.resource_group_name,
            container_id=account.container_id,
            principal_id=principal,
        )
