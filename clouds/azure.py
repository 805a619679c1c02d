"""Azure: what the Azure components build (and not), where an `azure-native:` (or classic `azure:`) resource
lives, the capacity reservation and Azure Managed Lustre (AMLFS) facts its spec checks use, offline-plan
answers (client config, AKS user credentials, what the provider computes on create), and the spend
`destroy` cannot take back."""

from __future__ import annotations

import base64
import ipaddress
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from aiinfra.clouds.base import (
    CloudProfile,
    EdgeLocationLike,
    EdgeSiteLike,
    Invoke,
    MachineLike,
    Problem,
    ResourceLike,
    StorageLike,
    reservation_given_without_reserved_capacity,
    stepped_size_problem,
)
from aiinfra.clouds.limits import Limits

CAPACITY_RESERVATION_DOC = "https://learn.microsoft.com/azure/virtual-machines/capacity-reservation-overview"
AMLFS_DOC = "https://learn.microsoft.com/azure/azure-managed-lustre/amlfs-prerequisites"

# An AKS agent pool takes a capacity reservation group by its ARM ID (capacityReservationGroupID).
CAPACITY_RESERVATION_GROUP_ID = re.compile(
    r"^/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"/resourceGroups/[-\w.()]{1,90}/providers/Microsoft\.Compute/capacityReservationGroups/[-\w.]{1,80}$",
    re.IGNORECASE,
)

# Azure's InfiniBand RDMA network on ND sizes uses 172.16.0.0/16 inside the VM; a VNet (or a pod or service
# range) that overlaps it breaks RDMA ("Set up InfiniBand", learn.microsoft.com/azure/virtual-machines/
# setup-infiniband, read 2026-12-04; Azure/aks-rdma-infiniband @700dabb).
RDMA_RESERVED = ipaddress.IPv4Network("172.16.0.0/16")
VNET_MIN_PREFIX, VNET_MAX_PREFIX = 16, 20
"""The VNet sizes components/azure/rules.py `plan_vnet` splits into the cluster's subnets."""

TIB = 1024
# AMLFS-Durable-Premium-<MB/s per TiB> SKUs: (minimum, maximum, step) in TiB (AMLFS_DOC;
# /work/shared/reference/azure-aks-nd-ib.md §3). Larger maximums only through support.
AMLFS_SKUS: dict[int, tuple[int, int, int]] = {
    40: (48, 768, 48),
    125: (16, 128, 16),
    250: (8, 128, 8),
    500: (4, 128, 4),
}
AMLFS_DEFAULT_THROUGHPUT = 250

# Azure Files premium (SSD, provisioned v1) shares, which `kind: file` becomes: 100 GiB to 100 TiB in 1 GiB
# steps, billed by provisioned size. https://learn.microsoft.com/azure/storage/files/storage-files-scale-targets
# and https://learn.microsoft.com/azure/storage/files/understanding-billing (read 2026-12-04).
AZURE_FILES_DOC = "https://learn.microsoft.com/azure/storage/files/storage-files-scale-targets"
AZURE_FILES_PREMIUM_MIN_GIB = 100
AZURE_FILES_PREMIUM_MAX_GIB = 102400


_RESERVATION_USERS = (
    "azure-native:containerservice:AgentPool",
    "azure-native:containerservice:ManagedCluster",
)


