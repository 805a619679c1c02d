"""Guardrail rules for Azure resources (pulumi_azure_native 3.x inputs, camelCase as the engine sends them):
AKS managed clusters, storage accounts and blob containers, Key Vaults, network security groups and their
rules. Each rule is a plain function over one `PlannedResource` returning its violations ([] when it passes,
and for a value not known before create). API defaults count, as the SDK documents them: HTTPS-only and
no public blob access are the defaults of current storage API versions and are reported only when set off;
TLS 1.0 and shared-key access are the defaults and must be turned off.

Checkov IDs were read from bridgecrewio/checkov, checkov/terraform/checks/resource/azure/ (mirror at
commit 03d5fdad8d61, 2026-08-20), as in rules.py."""

from __future__ import annotations

from typing import Any

from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.policy.ingress import ALL_PROTOCOLS, OpenIngress, port_ranges
from aiinfra.policy.model import CheckOptions, Violation
from aiinfra.policy.values import dig, flag, is_everywhere, is_unknown, items

AKS_CLUSTER = "azure-native:containerservice:ManagedCluster"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
KEY_VAULT = "azure-native:keyvault:Vault"
NSG = "azure-native:network:NetworkSecurityGroup"
NSG_RULE = "azure-native:network:SecurityRule"
MANAGED_LUSTRE = "azure-native:storagecache:AmlFilesystem"
NSG_TYPES = (NSG, NSG_RULE)

STORAGE_TYPES = (STORAGE_ACCOUNT, BLOB_CONTAINER, MANAGED_LUSTRE)
"""Azure resources whose deletion loses data (rules.storage_deletion_protection: protect / retainOnDelete)."""

TLS_OK = ("TLS1_2", "TLS1_3")
INTERNET_SOURCES = ("*", "internet", "any")
"""NSG sources that mean everyone: the wildcard and the Internet service tag (any /0 CIDR too)."""

ADMIN_CHECKOV = {22: "CKV_AZURE_10", 3389: "CKV_AZURE_9"}
HTTP_CHECKOV = "CKV_AZURE_160"


def _v(
    rule_id: str, severity: str, r: PlannedResource, message: str, fix: str, checkov: str | None
) -> Violation:
    return Violation(rule_id, severity, r.name, r.type, message, fix, checkov, r.urn)  # type: ignore[arg-type]


def _state(value: Any) -> str:
    return "false" if flag(value) is False else "not set"


# -- AKS ---------------------------------------------------------------------------------------------------


def aks_private_cluster(r: PlannedResource) -> list[Violation]:
    """The Kubernetes API of an AKS cluster is private (`apiServerAccessProfile.enablePrivateCluster`), or
    public only to authorized IP ranges that are not the whole internet. AKS defaults to a public API server
    open to every address."""
    if r.type != AKS_CLUSTER:
        return []
    profile = r.inputs.get("apiServerAccessProfile")
    private = dig(profile, "enablePrivateCluster")
    if is_unknown(profile) or is_unknown(private) or flag(private) is True:
        return []
    ranges = items(dig(profile, "authorizedIPRanges"))
    if any(is_unknown(c) for c in ranges):
        return []
    open_ = [str(c) for c in ranges if is_everywhere(c)]
    if ranges and not open_:
        return []
    why = f"admits {', '.join(open_)}" if open_ else "lists no authorizedIPRanges, so it admits every address"
    return [
        _v(
            "aks-private-cluster",
            "high",
            r,
            f"AKS cluster {r.name} has a public API server that {why}.",
            "Set `apiServerAccessProfile.enablePrivateCluster: true` (aiinfra: leave "
            "`endpointPublicAccessCidrs` empty), or list only your egress CIDRs in `authorizedIPRanges`.",
            "CKV_AZURE_115",
        )
    ]


def aks_local_accounts(r: PlannedResource) -> list[Violation]:
    """An AKS cluster has its local accounts disabled (`disableLocalAccounts`): the static cluster-admin
    kubeconfig bypasses Entra ID, cannot be revoked per user and leaves no identity in the audit log."""
    if r.type != AKS_CLUSTER:
        return []
    value = r.inputs.get("disableLocalAccounts")
    if is_unknown(value) or flag(value) is True:
        return []
    return [
        _v(
            "aks-local-accounts",
            "high",
            r,
            f"AKS cluster {r.name} keeps its local cluster-admin account (disableLocalAccounts is {_state(value)}).",
            "Set `disableLocalAccounts: true` (it needs Entra ID integration: `aadProfile.managed: true`).",
            "CKV_AZURE_141",
        )
    ]


