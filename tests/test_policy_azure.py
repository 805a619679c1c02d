"""The Azure guardrail rules (policy/azure.py): a compliant AKS cluster, storage account, blob container, Key
Vault, Managed Lustre file system, network security group and security rule, built with pulumi_azure_native
under the recording mocks, pass every rule; the hand-written inputs the variants start from are exactly what
that SDK sends; and each non-compliant variant fails its rule with the message a user reads."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aiinfra.engine.graph import PlannedResource, ResourceGraph, make_urn
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy import RULES_BY_ID, check_graph
from aiinfra.policy.model import CheckOptions, Violation
from tests.conftest import plan

AKS = "azure-native:containerservice:ManagedCluster"
STORAGE = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"
VAULT = "azure-native:keyvault:Vault"
NSG = "azure-native:network:NetworkSecurityGroup"
RULE = "azure-native:network:SecurityRule"
AMLFS = "azure-native:storagecache:AmlFilesystem"
DROP = object()
"""A variant's value that removes the input."""

KMS = {
    "enabled": True,
    "keyId": "https://kv.vault.azure.net/keys/etcd/0123456789abcdef",
    "keyVaultNetworkAccess": "Private",
    "keyVaultResourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
}
COMPLIANT: dict[str, tuple[str, dict[str, Any]]] = {
    "aks": (
        AKS,
        {
            "resourceGroupName": "rg",
            "location": "eastus",
            "dnsPrefix": "train",
            "enableRBAC": True,
            "apiServerAccessProfile": {"enablePrivateCluster": True},
            "disableLocalAccounts": True,
            "aadProfile": {"managed": True, "enableAzureRBAC": True},
            "oidcIssuerProfile": {"enabled": True},
            "securityProfile": {"workloadIdentity": {"enabled": True}, "azureKeyVaultKms": KMS},
        },
    ),
    "data": (
        STORAGE,
        {
            "resourceGroupName": "rg",
            "kind": "StorageV2",
            "sku": {"name": "Standard_ZRS"},
            "allowBlobPublicAccess": False,
            "minimumTlsVersion": "TLS1_2",
            "enableHttpsTrafficOnly": True,
            "allowSharedKeyAccess": False,
        },
    ),
    "datasets": (CONTAINER, {"resourceGroupName": "rg", "accountName": "data", "publicAccess": "None"}),
    "kv": (
        VAULT,
        {
            "resourceGroupName": "rg",
            "properties": {
                "tenantId": "00000000-0000-0000-0000-000000000000",
                "sku": {"family": "A", "name": "standard"},
                "enableRbacAuthorization": True,
                "enableSoftDelete": True,
                "softDeleteRetentionInDays": 90,
                "enablePurgeProtection": True,
            },
        },
    ),
    "scratch": (
        AMLFS,
        {
            "resourceGroupName": "rg",
            "sku": {"name": "AMLFS-Durable-Premium-250"},
            "storageCapacityTiB": 8,
            "filesystemSubnet": "lustre-subnet",
            "maintenanceWindow": {"dayOfWeek": "Sunday", "timeOfDayUTC": "02:00"},
            "zones": ["1"],
        },
    ),
    "nodes": (
        NSG,
        {
            "resourceGroupName": "rg",
            "securityRules": [
                {
                    "name": "vnet-ssh",
                    "access": "Allow",
                    "direction": "Inbound",
                    "protocol": "Tcp",
                    "priority": 100,
                    "sourceAddressPrefix": "VirtualNetwork",
                    "sourcePortRange": "*",
                    "destinationAddressPrefix": "*",
                    "destinationPortRange": "22",
                },
                {
                    "name": "deny-internet",
                    "access": "Deny",
                    "direction": "Inbound",
                    "protocol": "*",
                    "priority": 4000,
                    "sourceAddressPrefix": "Internet",
                    "sourcePortRange": "*",
                    "destinationAddressPrefix": "*",
                    "destinationPortRange": "*",
                },
            ],
        },
    ),
    "lustre-in": (
        RULE,
        {
            "resourceGroupName": "rg",
            "networkSecurityGroupName": "nodes",
            "access": "Allow",
            "direction": "Inbound",
            "protocol": "Tcp",
            "priority": 110,
            "sourceAddressPrefixes": ["10.40.0.0/16"],
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRanges": ["988", "1019-1023"],
        },
    ),
}
DATA = ("data", "datasets", "scratch")