def _reservation_groups(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(where, group ID) for each capacity reservation group an AKS pool or cluster's inline pools use."""
    found = []
    if isinstance(inputs.get("capacityReservationGroupID"), str):
        found.append(("", str(inputs["capacityReservationGroupID"])))
    for profile in inputs.get("agentPoolProfiles") or []:
        if isinstance(profile, dict) and isinstance(profile.get("capacityReservationGroupID"), str):
            found.append((f", pool {profile.get('name', '?')}", str(profile["capacityReservationGroupID"])))
    return found


def capacity_reservation_problem(reservation: str) -> str | None:
    """Why `reservation` is not a capacity reservation group ID, or None."""
    if CAPACITY_RESERVATION_GROUP_ID.fullmatch(reservation):
        return None
    return f"'{reservation}' is not an Azure capacity reservation group ID."


def amlfs_size_problem(
    capacity_gib: int, throughput_mbps_per_tib: int = AMLFS_DEFAULT_THROUGHPUT
) -> str | None:
    """Why `capacity_gib` is not a size the AMLFS SKU of this throughput takes, or None."""
    lo, hi, step = AMLFS_SKUS[throughput_mbps_per_tib]
    return stepped_size_problem(
        capacity_gib,
        service=f"Azure Managed Lustre AMLFS-Durable-Premium-{throughput_mbps_per_tib}",
        minimum=lo * TIB,
        step=step * TIB,
        maximum=hi * TIB,
    )


def file_share_problems(capacity_gib: int | None) -> list[Problem]:
    """An Azure Files premium share's size: required (it is what is billed) and within the service's range."""
    if capacity_gib is None:
        return [
            Problem(
                "capacityGiB",
                "an Azure Files premium share needs a size (it is billed by provisioned GiB).",
                f"Set capacityGiB: 1024 ({AZURE_FILES_PREMIUM_MIN_GIB} to {AZURE_FILES_PREMIUM_MAX_GIB}).",
            )
        ]
    if AZURE_FILES_PREMIUM_MIN_GIB <= capacity_gib <= AZURE_FILES_PREMIUM_MAX_GIB:
        return []
    nearest = min(max(capacity_gib, AZURE_FILES_PREMIUM_MIN_GIB), AZURE_FILES_PREMIUM_MAX_GIB)
    return [
        Problem(
            "capacityGiB",
            f"{capacity_gib} GiB is not a size of an Azure Files premium share: it takes "
            f"{AZURE_FILES_PREMIUM_MIN_GIB} to {AZURE_FILES_PREMIUM_MAX_GIB} GiB.",
            f"Set capacityGiB: {nearest}.",
        )
    ]


SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000005"
"""The subscription an offline plan pretends to run in."""
TENANT_ID = "00000000-0000-0000-0000-00000000007e"


def _client_config(_region: str, _args: dict[str, Any]) -> dict[str, Any]:
    return {
        "clientId": "00000000-0000-0000-0000-00000000c11e",
        "objectId": "00000000-0000-0000-0000-0000000000b1",
        "subscriptionId": SUBSCRIPTION_ID,
        "tenantId": TENANT_ID,
    }


def extended_zone_problems(site: EdgeSiteLike, region: str) -> list[Problem]:
    """What an Extended Zone site cannot take: it is its own AKS cluster (nodes in the zone, control plane in
    the parent region); an agent pool of a regional cluster cannot be placed in a zone."""
    problems: list[Problem] = []
    if site.cluster is not None:
        problems.append(
            Problem(
                "cluster",
                f"an Extended Zone site is its own AKS cluster (its control plane in {region}, its nodes in "
                f"{site.location}); a regional cluster's node pools cannot be placed in an Extended Zone.",
                "Remove cluster.",
            )
        )
    if site.local_cluster:
        problems.append(Problem("localCluster", "localCluster is for AWS Outposts.", "Remove localCluster."))
    return problems


def extended_zone_registrations(resources: Iterable[ResourceLike]) -> list[str]:
    """What deleting an Extended Zone site does not undo: the subscription's registration for the zone."""
    zones = {
        str(where["name"])
        for r in resources
        if r.type == "azure-native:containerservice:ManagedCluster"
        and isinstance(where := r.inputs.get("extendedLocation"), dict)
        and str(where.get("type", "")).lower() == "edgezone"
        and where.get("name")
    }
    return [
        f"Extended Zone {zone}: the subscription stays registered for it "
        f"(`az edge-zones extended-zone unregister --extended-zone-name {zone}` undoes it)"
        for zone in sorted(zones)
    ]


def _service_principal(_region: str, args: dict[str, Any]) -> dict[str, Any]:
    """An Entra ID service principal by its application (client) ID: a stable stand-in object ID."""
    client_id = str(args.get("clientId") or args.get("displayName") or "unknown")
    object_id = _guid(f"service-principal/{client_id}", 2)
    return {
        "id": f"/servicePrincipals/{object_id}",
        "objectId": object_id,
        "clientId": client_id,
        "displayName": args.get("displayName") or client_id,
        "accountEnabled": True,
        "type": "Application",
    }


def _user_credentials(region: str, args: dict[str, Any]) -> dict[str, Any]:
    """An AKS user kubeconfig as the API returns it (base64, exec format with kubelogin), for a private
    cluster's API server in `region`. JSON is YAML, so the kubeconfig is written as JSON."""
    cluster = str(args.get("resourceName") or "aks")
    server = f"https://{cluster}-offline.privatelink.{region}.azmk8s.io:443"
    kubeconfig = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": cluster, "cluster": {"server": server, "certificate-authority-data": "TU9DSy1DQQ=="}}
        ],
        "contexts": [{"name": cluster, "context": {"cluster": cluster, "user": f"clusterUser_{cluster}"}}],
        "current-context": cluster,
        "users": [
            {
                "name": f"clusterUser_{cluster}",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "kubelogin",
                        "args": ["get-token", "--login", "devicecode", "--server-id", "offline"],
                    }
                },
            }
        ],
    }
    value = base64.b64encode(json.dumps(kubeconfig).encode()).decode()
    return {"kubeconfigs": [{"name": "clusterUser", "value": value}]}


