"""Azure service estimate rules (estimate/rules/azure_services.py): managed disks by billed tier, a VM's OS
and data disks and Windows licence, Azure SQL, App Service plans, load balancers, the classic provider's
VMs, public IPs, load balancers and AKS clusters, and the free types; and one program planned under the
mocks. Prices are read from the shipped catalog, never hard-coded; an unpriced line says why and names the
fix."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.rules.azure_services import CLASSIC_FREE_TYPES, FREE_TYPES, disk_tier, sql_sku
from aiinfra.estimate.usage import ResourceUsage, UsageFile
from tests.conftest import line

D = Decimal
CATALOG = default_catalog()
VM = "azure-native:compute:VirtualMachine"
LB = "azure-native:network:LoadBalancer"
PLAN = "azure-native:web:AppServicePlan"
SQLDB = "azure-native:sql:Database"


def res(type_token: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_token,
        name=name,
        urn=f"urn:pulumi:t::p::{type_token}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, **usage: dict[str, Any]) -> Estimate:
    graph = ResourceGraph(
        stack="t", project="p", resources=list(resources), config={"azure-native:location": "eastus"}
    )
    file = UsageFile(resources={k: ResourceUsage.model_validate(v) for k, v in usage.items()})
    return estimate(graph, CATALOG, usage=file, usage_path="stacks/usage.t.yaml")


def lines(result: Estimate, resource: str, unit: str) -> list[Line]:
    return [ln for ln in result.lines if ln.resource == resource and ln.unit == unit]


def price(service: str, item: str) -> Decimal:
    row = CATALOG.service_price("azure", service, item, "eastus")
    assert row is not None and row.usd is not None, f"the catalog prices {service} {item}"
    return row.usd


def hourly(instance_type: str) -> Decimal:
    offer = CATALOG.offer(instance_type, "eastus")
    assert offer is not None and offer.on_demand is not None, f"the catalog prices {instance_type} in eastus"
    return offer.on_demand


# -- managed disks --------------------------------------------------------------------------------------------


def test_a_disk_is_billed_as_the_next_tier_up_for_its_sku() -> None:
    assert disk_tier("Premium_LRS", D(100)) == ("P10", 128)
    assert disk_tier("Premium_ZRS", D(128)) == ("P10", 128)
    assert disk_tier("StandardSSD_LRS", D(4)) == ("E1", 4)
    assert disk_tier("Standard_LRS", D(10)) == ("S4", 32), "Standard HDD starts at 32 GiB"
    assert disk_tier("Premium_LRS", D(32767)) == ("P80", 32767)
    assert "above the largest" in str(disk_tier("Premium_LRS", D(40000)))
    assert "IOPS and throughput" in str(disk_tier("PremiumV2_LRS", D(100)))
    assert "IOPS and throughput" in str(disk_tier("UltraSSD_LRS", D(100)))


def test_a_managed_disk_is_its_billed_tiers_price_and_a_tier_without_a_row_names_where_it_is_priced() -> None:
    result = run(
        res("azure-native:compute:Disk", "data", sku={"name": "Premium_LRS"}, diskSizeGB=100),
        res("azure-native:compute:Disk", "plain", diskSizeGB=100),
        res("azure-native:compute:Disk", "big", sku={"name": "Premium_LRS"}, diskSizeGB=200),
        res(
            "azure-native:compute:Disk",
            "west",
            location="westus2",
            sku={"name": "Premium_LRS"},
            diskSizeGB=100,
        ),
        res("azure-native:compute:Disk", "copy", creationData={"createOption": "Copy"}),
    )
    data = line(result, "data", "disk-months")
    assert "Premium_LRS P10 (100 GiB, billed as 128 GiB)" in data.description
    assert data.monthly_cost_usd == price("managed-disk", "Premium_LRS/P10")
    plain = line(result, "plain", "disk-months")
    assert plain.monthly_cost_usd == price("managed-disk", "Standard_LRS/S10")
    assert "no sku.name: Azure's default Standard_LRS" in plain.assumptions
    big = line(result, "big", "disk-months")
    assert big.monthly_cost_usd is None
    assert big.reason.startswith("catalog/data/azure/managed-disk.csv has no Premium_LRS/P15 price in eastus")
    assert big.reason.endswith(
        "it prices Premium_LRS/P15 in 4 regions: francecentral, northeurope, swedencentral, westeurope"
    )
    assert line(result, "west", "disk-months").monthly_cost_usd is None, "eastus prices only"
    assert "comes from the image or source" in line(result, "copy", "disk-months").reason


# -- VMs ------------------------------------------------------------------------------------------------------


def _vm(name: str, **extra: Any) -> PlannedResource:
    return res(VM, name, location="eastus", hardwareProfile={"vmSize": "Standard_B2s"}, **extra)


def test_a_vm_adds_its_os_and_empty_data_disks_and_an_ephemeral_os_disk_adds_nothing() -> None:
    vm = _vm(
        "app",
        storageProfile={
            "osDisk": {"diskSizeGB": 30, "managedDisk": {"storageAccountType": "StandardSSD_LRS"}},
            "dataDisks": [
                {
                    "lun": 0,
                    "createOption": "Empty",
                    "diskSizeGB": 512,
                    "managedDisk": {"storageAccountType": "Premium_LRS"},
                },
                {"lun": 1, "createOption": "Attach"},
            ],
        },
    )
    ephemeral = _vm("eph", storageProfile={"osDisk": {"diffDiskSettings": {"option": "Local"}}})
    untyped = _vm("untyped")
    result = run(vm, ephemeral, untyped)
    assert line(result, "app", "instance-hours").monthly_cost_usd == HOURS_PER_MONTH * hourly("Standard_B2s")
    disks = sorted(ln.description for ln in lines(result, "app", "disk-months"))
    assert disks == [
        "OS disk: StandardSSD_LRS E4 (30 GiB, billed as 32 GiB)",
        "data disk 0: Premium_LRS P20 (512 GiB, billed as 512 GiB)",
    ]
    assert lines(result, "eph", "disk-months") == []
    assert "Azure picks the disk type by VM size" in line(result, "untyped", "disk-months").reason


def test_a_windows_vm_carries_an_unpriced_licence_unless_it_brings_its_own() -> None:
    image = {"imageReference": {"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer"}}
    paying = _vm("win", storageProfile=image)
    hybrid = _vm("ahb", storageProfile=image, licenseType="Windows_Server")
    linux = _vm("lin", storageProfile={"imageReference": {"publisher": "Canonical"}})
    result = run(paying, hybrid, linux)
    licence = [ln for ln in result.lines if ln.description == "Windows Server licence"]
    assert [ln.resource for ln in licence] == ["win"]
    assert "Linux prices only" in licence[0].reason and licence[0].monthly_cost_usd is None


def test_classic_vms_are_priced_by_size_with_their_os_disk_and_a_windows_licence() -> None:
    os_disk = {"storageAccountType": "Premium_LRS", "diskSizeGb": 64}
    lin = res(
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        "l",
        location="eastus",
        size="Standard_B2s",
        osDisk=os_disk,
    )
    win = res(
        "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
        "w",
        location="eastus",
        size="Standard_B2s",
        osDisk=os_disk,
    )
    spot = res(
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        "s",
        location="eastus",
        size="Standard_B2s",
        priority="Spot",
        osDisk=os_disk,
    )
    result = run(lin, win, spot)
    assert line(result, "l", "instance-hours").monthly_cost_usd == HOURS_PER_MONTH * hourly("Standard_B2s")
    assert "Premium_LRS P6" in line(result, "l", "disk-months").description
    assert [
        ln.description for ln in result.lines if ln.resource == "w" and ln.reason.startswith("Windows")
    ] == ["Windows Server licence"]
    assert line(result, "s", "instance-hours").purchase_option == "spot"


CLASSIC_VMSS = "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet"


def test_a_classic_scale_set_is_its_instances_hours_and_each_instances_os_and_empty_data_disks() -> None:
    vmss = res(
        CLASSIC_VMSS,
        "web",
        location="eastus",
        sku="Standard_B2s",
        instances=3,
        osDisk={"storageAccountType": "Premium_LRS", "diskSizeGb": 30},
        dataDisks=[
            {"storageAccountType": "Standard_LRS", "diskSizeGb": 10, "createOption": "Empty", "lun": 0},
            {"storageAccountType": "Standard_LRS", "diskSizeGb": 10, "createOption": "FromImage", "lun": 1},
        ],
    )
    result = run(vmss)
    hours = line(result, "web", "instance-hours")
    assert hours.quantity == 3 * HOURS_PER_MONTH
    assert hours.monthly_cost_usd == 3 * HOURS_PER_MONTH * hourly("Standard_B2s")
    disks = {ln.description: ln for ln in lines(result, "web", "disk-months")}
    assert set(disks) == {
        "OS disk: Premium_LRS P4 (30 GiB, billed as 32 GiB), × 3 instances",
        "data disk 0: Standard_LRS S4 (10 GiB, billed as 32 GiB), × 3 instances",
    }, "a data disk made from another source is its own resource, not the scale set's"
    os_line = disks["OS disk: Premium_LRS P4 (30 GiB, billed as 32 GiB), × 3 instances"]
    assert (os_line.quantity, os_line.monthly_cost_usd) == (3, 3 * price("managed-disk", "Premium_LRS/P4"))
    data = disks["data disk 0: Standard_LRS S4 (10 GiB, billed as 32 GiB), × 3 instances"]
    assert data.monthly_cost_usd == 3 * price("managed-disk", "Standard_LRS/S4")


def test_a_classic_scale_set_without_instances_runs_none_and_bills_no_disks() -> None:
    result = run(res(CLASSIC_VMSS, "web", location="eastus", sku="Standard_B2s", osDisk={}))
    (only,) = result.lines
    assert (only.unit, only.quantity, only.monthly_cost_usd) == ("instance-hours", 0, 0)
    assert "instances = 0 (not set: the classic provider's default)" in only.assumptions
    assert result.unpriced == [], "no disk exists to be unpriced"
    explicit = line(
        run(res(CLASSIC_VMSS, "web", location="eastus", sku="Standard_B2s", instances=0)),
        "web",
        "instance-hours",
    )
    assert "instances = 0" in explicit.assumptions


def test_a_classic_windows_spot_scale_set_is_spot_priced_and_names_its_licence() -> None:
    vmss = res(
        "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet",
        "win",
        location="eastus",
        sku="Standard_B2s",
        instances=2,
        priority="Spot",
        osDisk={"storageAccountType": "Standard_LRS", "diskSizeGb": 32},
    )
    result = run(vmss)
    machine, licence = lines(result, "win", "instance-hours")
    assert machine.purchase_option == "spot" and machine.quantity == 2 * HOURS_PER_MONTH
    assert licence.description == "Windows Server licence" and licence.reason.startswith("Windows")
    unsized = run(res(CLASSIC_VMSS, "u", location="eastus", sku="Standard_B2s", instances=1, osDisk={}))
    assert "no disk size" in line(unsized, "u", "disk-months").reason
    no_sku = run(res(CLASSIC_VMSS, "n", location="eastus", instances=2))
    assert line(no_sku, "n", "instance-hours").reason == "no sku"


# -- Azure SQL and App Service ---------------------------------------------------------------------------------


def test_sql_skus_are_read_as_their_tiers() -> None:
    assert sql_sku("GP_Gen5_2") == "General Purpose, Gen5, 2 vCores"
    assert sql_sku("GP_S_Gen5_1") == "General Purpose serverless, Gen5, up to 1 vCores"
    assert sql_sku("BC_Gen5_8") == "Business Critical, Gen5, 8 vCores"
    assert sql_sku("S0") == "Standard S0 (DTU)" and sql_sku("Basic") == "Basic (DTU)"


def test_sql_databases_bill_dtu_hours_or_vcore_compute_plus_licence_and_the_free_offer_is_free() -> None:
    result = run(
        res(SQLDB, "orders", sku={"name": "S0"}),
        res(SQLDB, "gp", sku={"name": "GP_Gen5_2"}),
        res(SQLDB, "ahb", sku={"name": "GP_Gen5_2"}, licenseType="BasePrice"),
        res(SQLDB, "s2", sku={"name": "S2"}),
        res(SQLDB, "serverless", sku={"name": "GP_S_Gen5_2"}),
        res(SQLDB, "nosku"),
        res(SQLDB, "free", useFreeLimit=True),
        res("azure:mssql/database:Database", "classic", skuName="BC_Gen5_4"),
    )
    assert line(result, "orders", "database-hours").monthly_cost_usd == HOURS_PER_MONTH * price(
        "sql-database", "S0"
    )
    compute = line(result, "gp", "vCore-hours")
    assert compute.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("sql-database", "GP_Gen5/vcore-hour")
    licence = line(result, "gp", "licence vCore-hours")
    assert licence.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("sql-database", "GP/license-vcore-hour")
    assert lines(result, "ahb", "licence vCore-hours") == []
    assert line(result, "classic", "licence vCore-hours").monthly_cost_usd == 4 * HOURS_PER_MONTH * price(
        "sql-database", "BC/license-vcore-hour"
    )
    assert "item: S2" in line(result, "s2", "database-hours").reason
    assert "vCore-second" in line(result, "serverless", "vCore-seconds").reason
    assert "set sku.name" in line(result, "nosku", "database-hours").reason
    assert [s.resource for s in result.free] == ["free"]


def test_app_service_plans_bill_instances_by_os_and_sku_and_the_free_tier_is_free() -> None:
    result = run(
        res(PLAN, "linux", kind="linux", reserved=True, sku={"name": "B1", "capacity": 2}),
        res(PLAN, "win", sku={"name": "P1v3"}),
        res(PLAN, "free", sku={"name": "F1"}),
        res(PLAN, "fn", sku={"name": "Y1"}),
        res(
            "azure:appservice/servicePlan:ServicePlan", "classic", osType="Linux", skuName="S1", workerCount=3
        ),
        res("azure-native:web:WebApp", "site"),
    )
    lin = line(result, "linux", "instance-hours")
    assert lin.quantity == 2 * HOURS_PER_MONTH
    assert lin.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("app-service", "linux/B1")
    win = line(result, "win", "instance-hours")
    assert win.monthly_cost_usd == HOURS_PER_MONTH * price("app-service", "windows/P1v3")
    assert "no sku.capacity: one instance" in win.assumptions
    assert price("app-service", "windows/P1v3") > price("app-service", "linux/P1v3")
    assert "executions" in line(result, "fn", "executions").reason
    classic = line(result, "classic", "instance-hours")
    assert classic.monthly_cost_usd == 3 * HOURS_PER_MONTH * price("app-service", "linux/S1")
    legacy = run(res(PLAN, "legacy", sku={"name": "I1"}))
    assert "item: windows/I1" in line(legacy, "legacy", "instance-hours").reason
    assert {s.resource for s in result.free} == {"free", "site"}


# -- load balancers and public IPs -----------------------------------------------------------------------------


def test_a_standard_load_balancer_pays_its_hours_rules_above_five_and_data_from_usage() -> None:
    rules = [{"name": f"r{i}"} for i in range(6)]
    lb = res(LB, "lb", sku={"name": "Standard"}, loadBalancingRules=rules, outboundRules=[{"name": "out"}])
    basic = res(LB, "old")
    result = run(lb, basic, lb={"dataProcessedGB": 1000})
    assert line(result, "lb", "hours").monthly_cost_usd == HOURS_PER_MONTH * price(
        "load-balancer", "standard-hour"
    )
    extra = line(result, "lb", "rule-hours")
    assert extra.quantity == 2 * HOURS_PER_MONTH
    assert extra.monthly_cost_usd == 2 * HOURS_PER_MONTH * price("load-balancer", "standard-rule-hour")
    assert line(result, "lb", "GB processed").monthly_cost_usd == 1000 * price(
        "load-balancer", "gb-processed"
    )
    assert [s.resource for s in result.free] == ["old"] and "retired" in result.free[0].reason
    no_usage = run(lb)
    assert "set dataProcessedGB for lb" in line(no_usage, "lb", "GB processed").reason
    assert (
        lines(
            run(res(LB, "few", sku={"name": "Standard"}, loadBalancingRules=rules[:5])), "few", "rule-hours"
        )
        == []
    )


def test_a_classic_load_balancer_counts_the_rule_resources_that_name_it() -> None:
    lb = res(CLASSIC_LB := "azure:lb/loadBalancer:LoadBalancer", "lb", location="eastus", sku="Standard")
    other = res(CLASSIC_LB, "other", location="eastus", sku="Standard")
    rules = [res("azure:lb/rule:Rule", f"r{i}", loadbalancerId="lb-id") for i in range(6)]
    rules.append(res("azure:lb/outboundRule:OutboundRule", "out", loadbalancerId="other-id"))
    result = run(lb, other, *rules)
    assert line(result, "lb", "rule-hours").quantity == HOURS_PER_MONTH
    assert lines(result, "other", "rule-hours") == []
    assert len([s for s in result.free if s.type == "azure:lb/rule:Rule"]) == 6


def test_a_classic_public_ip_defaults_to_standard_and_basic_is_unpriced() -> None:
    result = run(
        res("azure:network/publicIp:PublicIp", "ip", location="eastus"),
        res("azure:network/publicIp:PublicIp", "basic", location="eastus", sku="Basic"),
    )
    ip = line(result, "ip", "IP-hours")
    assert ip.monthly_cost_usd == HOURS_PER_MONTH * price("public-ip", "standard-ip-hour")
    assert "no sku: pulumi-azure 6's default Standard" in ip.assumptions
    assert line(result, "basic", "IP-hours").monthly_cost_usd is None


def test_a_classic_aks_cluster_prices_its_tier_and_default_pool() -> None:
    cluster = res(
        "azure:containerservice/kubernetesCluster:KubernetesCluster",
        "aks",
        location="eastus",
        skuTier="Standard",
        defaultNodePool={"name": "system", "vmSize": "Standard_B2s", "nodeCount": 3},
    )
    free_tier = res(
        "azure:containerservice/kubernetesCluster:KubernetesCluster",
        "dev",
        location="eastus",
        defaultNodePool={"name": "default", "vmSize": "Standard_B2s"},
    )
    result = run(cluster, free_tier)
    assert line(result, "aks", "cluster-hours").monthly_cost_usd == HOURS_PER_MONTH * price(
        "aks", "standard-cluster-hour"
    )
    nodes = line(result, "aks", "node-hours")
    assert nodes.monthly_cost_usd == 3 * HOURS_PER_MONTH * hourly("Standard_B2s")
    assert nodes.description.startswith("pool system:")
    dev = line(result, "dev", "node-hours")
    assert dev.quantity == HOURS_PER_MONTH and "AKS Free tier control plane: no charge" in dev.assumptions
    assert lines(result, "dev", "cluster-hours") == []


# -- free types -------------------------------------------------------------------------------------------------


def test_configuration_entra_and_classic_types_are_free_with_a_reason() -> None:
    result = run(
        res("azure-native:network:NetworkInterface", "nic"),
        res("azuread:index/application:Application", "app"),
        res("azuread:index/servicePrincipal:ServicePrincipal", "sp"),
        res("azure:core/resourceGroup:ResourceGroup", "rg"),
        res("azure:network/subnet:Subnet", "subnet"),
    )
    assert result.lines == [] and result.unsupported == []
    reasons = {s.resource: s.reason for s in result.free}
    assert set(reasons) == {"nic", "app", "sp", "rg", "subnet"}
    assert "Entra ID" in reasons["app"] and "no charge" in reasons["nic"]


def test_every_native_and_entra_type_listed_free_is_a_real_token() -> None:
    import pulumi_azure_native
    import pulumi_azuread

    missing = []
    for token in FREE_TYPES:
        package, module, kind = token.split(":")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()
        if package == "azuread":
            path = Path(pulumi_azuread.__file__).parent / f"{snake}.py"
        else:
            path = Path(pulumi_azure_native.__file__).parent / module / f"{snake}.py"
        if not path.exists() or f"'{token}'" not in path.read_text():
            missing.append(token)
    assert missing == [], f"free types the installed SDKs do not define: {missing}"
    assert all(t.startswith("azure:") and t.count(":") == 2 for t in CLASSIC_FREE_TYPES)


# -- a program planned under the mocks ----------------------------------------------------------------------------


def _program() -> None:
    import pulumi_azure_native as azure
    import pulumi_azuread as azuread

    rg = azure.resources.ResourceGroup("rg", location="eastus")
    azure.compute.Disk(
        "data",
        resource_group_name=rg.name,
        location="eastus",
        sku={"name": "Premium_LRS"},
        disk_size_gb=256,
        creation_data={"create_option": "Empty"},
    )
    azure.network.LoadBalancer("lb", resource_group_name=rg.name, location="eastus", sku={"name": "Standard"})
    azure.web.AppServicePlan("plan", resource_group_name=rg.name, location="eastus", sku={"name": "F1"})
    azuread.Application("app", display_name="app")


def test_a_program_with_a_disk_a_load_balancer_a_free_plan_and_an_entra_app_is_estimated() -> None:
    graph = plan_program(_program, stack="t", config={"azure-native:location": "eastus"})
    result = estimate(
        graph,
        CATALOG,
        usage=UsageFile(resources={"lb": ResourceUsage.model_validate({"dataProcessedGB": 10})}),
    )
    assert result.unsupported == [], [s.type for s in result.unsupported]
    assert {s.resource for s in result.free} == {"rg", "plan", "app"}
    lb_cost = HOURS_PER_MONTH * price("load-balancer", "standard-hour") + 10 * price(
        "load-balancer", "gb-processed"
    )
    assert result.monthly_cost_usd == pytest.approx(lb_cost)
    disk = line(result, "data", "disk-months")
    assert "Premium_LRS P15" in disk.description and disk.monthly_cost_usd is None


def test_log_analytics_and_application_insights_take_ingestion_from_usage_and_have_no_catalog_price() -> None:
    result = run(
        res("azure-native:operationalinsights:Workspace", "logs"),
        res("azure-native:applicationinsights:Component", "ai"),
        logs={"logIngestedGB": 50},
    )
    logs = line(result, "logs", "GB ingested")
    assert logs.quantity == 50 and "item: gb-ingested" in logs.reason and logs.monthly_cost_usd is None
    assert "set logIngestedGB for ai" in line(result, "ai", "GB ingested").reason


def test_a_container_registry_is_its_skus_daily_price_and_a_sku_without_a_row_names_it() -> None:
    result = run(
        res("azure-native:containerregistry:Registry", "acr", location="westeurope", sku={"name": "Basic"}),
        res("azure:containerregistry/registry:Registry", "classic", location="westeurope", sku="Standard"),
    )
    acr = line(result, "acr", "registry-days")
    row = CATALOG.service_price("azure", "container-registry", "Basic-day", "westeurope")
    assert row is not None and row.usd is not None
    assert acr.monthly_cost_usd == HOURS_PER_MONTH / 24 * row.usd
    assert "item: Standard-day" in line(result, "classic", "registry-days").reason
