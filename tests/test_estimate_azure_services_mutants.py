"""Azure service rules (estimate/rules/azure_services.py) seen through `estimate` and their pure helpers: every
billed disk tier of Microsoft's size table, what a managed disk's line says it leaves out, a classic VM in a
capacity reservation, a free App Service plan's reason, a Log Analytics workspace's line, a classic AKS
cluster sized by minCount alone, and the free configuration and Entra ID types. Prices come from the
catalog. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.rules.azure_services import disk_tier
from aiinfra.estimate.usage import ResourceUsage, UsageFile

CATALOG = default_catalog()
REGION = "eastus"

# Microsoft's managed disk sizes (learn.microsoft.com/azure/virtual-machines/disks-types, "Premium SSD size",
# "Standard SSD size", "Standard HDD size"): the billed size in GiB of each tier. Standard HDD has no tier
# below S4 (32 GiB).
SIZES = (4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
PREMIUM = ("P1", "P2", "P3", "P4", "P6", "P10", "P15", "P20", "P30", "P40", "P50", "P60", "P70", "P80")
STANDARD_SSD = ("E1", "E2", "E3", "E4", "E6", "E10", "E15", "E20", "E30", "E40", "E50", "E60", "E70", "E80")
STANDARD_HDD = (None, None, None, "S4", "S6", "S10", "S15", "S20", "S30", "S40", "S50", "S60", "S70", "S80")


def res(type_: str, name: str, /, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, usage: UsageFile | None = None) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure-native:location": REGION}
    )
    return estimate(graph, CATALOG, usage=usage)


def one(result: Estimate, name: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == name and ln.unit == unit]
    assert len(found) == 1, f"one {unit} line for {name}: {[(ln.resource, ln.unit) for ln in result.lines]}"
    return found[0]


@pytest.mark.parametrize(
    ("sku", "tiers"),
    [("Premium_LRS", PREMIUM), ("StandardSSD_ZRS", STANDARD_SSD), ("Standard_LRS", STANDARD_HDD)],
)
def test_every_disk_size_is_billed_as_its_tier_and_one_gib_more_as_the_next(
    sku: str, tiers: tuple[str | None, ...]
) -> None:
    for i, (size, tier) in enumerate(zip(SIZES, tiers, strict=True)):
        if tier is None:
            assert disk_tier(sku, Decimal(size)) == ("S4", 32), f"{size} GiB: Standard HDD starts at S4"
            continue
        assert disk_tier(sku, Decimal(size)) == (tier, size), f"{sku} {size} GiB"
        if i + 1 < len(SIZES):
            assert disk_tier(sku, Decimal(size) + 1) == (tiers[i + 1], SIZES[i + 1]), f"{sku} {size + 1} GiB"


def test_a_managed_disk_says_transactions_and_snapshots_are_not_priced() -> None:
    disk = one(
        run(res("azure-native:compute:Disk", "d", sku={"name": "Premium_LRS"}, diskSizeGB=100)),
        "d",
        "disk-months",
    )
    assert disk.assumptions == ("transactions (Standard SSD and HDD) and snapshots are not priced",)


def test_bad_disk_and_node_counts_are_named_by_their_input_path() -> None:
    result = run(
        res("azure-native:compute:Disk", "disk", sku={"name": "Premium_LRS"}, diskSizeGB="big"),
        res(
            "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
            "vm",
            size="Standard_B2s",
            osDisk={"storageAccountType": "Premium_LRS", "diskSizeGb": "big"},
        ),
        res(
            "azure:containerservice/kubernetesCluster:KubernetesCluster",
            "kc",
            defaultNodePool={"name": "sys", "vmSize": "Standard_B2s", "nodeCount": "many"},
        ),
    )
    reasons = {ln.resource: ln.reason for ln in result.lines}
    assert reasons["disk"].startswith("diskSizeGB = 'big' is not a size in GiB")
    assert reasons["vm"].startswith("osDisk.diskSizeGb = 'big' is not a size in GiB")
    assert reasons["kc"].startswith("defaultNodePool.nodeCount = 'many' is not a count")


def test_a_classic_vm_in_a_capacity_reservation_group_is_priced_as_reserved() -> None:
    result = run(
        res(
            "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
            "held",
            size="Standard_B2s",
            capacityReservationGroupId="/sub/crg",
            osDisk={"storageAccountType": "Premium_LRS", "diskSizeGb": 64},
        ),
        res(
            "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
            "plain",
            size="Standard_B2s",
            osDisk={"storageAccountType": "Premium_LRS", "diskSizeGb": 64},
        ),
    )
    assert one(result, "held", "instance-hours").purchase_option == "reservation"
    assert one(result, "plain", "instance-hours").purchase_option == "on_demand"


def test_a_free_app_service_plan_says_so() -> None:
    result = run(res("azure-native:web:AppServicePlan", "f", sku={"name": "F1"}))
    assert [(s.resource, s.reason) for s in result.free] == [("f", "App Service Free plan (F1): no charge")]


def test_a_log_analytics_workspace_and_an_application_insights_component_are_named_on_their_lines() -> None:
    usage = UsageFile(
        resources={"logs": ResourceUsage(log_ingested_gb=5), "ai": ResourceUsage(log_ingested_gb=5)}
    )
    result = run(
        res("azure-native:operationalinsights:Workspace", "logs"),
        res("azure-native:insights:Component", "ai"),
        usage=usage,
    )
    assert one(result, "logs", "GB ingested").description == "Log Analytics workspace: data ingested"
    assert one(result, "ai", "GB ingested").description == "Application Insights: data ingested"


def test_a_classic_cluster_sized_by_min_count_alone_runs_that_many_without_the_default_note() -> None:
    def cluster(name: str, **pool: Any) -> PlannedResource:
        return res(
            "azure:containerservice/kubernetesCluster:KubernetesCluster",
            name,
            defaultNodePool={"name": "sys", "vmSize": "Standard_B2s", **pool},
        )

    result = run(cluster("min", minCount=2, maxCount=4), cluster("none"))
    sized = one(result, "min", "node-hours")
    assert sized.quantity == 2 * HOURS_PER_MONTH, "the desired count is minCount when nodeCount is not given"
    assert not any("default of 1 node" in a for a in sized.assumptions)
    unsized = one(result, "none", "node-hours")
    assert unsized.quantity == HOURS_PER_MONTH
    assert "no defaultNodePool.nodeCount: AKS's default of 1 node" in unsized.assumptions


NETWORK = "networking configuration: no charge"
LB_CONFIG = "load balancer configuration: no charge (rules are counted on the load balancer)"
IDENTITY = "identity and access: no charge"
ENTRA = "Entra ID (Azure AD) object: no charge"
WEB = "web app: no charge by itself (it runs on its App Service plan, which is priced)"
SQL = "Azure SQL logical server or firewall rule: no charge (its databases are priced)"
STORAGE = (
    "storage object or configuration: no charge by itself (capacity is priced on the storage account, from "
    "the usage file)"
)
VM_CONFIG = "VM configuration: no charge (availability sets, extensions, SSH keys)"
FREE = {
    "azure-native:network:NetworkInterface": NETWORK,
    "azure-native:network:VirtualNetworkPeering": NETWORK,
    "azure-native:network:ApplicationSecurityGroup": NETWORK,
    "azure-native:network:InboundNatRule": NETWORK,
    "azure-native:network:LoadBalancerBackendAddressPool": NETWORK,
    "azure:network/virtualNetwork:VirtualNetwork": NETWORK,
    "azure:network/subnet:Subnet": NETWORK,
    "azure:network/networkSecurityGroup:NetworkSecurityGroup": NETWORK,
    "azure:network/networkSecurityRule:NetworkSecurityRule": NETWORK,
    "azure:network/networkInterface:NetworkInterface": NETWORK,
    "azure:network/routeTable:RouteTable": NETWORK,
    "azure:network/route:Route": NETWORK,
    "azure:lb/rule:Rule": LB_CONFIG,
    "azure:lb/outboundRule:OutboundRule": LB_CONFIG,
    "azure:lb/backendAddressPool:BackendAddressPool": LB_CONFIG,
    "azure:lb/probe:Probe": LB_CONFIG,
    "azure:lb/natRule:NatRule": LB_CONFIG,
    "azure:core/resourceGroup:ResourceGroup": "resource group: no charge",
    "azure-native:authorization:RoleDefinition": IDENTITY,
    "azure:authorization/assignment:Assignment": IDENTITY,
    "azure:authorization/userAssignedIdentity:UserAssignedIdentity": IDENTITY,
    "azuread:index/application:Application": ENTRA,
    "azuread:index/applicationRegistration:ApplicationRegistration": ENTRA,
    "azuread:index/servicePrincipal:ServicePrincipal": ENTRA,
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword": ENTRA,
    "azuread:index/applicationPassword:ApplicationPassword": ENTRA,
    "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": ENTRA,
    "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant": ENTRA,
    "azuread:index/appRoleAssignment:AppRoleAssignment": ENTRA,
    "azuread:index/group:Group": ENTRA,
    "azuread:index/groupMember:GroupMember": ENTRA,
    "azuread:index/user:User": ENTRA,
    "azure-native:web:WebApp": WEB,
    "azure-native:web:WebAppSourceControl": WEB,
    "azure-native:web:WebAppApplicationSettings": WEB,
    "azure-native:web:WebAppSiteExtension": WEB,
    "azure:appservice/linuxWebApp:LinuxWebApp": WEB,
    "azure:appservice/windowsWebApp:WindowsWebApp": WEB,
    "azure:appservice/linuxFunctionApp:LinuxFunctionApp": WEB,
    "azure:appservice/windowsFunctionApp:WindowsFunctionApp": WEB,
    "azure-native:sql:Server": SQL,
    "azure-native:sql:FirewallRule": SQL,
    "azure:mssql/server:Server": SQL,
    "azure:mssql/firewallRule:FirewallRule": SQL,
    "azure-native:storage:Blob": STORAGE,
    "azure-native:storage:Queue": STORAGE,
    "azure-native:storage:Table": STORAGE,
    "azure-native:storage:QueueServiceProperties": STORAGE,
    "azure-native:storage:TableServiceProperties": STORAGE,
    "azure:storage/container:Container": STORAGE,
    "azure:storage/blob:Blob": STORAGE,
    "azure-native:compute:AvailabilitySet": VM_CONFIG,
    "azure-native:compute:VirtualMachineExtension": VM_CONFIG,
    "azure-native:compute:SshPublicKey": VM_CONFIG,
    "azure:compute/availabilitySet:AvailabilitySet": VM_CONFIG,
    "azure:compute/virtualMachineExtension:VirtualMachineExtension": VM_CONFIG,
}


def test_configuration_entra_and_classic_types_are_each_free_with_their_reason() -> None:
    resources = [res(t, f"r{i}") for i, t in enumerate(FREE)]
    result = run(*resources)
    assert {s.resource: s.reason for s in result.free} == {r.name: FREE[r.type] for r in resources}
    assert not result.lines and not result.unsupported


# -- what a second measured run found unchecked (after classic scale sets were added) -----------------------


def test_a_classic_scale_sets_unusable_os_disk_size_names_its_field() -> None:
    result = run(
        res(
            "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
            "ss",
            sku="Standard_B2s",
            instances=2,
            osDisk={"storageAccountType": "Premium_LRS", "diskSizeGb": "big"},
        )
    )
    (line,) = [ln for ln in result.lines if ln.resource == "ss"]
    assert line.reason.startswith("osDisk.diskSizeGb = 'big' is not a size in GiB")


def test_a_sql_database_without_a_sku_says_what_it_is_and_what_to_set() -> None:
    db = one(run(res("azure-native:sql:Database", "db")), "db", "database-hours")
    assert db.description == "Azure SQL database"
    assert db.reason == "no sku: the service picks the database's size; set sku.name (e.g. GP_Gen5_2, S0)"


def test_a_classic_aks_cluster_with_an_unknown_tier_or_no_vm_size_says_so() -> None:
    result = run(
        res(
            "azure:containerservice/kubernetesCluster:KubernetesCluster",
            "kc",
            skuTier="Enterprise",
            defaultNodePool={"name": "sys", "nodeCount": 1},
        )
    )
    plane = one(result, "kc", "cluster-hours")
    assert (plane.description, plane.reason) == (
        "AKS control plane, Enterprise tier",
        "unknown AKS tier 'Enterprise'",
    )
    pool = one(result, "kc", "node-hours")
    assert (pool.description, pool.reason) == (
        "AKS default node pool without a vmSize",
        "no defaultNodePool.vmSize",
    )