def _guid(name: str, group: int) -> str:
    """A stable GUID-shaped ID for an offline resource (Python's hash() changes between runs)."""
    return f"00000000-0000-0000-{group:04d}-{zlib.crc32(name.encode()):012d}"


def _name(type_token: str, name: str, inputs: Mapping[str, Any]) -> str:
    """The resource's Azure name, as the provider reports it: the explicit name input where there is one
    (the last part of its ARM_PATHS row, `accountName` of a StorageAccount; else `<type>Name`: the
    `resourceGroupName` of a ResourceGroup, `vaultName` of a Vault, ...), else the logical name."""
    kind = type_token.rsplit(":", 1)[-1]
    path = ARM_PATHS.get(type_token, "")
    own_key = path.rsplit("{", 1)[-1].rstrip("}") if path.endswith("}") else ""
    for key in (
        *((own_key,) if own_key else ()),
        f"{kind[:1].lower()}{kind[1:]}Name",
        *(("resourceName",) if kind in _NAMED_BY_RESOURCE_NAME else ()),
    ):
        if isinstance(inputs.get(key), str):
            return str(inputs[key])
    return name


_NAMED_BY_RESOURCE_NAME = ("ManagedCluster", "UserAssignedIdentity")

# -- ids of new resources --------------------------------------------------------------------------------
# An Azure resource id is its ARM path: /subscriptions/{sub}/resourceGroups/{group}/providers/{namespace}/
# {type}/{name}[/{child type}/{child name}...], a resource group's /subscriptions/{sub}/resourceGroups/{name}
# and an extension resource's {scope}/providers/{namespace}/{type}/{name}
# (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules and
# https://learn.microsoft.com/rest/api/resources/resources/get-by-id, read 2026-12-05). The azure-native SDK
# (3.29) records no ARM type for its resources (no import example, no metadata), so the namespace comes from
# the module (ARM_NAMESPACES where it is not `Microsoft.<Module>`) and the type from the resource's name in
# camel case and plural; ARM_PATHS holds the types where that is wrong or that sit under a parent, with the
# inputs that name each part.

ARM_NAMESPACES: dict[str, str] = {
    # azure-native module → ARM provider namespace where the casing is not `Microsoft.` + capitalised module
    "aad": "Microsoft.AAD",
    "apimanagement": "Microsoft.ApiManagement",
    "app": "Microsoft.App",
    "appconfiguration": "Microsoft.AppConfiguration",
    "authorization": "Microsoft.Authorization",
    "cache": "Microsoft.Cache",
    "cdn": "Microsoft.Cdn",
    "cognitiveservices": "Microsoft.CognitiveServices",
    "compute": "Microsoft.Compute",
    "containerinstance": "Microsoft.ContainerInstance",
    "containerregistry": "Microsoft.ContainerRegistry",
    "containerservice": "Microsoft.ContainerService",
    "databricks": "Microsoft.Databricks",
    "datafactory": "Microsoft.DataFactory",
    "dbformysql": "Microsoft.DBforMySQL",
    "dbforpostgresql": "Microsoft.DBforPostgreSQL",
    "documentdb": "Microsoft.DocumentDB",
    "eventgrid": "Microsoft.EventGrid",
    "eventhub": "Microsoft.EventHub",
    "hdinsight": "Microsoft.HDInsight",
    "insights": "Microsoft.Insights",
    "keyvault": "Microsoft.KeyVault",
    "machinelearningservices": "Microsoft.MachineLearningServices",
    "managedidentity": "Microsoft.ManagedIdentity",
    "netapp": "Microsoft.NetApp",
    "network": "Microsoft.Network",
    "notificationhubs": "Microsoft.NotificationHubs",
    "operationalinsights": "Microsoft.OperationalInsights",
    "privatedns": "Microsoft.Network",
    "recoveryservices": "Microsoft.RecoveryServices",
    "resources": "Microsoft.Resources",
    "servicebus": "Microsoft.ServiceBus",
    "signalrservice": "Microsoft.SignalRService",
    "sql": "Microsoft.Sql",
    "storage": "Microsoft.Storage",
    "storagecache": "Microsoft.StorageCache",
    "synapse": "Microsoft.Synapse",
    "web": "Microsoft.Web",
    # classic `azure` provider modules
    "appservice": "Microsoft.Web",
    "containerapp": "Microsoft.App",
    "core": "Microsoft.Resources",
    "cosmosdb": "Microsoft.DocumentDB",
    "lb": "Microsoft.Network",
    "mssql": "Microsoft.Sql",
    "monitoring": "Microsoft.Insights",
    "postgresql": "Microsoft.DBforPostgreSQL",
    "mysql": "Microsoft.DBforMySQL",
    "redis": "Microsoft.Cache",
}

