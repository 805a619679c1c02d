"""AzureKeyVault: the Key Vault and the key that encrypts the cluster's Kubernetes secrets in etcd (AKS KMS).

- Premium vault, HSM-protected RSA key: the key never leaves Azure's HSMs.
- Azure RBAC for data access (no access policies), purge protection on, 90 days of soft delete: a deleted
  vault or key cannot be purged early, and AKS KMS breaks without its key.
- `Private` (the default): no public network access. AKS reaches a private vault through API Server VNet
  Integration (KMS `keyVaultNetworkAccess: Private`, learn.microsoft.com/azure/aks/use-kms-etcd-encryption,
  read 2026-12-04). Keys are created through Azure Resource Manager, which the vault's firewall does not
  block.
- `Public`, for a cluster that has no API Server VNet Integration (an Extended Zone site's): the vault's
  endpoint accepts every network, because the legacy AKS KMS plugin is blocked by a vault firewall that only
  allows selected networks or IP addresses (the same page's limitations). Data-plane access is by Entra RBAC
  alone, so only identities granted a Key Vault role on this vault can use the key.
- No expiry on the key: AKS KMS stops decrypting secrets when its key expires. Rotate by creating a new
  version and updating the cluster's KMS key ID.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_azure_native as azure

TYPE = "aiinfra:azure:KeyVault"
# "Vault names: 3-24 characters, alphanumerics and hyphens, start with a letter, globally unique"
# (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, read 2026-12-04).
VAULT_NAME_MAX = 24
SOFT_DELETE_DAYS = 90
KEY_OPS = ["encrypt", "decrypt", "wrapKey", "unwrapKey"]
NetworkAccess = Literal["Private", "Public"]
"""How AKS KMS reaches the vault: AKS's `keyVaultNetworkAccess` values."""


def vault_name(cluster: str, subscription_id: str, scope: str) -> str:
    """A vault name unique across Azure and stable across runs: `kv-`, as much of the cluster name as
    fits, and 8 hex digits of a hash of the subscription and `scope` (the cluster's resource group, or any
    name unique in the subscription that does not change between runs). A destroyed vault keeps its
    name for the soft-delete period (purge protection): recreate it within 90 days by recovering it
    (`az keyvault recover`), not by a new `pulumi up`."""
    unique = hashlib.sha256(f"{subscription_id}/{scope}".encode()).hexdigest()[:8]
    room = VAULT_NAME_MAX - len("kv-") - len(unique) - 1
    stem = re.sub(r"[^a-zA-Z0-9-]", "", cluster)[:room].rstrip("-")
    return f"kv-{stem}-{unique}"


@dataclass
class AzureKeyVaultArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    tenant_id: pulumi.Input[str]
    vault_name: str
    network_access: NetworkAccess = "Private"
    """`Private` for a cluster with API Server VNet Integration, `Public` for one without (see above)."""
    tags: dict[str, str] = field(default_factory=dict)


class AzureKeyVault(pulumi.ComponentResource):
    vault_id: pulumi.Output[str]
    vault_name: pulumi.Output[str]
    key_id: pulumi.Output[str]
    """The key's versioned URI, as AKS KMS takes it."""

    def __init__(
        self, name: str, args: AzureKeyVaultArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        private = args.network_access == "Private"
        vault = azure.keyvault.Vault(
            f"{name}-vault",
            resource_group_name=args.resource_group_name,
            location=args.location,
            vault_name=args.vault_name,
            properties=azure.keyvault.VaultPropertiesArgs(
                tenant_id=args.tenant_id,
                sku=azure.keyvault.SkuArgs(family="A", name="premium"),
                enable_rbac_authorization=True,
                enable_purge_protection=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS,
                public_network_access="Disabled" if private else "Enabled",
                network_acls=azure.keyvault.NetworkRuleSetArgs(
                    default_action="Deny" if private else "Allow", bypass="AzureServices"
                ),
                enabled_for_deployment=False,
                enabled_for_disk_encryption=False,
                enabled_for_template_deployment=False,
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        key = azure.keyvault.Key(
            f"{name}-kms-key",
            resource_group_name=args.resource_group_name,
            vault_name=vault.name,
            key_name="aks-kms",
            properties=azure.keyvault.KeyPropertiesArgs(
                kty="RSA-HSM",
                key_size=2048,
                key_ops=KEY_OPS,
                attributes=azure.keyvault.KeyAttributesArgs(enabled=True),
            ),
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.vault_id = vault.id
        self.vault_name = vault.name
        self.key_id = key.key_uri_with_version
        self.register_outputs({"vaultId": self.vault_id, "keyId": self.key_id})