def compliant_program() -> None:
    """The COMPLIANT resources written as a user writes them with pulumi_azure_native."""
    import pulumi
    import pulumi_azure_native as az

    keep = pulumi.ResourceOptions(protect=True, retain_on_delete=True)
    az.containerservice.ManagedCluster(
        "aks",
        resource_group_name="rg",
        location="eastus",
        dns_prefix="train",
        enable_rbac=True,
        api_server_access_profile={"enable_private_cluster": True},
        disable_local_accounts=True,
        aad_profile={"managed": True, "enable_azure_rbac": True},
        oidc_issuer_profile={"enabled": True},
        security_profile={
            "workload_identity": {"enabled": True},
            "azure_key_vault_kms": {
                "enabled": True,
                "key_id": KMS["keyId"],
                "key_vault_network_access": "Private",
                "key_vault_resource_id": KMS["keyVaultResourceId"],
            },
        },
    )
    az.storage.StorageAccount(
        "data",
        resource_group_name="rg",
        kind="StorageV2",
        sku={"name": "Standard_ZRS"},
        allow_blob_public_access=False,
        minimum_tls_version="TLS1_2",
        enable_https_traffic_only=True,
        allow_shared_key_access=False,
        opts=keep,
    )
    az.storage.BlobContainer(
        "datasets", resource_group_name="rg", account_name="data", public_access="None", opts=keep
    )
    az.keyvault.Vault(
        "kv",
        resource_group_name="rg",
        properties={
            "tenant_id": "00000000-0000-0000-0000-000000000000",
            "sku": {"family": "A", "name": "standard"},
            "enable_rbac_authorization": True,
            "enable_soft_delete": True,
            "soft_delete_retention_in_days": 90,
            "enable_purge_protection": True,
        },
    )
    az.storagecache.AmlFilesystem(
        "scratch",
        resource_group_name="rg",
        sku={"name": "AMLFS-Durable-Premium-250"},
        storage_capacity_ti_b=8,
        filesystem_subnet="lustre-subnet",
        maintenance_window={"day_of_week": "Sunday", "time_of_day_utc": "02:00"},
        zones=["1"],
        opts=keep,
    )
    common = {"source_port_range": "*", "destination_address_prefix": "*"}
    az.network.NetworkSecurityGroup(
        "nodes",
        resource_group_name="rg",
        security_rules=[
            {
                "name": "vnet-ssh",
                "access": "Allow",
                "direction": "Inbound",
                "protocol": "Tcp",
                "priority": 100,
                "source_address_prefix": "VirtualNetwork",
                "destination_port_range": "22",
                **common,
            },
            {
                "name": "deny-internet",
                "access": "Deny",
                "direction": "Inbound",
                "protocol": "*",
                "priority": 4000,
                "source_address_prefix": "Internet",
                "destination_port_range": "*",
                **common,
            },
        ],
    )
    az.network.SecurityRule(
        "lustre-in",
        resource_group_name="rg",
        network_security_group_name="nodes",
        access="Allow",
        direction="Inbound",
        protocol="Tcp",
        priority=110,
        source_address_prefixes=["10.40.0.0/16"],
        destination_port_ranges=["988", "1019-1023"],
        **common,
    )


@pytest.fixture(scope="module")
def planned() -> ResourceGraph:
    return plan(compliant_program, region="eastus")


def test_the_hand_written_inputs_are_exactly_what_pulumi_azure_native_sends(planned: ResourceGraph) -> None:
    assert sorted(
        r.name for r in planned.resources if r.custom and r.type.startswith("azure-native:")
    ) == sorted(COMPLIANT)
    for name, (type_, inputs) in COMPLIANT.items():
        assert planned.get(type_, name).inputs == inputs, (
            f"{name}: the variants below start from these inputs, so they must be the SDK's camelCase shape"
        )


def test_the_compliant_resources_pass_every_rule(planned: ResourceGraph) -> None:
    report = check_graph(planned)
    assert report.violations == [], [v.message for v in report.violations]
    assert report.resources_checked == len(COMPLIANT)


# -- variants ----------------------------------------------------------------------------------------------