ARM_PATHS: dict[str, str] = {
    # type → its path below the namespace; `{input}` parts come from the inputs, the last one is the
    # resource's own name (the logical name when the input is absent)
    "azure-native:storage:StorageAccount": "storageAccounts/{accountName}",
    "azure-native:storage:BlobContainer": "storageAccounts/{accountName}/blobServices/default/containers/"
    "{containerName}",
    "azure-native:storage:Blob": "storageAccounts/{accountName}/blobServices/default/containers/"
    "{containerName}/blobs/{blobName}",
    "azure-native:storage:FileShare": "storageAccounts/{accountName}/fileServices/default/shares/{shareName}",
    "azure-native:storage:Queue": "storageAccounts/{accountName}/queueServices/default/queues/{queueName}",
    "azure-native:storage:Table": "storageAccounts/{accountName}/tableServices/default/tables/{tableName}",
    "azure-native:network:Subnet": "virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
    "azure-native:network:VirtualNetworkPeering": "virtualNetworks/{virtualNetworkName}/virtualNetworkPeerings/"
    "{virtualNetworkPeeringName}",
    "azure-native:network:SecurityRule": "networkSecurityGroups/{networkSecurityGroupName}/securityRules/"
    "{securityRuleName}",
    "azure-native:network:Route": "routeTables/{routeTableName}/routes/{routeName}",
    "azure-native:network:PublicIPAddress": "publicIPAddresses/{publicIpAddressName}",
    "azure-native:privatedns:PrivateZone": "privateDnsZones/{privateZoneName}",
    "azure-native:privatedns:VirtualNetworkLink": "privateDnsZones/{privateZoneName}/virtualNetworkLinks/"
    "{virtualNetworkLinkName}",
    "azure-native:containerservice:ManagedCluster": "managedClusters/{resourceName}",
    "azure-native:containerservice:AgentPool": "managedClusters/{resourceName}/agentPools/{agentPoolName}",
    "azure-native:managedidentity:UserAssignedIdentity": "userAssignedIdentities/{resourceName}",
    "azure-native:compute:VirtualMachine": "virtualMachines/{vmName}",
    "azure-native:compute:VirtualMachineScaleSet": "virtualMachineScaleSets/{vmScaleSetName}",
    "azure-native:compute:VirtualMachineExtension": "virtualMachines/{vmName}/extensions/{vmExtensionName}",
    "azure-native:web:WebApp": "sites/{name}",
    "azure-native:web:WebAppSlot": "sites/{name}/slots/{slot}",
    "azure-native:web:AppServicePlan": "serverfarms/{name}",
    "azure-native:synapse:BigDataPool": "workspaces/{workspaceName}/bigDataPools/{bigDataPoolName}",
    "azure-native:synapse:SqlPool": "workspaces/{workspaceName}/sqlPools/{sqlPoolName}",
    "azure-native:synapse:IpFirewallRule": "workspaces/{workspaceName}/firewallRules/{ruleName}",
    "azure-native:sql:Database": "servers/{serverName}/databases/{databaseName}",
    "azure-native:sql:FirewallRule": "servers/{serverName}/firewallRules/{firewallRuleName}",
    "azure-native:keyvault:Secret": "vaults/{vaultName}/secrets/{secretName}",
    "azure-native:keyvault:Key": "vaults/{vaultName}/keys/{keyName}",
    "azure-native:documentdb:DatabaseAccount": "databaseAccounts/{accountName}",
    "azure-native:documentdb:SqlResourceSqlDatabase": "databaseAccounts/{accountName}/sqlDatabases/{databaseName}",
    "azure-native:documentdb:SqlResourceSqlContainer": "databaseAccounts/{accountName}/sqlDatabases/"
    "{databaseName}/containers/{containerName}",
    "azure-native:insights:Component": "components/{resourceName}",
    # classic azure: names in `name`, parents by name
    "azure:storage/account:Account": "storageAccounts/{name}",
    "azure:network/subnet:Subnet": "virtualNetworks/{virtualNetworkName}/subnets/{name}",
    "azure:network/publicIp:PublicIp": "publicIPAddresses/{name}",
    "azure:compute/linuxVirtualMachine:LinuxVirtualMachine": "virtualMachines/{name}",
    "azure:compute/windowsVirtualMachine:WindowsVirtualMachine": "virtualMachines/{name}",
    "azure:compute/managedDisk:ManagedDisk": "disks/{name}",
    "azure:appservice/servicePlan:ServicePlan": "serverFarms/{name}",
    "azure:appservice/plan:Plan": "serverFarms/{name}",
    "azure:appservice/linuxWebApp:LinuxWebApp": "sites/{name}",
    "azure:appservice/windowsWebApp:WindowsWebApp": "sites/{name}",
    "azure:appservice/appService:AppService": "sites/{name}",
    "azure:appservice/functionApp:FunctionApp": "sites/{name}",
    "azure:appservice/linuxFunctionApp:LinuxFunctionApp": "sites/{name}",
    "azure:containerservice/kubernetesCluster:KubernetesCluster": "managedClusters/{name}",
    "azure:containerservice/registry:Registry": "registries/{name}",
    "azure:keyvault/keyVault:KeyVault": "vaults/{name}",
    "azure:mssql/server:Server": "servers/{name}",
    "azure:sql/sqlServer:SqlServer": "servers/{name}",
    "azure:cosmosdb/account:Account": "databaseAccounts/{name}",
}

