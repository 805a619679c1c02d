"""The Azure estimate rules on small hand-built graphs: AKS clusters and agent pools, VMs and scale sets,
Azure Managed Lustre, storage accounts, NAT gateways, public IPs and Key Vault keys. Prices come from the
shipped catalog, never hard-coded."""

from __future__ import annotations

from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile

CATALOG = default_catalog()
STACK = "urn:pulumi:test::aiinfra"
H100 = "Standard_ND96isr_H100_v5"


def res(type_: str, name: str, inputs: dict[str, Any], parent: str | None = None) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"{STACK}::{type_}::{name}",
        parent=parent,
        inputs=inputs,
        custom=True,
        provider=None,
    )


def run(
    *resources: PlannedResource,
    profile: str = "training-steady",
    usage: UsageFile | None = None,
    **config: str,
) -> Estimate:
    graph = ResourceGraph(stack="test", project="aiinfra", resources=list(resources), config=dict(config))
    return estimate(graph, CATALOG, profile=PROFILES[profile], usage=usage)


def line(result: Estimate, name: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == name and ln.unit == unit]
    assert len(found) == 1, (
        f"expected one {unit} line for {name}, got {[(ln.resource, ln.unit) for ln in result.lines]}"
    )
    return found[0]


def cluster(name: str = "aks", **inputs: Any) -> PlannedResource:
    return res(
        "azure-native:containerservice:ManagedCluster",
        name,
        {"resourceName": name, "resourceGroupName": "rg", "location": "eastus", **inputs},
    )


def test_an_aks_agent_pool_takes_its_region_from_its_cluster_and_costs_count_nodes_all_month() -> None:
    pool = res(
        "azure-native:containerservice:AgentPool",
        "gpu",
        {"resourceName": "aks", "resourceGroupName": "rg", "vmSize": H100, "count": 2},
    )
    result = run(cluster(), pool)
    nodes = line(result, "gpu", "node-hours")
    offer = CATALOG.offer(H100, "eastus")
    assert offer is not None and offer.on_demand is not None, "the catalog prices ND96isr_H100_v5 in eastus"
    assert nodes.monthly_cost_usd == 2 * HOURS_PER_MONTH * offer.on_demand, "count × 730 h × the eastus price"
    assert "eastus" in nodes.description, "the pool has no location of its own: its cluster's is used"
    disks = line(result, "gpu", "disk-months")
    assert disks.monthly_cost_usd is None and "no osDiskType" in disks.reason, (
        "the OS disk type is AKS's pick"
    )


def test_an_autoscaled_spot_pool_uses_the_spot_price_or_is_unpriced_with_the_catalogs_reason() -> None:
    pool = res(
        "azure-native:containerservice:AgentPool",
        "spot",
        {
            "resourceName": "aks",
            "vmSize": H100,
            "count": 1,
            "enableAutoScaling": True,
            "minCount": 0,
            "maxCount": 4,
            "scaleSetPriority": "Spot",
        },
    )
    nodes = line(run(cluster(), pool, profile="batch-weekday"), "spot", "node-hours")
    assert nodes.purchase_option == "spot"
    offer = CATALOG.offer(H100, "eastus")
    assert offer is not None
    if offer.spot is None:
        assert nodes.monthly_cost_usd is None, "no spot price: unpriced, never $0"
        assert nodes.reason == CATALOG.unpriced_reason(H100, "eastus", "spot")
    else:
        assert nodes.unit_price_usd == offer.spot


def test_a_capacity_reservation_group_bills_the_pools_desired_nodes_every_hour() -> None:
    pool = res(
        "azure-native:containerservice:AgentPool",
        "held",
        {"resourceName": "aks", "vmSize": H100, "count": 2, "capacityReservationGroupID": "/sub/crg"},
    )
    reservation = res(
        "azure-native:compute:CapacityReservation",
        "crg-h100",
        {"location": "eastus", "sku": {"name": H100, "capacity": 2}},
    )
    result = run(cluster(), pool, reservation, profile="idle-reserved")
    nodes = line(result, "held", "node-hours")
    assert nodes.purchase_option == "reservation" and nodes.quantity == 2 * HOURS_PER_MONTH
    assert "crg-h100" in {s.resource for s in result.free}, "the reservation is not charged a second time"


def test_the_cluster_tier_sets_the_control_plane_charge_and_inline_pools_are_priced() -> None:
    standard = cluster(
        "std",
        sku={"name": "Base", "tier": "Standard"},
        agentPoolProfiles=[{"name": "system", "vmSize": "Standard_D4s_v5", "count": 3, "mode": "System"}],
    )
    free_tier = cluster("dev", sku={"name": "Base", "tier": "Free"})
    result = run(standard, free_tier)
    fee = CATALOG.service_price("azure", "aks", "standard-cluster-hour", "eastus")
    assert fee is not None and fee.usd is not None
    assert line(result, "std", "cluster-hours").monthly_cost_usd == HOURS_PER_MONTH * fee.usd
    system = line(result, "std", "node-hours")
    d4 = CATALOG.offer("Standard_D4s_v5", "eastus")
    assert d4 is not None and d4.on_demand is not None, "the system-pool size is priced in eastus"
    assert system.monthly_cost_usd == 3 * HOURS_PER_MONTH * d4.on_demand, "the inline system pool is priced"
    assert "dev" in {s.resource for s in result.free}, (
        "a Free-tier cluster without inline pools costs nothing"
    )