def res(name: str, *changes: tuple[str, Any], protect: bool = True) -> PlannedResource:
    """The compliant resource `name` with `changes` applied: ("a.b", value) sets a nested input (a number
    step indexes a list), DROP removes it."""
    type_, base = COMPLIANT[name]
    inputs = copy.deepcopy(base)
    for path, value in changes:
        *parents, last = path.split(".")
        node: Any = inputs
        for step in parents:
            node = node[int(step)] if step.isdigit() else node.setdefault(step, {})
        if value is DROP:
            node.pop(last, None)
        else:
            node[last] = value
    return PlannedResource(
        type_, name, make_urn("test", "aiinfra", type_, name), None, inputs, True, protect, protect
    )


def check(rule_id: str, r: PlannedResource | ResourceGraph) -> list[Violation]:
    """The rule on one resource (a graph rule: on a graph of that resource), or a graph rule on a graph."""
    rule = RULES_BY_ID[rule_id]
    if rule.kind == "graph":
        graph = r if isinstance(r, ResourceGraph) else ResourceGraph("test", "aiinfra", [r])
        found = rule.check(graph, CheckOptions())  # type: ignore[call-arg,arg-type]
        return found
    found = rule.check(r)  # type: ignore[call-arg,arg-type]
    assert isinstance(r, PlannedResource)
    assert all(v.rule_id == rule_id and v.severity == rule.severity for v in found), found
    assert all(v.resource == r.name and v.type == r.type and v.urn == r.urn and v.fix for v in found), found
    return found


def open_rule(*changes: tuple[str, Any]) -> PlannedResource:
    """The standalone rule `lustre-in`, from the internet."""
    return res("lustre-in", ("sourceAddressPrefixes", DROP), *changes)


def hsm(account: PlannedResource, container_ref: Any, logs_ref: Any = "logs-id") -> ResourceGraph:
    """`account` with a container, a logging container and a Managed Lustre file system whose HSM settings
    link them (the references as an offline plan gives them, `<name>-id`, or as ARM IDs)."""
    logs_inputs = {"accountName": "acct", "publicAccess": "None"}
    logs = PlannedResource(
        CONTAINER, "logs", make_urn("test", "aiinfra", CONTAINER, "logs"), None, logs_inputs, True, True, True
    )
    data = res("datasets", ("accountName", "acct"))
    fs = res("scratch", ("hsm", {"settings": {"container": container_ref, "loggingContainer": logs_ref}}))
    return ResourceGraph("test", "aiinfra", [account, data, logs, fs])


KEYED = res("data", ("allowSharedKeyAccess", True), ("accountName", "acct"))
ARM_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{}/blobServices/default/containers/c"

Case = tuple[str, PlannedResource | ResourceGraph, list[str]]

