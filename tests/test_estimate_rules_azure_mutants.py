"""Azure rules (estimate/rules/azure.py) seen through `estimate`: an agent pool's default and zero counts,
its autoscaling range, its name, the cluster it names, sizes known only from deployed outputs, a spot cap,
the Premium and unknown AKS tiers, Spot and reserved VMs and scale sets beside a capacity reservation, a
reservation priced on its own, Azure Managed Lustre's missing size and HSM link, blob versioning, Azure
Files shares, bad numbers named by their input path, and the free Azure configuration resources. Prices
come from the catalog. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile

CATALOG = default_catalog()
REGION = "eastus"
H100 = "Standard_ND96isr_H100_v5"
D4 = "Standard_D4s_v5"
POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
VM = "azure-native:compute:VirtualMachine"
VMSS = "azure-native:compute:VirtualMachineScaleSet"
RESERVATION = "azure-native:compute:CapacityReservation"
ACCOUNT = "azure-native:storage:StorageAccount"


def res(type_: str, name: str, /, outputs: dict[str, Any] | None = None, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
        outputs=outputs or {},
    )


def run(
    *resources: PlannedResource, profile: str = "training-steady", usage: UsageFile | None = None
) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={})
    return estimate(graph, CATALOG, profile=PROFILES[profile], usage=usage)


def one(result: Estimate, name: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == name and ln.unit == unit]
    assert len(found) == 1, f"one {unit} line for {name}: {[(ln.resource, ln.unit) for ln in result.lines]}"
    return found[0]


def hourly(size: str, option: str = "on_demand", region: str = REGION) -> Decimal:
    offer = CATALOG.offer(size, region)
    assert offer is not None and offer.price(option) is not None, (size, option, region)
    return offer.price(option)  # type: ignore[return-value]


def service(name: str, item: str, region: str = REGION) -> Decimal:
    price = CATALOG.service_price("azure", name, item, region)
    assert price is not None and price.usd is not None, (name, item)
    return price.usd


def aks(name: str = "aks", location: str = REGION, **inputs: Any) -> PlannedResource:
    return res(CLUSTER, name, resourceName=name, resourceGroupName="rg", location=location, **inputs)


# -- agent pools -------------------------------------------------------------------------------------------


def test_a_pool_without_a_count_is_one_node_and_says_so_and_a_pool_of_zero_is_none() -> None:
    result = run(
        aks(),
        res(POOL, "dflt", resourceName="aks", resourceGroupName="rg", vmSize=D4),
        res(POOL, "zero", resourceName="aks", resourceGroupName="rg", vmSize=D4, count=0),
    )
    dflt = one(result, "dflt", "node-hours")
    assert dflt.quantity == HOURS_PER_MONTH
    assert dflt.monthly_cost_usd == HOURS_PER_MONTH * hourly(D4)
    assert "no count: AKS's default of 1 node" in dflt.assumptions
    zero = one(result, "zero", "node-hours")
    assert zero.quantity == 0 and zero.monthly_cost_usd == 0
    assert not any("default of 1 node" in a for a in zero.assumptions)


def test_an_autoscaled_pool_runs_between_its_min_and_max_counts() -> None:
    pool = res(
        POOL,
        "auto",
        resourceName="aks",
        vmSize=D4,
        count=2,
        enableAutoScaling=True,
        minCount=1,
        maxCount=5,
    )
    nodes = one(run(aks(), pool, profile="inference-diurnal"), "auto", "node-hours")
    assert nodes.quantity == (1 + 5) * HOURS_PER_MONTH / 2, "half the month at max, half at min"
    fixed = res(POOL, "fixed", resourceName="aks", vmSize=D4, count=2, minCount=1, maxCount=5)
    assert one(run(aks(), fixed, profile="inference-diurnal"), "fixed", "node-hours").quantity == (
        2 * HOURS_PER_MONTH
    ), "without enableAutoScaling min and max are not used"


def test_a_named_pool_says_its_name_on_its_line() -> None:
    pool = res(POOL, "p", resourceName="aks", vmSize=D4, count=1, name="gpupool")
    nodes = one(run(aks(), pool), "p", "node-hours")
    assert nodes.description.startswith("pool gpupool: ")


def test_a_pool_takes_the_region_of_the_cluster_it_names_not_of_another() -> None:
    west = aks("west", location="westus")
    east = aks("east", location="eastus")
    pool = res(POOL, "p", resourceName="east", resourceGroupName="rg", vmSize=D4, count=1)
    nodes = one(run(west, east, pool), "p", "node-hours")
    assert nodes.region == "eastus"
    assert "region of its cluster east" in nodes.assumptions
    assert nodes.monthly_cost_usd == HOURS_PER_MONTH * hourly(D4, region="eastus")
    assert hourly(D4, region="eastus") != hourly(D4, region="westus"), "the two regions must differ"


def test_a_pool_sized_only_in_its_deployed_outputs_is_priced_by_them() -> None:
    pool = res(
        POOL,
        "p",
        outputs={"vmSize": D4, "count": 1, "minCount": 1, "maxCount": 3},
        resourceName="aks",
        enableAutoScaling=True,
    )
    nodes = one(run(aks(), pool, profile="inference-diurnal"), "p", "node-hours")
    assert nodes.monthly_cost_usd == (1 + 3) * HOURS_PER_MONTH / 2 * hourly(D4)


def test_a_classic_pool_sized_in_its_outputs_runs_between_its_min_and_max() -> None:
    classic = res("azure:containerservice/kubernetesCluster:KubernetesCluster", "kc", location=REGION)
    pool = res(
        "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool",
        "np",
        outputs={"vmSize": D4},
        kubernetesClusterId="kc",
        minCount=2,
        maxCount=4,
    )
    nodes = one(run(classic, pool, profile="inference-diurnal"), "np", "node-hours")
    assert nodes.quantity == (2 + 4) * HOURS_PER_MONTH / 2
    assert nodes.monthly_cost_usd == nodes.quantity * hourly(D4)


def test_a_spot_max_price_is_said_only_when_it_caps_the_price() -> None:
    capped = res(POOL, "c", resourceName="aks", vmSize=D4, count=1, scaleSetPriority="Spot", spotMaxPrice=0.5)
    open_ = res(POOL, "o", resourceName="aks", vmSize=D4, count=1, scaleSetPriority="Spot", spotMaxPrice=-1)
    result = run(aks(), capped, open_)
    note = "spotMaxPrice 0.5 caps the spot price; the catalog's spot price is used"
    assert note in one(result, "c", "node-hours").assumptions
    assert not any("spotMaxPrice" in a for a in one(result, "o", "node-hours").assumptions)


# -- the cluster's tier ------------------------------------------------------------------------------------


def test_a_premium_cluster_pays_the_premium_rate_and_says_it_includes_long_term_support() -> None:
    result = run(aks("prem", sku={"tier": "Premium"}), aks("std", sku={"tier": "Standard"}))
    prem = one(result, "prem", "cluster-hours")
    rate = CATALOG.service_price("azure", "aks", "premium-cluster-hour", REGION)
    assert rate is not None, "the catalog names the Premium tier"
    if rate.usd is None:  # named but not yet priced: unpriced with the item named, never the Standard rate
        assert prem.monthly_cost_usd is None
        assert prem.reason == "no aks premium-cluster-hour price in the catalog"
    else:
        assert prem.monthly_cost_usd == HOURS_PER_MONTH * rate.usd
        assert rate.usd != service("aks", "standard-cluster-hour")
    assert "AKS Premium tier: Standard plus Long Term Support" in prem.assumptions
    assert not any("Premium" in a for a in one(result, "std", "cluster-hours").assumptions)


def test_an_unknown_tier_is_an_unpriced_control_plane_line_never_free() -> None:
    result = run(aks("gold", sku={"tier": "Gold"}))
    plane = one(result, "gold", "cluster-hours")
    assert plane.monthly_cost_usd is None
    assert plane.reason == "unknown AKS tier 'Gold'"
    assert plane.description.startswith("AKS control plane, Gold tier")
    assert "gold" not in {s.resource for s in result.free}


def test_a_free_tier_cluster_with_inline_pools_notes_the_free_control_plane() -> None:
    profiles = [{"name": "sys", "vmSize": D4, "count": 2}]
    result = run(
        aks("given", sku={"tier": "Free"}, agentPoolProfiles=profiles),
        aks("dflt", agentPoolProfiles=profiles),
    )
    given = one(result, "given", "node-hours")
    assert given.monthly_cost_usd == 2 * HOURS_PER_MONTH * hourly(D4)
    assert "AKS Free tier control plane: no charge" in given.assumptions
    assert (
        "AKS Free tier control plane: no charge (no sku.tier: AKS's default)"
        in one(result, "dflt", "node-hours").assumptions
    )
    assert not [ln for ln in result.lines if ln.unit == "cluster-hours"], "no control-plane line when free"


# -- VMs, scale sets and capacity reservations -------------------------------------------------------------


def test_spot_and_low_priority_vms_are_spot_and_a_reserved_vm_is_a_reservation() -> None:
    result = run(
        res(VM, "spot", location=REGION, hardwareProfile={"vmSize": D4}, priority="Spot"),
        res(VM, "low", location=REGION, hardwareProfile={"vmSize": D4}, priority="Low"),
        res(VM, "plain", location=REGION, hardwareProfile={"vmSize": D4}, priority="Regular"),
        res(
            VM,
            "held",
            location=REGION,
            hardwareProfile={"vmSize": D4},
            capacityReservation={"capacityReservationGroup": {"id": "/sub/crg"}},
        ),
    )
    assert one(result, "spot", "instance-hours").purchase_option == "spot"
    assert one(result, "low", "instance-hours").purchase_option == "spot"
    assert one(result, "plain", "instance-hours").purchase_option == "on_demand"
    assert one(result, "held", "instance-hours").purchase_option == "reservation"


def test_a_reservation_used_by_a_vm_or_a_scale_set_is_not_priced_twice() -> None:
    reservation = res(RESERVATION, "crg-d4", location=REGION, sku={"name": D4, "capacity": 2})
    vm = res(
        VM,
        "vm",
        location=REGION,
        hardwareProfile={"vmSize": D4},
        capacityReservation={"capacityReservationGroup": {"id": "/sub/crg"}},
    )
    vmss = res(
        VMSS,
        "ss",
        location=REGION,
        sku={"name": D4, "capacity": 2},
        virtualMachineProfile={"capacityReservation": {"capacityReservationGroup": {"id": "/sub/crg"}}},
    )
    for user in (vm, vmss):
        result = run(reservation, user)
        assert "crg-d4" in {s.resource for s in result.free}, user.name
        assert not [ln for ln in result.lines if ln.resource == "crg-d4"], user.name


def test_a_reservation_no_pool_uses_is_priced_for_its_capacity_all_month() -> None:
    result = run(
        res(RESERVATION, "two", location=REGION, sku={"name": D4, "capacity": 2}),
        res(RESERVATION, "none", location=REGION, sku={"name": D4}),
    )
    two = one(result, "two", "reserved VM-hours")
    assert two.purchase_option == "reservation"
    assert two.quantity == 2 * HOURS_PER_MONTH
    assert two.monthly_cost_usd == 2 * HOURS_PER_MONTH * hourly(D4)
    assert one(result, "none", "reserved VM-hours").quantity == 0, "no capacity: no reserved VM"


def test_a_scale_set_without_a_sku_is_unpriced_with_the_reason() -> None:
    line = one(run(res(VMSS, "bare", location=REGION)), "bare", "node-hours")
    assert line.monthly_cost_usd is None and line.reason == "no sku.name on the scale set"


# -- storage -----------------------------------------------------------------------------------------------

AMLFS = "azure-native:storagecache:AmlFilesystem"


def test_lustre_without_a_size_says_so_and_an_hsm_link_is_noted() -> None:
    result = run(
        res(AMLFS, "nosize", location=REGION, sku={"name": "AMLFS-Durable-Premium-250"}),
        res(
            AMLFS,
            "hsm",
            location=REGION,
            sku={"name": "AMLFS-Durable-Premium-250"},
            storageCapacityTiB=8,
            hsm={"settings": {"container": "/sub/c", "loggingContainer": "/sub/l"}},
        ),
    )
    nosize = one(result, "nosize", "GiB-months")
    assert nosize.reason == "no storageCapacityTiB on the file system"
    assert nosize.description == "Azure Managed Lustre AMLFS-Durable-Premium-250"
    hsm = one(result, "hsm", "GiB-months")
    assert hsm.description == "Azure Managed Lustre AMLFS-Durable-Premium-250: 8 TiB"
    assert (
        "HSM link: imports and exports are blob transactions billed on the linked storage account "
        "(not modelled)" in hsm.assumptions
    )
    assert not any("HSM" in a for a in nosize.assumptions)


def test_bad_numbers_are_named_by_their_input_path() -> None:
    result = run(
        res(
            AMLFS, "fs", location=REGION, sku={"name": "AMLFS-Durable-Premium-250"}, storageCapacityTiB="lots"
        ),
        res(
            "azure-native:keyvault:Key",
            "key",
            location=REGION,
            properties={"kty": "RSA-HSM", "keySize": "big"},
        ),
    )
    fs = [ln for ln in result.lines if ln.resource == "fs"]
    key = [ln for ln in result.lines if ln.resource == "key"]
    assert len(fs) == 1 and fs[0].reason.startswith("storageCapacityTiB = 'lots' is not a size in TiB")
    assert len(key) == 1 and key[0].reason.startswith("properties.keySize = 'big' is not a count")


def test_an_hsm_key_larger_than_2048_bits_or_ec_is_an_advanced_key() -> None:
    result = run(
        res(
            "azure-native:keyvault:Key",
            "rsa3k",
            location=REGION,
            properties={"kty": "RSA-HSM", "keySize": 3072},
        ),
        res("azure-native:keyvault:Key", "ec", location=REGION, properties={"kty": "EC-HSM"}),
        res("azure-native:keyvault:Key", "rsa", location=REGION, properties={"kty": "RSA-HSM"}),
    )
    advanced = service("key-vault", "hsm-advanced-key-month")
    assert advanced != service("key-vault", "hsm-key-month")
    assert one(result, "rsa3k", "key-months").monthly_cost_usd == advanced
    assert one(result, "ec", "key-months").monthly_cost_usd == advanced
    rsa = one(result, "rsa", "key-months")
    assert rsa.monthly_cost_usd == service("key-vault", "hsm-key-month")
    assert rsa.description == "Key Vault HSM-protected key (RSA-HSM 2048); operations priced on the vault"


def test_blob_versioning_or_soft_delete_adds_the_versions_note_to_its_account_only() -> None:
    def props(name: str, account: str, **inputs: Any) -> PlannedResource:
        return res("azure-native:storage:BlobServiceProperties", name, accountName=account, **inputs)

    accounts = [res(ACCOUNT, n, location=REGION, accountName=n) for n in ("ver", "soft", "off", "none")]
    result = run(
        *accounts,
        props("p1", "ver", isVersioningEnabled=True),
        props("p2", "soft", deleteRetentionPolicy={"enabled": True, "days": 7}),
        props("p3", "off", isVersioningEnabled=False, deleteRetentionPolicy={"enabled": False}),
    )
    note = "blob versioning and soft delete are on"
    for name, noted in (("ver", True), ("soft", True), ("off", False), ("none", False)):
        assumptions = one(result, name, "GiB-months").assumptions
        assert any(a.startswith(note) for a in assumptions) is noted, name


def test_an_account_without_a_sku_is_hot_lrs_blob() -> None:
    usage = UsageFile(resources={"a": ResourceUsage(storage_gib=100)})
    line = one(run(res(ACCOUNT, "a", location=REGION), usage=usage), "a", "GiB-months")
    hot = CATALOG.storage_price("azure", "blob", "Hot-LRS", REGION)
    assert hot is not None and hot.usd_per_gib_month is not None
    assert line.description == "Blob storage Hot-LRS: 100 GiB"
    assert line.monthly_cost_usd == 100 * hot.usd_per_gib_month


def test_file_shares_premium_priced_by_quota_in_their_accounts_region_standard_unpriced() -> None:
    premium = res(ACCOUNT, "prem", location="westus", sku={"name": "Premium_LRS"}, kind="FileStorage")
    standard = res(ACCOUNT, "std", location="westus", sku={"name": "Standard_LRS"})
    result = run(
        premium,
        standard,
        res("azure-native:storage:FileShare", "share", accountName="prem", shareQuota=100),
        res(
            "azure-native:storage:FileShare",
            "nfs",
            accountName="prem",
            shareQuota=100,
            enabledProtocols="NFS",
        ),
        res("azure-native:storage:FileShare", "cheap", accountName="std", shareQuota=100),
    )
    files = CATALOG.storage_price("azure", "azure-files", "Premium-LRS", "westus")
    assert files is not None and files.usd_per_gib_month is not None
    share = one(result, "share", "GiB-months")
    assert share.description == "Azure Files Premium-LRS SMB share, provisioned: 100 GiB"
    assert share.monthly_cost_usd == 100 * files.usd_per_gib_month
    assert "region of its storage account prem" in share.assumptions
    assert (
        one(result, "nfs", "GiB-months").description
        == "Azure Files Premium-LRS NFS share, provisioned: 100 GiB"
    )
    cheap = one(result, "cheap", "GiB-months")
    assert cheap.description == "Azure Files standard share" and cheap.monthly_cost_usd is None
    assert cheap.reason == "standard (pay-as-you-go) Azure Files shares are not in the catalog"


# -- free --------------------------------------------------------------------------------------------------


def test_azure_configuration_resources_are_free_with_their_reason() -> None:
    free_types = {
        "azure-native:network:VirtualNetwork": "networking configuration: no charge",
        "azure-native:network:Subnet": "networking configuration: no charge",
        "azure-native:network:NetworkSecurityGroup": "networking configuration: no charge",
        "azure-native:network:SecurityRule": "networking configuration: no charge",
        "azure-native:network:RouteTable": "networking configuration: no charge",
        "azure-native:network:Route": "networking configuration: no charge",
        "azure-native:containerservice:MaintenanceConfiguration": "AKS planned maintenance window: no charge",
        "azure-native:managedidentity:UserAssignedIdentity": "identity and access: no charge",
        "azure-native:managedidentity:FederatedIdentityCredential": "identity and access: no charge",
        "azure-native:compute:CapacityReservationGroup": (
            "placement: no charge (capacity reservations inside a group are priced on their own)"
        ),
        "azure-native:storage:BlobContainer": (
            "storage account configuration: no charge (capacity is priced on the storage account)"
        ),
        "azure-native:storage:BlobServiceProperties": (
            "storage account configuration: no charge (capacity is priced on the storage account)"
        ),
        "azure-native:storage:ManagementPolicy": (
            "storage account configuration: no charge (capacity is priced on the storage account)"
        ),
        "azure-native:storage:FileServiceProperties": (
            "storage account configuration: no charge (capacity is priced on the storage account)"
        ),
        "azure-native:keyvault:Secret": (
            "Key Vault secret: no charge by itself (requests to it are billed as its vault's operations, "
            "priced on the vault from the usage file)"
        ),
    }
    resources = [res(t, f"r{i}", location=REGION) for i, t in enumerate(free_types)]
    result = run(*resources)
    assert {s.resource: s.reason for s in result.free} == {r.name: free_types[r.type] for r in resources}
    assert not result.unsupported and not result.lines