_AZURE_AD_OBJECTS = ("Application", "ServicePrincipal", "Group", "User")
"""azuread (v3) types whose id is `/<collection>/<object id>`; others have the object id alone."""


def _plural(kind: str) -> str:
    """`VirtualNetwork` → `virtualNetworks`, `Policy` → `policies`, `PublicIPAddress` → `publicIPAddresses`."""
    camel = kind[:1].lower() + kind[1:]
    if camel.endswith("y") and camel[-2:-1] not in "aeiou":
        return camel[:-1] + "ies"
    return camel + ("es" if camel.endswith(("s", "x", "sh", "ch")) else "s")


def arm_id(
    type_token: str, name: str, inputs: Mapping[str, Any], subscription: str = SUBSCRIPTION_ID
) -> str | None:
    """The ARM id of a new azure-native or classic azure resource (azuread: its Graph object id), or None
    when a part of the path comes from an input that is not known."""
    package, module, kind = type_token.split(":", 2)
    module = module.split("/")[0]
    if package == "azuread":
        guid = _guid(f"{type_token}/{name}", 3)
        return f"/{_plural(kind)}/{guid}" if kind in _AZURE_AD_OBJECTS else guid
    own = _name(type_token, name, inputs) if package == "azure-native" else str(inputs.get("name") or name)
    if kind == "ResourceGroup" and module in ("resources", "core"):
        return f"/subscriptions/{subscription}/resourceGroups/{own}"
    path = ARM_PATHS.get(type_token)
    if path is None:
        key = "name" if package == "azure" else f"{kind[:1].lower()}{kind[1:]}Name"
        path = f"{_plural(kind)}/{{{key}}}"
    parts = re.findall(r"\{(\w+)\}", path)
    values: dict[str, str] = {}
    for i, key in enumerate(parts):
        value = inputs.get(key)
        if isinstance(value, str) and value:
            values[key] = value
        elif i == len(parts) - 1:
            values[key] = own
        else:
            return None  # a parent named by an unknown input: the id is unknown too
    path = path.format(**values)
    namespace = ARM_NAMESPACES.get(module, f"Microsoft.{module[:1].upper()}{module[1:]}")
    scope = inputs.get("scope")
    if "resourceGroupName" not in inputs and isinstance(scope, str) and scope:
        return f"{scope.rstrip('/')}/providers/{namespace}/{path}"  # an extension resource
    group = inputs.get("resourceGroupName")
    if not isinstance(group, str) or not group:
        return None
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{namespace}/{path}"