FAILING: dict[str, list[Case]] = {
    "aks-private-cluster": [
        (
            "public with no authorized ranges",
            res("aks", ("apiServerAccessProfile", DROP)),
            [
                "AKS cluster aks has a public API server that lists no authorizedIPRanges, so it admits every address."
            ],
        ),
        (
            "public to 0.0.0.0/0",
            res(
                "aks",
                (
                    "apiServerAccessProfile",
                    {"enablePrivateCluster": False, "authorizedIPRanges": ["0.0.0.0/0"]},
                ),
            ),
            ["AKS cluster aks has a public API server that admits 0.0.0.0/0."],
        ),
    ],
    "aks-local-accounts": [
        (
            "not set",
            res("aks", ("disableLocalAccounts", DROP)),
            ["AKS cluster aks keeps its local cluster-admin account (disableLocalAccounts is not set)."],
        ),
        (
            "false",
            res("aks", ("disableLocalAccounts", False)),
            ["AKS cluster aks keeps its local cluster-admin account (disableLocalAccounts is false)."],
        ),
    ],
    "aks-entra-rbac": [
        (
            "no Entra ID",
            res("aks", ("aadProfile", DROP)),
            ["AKS cluster aks does not use Entra ID with Azure RBAC: no Entra ID integration (aadProfile)."],
        ),
        (
            "Entra ID with Kubernetes RBAC only",
            res("aks", ("aadProfile.enableAzureRBAC", False)),
            ["AKS cluster aks does not use Entra ID with Azure RBAC: aadProfile.enableAzureRBAC is false."],
        ),
        (
            "Kubernetes RBAC off",
            res("aks", ("enableRBAC", False)),
            [
                "AKS cluster aks does not use Entra ID with Azure RBAC: Kubernetes RBAC is off (enableRBAC: false)."
            ],
        ),
    ],
    "aks-workload-identity": [
        (
            "neither OIDC issuer nor workload identity",
            res("aks", ("oidcIssuerProfile", DROP), ("securityProfile.workloadIdentity", DROP)),
            [
                "AKS cluster aks has no workload identity for pods: oidcIssuerProfile.enabled is not set; "
                "securityProfile.workloadIdentity.enabled is not set."
            ],
        ),
        (
            "an OIDC issuer without workload identity",
            res("aks", ("securityProfile.workloadIdentity.enabled", False)),
            [
                "AKS cluster aks has no workload identity for pods: securityProfile.workloadIdentity.enabled is "
                "false."
            ],
        ),
    ],
    "aks-kms-etcd": [
        (
            "no KMS",
            res("aks", ("securityProfile.azureKeyVaultKms", DROP)),
            [
                "AKS cluster aks does not encrypt Kubernetes secrets with a Key Vault key "
                "(securityProfile.azureKeyVaultKms.enabled is not set)."
            ],
        ),
        (
            "enabled without a key",
            res("aks", ("securityProfile.azureKeyVaultKms", {"enabled": True})),
            ["AKS cluster aks does not encrypt Kubernetes secrets with a Key Vault key (no keyId is named)."],
        ),
    ],
    "azure-storage-public-access": [
        (
            "an account that allows public blobs",
            res("data", ("allowBlobPublicAccess", True)),
            [
                "storage account data allows anonymous public access to its blobs (allowBlobPublicAccess: true)."
            ],
        ),
        (
            "a container readable by anyone",
            res("datasets", ("publicAccess", "Container")),
            ["blob container datasets grants anonymous read access (publicAccess: Container)."],
        ),
    ],
    "azure-storage-tls": [
        (
            "TLS 1.0 by default",
            res("data", ("minimumTlsVersion", DROP)),
            ["storage account data accepts TLS older than 1.2 (minimumTlsVersion is not set: TLS1_0)."],
        ),
        (
            "TLS 1.1",
            res("data", ("minimumTlsVersion", "TLS1_1")),
            ["storage account data accepts TLS older than 1.2 (minimumTlsVersion is TLS1_1)."],
        ),
    ],
    "azure-storage-https-only": [
        (
            "HTTP allowed",
            res("data", ("enableHttpsTrafficOnly", False)),
            ["storage account data accepts plain HTTP (enableHttpsTrafficOnly: false)."],
        )
    ],
    "azure-storage-shared-key": [
        (
            "not set",
            res("data", ("allowSharedKeyAccess", DROP)),
            [
                "storage account data accepts Shared Key authorization (allowSharedKeyAccess is not set, which "
                "Azure treats as true)."
            ],
        ),
        (
            "true",
            res("data", ("allowSharedKeyAccess", True)),
            ["storage account data accepts Shared Key authorization (allowSharedKeyAccess is true)."],
        ),
        (
            "true, while Managed Lustre links another account",
            hsm(KEYED, ARM_ID.format("other"), ARM_ID.format("other")),
            ["storage account data accepts Shared Key authorization (allowSharedKeyAccess is true)."],
        ),
    ],
    "key-vault-purge-protection": [
        (
            "no purge protection",
            res("kv", ("properties.enablePurgeProtection", DROP)),
            [
                "Key Vault kv lets deleted keys be purged at once (properties.enablePurgeProtection is not set)."
            ],
        ),
        (
            "soft delete off",
            res("kv", ("properties.enableSoftDelete", False)),
            ["Key Vault kv turns soft delete off (properties.enableSoftDelete: false)."],
        ),
    ],
    "storage-deletion-protection": [
        (
            f"an unprotected {name}",
            res(name, protect=False),
            [
                f"{name} holds data but has neither `protect` nor `retainOnDelete`: a replace or destroy deletes it."
            ],
        )
        for name in DATA
    ],
    "nsg-open-admin-ingress": [
        (
            "SSH from the Internet service tag, inline",
            res("nodes", ("securityRules.0.sourceAddressPrefix", "Internet")),
            [
                "network security group nodes (securityRules[0] vnet-ssh) admits Internet on port 22 (SSH) (tcp)."
            ],
        ),
        (
            "every port from *",
            open_rule(("sourceAddressPrefix", "*"), ("destinationPortRanges", ["*"]), ("protocol", "*")),
            ["network security group lustre-in (rule) admits * on every port (all)."],
        ),
        (
            "RDP inside a range from 0.0.0.0/0",
            open_rule(("sourceAddressPrefixes", ["0.0.0.0/0"]), ("destinationPortRanges", ["3000-4000"])),
            ["network security group lustre-in (rule) admits 0.0.0.0/0 on port 3389 (RDP) (tcp)."],
        ),
    ],
    "nsg-open-ingress": [
        (
            "the Lustre ports from the Internet",
            open_rule(("sourceAddressPrefix", "Internet")),
            ["network security group lustre-in (rule) admits Internet on ports 988, 1019-1023 (tcp)."],
        ),
        (
            "HTTP from any protocol",
            open_rule(("sourceAddressPrefix", "*"), ("protocol", "*"), ("destinationPortRanges", ["80"])),
            ["network security group lustre-in (rule) admits * on port 80 (all)."],
        ),
    ],
}


