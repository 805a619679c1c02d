"""BlobStorageAccount: a StorageV2 account and one blob container for datasets and checkpoints.

Private by default: no anonymous blob access, HTTPS only with TLS 1.2 at least, infrastructure (double)
encryption, versioning with blob and container soft delete, old versions expired by a lifecycle rule, and
no shared-key (account key or SAS) access unless something needs it (an Azure Managed Lustre file system
linked to the container needs it: AMLFS hands out SAS tokens, `BlobStorageAccountArgs.shared_key_access`).

Network: the public endpoint denies everything except the cluster's own subnets (virtual network rules over
`Microsoft.Storage` service endpoints on those subnets) and Azure's trusted services. Chosen over a private
endpoint because the subnets that must reach the data are known and few (nodes and the AMLFS subnet); a
service endpoint costs nothing per hour or per GB, needs no private DNS zone and VNet link to keep in step,
and AMLFS's blob integration resolves the account's public name (with a private endpoint it needs the
private DNS zone integrated as well). Traffic stays on Azure's backbone either way.

The account and the container hold data: `protect` and `retain_on_delete` follow the spec's `protect`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure

TYPE = "aiinfra:azure:BlobStorageAccount"
SOFT_DELETE_DAYS = 14
"""Days a deleted blob, version or container can be restored (Azure allows 1-365)."""
OLD_VERSION_DAYS = 30
"""Days after which a previous version of a blob is deleted by the lifecycle rule (it is billed as data)."""
SKU = "Standard_LRS"
ACCOUNT_NAME_MAX = 24
_HASH_CHARS = 8


def storage_account_name(name: str, scope: str = "") -> str:
    """A storage account name for `name` (3-24 lower-case letters and digits, unique across Azure).

    The readable part is `name`'s letters and digits (at most 16); 8 hex digits of a SHA-256 of `scope`
    and `name` make it unique per stack (`scope` = "project/stack") and keep it the same on every run, so a
    rename never happens by accident. https://learn.microsoft.com/azure/storage/common/storage-account-overview
    #storage-account-name (read 2026-12-04)."""
    readable = re.sub(r"[^a-z0-9]", "", name.lower())[: ACCOUNT_NAME_MAX - _HASH_CHARS]
    digest = hashlib.sha256(f"{scope}\0{name}".encode()).hexdigest()[:_HASH_CHARS]
    return readable + digest


def blob_container_name(name: str) -> str:
    """A blob container name for `name`: lower-case letters, digits and single hyphens, 3-63 characters,
    starting and ending with a letter or digit."""
    cleaned = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "", name.lower())).strip("-")
    if len(cleaned) < 3:
        cleaned = f"{cleaned}-data" if cleaned else "data"
    return cleaned[:63].rstrip("-")


@dataclass
class BlobStorageAccountArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    allowed_subnet_ids: Sequence[pulumi.Input[str]]
    """Subnets whose traffic the account accepts (each needs the Microsoft.Storage service endpoint)."""
    container: str = "data"
    shared_key_access: bool = False
    """True only when a consumer cannot use Entra ID (an AMLFS blob link); keys and SAS stay refused."""
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)
    scope: str = ""
    """What makes the account name unique beyond the component name: "project/stack"."""


def network_rules(subnet_ids: Sequence[pulumi.Input[str]]) -> azure.storage.NetworkRuleSetArgs:
    """Deny by default; allow the given subnets and Azure's trusted services (logging, metrics)."""
    return azure.storage.NetworkRuleSetArgs(
        default_action=azure.storage.DefaultAction.DENY,
        bypass="AzureServices",
        virtual_network_rules=[
            azure.storage.VirtualNetworkRuleArgs(
                virtual_network_resource_id=s, action=azure.storage.Action.ALLOW
            )
            for s in subnet_ids
        ],
        ip_rules=[],
    )


def double_encryption(*services: str) -> azure.storage.EncryptionArgs:
    """Microsoft-managed keys with infrastructure encryption (a second AES-256 layer) on `services`."""
    on = azure.storage.EncryptionServiceArgs(enabled=True, key_type="Account")
    return azure.storage.EncryptionArgs(
        key_source="Microsoft.Storage",
        require_infrastructure_encryption=True,
        services=azure.storage.EncryptionServicesArgs(**{s: on for s in services}),
    )