def aks_entra_rbac(r: PlannedResource) -> list[Violation]:
    """An AKS cluster authenticates with Entra ID (`aadProfile.managed`) and authorizes with Azure RBAC
    (`aadProfile.enableAzureRBAC`), with Kubernetes RBAC on: who may do what in the cluster is granted and
    revoked like any other Azure role."""
    if r.type != AKS_CLUSTER:
        return []
    aad = r.inputs.get("aadProfile")
    managed, azure_rbac, k8s_rbac = (
        dig(aad, "managed"),
        dig(aad, "enableAzureRBAC"),
        r.inputs.get("enableRBAC"),
    )
    if any(is_unknown(v) for v in (aad, managed, azure_rbac, k8s_rbac)):
        return []
    missing = []
    if flag(k8s_rbac) is False:
        missing.append("Kubernetes RBAC is off (enableRBAC: false)")
    if not aad:
        missing.append("no Entra ID integration (aadProfile)")
    else:
        if flag(managed) is not True:
            missing.append(f"aadProfile.managed is {_state(managed)}")
        if flag(azure_rbac) is not True:
            missing.append(f"aadProfile.enableAzureRBAC is {_state(azure_rbac)}")
    if not missing:
        return []
    return [
        _v(
            "aks-entra-rbac",
            "medium",
            r,
            f"AKS cluster {r.name} does not use Entra ID with Azure RBAC: {'; '.join(missing)}.",
            "Set `aadProfile: {managed: true, enableAzureRBAC: true}` and keep `enableRBAC: true`.",
            "CKV_AZURE_5" if flag(k8s_rbac) is False else None,
        )
    ]


def aks_workload_identity(r: PlannedResource) -> list[Violation]:
    """An AKS cluster has its OIDC issuer and workload identity on (`oidcIssuerProfile.enabled`,
    `securityProfile.workloadIdentity.enabled`): pods get Entra tokens of their own through federated
    credentials instead of the node pool's kubelet identity or secrets in the cluster."""
    if r.type != AKS_CLUSTER:
        return []
    oidc = dig(r.inputs, "oidcIssuerProfile", "enabled")
    workload = dig(r.inputs, "securityProfile", "workloadIdentity", "enabled")
    if is_unknown(oidc) or is_unknown(workload) or is_unknown(r.inputs.get("securityProfile")):
        return []
    missing = []
    if flag(oidc) is not True:
        missing.append(f"oidcIssuerProfile.enabled is {_state(oidc)}")
    if flag(workload) is not True:
        missing.append(f"securityProfile.workloadIdentity.enabled is {_state(workload)}")
    if not missing:
        return []
    return [
        _v(
            "aks-workload-identity",
            "high",
            r,
            f"AKS cluster {r.name} has no workload identity for pods: {'; '.join(missing)}.",
            "Set `oidcIssuerProfile.enabled: true` and `securityProfile.workloadIdentity.enabled: true`.",
            None,
        )
    ]


def aks_kms_etcd(r: PlannedResource) -> list[Violation]:
    """An AKS cluster encrypts Kubernetes secrets in etcd with a Key Vault key of its own
    (`securityProfile.azureKeyVaultKms: {enabled: true, keyId}`): the key can be rotated, audited and
    revoked, unlike the platform-managed default. A cluster with no `securityProfile` at all has no KMS
    either, and is reported as such; only a profile or KMS block not known before create is left alone."""
    if r.type != AKS_CLUSTER:
        return []
    profile = r.inputs.get("securityProfile")
    kms = dig(profile, "azureKeyVaultKms")
    enabled, key = dig(kms, "enabled"), dig(kms, "keyId")
    if is_unknown(profile) or is_unknown(kms) or is_unknown(enabled):
        return []
    if flag(enabled) is True and key:
        return []
    if profile is None:
        why = "no securityProfile is set"
    elif flag(enabled) is True:
        why = "no keyId is named"
    else:
        why = f"securityProfile.azureKeyVaultKms.enabled is {_state(enabled)}"
    return [
        _v(
            "aks-kms-etcd",
            "medium",
            r,
            f"AKS cluster {r.name} does not encrypt Kubernetes secrets with a Key Vault key ({why}).",
            "Set `securityProfile.azureKeyVaultKms: {enabled: true, keyId: <key version URL>, "
            "keyVaultNetworkAccess: Private, keyVaultResourceId: <vault ID>}` and give the cluster's identity "
            "encrypt/decrypt on the key.",
            None,
        )
    ]


# -- storage -----------------------------------------------------------------------------------------------