PASSING: dict[str, list[tuple[str, PlannedResource | ResourceGraph]]] = {
    "aks-private-cluster": [
        ("private", res("aks")),
        (
            "public to one listed range",
            res("aks", ("apiServerAccessProfile", {"authorizedIPRanges": ["203.0.113.0/24"]})),
        ),
        ("unknown until created", res("aks", ("apiServerAccessProfile.enablePrivateCluster", UNKNOWN))),
    ],
    "aks-local-accounts": [("disabled", res("aks"))],
    "aks-entra-rbac": [
        ("Entra ID with Azure RBAC", res("aks")),
        ("unknown", res("aks", ("aadProfile", UNKNOWN))),
    ],
    "aks-workload-identity": [("on", res("aks"))],
    "aks-kms-etcd": [
        ("a Key Vault key", res("aks")),
        ("unknown", res("aks", ("securityProfile", UNKNOWN))),
        ("a KMS block not known before create", res("aks", ("securityProfile.azureKeyVaultKms", UNKNOWN))),
        (
            "a public vault (an Extended Zone site's)",
            res(
                "aks",
                ("securityProfile.azureKeyVaultKms.keyVaultNetworkAccess", "Public"),
                ("securityProfile.azureKeyVaultKms.keyVaultResourceId", DROP),
            ),
        ),
    ],
    "azure-storage-public-access": [
        ("off", res("data")),
        ("left to the API default (off)", res("data", ("allowBlobPublicAccess", DROP))),
        ("a private container", res("datasets")),
    ],
    "azure-storage-tls": [("TLS 1.2", res("data")), ("unknown", res("data", ("minimumTlsVersion", UNKNOWN)))],
    "azure-storage-https-only": [
        ("on", res("data")),
        ("left to the API default (on)", res("data", ("enableHttpsTrafficOnly", DROP))),
    ],
    "azure-storage-shared-key": [
        ("off", res("data")),
        ("on for Managed Lustre's HSM link (offline-plan IDs)", hsm(KEYED, "datasets-id")),
        (
            "on for Managed Lustre's HSM link (ARM IDs)",
            hsm(KEYED, ARM_ID.format("acct"), ARM_ID.format("acct")),
        ),
        ("a link not known before create", hsm(KEYED, UNKNOWN)),
    ],
    "key-vault-purge-protection": [
        ("on", res("kv")),
        ("soft delete left to its default (on)", res("kv", ("properties.enableSoftDelete", DROP))),
    ],
    "storage-deletion-protection": [(f"a protected {name}", res(name)) for name in DATA],
    "nsg-open-admin-ingress": [
        ("SSH from the VNet, Internet denied", res("nodes")),
        ("an outbound rule to anywhere", open_rule(("direction", "Outbound"), ("sourceAddressPrefix", "*"))),
        (
            "a Deny from the Internet",
            open_rule(
                ("access", "Deny"), ("sourceAddressPrefix", "Internet"), ("destinationPortRanges", ["22"])
            ),
        ),
        ("an unknown source", open_rule(("sourceAddressPrefix", UNKNOWN), ("destinationPortRanges", ["22"]))),
    ],
    "nsg-open-ingress": [
        ("from the VNet", res("lustre-in")),
        (
            "SSH from the Internet (the admin rule's finding)",
            open_rule(("sourceAddressPrefix", "Internet"), ("destinationPortRanges", ["22"])),
        ),
    ],
}


def cases_failing() -> list[Any]:
    return [
        pytest.param(rule_id, r, expected, id=f"{rule_id}: {label}")
        for rule_id, rows in FAILING.items()
        for label, r, expected in rows
    ]


