"""`infra estimate --from` on Azure stack exports the real Pulumi CLI wrote (the recorded `TestProviderUpgrade`
stacks of pulumi/pulumi-azure-native and of the classic pulumi/pulumi-azure; provenance and licence in
tests/data/real/README.md, contents unaltered): AKS clusters and agent pools whose OS disks only the deployed
outputs describe, an explicit API version's type token (`containerservice/v20240102preview`), a cluster in
another region than its provider, VMs whose OS disk type or size Azure chose, the classic provider's AKS
default pool and legacy VM. Expected amounts come from the shipped catalog's rows (read
here, never copied); where a row is missing, the line must be unpriced and name the row to add. Also: what
the document reader says of a document (a step left out, a type read as another) reaches the estimate."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiinfra import clouds
from aiinfra.catalog import default_catalog
from aiinfra.cli.main import app
from aiinfra.estimate.model import HOURS_PER_MONTH

REAL = Path(__file__).parent / "data" / "real"
CATALOG = default_catalog()
CENT = Decimal("0.01")
POOLS = "azure-native-aks-agentpool-2.90.0-stack.json"
VERSIONED = "azure-native-aks-api-version-2.90.0-stack.json"
VM = "azure-native-networked-vm-2.76.0-stack.json"
SQL = "azure-native-sql-database-2.76.0-stack.json"
CLASSIC_AKS = "azure-classic-aks-5.89.0-stack.json"
CLASSIC_VM = "azure-classic-vm-datadisk-5.89.0-stack.json"


def run(source: str, *argv: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["estimate", "--from", source, *argv])
    return result.exit_code, result.stdout


def estimate_of(name: str) -> dict[str, Any]:
    code, out = run(str(REAL / name), "--format", "json")
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def lines(out: dict[str, Any], resource: str, unit: str) -> list[dict[str, Any]]:
    return [ln for ln in out["lines"] if ln["resource"] == resource and ln["unit"] == unit]


def hourly(size: str, region: str) -> Decimal:
    offer = CATALOG.offer(size, region)
    assert offer is not None and offer.on_demand is not None, f"the catalog prices {size} in {region}"
    return offer.on_demand


def monthly(price: Decimal, count: int) -> Decimal:
    return (price * HOURS_PER_MONTH * count).quantize(CENT)


def disk_row(item: str, region: str) -> Decimal | None:
    found = CATALOG.service_price("azure", "managed-disk", item, region)
    return found.usd if found is not None else None


def check_disk_line(line: dict[str, Any], item: str, region: str, disks: Decimal) -> None:
    """Priced from the catalog row when there is one; else unpriced, naming the row to add (never $0)."""
    price = disk_row(item, region)
    assert Decimal(str(line["quantity"])) == disks
    if price is None:
        assert line["monthly_cost_usd"] is None
        assert f"no {item} price in {region}" in line["reason"], "names the row and the region it lacks"
    else:
        assert Decimal(str(line["monthly_cost_usd"])) == (price * disks).quantize(CENT)


# -- an AKS cluster with an inline system pool and a separate user pool (westus2) --------------------------


def test_aks_pools_are_priced_per_node_and_their_os_disks_come_from_the_deployed_outputs() -> None:
    out = estimate_of(POOLS)
    (system,) = lines(out, "cluster", "node-hours")
    assert system["description"].startswith(
        "pool systempool: 2 × Standard_D2s_v3 (CPU only), on-demand, westus2"
    )
    assert Decimal(str(system["monthly_cost_usd"])) == monthly(hourly("Standard_D2s_v3", "westus2"), 2)
    (user,) = lines(out, "pool", "node-hours")
    assert user["description"].startswith("0 × Standard_D2s_v3"), "count 0: no node, nothing billed"
    assert Decimal(str(user["monthly_cost_usd"])) == 0
    (system_disks,) = lines(out, "cluster", "disk-months")
    assert "Premium_LRS P10 (128 GiB" in system_disks["description"]
    check_disk_line(system_disks, "Premium_LRS/P10", "westus2", Decimal(2))
    assert "agentPoolProfiles[0].osDiskType = Managed from deployed outputs" in system_disks["assumptions"]
    assert not any("osDiskSizeGB" in a for a in system_disks["assumptions"]), "an input: not from outputs"
    (user_disks,) = lines(out, "pool", "disk-months")
    check_disk_line(user_disks, "Premium_LRS/P10", "westus2", Decimal(0))
    assert "osDiskType = Managed from deployed outputs" in user_disks["assumptions"]
    for line in (system_disks, user_disks):
        assert "no osDiskType" not in (line["reason"] or ""), "the outputs say Managed: not left to AKS"


def test_the_lower_case_vm_size_aks_keeps_takes_premium_ssd_os_disks() -> None:
    document = json.loads((REAL / POOLS).read_text())
    sizes = {r.get("inputs", {}).get("vmSize") for r in document["deployment"]["resources"]}
    assert "standard_d2s_v3" in sizes, "the recording spells the size in lower case"
    out = estimate_of(POOLS)
    assert not any("takes no Premium SSD" in (ln["reason"] or "") for ln in out["lines"])


def test_the_free_tier_cluster_has_no_control_plane_line_and_the_total_is_its_pools() -> None:
    out = estimate_of(POOLS)
    assert not lines(out, "cluster", "cluster-hours"), "Free tier: no control-plane charge"
    priced = sum(
        Decimal(str(ln["monthly_cost_usd"])) for ln in out["lines"] if ln["monthly_cost_usd"] is not None
    )
    assert Decimal(str(out["totals"]["monthly_cost_usd"])) == priced
    assert out["totals"]["unsupported_resources"] == 0
    missing = disk_row("Premium_LRS/P10", "westus2") is None
    assert out["totals"]["unpriced_lines"] == (2 if missing else 0)


# -- an explicit API version (a YAML program; the resource group and cluster in eastus, the provider westus2)


def test_a_versioned_managed_cluster_is_estimated_as_the_managed_cluster_it_is() -> None:
    out = estimate_of(VERSIONED)
    assert out["unsupported"] == [], "the versioned token is not left unsupported"
    (pool,) = lines(out, "cluster", "node-hours")
    assert pool["type"] == "azure-native:containerservice:ManagedCluster"
    assert pool["description"].startswith("pool agentpool: 1 × Standard_DS2_v2 (CPU only), on-demand, eastus")
    assert Decimal(str(pool["monthly_cost_usd"])) == monthly(hourly("Standard_DS2_v2", "eastus"), 1)
    (disks,) = lines(out, "cluster", "disk-months")
    check_disk_line(disks, "Premium_LRS/P10", "eastus", Decimal(1))
    assert (
        "azure-native:containerservice/v20240102preview:ManagedCluster is read as "
        "azure-native:containerservice:ManagedCluster: the same Azure resource at an explicit API version, "
        "estimated with that type's rules"
    ) in out["warnings"]


def test_the_versioned_clusters_estimate_is_complete_and_its_total_exact_in_the_table() -> None:
    out = estimate_of(VERSIONED)
    expected = monthly(hourly("Standard_DS2_v2", "eastus"), 1) + (disk_row("Premium_LRS/P10", "eastus") or 0)
    assert out["totals"]["unpriced_lines"] == 0
    assert Decimal(str(out["totals"]["monthly_cost_usd"])) == expected
    code, table = run(str(REAL / VERSIONED))
    assert code == 0
    total = next(ln for ln in table.splitlines() if ln.startswith("│ total"))
    assert "≥" not in total and f"{expected:,.2f}" in total
    assert "warning: azure-native:containerservice/v20240102preview:ManagedCluster is read as" in table


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        (
            "azure-native:containerservice/v20240102preview:ManagedCluster",
            "azure-native:containerservice:ManagedCluster",
        ),
        ("azure-native:compute/v20230301:VirtualMachine", "azure-native:compute:VirtualMachine"),
        ("azure-native:containerservice:AgentPool", "azure-native:containerservice:AgentPool"),
        ("azure:containerservice/kubernetesCluster:KubernetesCluster", None),
        ("azure-native:compute/v2023:VirtualMachine", None),
    ],
)
def test_only_azure_native_api_version_tokens_are_read_as_another_type(
    given: str, canonical: str | None
) -> None:
    profile = clouds.for_type(given)
    assert profile is not None
    assert profile.canonical_type(given) == (canonical or given)


def test_other_clouds_tokens_with_versions_in_their_modules_stay_as_they_are() -> None:
    assert clouds.get("aws").canonical_type("aws:ec2/instance:Instance") == "aws:ec2/instance:Instance"
    assert clouds.for_type("kubernetes:apps/v1:Deployment") is None, "no cloud profile rewrites it"


# -- a VM whose OS disk Azure chose, a basic public IP (westus2) --------------------------------------------


def test_a_vms_os_disk_type_and_size_come_from_its_deployed_outputs() -> None:
    out = estimate_of(VM)
    (disk,) = lines(out, "vm", "disk-months")
    assert disk["description"] == "OS disk: Standard_LRS S4 (30 GiB, billed as 32 GiB)"
    assert disk["region"] == "westus2"
    check_disk_line(disk, "Standard_LRS/S4", "westus2", Decimal(1))
    assert (
        "storageProfile.osDisk.managedDisk.storageAccountType = Standard_LRS from deployed outputs"
        in (disk["assumptions"])
    )
    assert "storageProfile.osDisk.diskSizeGB = 30 from deployed outputs" in disk["assumptions"]


def test_a_retired_vm_size_and_a_basic_ip_are_unpriced_with_what_to_do_and_the_total_is_a_lower_bound() -> (
    None
):
    out = estimate_of(VM)
    assert CATALOG.offer("Standard_A0", "westus2") is None
    (vm,) = lines(out, "vm", "instance-hours")
    assert vm["monthly_cost_usd"] is None
    assert "give its price with `--price Standard_A0=USD_PER_HOUR`" in vm["reason"]
    (ip,) = lines(out, "publicIp", "IP-hours")
    assert ip["monthly_cost_usd"] is None and "basic public IP" in ip["reason"]
    free = {f["resource"] for f in out["free"]}
    assert {"rg", "vnet", "subnet", "networkInterface"} <= free
    code, table = run(str(REAL / VM))
    total = next(ln for ln in table.splitlines() if ln.startswith("│ total"))
    assert code == 0 and "≥" in total and f"{out['totals']['unpriced_lines']} unpriced line(s)" in total


def test_a_price_given_for_the_retired_size_prices_the_vm_as_the_users() -> None:
    code, text = run(str(REAL / VM), "--price", "Standard_A0=0.02", "--format", "json")
    assert code == 0
    (vm,) = lines(json.loads(text), "vm", "instance-hours")
    assert Decimal(str(vm["monthly_cost_usd"])) == monthly(Decimal("0.02"), 1)


def test_the_vms_plain_text_password_input_is_not_printed() -> None:
    shown = run(str(REAL / VM))[1] + run(str(REAL / VM), "--format", "json")[1]
    assert "someFancyp@wd2!" in (REAL / VM).read_text()
    assert "someFancyp@wd2!" not in shown


# -- an Azure SQL database given only its tier (westus2) --------------------------------------------------------


def test_a_sql_database_given_only_its_tier_is_the_service_objective_azure_chose() -> None:
    out = estimate_of(SQL)
    (db,) = [ln for ln in out["lines"] if ln["resource"] == "database"]
    assert db["description"] == "Azure SQL database S0: Standard S0 (DTU)"
    assert "currentServiceObjectiveName = S0 from deployed outputs" in db["assumptions"]
    assert db["quantity"] == float(HOURS_PER_MONTH) and db["unit"] == "database-hours"
    row = CATALOG.service_price("azure", "sql-database", "S0", "westus2")
    if row is None or row.usd is None:
        assert db["monthly_cost_usd"] is None
        assert "no price for sql-database S0 in westus2 in the catalog" in db["reason"]
    else:
        assert Decimal(str(db["monthly_cost_usd"])) == (row.usd * HOURS_PER_MONTH).quantize(CENT)
    assert "no price for sql-database Standard" not in json.dumps(out), "the tier is not priced as a size"


def test_the_sql_server_its_firewall_rules_and_the_random_resources_cost_nothing() -> None:
    out = estimate_of(SQL)
    free = {f["resource"] for f in out["free"]}
    assert {"server", "firewallRuleCorp", "firewallRuleAllowAzure", "adminPassword", "serverName"} <= free
    assert not [ln for ln in out["lines"] if ln["resource"] != "database"]


# -- the classic provider (pulumi-azure 5.89): an AKS cluster's default pool, a legacy VM with a data disk -----


def test_a_classic_aks_default_pool_is_priced_and_its_os_disk_left_unpriced_with_the_reason() -> None:
    out = estimate_of(CLASSIC_AKS)
    (pool,) = lines(out, "exampleKubernetesCluster", "node-hours")
    assert pool["description"].startswith("pool default: 1 × Standard_D2_v2 (CPU only), on-demand, eastus")
    assert Decimal(str(pool["monthly_cost_usd"])) == monthly(hourly("Standard_D2_v2", "eastus"), 1)
    assert "AKS Free tier control plane: no charge" in pool["assumptions"]
    (disks,) = lines(out, "exampleKubernetesCluster", "disk-months")
    assert disks["monthly_cost_usd"] is None
    assert disks["reason"].startswith("Standard_D2_v2 takes no Premium SSD")
    assert Decimal(str(out["totals"]["monthly_cost_usd"])) == Decimal(str(pool["monthly_cost_usd"]))
    assert out["totals"]["unpriced_lines"] == 1


def test_a_classic_vms_os_disk_size_comes_from_its_outputs_and_the_attached_disk_is_priced_once() -> None:
    out = estimate_of(CLASSIC_VM)
    (vm,) = lines(out, "exampleVirtualMachine", "instance-hours")
    assert vm["description"] == "1 × Standard_F2 (CPU only), on-demand, westeurope"
    assert Decimal(str(vm["monthly_cost_usd"])) == monthly(hourly("Standard_F2", "westeurope"), 1)
    (os_disk,) = lines(out, "exampleVirtualMachine", "disk-months")
    assert os_disk["description"] == "OS disk: Standard_LRS S4 (30 GiB, billed as 32 GiB)"
    assert "storageOsDisk.diskSizeGb = 30 from deployed outputs" in os_disk["assumptions"]
    check_disk_line(os_disk, "Standard_LRS/S4", "westeurope", Decimal(1))
    (data,) = [ln for ln in out["lines"] if ln["resource"] == "exampleDisk"]
    assert data["description"] == "managed disk: Standard_LRS S4 (10 GiB, billed as 32 GiB)"
    check_disk_line(data, "Standard_LRS/S4", "westeurope", Decimal(1))
    assert not [ln for ln in out["lines"] if ln["resource"] == "exampleDataDiskAttachment"], (
        "the attachment bills nothing of its own: the disk is priced once, as exampleDisk"
    )


# -- what the reader says of a document reaches the estimate (generated preview) ---------------------------


def test_a_preview_step_the_reader_leaves_out_is_said_in_the_estimate(tmp_path: Path) -> None:
    urn = "urn:pulumi:dev::p::aws:ec2/instance:Instance::"
    state = {"type": "aws:ec2/instance:Instance", "urn": urn + "a", "custom": True}
    steps = [
        {"op": "create", "urn": urn + "a", "newState": {**state, "inputs": {"instanceType": "t3.micro"}}},
        {"op": "create", "urn": urn + "b"},
    ]
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": steps, "changeSummary": {"create": 2}}))
    code, text = run(str(path), "--format", "json")
    assert code == 0
    out = json.loads(text)
    assert f"the preview's create step for {urn}b has no new state; it is left out" in out["warnings"]
    assert [ln["resource"] for ln in out["lines"] if ln["unit"] == "instance-hours"] == ["a"]


def test_a_preview_creating_a_versioned_cluster_names_the_change_by_the_previews_op(tmp_path: Path) -> None:
    provider_urn = "urn:pulumi:dev::p::pulumi:providers:azure-native::default"
    provider = {"urn": provider_urn, "type": "pulumi:providers:azure-native", "custom": True, "id": "abc"}
    provider["inputs"] = {"location": "eastus"}
    versioned = "azure-native:containerservice/v20240102preview:ManagedCluster"
    pool = {
        "name": "sys",
        "count": 2,
        "vmSize": "Standard_D4s_v5",
        "osDiskType": "Ephemeral",
        "mode": "System",
    }
    cluster = {
        "urn": f"urn:pulumi:dev::p::{versioned}::aks",
        "type": versioned,
        "custom": True,
        "inputs": {"location": "eastus", "agentPoolProfiles": [pool]},
    }
    steps = [
        {"op": "same", "urn": provider_urn, "oldState": provider, "newState": provider},
        {"op": "create", "urn": cluster["urn"], "provider": f"{provider_urn}::abc", "newState": cluster},
    ]
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": steps, "changeSummary": {"same": 1, "create": 1}}))
    code, text = run(str(path), "--format", "json")
    assert code == 0
    out = json.loads(text)
    (line,) = out["lines"]
    assert line["type"] == "azure-native:containerservice:ManagedCluster"
    assert Decimal(str(line["monthly_cost_usd"])) == monthly(hourly("Standard_D4s_v5", "eastus"), 2)
    (change,) = out["diff"]["changes"]
    assert change["resource"] == "aks" and change["change"] == "created", "the preview's op, not a guess"


def test_outputs_unknown_until_apply_or_secret_never_stand_in_for_silent_inputs(tmp_path: Path) -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown-until-apply sentinel
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"}
    prefix = "urn:pulumi:dev::p::"
    db = {
        "urn": f"{prefix}azure-native:sql:Database::db",
        "type": "azure-native:sql:Database",
        "custom": True,
        "inputs": {"location": "eastus", "serverName": "s", "sku": {"name": "Standard"}},
        "outputs": {"currentServiceObjectiveName": unknown},
    }
    vm = {
        "urn": f"{prefix}azure-native:compute:VirtualMachine::vm",
        "type": "azure-native:compute:VirtualMachine",
        "custom": True,
        "inputs": {"location": "eastus", "hardwareProfile": {"vmSize": "Standard_D2s_v3"}},
        "outputs": {
            "storageProfile": {
                "osDisk": {"diskSizeGB": secret, "managedDisk": {"storageAccountType": unknown}}
            }
        },
    }
    steps = [{"op": "create", "urn": r["urn"], "newState": r} for r in (db, vm)]
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": steps}))
    code, text = run(str(path), "--format", "json")
    assert code == 0
    out = json.loads(text)
    (database,) = [ln for ln in out["lines"] if ln["resource"] == "db"]
    assert database["description"].startswith("Azure SQL database Standard")
    (disk,) = lines(out, "vm", "disk-months")
    assert (
        disk["monthly_cost_usd"] is None
        and "no storageProfile.osDisk.managedDisk.storageAccountType" in disk["reason"]
    )
    assert not any("from deployed outputs" in a for ln in out["lines"] for a in ln["assumptions"])
    assert unknown not in text


def test_a_preview_without_sames_says_so_once(tmp_path: Path) -> None:
    urn = "urn:pulumi:dev::p::aws:ec2/instance:Instance::a"
    state = {
        "type": "aws:ec2/instance:Instance",
        "urn": urn,
        "custom": True,
        "inputs": {"instanceType": "t3.micro"},
    }
    path = tmp_path / "preview.json"
    doc = {
        "steps": [{"op": "create", "urn": urn, "newState": state}],
        "changeSummary": {"create": 1, "same": 4},
    }
    path.write_text(json.dumps(doc))
    code, text = run(str(path), "--format", "json")
    assert code == 0
    said = [w for w in json.loads(text)["warnings"] if "--show-sames" in w]
    assert len(said) == 1 and said[0].startswith("the preview was taken without --show-sames")