def storage_public_access(r: PlannedResource) -> list[Violation]:
    """No blob in a storage account can be made public: the account does not allow public blob access
    (`allowBlobPublicAccess`, off by default since storage API 2023-01-01) and no container grants
    anonymous read (`publicAccess: Blob | Container`)."""
    if r.type == STORAGE_ACCOUNT and flag(r.inputs.get("allowBlobPublicAccess")) is True:
        return [
            _v(
                "azure-storage-public-access",
                "high",
                r,
                f"storage account {r.name} allows anonymous public access to its blobs (allowBlobPublicAccess: "
                "true).",
                "Set `allowBlobPublicAccess: false` and share data through Entra ID roles or SAS tokens.",
                "CKV_AZURE_190",
            )
        ]
    access = r.inputs.get("publicAccess")
    if r.type == BLOB_CONTAINER and isinstance(access, str) and access.lower() in ("blob", "container"):
        return [
            _v(
                "azure-storage-public-access",
                "high",
                r,
                f"blob container {r.name} grants anonymous read access (publicAccess: {access}).",
                "Set `publicAccess: None`.",
                "CKV_AZURE_34",
            )
        ]
    return []


def storage_tls(r: PlannedResource) -> list[Violation]:
    """A storage account refuses TLS older than 1.2 (`minimumTlsVersion: TLS1_2`); the API's default is
    TLS 1.0."""
    if r.type != STORAGE_ACCOUNT:
        return []
    value = r.inputs.get("minimumTlsVersion")
    if is_unknown(value) or value in TLS_OK:
        return []
    return [
        _v(
            "azure-storage-tls",
            "medium",
            r,
            f"storage account {r.name} accepts TLS older than 1.2 (minimumTlsVersion is "
            f"{value or 'not set: TLS1_0'}).",
            "Set `minimumTlsVersion: TLS1_2`.",
            "CKV_AZURE_44",
        )
    ]


def storage_https_only(r: PlannedResource) -> list[Violation]:
    """A storage account serves HTTPS only (`enableHttpsTrafficOnly`, the default since API 2019-04-01);
    reported when it is turned off."""
    if r.type != STORAGE_ACCOUNT or flag(r.inputs.get("enableHttpsTrafficOnly")) is not False:
        return []
    return [
        _v(
            "azure-storage-https-only",
            "high",
            r,
            f"storage account {r.name} accepts plain HTTP (enableHttpsTrafficOnly: false).",
            "Remove `enableHttpsTrafficOnly: false` (the default is true).",
            "CKV_AZURE_3",
        )
    ]


def _container_account(graph: ResourceGraph, ref: Any) -> str | None:
    """The storage account of the blob container `ref` names: from an ARM ID
    (`.../storageAccounts/ACCOUNT/blobServices/default/containers/NAME`), or from the BlobContainer of the
    graph whose ID it is (`<name>-id` in an offline plan) through its `accountName`."""
    if not isinstance(ref, str):
        return None
    parts = ref.split("/")
    for i, part in enumerate(parts[:-1]):
        if part.lower() == "storageaccounts":
            return parts[i + 1]
    for c in graph.resources:
        if c.type == BLOB_CONTAINER and ref in (c.name, f"{c.name}-id", c.id or None, c.inputs.get("name")):
            account = c.inputs.get("accountName")
            return account if isinstance(account, str) else None
    return None


def hsm_accounts(graph: ResourceGraph) -> tuple[set[str], bool]:
    """(the storage accounts an Azure Managed Lustre file system imports from or archives to through its
    HSM settings, whether some link could not be resolved: unknown before create)."""
    names: set[str] = set()
    unresolved = False
    for r in graph.resources:
        if r.type != MANAGED_LUSTRE:
            continue
        settings = dig(r.inputs, "hsm", "settings")
        for ref in (dig(settings, "container"), dig(settings, "loggingContainer")):
            if ref is None:
                continue
            account = None if is_unknown(ref) else _container_account(graph, ref)
            if account is None or is_unknown(account):
                unresolved = True
            else:
                names.add(account)
    return names, unresolved


def storage_shared_key(graph: ResourceGraph, _options: CheckOptions) -> list[Violation]:
    """A storage account refuses Shared Key authorization (`allowSharedKeyAccess: false`): the account keys
    and the SAS tokens signed with them grant full access with no identity behind them. Not reported for an
    account that an Azure Managed Lustre file system links through its HSM settings: the service signs SAS
    tokens on it ("The resource provider must have permission to create SAS tokens on the storage account",
    Microsoft.StorageCache/amlFilesystems template reference, read 2026-12-04). Low: a tool that still needs
    a key may need it on, on purpose."""
    linked, unresolved = hsm_accounts(graph)
    out = []
    for r in graph.resources:
        if r.type != STORAGE_ACCOUNT:
            continue
        value = r.inputs.get("allowSharedKeyAccess")
        if is_unknown(value) or flag(value) is False:
            continue
        names = {r.name, r.inputs.get("accountName")}
        if names & linked or unresolved:
            continue
        out.append(
            _v(
                "azure-storage-shared-key",
                "low",
                r,
                f"storage account {r.name} accepts Shared Key authorization (allowSharedKeyAccess is "
                f"{'true' if flag(value) is True else 'not set, which Azure treats as true'}).",
                "Set `allowSharedKeyAccess: false` and authorize with Entra ID (workload identity, managed "
                "identities); only an account linked to Azure Managed Lustre (HSM) needs it on.",
                None,
            )
        )
    return out


