"""NfsFileShare: `kind: file` as an Azure Files premium (SSD, provisioned v1) NFS 4.1 share.

Why Azure Files premium and not Azure NetApp Files: a shared POSIX file system for home directories,
code, configs and small checkpoints needs neither ANF's latency nor its floor. ANF bills a capacity pool
of at least 1 TiB and needs a subnet delegated to Microsoft.NetApp/volumes; an Azure Files premium share
starts at 100 GiB, lives in an ordinary storage account, is reached from the cluster's existing subnets,
and AKS mounts it with its built-in Azure Files CSI driver (`file.csi.azure.com`, protocol nfs). Large,
fast training data belongs on `kind: lustre` (Azure Managed Lustre).

Security: NFS shares authenticate by network, not by key (Microsoft: NFS shares are reachable only from
restricted networks), so the account accepts only the cluster's subnets (service endpoints) and Azure's
trusted services, refuses shared keys and anonymous access, and requires TLS 1.2. "Secure transfer
required" stays on: for NFS 4.1 shares it now means every mount must be encrypted in transit (TLS through
Microsoft's AZNFS mount helper / stunnel; the Azure Files CSI driver's `encryptInTransit: "true"` volume
attribute), so nothing crosses the network in clear. MicrosoftDocs/azure-docs
articles/storage/files/encryption-in-transit-for-nfs-shares.md @01fe1812 ("Enforce encryption in transit")
and https://learn.microsoft.com/azure/storage/files/encryption-in-transit-for-nfs-shares (GA in every region
with SSD file shares; read 2026-12-04). Data at rest is double-encrypted (infrastructure encryption).
Deleted shares are kept 14 days.

The account and the share hold data: `protect` and `retain_on_delete` follow the spec's `protect`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure

from aiinfra.clouds.azure import AZURE_FILES_PREMIUM_MAX_GIB, AZURE_FILES_PREMIUM_MIN_GIB
from aiinfra.components.azure.storage_account import (
    SOFT_DELETE_DAYS,
    blob_container_name,
    double_encryption,
    network_rules,
    storage_account_name,
)

TYPE = "aiinfra:azure:NfsFileShare"
SKU = "Premium_LRS"
CSI_VOLUME_ATTRIBUTES = {"protocol": "nfs", "encryptInTransit": "true"}
"""What a PersistentVolume for this share gives the Azure Files CSI driver (`file.csi.azure.com`): NFS, over
TLS (the account refuses mounts that are not encrypted in transit)."""


@dataclass
class NfsFileShareArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    allowed_subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets that may mount the share (each needs the Microsoft.Storage service endpoint)."""
    capacity_gib: int
    share: str = "shared"
    root_squash: str = "NoRootSquash"
    """The cluster's pods are the only clients (nothing else reaches the account); training images often run
    as root. Set "RootSquash" to map root to nobody."""
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)
    scope: str = ""
    """What makes the account name unique beyond the component name: "project/stack"."""


class NfsFileShare(pulumi.ComponentResource):
    account_name: pulumi.Output[str]
    account_id: pulumi.Output[str]
    share_name: pulumi.Output[str]
    mount: pulumi.Output[str]
    """ACCOUNT.file.core.windows.net:/ACCOUNT/SHARE: the NFS export a client mounts."""

    def __init__(self, name: str, args: NfsFileShareArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        if not AZURE_FILES_PREMIUM_MIN_GIB <= args.capacity_gib <= AZURE_FILES_PREMIUM_MAX_GIB:
            raise ValueError(
                f"{args.capacity_gib} GiB is not a size of an Azure Files premium share: it takes "
                f"{AZURE_FILES_PREMIUM_MIN_GIB} to {AZURE_FILES_PREMIUM_MAX_GIB} GiB."
            )
        account_name = storage_account_name(name, args.scope)
        share_name = blob_container_name(args.share)  # share names follow the container naming rules
        child = pulumi.ResourceOptions(parent=self)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=args.protect)

        account = azure.storage.StorageAccount(
            f"{name}-account",
            account_name=account_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            kind=azure.storage.Kind.FILE_STORAGE,
            sku=azure.storage.SkuArgs(name=SKU),
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            allow_cross_tenant_replication=False,
            enable_https_traffic_only=True,  # for NFS: every mount must use encryption in transit
            minimum_tls_version=azure.storage.MinimumTlsVersion.TLS1_2,
            public_network_access=azure.storage.PublicNetworkAccess.ENABLED,  # filtered by network_rule_set
            network_rule_set=network_rules(args.allowed_subnet_ids),
            encryption=double_encryption("file"),
            tags=dict(args.tags),
            opts=keep,
        )
        named = account.id.apply(lambda _: account_name)  # known now; waits for the account
        azure.storage.FileServiceProperties(
            f"{name}-file-service",
            account_name=named,
            resource_group_name=args.resource_group_name,
            file_services_name="default",
            share_delete_retention_policy=azure.storage.DeleteRetentionPolicyArgs(
                enabled=True, days=SOFT_DELETE_DAYS
            ),
            opts=child,
        )
        share = azure.storage.FileShare(
            f"{name}-share",
            account_name=named,
            resource_group_name=args.resource_group_name,
            share_name=share_name,
            enabled_protocols=azure.storage.EnabledProtocols.NFS,
            share_quota=args.capacity_gib,
            access_tier=azure.storage.ShareAccessTier.PREMIUM,
            root_squash=args.root_squash,
            opts=keep,
        )

        self.account_name = named
        self.account_id = account.id
        self.share_name = share.id.apply(lambda _: share_name)
        self.mount = self.share_name.apply(
            lambda s: f"{account_name}.file.core.windows.net:/{account_name}/{s}"
        )
        self.register_outputs(
            {
                "accountName": self.account_name,
                "accountId": self.account_id,
                "shareName": self.share_name,
                "mount": self.mount,
            }
        )