class BlobStorageAccount(pulumi.ComponentResource):
    account_name: pulumi.Output[str]
    account_id: pulumi.Output[str]
    container_name: pulumi.Output[str]
    container_id: pulumi.Output[str]
    blob_url: pulumi.Output[str]
    """https://ACCOUNT.blob.core.windows.net/CONTAINER: what the blob CSI driver and SDKs point at."""

    def __init__(
        self, name: str, args: BlobStorageAccountArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect, retain_on_delete=args.protect)
        account_name = storage_account_name(name, args.scope)
        container_name = blob_container_name(args.container)

        account = azure.storage.StorageAccount(
            f"{name}-account",
            account_name=account_name,
            resource_group_name=args.resource_group_name,
            location=args.location,
            kind=azure.storage.Kind.STORAGE_V2,
            sku=azure.storage.SkuArgs(name=SKU),
            access_tier=azure.storage.AccessTier.HOT,
            allow_blob_public_access=False,
            allow_shared_key_access=args.shared_key_access,
            default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False,
            enable_https_traffic_only=True,
            minimum_tls_version=azure.storage.MinimumTlsVersion.TLS1_2,
            public_network_access=azure.storage.PublicNetworkAccess.ENABLED,  # filtered by network_rule_set
            network_rule_set=network_rules(args.allowed_subnet_ids),
            encryption=double_encryption("blob"),
            is_hns_enabled=False,  # versioning and soft delete need the flat namespace; AMLFS reads both
            tags=dict(args.tags),
            opts=keep,
        )
        # The name is chosen here, so it is known before the account exists; carried on the account's ID so
        # that what uses it waits for the account (the provider's `name` output would do the same online).
        named = account.id.apply(lambda _: account_name)
        azure.storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=named,
            resource_group_name=args.resource_group_name,
            blob_services_name="default",
            is_versioning_enabled=True,
            delete_retention_policy=azure.storage.DeleteRetentionPolicyArgs(
                enabled=True, days=SOFT_DELETE_DAYS
            ),
            container_delete_retention_policy=azure.storage.DeleteRetentionPolicyArgs(
                enabled=True, days=SOFT_DELETE_DAYS
            ),
            opts=child,
        )
        azure.storage.ManagementPolicy(
            f"{name}-lifecycle",
            account_name=named,
            resource_group_name=args.resource_group_name,
            management_policy_name="default",
            policy=azure.storage.ManagementPolicySchemaArgs(
                rules=[
                    azure.storage.ManagementPolicyRuleArgs(
                        name="expire-old-versions",
                        type=azure.storage.RuleType.LIFECYCLE,
                        enabled=True,
                        definition=azure.storage.ManagementPolicyDefinitionArgs(
                            filters=azure.storage.ManagementPolicyFilterArgs(blob_types=["blockBlob"]),
                            actions=azure.storage.ManagementPolicyActionArgs(
                                version=azure.storage.ManagementPolicyVersionArgs(
                                    delete=azure.storage.DateAfterCreationArgs(
                                        days_after_creation_greater_than=OLD_VERSION_DAYS
                                    )
                                )
                            ),
                        ),
                    )
                ]
            ),
            opts=child,
        )
        container = azure.storage.BlobContainer(
            f"{name}-container",
            account_name=named,
            resource_group_name=args.resource_group_name,
            container_name=container_name,
            public_access=azure.storage.PublicAccess.NONE,
            opts=keep,
        )

        self.account_name = named
        self.account_id = account.id
        self.container_name = container.id.apply(lambda _: container_name)
        self.container_id = container.id
        self.blob_url = self.container_name.apply(
            lambda c: f"https://{account_name}.blob.core.windows.net/{c}"
        )
        self.register_outputs(
            {
                "accountName": self.account_name,
                "accountId": self.account_id,
                "containerName": self.container_name,
                "containerId": self.container_id,
                "blobUrl": self.blob_url,
            }
        )