def key_vault_purge_protection(r: PlannedResource) -> list[Violation]:
    """A Key Vault keeps deleted keys recoverable: soft delete on (the default, which cannot be turned off
    on new vaults) and purge protection on (`properties.enablePurgeProtection`), so a deleted key that
    encrypts data (AKS etcd, storage) cannot be purged during its retention period."""
    if r.type != KEY_VAULT:
        return []
    props = r.inputs.get("properties")
    purge, soft = dig(props, "enablePurgeProtection"), dig(props, "enableSoftDelete")
    if is_unknown(props):
        return []
    out = []
    if flag(soft) is False:
        out.append(
            _v(
                "key-vault-purge-protection",
                "medium",
                r,
                f"Key Vault {r.name} turns soft delete off (properties.enableSoftDelete: false).",
                "Remove `enableSoftDelete: false`.",
                "CKV_AZURE_111",
            )
        )
    if not is_unknown(purge) and flag(purge) is not True:
        out.append(
            _v(
                "key-vault-purge-protection",
                "medium",
                r,
                f"Key Vault {r.name} lets deleted keys be purged at once (properties.enablePurgeProtection is "
                f"{_state(purge)}).",
                "Set `properties.enablePurgeProtection: true` (it cannot be turned off again).",
                "CKV_AZURE_110",
            )
        )
    return out


# -- network security groups -------------------------------------------------------------------------------


def _internet(source: Any) -> bool:
    return isinstance(source, str) and (source.strip().lower() in INTERNET_SOURCES or is_everywhere(source))


def nsg_open_ingress(r: PlannedResource) -> list[OpenIngress]:
    """The inbound Allow rules of an NSG (inline `securityRules`) or a standalone SecurityRule whose sources
    include the whole internet (`*`, `Internet`, a /0 CIDR)."""
    if r.type == NSG:
        rules = [
            (f"securityRules[{i}] {dig(rule, 'name') or ''}".rstrip(), rule)
            for i, rule in enumerate(items(r.inputs.get("securityRules")))
        ]
    elif r.type == NSG_RULE:
        rules = [("rule", r.inputs)]
    else:
        return []
    out = []
    for where, rule in rules:
        direction, access = str(dig(rule, "direction") or ""), str(dig(rule, "access") or "")
        if direction.lower() != "inbound" or access.lower() != "allow":
            continue
        sources = [dig(rule, "sourceAddressPrefix"), *items(dig(rule, "sourceAddressPrefixes"))]
        ports = [dig(rule, "destinationPortRange"), *items(dig(rule, "destinationPortRanges"))]
        protocol = str(dig(rule, "protocol") or "").lower()
        known = [p for p in ports if p is not None]
        if any(is_unknown(v) for v in [*sources, *known, protocol]) or not protocol:
            continue
        for source in sources:
            if _internet(source):
                out.append(
                    OpenIngress(
                        where,
                        str(source),
                        ALL_PROTOCOLS if protocol == "*" else protocol,
                        port_ranges(known),
                    )
                )
    return out


def nsg_open_admin_ingress(r: PlannedResource) -> list[Violation]:
    """No network security group admits the internet on SSH (22), RDP (3389) or every port. Reach nodes
    through Azure Bastion or `az aks command invoke` instead."""
    out = []
    for e in nsg_open_ingress(r):
        for port, what in e.admin_hits():
            out.append(
                _v(
                    "nsg-open-admin-ingress",
                    "high",
                    r,
                    f"network security group {r.name} ({e.where}) admits {e.source} on {what} ({e.protocol}).",
                    "Set the rule's source to your own CIDRs or service tags (not `*` or `Internet`), or remove "
                    "it and use Azure Bastion.",
                    ADMIN_CHECKOV.get(port) if port is not None else None,
                )
            )
    return out


def nsg_open_ingress_other(r: PlannedResource) -> list[Violation]:
    """No network security group admits the internet on any other port either: a public service goes
    behind a load balancer or Application Gateway with its own rules."""
    return [
        _v(
            "nsg-open-ingress",
            "medium",
            r,
            f"network security group {r.name} ({e.where}) admits {e.source} on {e.describe_ports()} "
            f"({e.protocol}).",
            "Set the rule's source to the CIDRs or service tags that need it.",
            HTTP_CHECKOV if e.covers(80) else None,
        )
        for e in nsg_open_ingress(r)
        if not e.every_port and not e.admin_ports()
    ]