def test_a_vm_and_a_scale_set_are_priced_by_their_size() -> None:
    vm = res(
        "azure-native:compute:VirtualMachine",
        "vm",
        {"location": "eastus", "hardwareProfile": {"vmSize": H100}},
    )
    vmss = res(
        "azure-native:compute:VirtualMachineScaleSet",
        "ss",
        {"location": "eastus", "sku": {"name": H100, "capacity": 3}},
    )
    result = run(vm, vmss)
    offer = CATALOG.offer(H100, "eastus")
    assert offer is not None and offer.on_demand is not None
    assert line(result, "vm", "instance-hours").monthly_cost_usd == HOURS_PER_MONTH * offer.on_demand
    assert line(result, "ss", "node-hours").monthly_cost_usd == 3 * HOURS_PER_MONTH * offer.on_demand
    assert line(result, "vm", "instance-hours").monthly_energy_kwh, "the VM's energy is modelled"


def test_azure_managed_lustre_is_unpriced_with_a_reason_never_zero() -> None:
    fs = res(
        "azure-native:storagecache:AmlFilesystem",
        "amlfs",
        {"location": "eastus", "sku": {"name": "AMLFS-Durable-Premium-250"}, "storageCapacityTiB": 16},
    )
    result = run(fs)
    lus = line(result, "amlfs", "GiB-months")
    assert lus.quantity == 16 * 1024, "TiB → GiB"
    assert lus.monthly_cost_usd is None and "price not published" in lus.reason
    assert [s.resource for s in result.unpriced] == ["amlfs"]
    assert lus.monthly_energy_kwh and lus.monthly_energy_kwh > 0, "its stored bytes still draw energy"


def test_a_storage_account_is_unpriced_without_usage_and_priced_with_a_usage_file_entry() -> None:
    account = res(
        "azure-native:storage:StorageAccount",
        "name",
        {"location": "eastus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"},
    )
    without = line(run(account), "name", "GiB-months")
    assert without.monthly_cost_usd is None and "storageGiB" in without.reason, "the fix is named"
    usage = UsageFile(resources={"name": ResourceUsage(storage_gib=1000)})
    priced = line(run(account, usage=usage), "name", "GiB-months")
    hot = CATALOG.storage_price("azure", "blob", "Hot-LRS", "eastus")
    assert hot is not None and hot.usd_per_gib_month is not None
    assert priced.monthly_cost_usd == 1000 * hot.usd_per_gib_month, (
        "Hot LRS unless the account says otherwise"
    )


def test_nat_gateway_public_ip_and_hsm_key_are_priced_and_a_software_key_is_free() -> None:
    result = run(
        res("azure-native:network:NatGateway", "nat", {"location": "eastus", "sku": {"name": "Standard"}}),
        res(
            "azure-native:network:PublicIPAddress", "ip", {"location": "eastus", "sku": {"name": "Standard"}}
        ),
        res(
            "azure-native:keyvault:Key",
            "hsm",
            {"vaultName": "kv", "properties": {"kty": "RSA-HSM", "keySize": 2048}},
        ),
        res("azure-native:keyvault:Key", "soft", {"vaultName": "kv", "properties": {"kty": "RSA"}}),
        **{"azure-native:location": "eastus"},  # a key has no location of its own: the provider's region
    )
    for name, unit, service, item in (
        ("nat", "gateway-hours", "nat-gateway", "gateway-hour"),
        ("ip", "IP-hours", "public-ip", "standard-ip-hour"),
    ):
        price = CATALOG.service_price("azure", service, item, "eastus")
        assert price is not None and price.usd is not None
        assert line(result, name, unit).monthly_cost_usd == HOURS_PER_MONTH * price.usd
    assert line(result, "nat", "GB processed").monthly_cost_usd is None, (
        "traffic unknown without a usage entry"
    )
    hsm = CATALOG.service_price("azure", "key-vault", "hsm-key-month", "eastus")
    assert hsm is not None and hsm.usd is not None
    assert line(result, "hsm", "key-months").monthly_cost_usd == hsm.usd
    assert "soft" in {s.resource for s in result.free}, "software keys have no monthly charge"


def test_free_types_are_listed_as_free_and_an_unknown_type_as_unsupported() -> None:
    result = run(
        res("azure-native:resources:ResourceGroup", "rg", {"location": "eastus"}),
        res("azure-native:network:VirtualNetwork", "vnet", {}),
        res("azure-native:authorization:RoleAssignment", "ra", {}),
        res("azure-native:compute:ProximityPlacementGroup", "ppg", {}),
        res("azure-native:keyvault:Secret", "secret", {}),
        res("azure-native:signalrservice:SignalR", "signalr", {}),
    )
    free = {s.resource: s.reason for s in result.free}
    assert {"rg", "vnet", "ra", "ppg", "secret"} <= set(free), f"free types are listed: {free}"
    assert "billed as its vault's operations" in free["secret"], "a secret says where its requests are billed"
    assert [s.resource for s in result.unsupported] == ["signalr"], (
        "a type no rule knows is unsupported, not $0"
    )