# Outputs the provider computes on create that components read back (beyond echoing the inputs).
_COMPUTED: dict[str, Any] = {
    "azure-native:managedidentity:UserAssignedIdentity": lambda name, _r, _i: {
        "principalId": _guid(name, 0),
        "clientId": _guid(name, 1),
        "tenantId": TENANT_ID,
    },
    "azure-native:containerservice:ManagedCluster": lambda name, region, inputs: {
        # The API takes user-assigned identities as a list of IDs and answers with a map by ID.
        "identity": {
            **inputs.get("identity", {}),
            "userAssignedIdentities": {
                i: {"principalId": _guid(i, 0), "clientId": _guid(i, 1)}
                for i in (inputs.get("identity") or {}).get("userAssignedIdentities") or []
            },
        },
        "privateFQDN": f"{name}-offline.privatelink.{region}.azmk8s.io",
        "oidcIssuerProfile": {
            "enabled": True,
            "issuerURL": f"https://{region}.oic.prod-aks.azure.com/{name}/",
        },
    },
    "azure-native:keyvault:Vault": lambda name, _r, inputs: {
        "properties": {
            **inputs.get("properties", {}),
            "vaultUri": f"https://{inputs.get('vaultName', name)}.vault.azure.net/",
        },
    },
    "azure-native:keyvault:Key": lambda name, _r, inputs: {
        "keyUri": f"https://{inputs.get('vaultName', 'vault')}.vault.azure.net/keys/{inputs.get('keyName', name)}",
        "keyUriWithVersion": (
            f"https://{inputs.get('vaultName', 'vault')}.vault.azure.net/keys/{inputs.get('keyName', name)}"
            "/0123456789abcdef0123456789abcdef"
        ),
    },
}


# Azure: "Each resource can have a maximum of 50 tag name/value pairs; tag names are limited to 512 characters
# (128 for storage accounts), values to 256; tag names can't contain < > % & \ ? /."
# https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
# (read 2026-12-04). 128 is used for keys: a cluster's storage accounts get the same tags.
LIMITS = Limits(
    cloud="azure",
    max_tags=50,
    tags_added=2,
    tag_key_max=128,
    tag_value_max=256,
    tag_chars=r"[^<>%&\\?/]",
    tag_chars_text="any character except < > % & \\ ? /",
    reserved_tag_prefixes=(),
    own_tag_keys=(),
    label_key_max=None,
    label_value_min=0,
    # Logical names, as in components/azure/{gpu_cluster,resource_group,network,key_vault,aks_cluster,
    # gpu_agent_pool,infiniband}.py; tests/test_azure_stack.py plans the example stack and checks every
    # planned name is here.
    cluster_names=(
        "{cluster}",
        "{cluster}-rg",
        "{cluster}-net",
        "{cluster}-net-vnet",
        "{cluster}-net-nsg",
        "{cluster}-net-nat",
        "{cluster}-net-nat-ip",
        *(f"{{cluster}}-net-{part}" for part in ("gpu", "system", "apiserver", "endpoints", "lustre")),
        "{cluster}-kv",
        "{cluster}-kv-vault",
        "{cluster}-kv-kms-key",
        "{cluster}-identity",
        "{cluster}-network-contributor",
        "{cluster}-kms-crypto-user",
        "{cluster}-kms-vault-contributor",
        "{cluster}-aks",
        "{cluster}-deployer-admin",
        "{cluster}-aksManagedAutoUpgradeSchedule",
        "{cluster}-aksManagedNodeOSUpgradeSchedule",
        "{cluster}-k8s",
        "{cluster}-storage",
        "{cluster}-gpu-operators",
        *(
            f"{{cluster}}-gpu-operators-{part}"
            for part in (
                "gpu-operator",
                "gpu-operator-ns",
                "network-operator",
                "network-operator-ns",
                "mellanox-nodes",
                "nic-cluster-policy",
            )
        ),
    ),
    # components/azure/{storage,storage_account,managed_lustre,files}.py, under "{cluster}-storage".
    storage_names={
        "object": tuple(
            f"{{cluster}}-storage-{{storage}}{part}"
            for part in ("", "-account", "-blob-service", "-container", "-lifecycle")
        ),
        "lustre": tuple(
            f"{{cluster}}-storage-{{storage}}{part}"
            for part in ("", "-fs", "-hsm-account-contributor", "-hsm-blob-data-contributor", "-hsm-logs")
        ),
        "file": tuple(
            f"{{cluster}}-storage-{{storage}}{part}" for part in ("", "-account", "-file-service", "-share")
        ),
    },
    pool_names=(
        "{cluster}-{pool}",
        "{cluster}-{pool}-ppg",
        "{cluster}-{pool}-nodes",
        "{cluster}-{pool}-reservation-contributor",
    ),
    # AKS: "Linux node pool names: 1-12 lowercase alphanumeric characters" - the components derive a
    # short name from the pool's own (components/azure/rules.agent_pool_names), so no spec limit applies;
    # the cluster takes its spec name (at most 24 characters; AKS allows 63).
    # https://learn.microsoft.com/azure/aks/create-node-pools (read 2026-12-04)
    # "Maximum node pools per cluster 100; maximum nodes per node pool (Virtual Machine Scale Sets) 1000"
    # (https://learn.microsoft.com/azure/aks/quotas-skus-regions, read 2026-12-04).
    node_groups_per_cluster=100,
    system_node_groups=1,
    nodes_per_node_group=1000,
    quota_doc="https://learn.microsoft.com/azure/aks/quotas-skus-regions",
    quota_how="split the work over more pools or clusters (these AKS limits cannot be raised)",
)