def cases_passing() -> list[Any]:
    return [
        pytest.param(rule_id, r, id=f"{rule_id}: {label}")
        for rule_id, rows in PASSING.items()
        for label, r in rows
    ]


@pytest.mark.parametrize(("rule_id", "r", "expected"), cases_failing())
def test_a_non_compliant_variant_fails_its_rule_with_the_message(
    rule_id: str, r: PlannedResource | ResourceGraph, expected: list[str]
) -> None:
    assert [v.message for v in check(rule_id, r)] == expected


@pytest.mark.parametrize(("rule_id", "r"), cases_passing())
def test_a_compliant_variant_passes(rule_id: str, r: PlannedResource | ResourceGraph) -> None:
    assert check(rule_id, r) == []


def test_each_variant_fails_only_the_rule_it_breaks() -> None:
    for rule_id, rows in FAILING.items():
        for label, r, _ in rows:
            graph = r if isinstance(r, ResourceGraph) else ResourceGraph("test", "aiinfra", [r])
            found = {v.rule_id for v in check_graph(graph).violations}
            assert found == {rule_id}, f"{rule_id} / {label}: {found}"


@pytest.mark.parametrize(
    ("profile", "why"),
    [
        (DROP, "no securityProfile is set"),
        ({}, "securityProfile.azureKeyVaultKms.enabled is not set"),
    ],
    ids=["no security profile at all", "an empty security profile"],
)
def test_a_cluster_without_a_security_profile_is_reported_as_having_no_kms(profile: Any, why: str) -> None:
    # Not a FAILING row: without a security profile workload identity is off too (its own rule).
    r = res("aks", ("securityProfile", profile))
    assert [v.message for v in check("aks-kms-etcd", r)] == [
        f"AKS cluster aks does not encrypt Kubernetes secrets with a Key Vault key ({why})."
    ], "no KMS at all is the worst case, never skipped"
    assert {v.rule_id for v in check_graph(ResourceGraph("test", "aiinfra", [r])).violations} == {
        "aks-kms-etcd",
        "aks-workload-identity",
    }


def test_the_checkov_ids_name_the_port_or_setting_found() -> None:
    ssh, every, rdp = (r for _, r, _ in FAILING["nsg-open-admin-ingress"])
    assert [v.checkov for v in check("nsg-open-admin-ingress", ssh)] == ["CKV_AZURE_10"]
    assert [v.checkov for v in check("nsg-open-admin-ingress", rdp)] == ["CKV_AZURE_9"]
    assert [v.checkov for v in check("nsg-open-admin-ingress", every)] == [None]
    lustre, http = (r for _, r, _ in FAILING["nsg-open-ingress"])
    assert [v.checkov for v in check("nsg-open-ingress", http)] == ["CKV_AZURE_160"]
    assert [v.checkov for v in check("nsg-open-ingress", lustre)] == [None]
    purge, soft = (r for _, r, _ in FAILING["key-vault-purge-protection"])
    assert [v.checkov for v in check("key-vault-purge-protection", purge)] == ["CKV_AZURE_110"]
    assert [v.checkov for v in check("key-vault-purge-protection", soft)] == ["CKV_AZURE_111"]
    container = FAILING["azure-storage-public-access"][1][1]
    assert [v.checkov for v in check("azure-storage-public-access", container)] == ["CKV_AZURE_34"]


def test_an_icmp_rule_from_the_internet_is_reported_without_ports() -> None:
    icmp = open_rule(
        ("sourceAddressPrefix", "Internet"), ("protocol", "Icmp"), ("destinationPortRanges", ["*"])
    )
    assert check("nsg-open-admin-ingress", icmp) == [], "ICMP opens no port"
    assert [v.message for v in check("nsg-open-ingress", icmp)] == [
        "network security group lustre-in (rule) admits Internet on ICMP (icmp)."
    ]


def test_the_rules_do_not_read_resources_of_other_types() -> None:
    for rule_id, rows in FAILING.items():
        rule = RULES_BY_ID[rule_id]
        for _, r, _ in rows:
            if isinstance(r, ResourceGraph):
                continue
            other = PlannedResource("aws:s3/bucket:Bucket", r.name, r.urn, None, r.inputs, True, True, True)
            assert check(rule_id, other) == [], f"{rule_id} reads only {rule.types or 'storage accounts'}"