_API_VERSION_TOKEN = re.compile(r"(azure-native:[A-Za-z0-9]+)/v\d{8}[a-z]*:([A-Za-z0-9]+)")
"""An azure-native type token of an explicit API version (`<module>/v<yyyymmdd>[preview]`)."""


class Azure(CloudProfile):
    order = 2
    name = "azure"
    title = "Azure"
    packages = ("azure-native", "azure", "azuread")
    region_config_key = "azure-native:location"
    region_config_fallbacks = ("azure:location",)  # the classic provider's (pulumi-azure), for its resources
    # pulumi_azure 6's config/vars.py: location = config, else ARM_LOCATION
    config_env: ClassVar[Mapping[str, tuple[str, ...]]] = {"azure:location": ("ARM_LOCATION",)}
    default_region = "eastus"
    region_inputs = ("location",)
    provider_region_inputs = ("location",)
    zone_inputs = ("availabilityZones", "zones", "zone")
    fabric = "InfiniBand"
    default_system_machine = "Standard_D4s_v5"
    limits = LIMITS
    component = "aiinfra.components.azure.gpu_cluster:declare"
    unsupported: ClassVar[Mapping[str, str]] = {
        "topology": "topology sets a TPU slice shape, and TPUs exist only on GCP; remove it",
        "storage:parallel": "Azure's parallel file system is Azure Managed Lustre; use kind: lustre",
    }
    storage_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "lustre": ("capacityGiB", "throughputMBpsPerTiB"),
        "file": ("capacityGiB",),
    }
    invokes: ClassVar[Mapping[str, Invoke]] = {
        "azure-native:authorization:getClientConfig": _client_config,
        "azuread:index/getServicePrincipal:getServicePrincipal": _service_principal,
        "azure-native:containerservice:listManagedClusterUserCredentials": _user_credentials,
    }
    edge_kinds = ("extended-zone",)
    edge_component = "aiinfra.components.azure.edge_site:declare"

    def edge_kind(self, location: str) -> str | None:
        """Every Azure edge site is an Extended Zone: a lower-case zone name such as `losangeles`."""
        return "extended-zone" if re.fullmatch(r"[a-z][a-z0-9]{1,62}", location) else None

    def edge_problems(self, site: EdgeSiteLike, location_facts: EdgeLocationLike) -> list[Problem]:
        region = getattr(location_facts, "region", "its parent region")
        return extended_zone_problems(site, str(region))

    def created_outputs(
        self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        outputs: dict[str, Any] = {"name": _name(type_token, name, inputs)}
        computed = _COMPUTED.get(type_token)
        if computed is not None:
            outputs.update(computed(name, region, inputs))
        return outputs

    def created_id(self, type_token: str, name: str, region: str, inputs: Mapping[str, Any]) -> str | None:
        return arm_id(type_token, name, inputs)

    def canonical_type(self, type_token: str) -> str:
        """An explicit API version of an azure-native resource → the resource's default-version token:
        `azure-native:containerservice/v20240102preview:ManagedCluster` → `azure-native:containerservice:
        ManagedCluster` (programs pin versions through `pulumi package add azure-native <module> <version>`;
        documents of any language carry the versioned token). Every other token is itself."""
        match = _API_VERSION_TOKEN.fullmatch(type_token)
        return f"{match[1]}:{match[2]}" if match else type_token

    def normalise_region(self, location: str) -> str:
        """`East US` → `eastus`, as the catalog names it."""
        return location.replace(" ", "").lower()

    def committed_spend(self, resources: Iterable[ResourceLike]) -> list[str]:
        kinds = {
            "azure-native:billingbenefits:ReservationOrderAlias": "reservation",
            "azure-native:billingbenefits:SavingsPlanOrderAlias": "savings plan",
        }
        out = []
        for r in resources:
            if r.type in kinds:
                out.append(
                    f"{kinds[r.type]} {r.name}: billed for its whole term; deleting the resource does not "
                    "cancel it (exchanges and refunds go through Azure)"
                )
            elif r.type in _RESERVATION_USERS:
                for where, group in _reservation_groups(r.inputs):
                    out.append(
                        f"capacity reservation group {group} ({r.name}{where}): its reservations are billed "
                        "at the pay-as-you-go rate until you delete them in Azure, used or not; deleting the "
                        "pool does not release them"
                    )
            elif r.type == "azure-native:compute:CapacityReservation":
                out.append(
                    f"capacity reservation {r.name}: billed every hour until it is deleted, used or not"
                )
        return out + extended_zone_registrations(resources)

    def network_problems(self, cidr: ipaddress.IPv4Network) -> list[Problem]:
        problems: list[Problem] = []
        if not VNET_MIN_PREFIX <= cidr.prefixlen <= VNET_MAX_PREFIX:
            problems.append(
                Problem(
                    "cidr",
                    f"{cidr} is a /{cidr.prefixlen}: an AKS cluster's VNet here is a /{VNET_MIN_PREFIX} to "
                    f"/{VNET_MAX_PREFIX} (GPU, system, Lustre, API server and endpoint subnets).",
                    "Use a block such as 10.40.0.0/16.",
                )
            )
        if cidr.overlaps(RDMA_RESERVED):
            problems.append(
                Problem(
                    "cidr",
                    f"{cidr} overlaps {RDMA_RESERVED}, which Azure's InfiniBand network uses inside ND VMs.",
                    "Choose another private block, e.g. 10.40.0.0/16.",
                )
            )
        return problems

    def capacity_problems(
        self, capacity: str, reservation: str | None, machine: MachineLike
    ) -> list[Problem]:
        problems: list[Problem] = []
        if capacity == "capacity-block":
            problems.append(
                Problem(
                    "capacity",
                    "Azure sells no fixed-window GPU blocks (capacity: capacity-block).",
                    "Use capacity: reservation with a capacity reservation group, or on-demand or spot.",
                )
            )
        elif capacity == "reservation" and reservation is None:
            problems.append(
                Problem(
                    "reservation",
                    "capacity: reservation needs the capacity reservation group's ID.",
                    "Set reservation: /subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/"
                    "capacityReservationGroups/… (`az capacity reservation group list`).",
                )
            )
        elif capacity == "reservation" and reservation is not None:
            problem = capacity_reservation_problem(reservation)
            if problem:
                problems.append(
                    Problem(
                        "reservation",
                        problem,
                        "It looks like /subscriptions/SUBSCRIPTION-ID/resourceGroups/GROUP/providers/"
                        "Microsoft.Compute/capacityReservationGroups/NAME.",
                    )
                )
        return [*problems, *reservation_given_without_reserved_capacity(capacity, reservation)]

    def storage_problems(self, storage: StorageLike) -> list[Problem]:
        if storage.kind == "file":
            return file_share_problems(storage.capacity_gib)
        if storage.kind != "lustre":
            return []
        problems: list[Problem] = []
        throughput = storage.throughput_mbps_per_tib
        if throughput is not None and throughput not in AMLFS_SKUS:
            problems.append(
                Problem(
                    "throughputMBpsPerTiB",
                    f"{throughput} MB/s per TiB is not an Azure Managed Lustre SKU.",
                    f"Use one of {', '.join(map(str, AMLFS_SKUS))}.",
                )
            )
            throughput = None
        if storage.capacity_gib is None:
            problems.insert(
                0,
                Problem(
                    "capacityGiB",
                    "an Azure Managed Lustre file system needs a size.",
                    "Set capacityGiB: 8192.",
                ),
            )
        elif throughput is not None or storage.throughput_mbps_per_tib is None:
            problem = amlfs_size_problem(storage.capacity_gib, throughput or AMLFS_DEFAULT_THROUGHPUT)
            if problem:
                problems.insert(0, Problem("capacityGiB", problem))
        return problems


PROFILE = Azure()
