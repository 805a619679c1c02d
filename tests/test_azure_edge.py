"""Azure Extended Zone edge sites under the recording mocks: the exact children, their key inputs and what must
be absent (public node addresses, local accounts, a public API server, a vault role wider than the key's use),
the KMS key that encrypts the site's etcd secrets, the plan's warnings, and the pure helpers behind them."""

from __future__ import annotations

import dataclasses
import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.cli.main import app
from aiinfra.clouds import azure as azure_profile
from aiinfra.components.azure.edge_site import (
    TYPE,
    ExtendedZoneSite,
    ExtendedZoneSiteArgs,
    gpu_pool_scaling,
    plan_edge_vnet,
)
from aiinfra.components.azure.key_vault import TYPE as KEY_VAULT_COMPONENT
from aiinfra.components.azure.key_vault import VAULT_NAME_MAX, vault_name
from aiinfra.components.azure.resource_group import resource_group_name
from aiinfra.components.stack import build_edge_sites
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate.estimator import estimate
from aiinfra.estimate.model import Estimate
from aiinfra.policy.check import check_graph
from aiinfra.spec.errors import SpecError
from aiinfra.spec.loader import parse_spec
from aiinfra.spec.models import EdgeSite
from tests.conftest import children_of, id_of, names_by_type

GROUP = "azure-native:resources:ResourceGroup"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
VNET = "azure-native:network:VirtualNetwork"
ROLE = "azure-native:authorization:RoleAssignment"
CLUSTER = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
VAULT = "azure-native:keyvault:Vault"
KEY = "azure-native:keyvault:Key"
K8S = "pulumi:providers:kubernetes"
NAMESPACE = "kubernetes:core/v1:Namespace"
HELM = "kubernetes:helm.sh/v3:Release"
ROLES = "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/"
# Built-in role IDs (learn.microsoft.com/azure/role-based-access-control/built-in-roles, read 2026-12-04).
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"
AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
DEPLOYER = "deployer-1"
SIZE = "Standard_NV36ads_A10_v5"
NV_A10 = SIZE
PRICED = "Standard_NC8as_T4_v3"
PRICED_REGION = "eastus"
"""A machine and region the regional catalog prices (it has no westus prices yet, and Extended Zones do not
sell this machine): the estimate tests put a site beside that region to show a zone never takes its price."""


def site(**overrides: Any) -> EdgeSite:
    return EdgeSite.model_validate(
        {
            "name": "lax",
            "cloud": "azure",
            "location": "losangeles",
            "accelerator": "A10",
            "nodes": 2,
            **overrides,
        }
    )


def plan_site(the_site: EdgeSite) -> ResourceGraph:
    def program() -> None:
        ExtendedZoneSite(
            the_site.name,
            ExtendedZoneSiteArgs(
                site=the_site,
                region="westus",
                vm_size=SIZE,
                accelerator="A10",
                tenant_id="tenant-1",
                subscription_id="sub-1",
                deployer_object_id=DEPLOYER,
                tags={"aiinfra:edge-site": the_site.name},
            ),
        )

    return plan_program(program, stack="edge-test", config={})


@pytest.fixture(scope="module")
def graph() -> ResourceGraph:
    return plan_site(site())


def test_an_extended_zone_site_builds_exactly_its_group_identity_network_vault_cluster_gpu_pool_and_plugin(
    graph: ResourceGraph,
) -> None:
    assert names_by_type(children_of(graph, TYPE, "lax")) == {
        (GROUP, "lax-rg"),
        (IDENTITY, "lax-identity"),
        (VNET, "lax-vnet"),
        (KEY_VAULT_COMPONENT, "lax-kv"),
        (ROLE, "lax-net-role"),
        (ROLE, "lax-kms-role"),
        (CLUSTER, "lax-aks"),
        (POOL, "lax-gpu"),
        (ROLE, "lax-deployer-admin"),
        (K8S, "lax-k8s"),
        (NAMESPACE, "lax-gpu-resources-ns"),
        (HELM, "lax-nvidia-device-plugin"),
    }
    assert names_by_type(children_of(graph, KEY_VAULT_COMPONENT, "lax-kv")) == {
        (VAULT, "lax-kv-vault"),
        (KEY, "lax-kv-kms-key"),
    }
    kinds = {r.type for r in graph.resources}
    assert "azure-native:network:NatGateway" not in kinds, "Extended Zones offer no NAT gateway"
    assert "azure-native:network:PublicIPAddress" not in kinds, "no public address is made for the site"
    assert "azure-native:network:PrivateEndpoint" not in kinds, (
        "the KMS vault is reached without a private link"
    )


def test_the_vnet_and_the_cluster_sit_in_the_extended_zone_beside_the_parent_region(
    graph: ResourceGraph,
) -> None:
    zone = {"name": "losangeles", "type": "EdgeZone"}
    vnet = graph.get(VNET, "lax-vnet").inputs
    cluster = graph.get(CLUSTER, "lax-aks").inputs
    assert vnet["extendedLocation"] == cluster["extendedLocation"] == zone
    assert (
        vnet["location"] == cluster["location"] == graph.get(GROUP, "lax-rg").inputs["location"] == "westus"
    )
    assert "extendedLocation" not in graph.get(POOL, "lax-gpu").inputs, "an agent pool takes its cluster's"


def test_the_vnet_has_a_system_and_a_gpu_subnet_without_default_outbound_access(graph: ResourceGraph) -> None:
    vnet = graph.get(VNET, "lax-vnet").inputs
    assert vnet["addressSpace"] == {"addressPrefixes": ["10.64.0.0/20"]}
    subnets = {s["name"]: s for s in vnet["subnets"]}
    assert {n: s["addressPrefix"] for n, s in subnets.items()} == {
        "system": "10.64.0.0/22",
        "gpu": "10.64.4.0/22",
    }
    assert all(s["defaultOutboundAccess"] is False for s in subnets.values())


def test_the_cluster_is_private_entra_only_and_has_no_local_accounts(graph: ResourceGraph) -> None:
    cluster = graph.get(CLUSTER, "lax-aks").inputs
    # No API Server VNet Integration (`enableVnetIntegration`, `subnetId`): Extended Zones do not list it.
    assert cluster["apiServerAccessProfile"] == {"enablePrivateCluster": True, "privateDNSZone": "system"}
    assert "authorizedIPRanges" not in cluster["apiServerAccessProfile"]
    assert cluster["disableLocalAccounts"] is True
    assert cluster["enableRBAC"] is True
    assert cluster["aadProfile"] == {"managed": True, "enableAzureRBAC": True, "tenantID": "tenant-1"}
    assert cluster["sku"] == {"name": "Base", "tier": "Standard"}


def test_the_cluster_uses_cni_overlay_and_leaves_through_the_load_balancer(graph: ResourceGraph) -> None:
    assert graph.get(CLUSTER, "lax-aks").inputs["networkProfile"] == {
        "networkPlugin": "azure",
        "networkPluginMode": "overlay",
        "podCidr": "10.244.0.0/16",
        "serviceCidr": "10.0.0.0/16",
        "dnsServiceIP": "10.0.0.10",
        "outboundType": "loadBalancer",
        "loadBalancerSku": "standard",
    }


def test_the_control_plane_identity_may_manage_the_sites_vnet_use_its_key_and_nothing_wider(
    graph: ResourceGraph,
) -> None:
    cluster = graph.get(CLUSTER, "lax-aks").inputs
    identity = id_of(graph, IDENTITY, "lax-identity")
    assert cluster["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity]}
    roles = [r.inputs for r in graph.resources if r.type == ROLE and r.name != "lax-deployer-admin"]
    assert {(r["roleDefinitionId"], r["scope"]) for r in roles} == {
        (ROLES + NETWORK_CONTRIBUTOR, id_of(graph, VNET, "lax-vnet")),
        (ROLES + KEY_VAULT_CRYPTO_USER, id_of(graph, VAULT, "lax-kv-vault")),
    }, "Key Vault Contributor is for a private vault's private link; a public vault needs Crypto User only"
    assert not any(r["roleDefinitionId"].endswith(KEY_VAULT_CONTRIBUTOR) for r in roles)
    assert {r["principalType"] for r in roles} == {"ServicePrincipal"}
    (principal,) = {r["principalId"] for r in roles}
    assert isinstance(principal, str) and principal, "both roles go to the one control-plane identity"
    assert principal != DEPLOYER


def test_the_deployer_is_cluster_admin_on_the_sites_cluster_alone(graph: ResourceGraph) -> None:
    """As for the regional cluster: Pulumi installs the device plugin with the deployer's Entra identity."""
    admin = graph.get(ROLE, "lax-deployer-admin").inputs
    assert (admin["principalId"], admin["roleDefinitionId"], admin["scope"]) == (
        DEPLOYER,
        ROLES + AKS_RBAC_CLUSTER_ADMIN,
        id_of(graph, CLUSTER, "lax-aks"),
    )
    granted = [r.inputs for r in graph.by_type(ROLE) if r.inputs["principalId"] == DEPLOYER]
    assert granted == [admin], "no role on the vault, the VNet or the resource group"


def test_the_kms_vault_and_key_sit_in_the_parent_region_guarded_by_rbac_and_purge_protection(
    graph: ResourceGraph,
) -> None:
    vault = graph.get(VAULT, "lax-kv-vault").inputs
    assert vault["location"] == "westus" and vault["resourceGroupName"] == "lax-rg"
    assert "extendedLocation" not in vault, "Key Vault is not offered in Extended Zones: the parent region's"
    props = vault["properties"]
    assert props["tenantId"] == "tenant-1"
    assert props["sku"] == {"family": "A", "name": "premium"}, "premium: an HSM-protected key"
    assert props["enableRbacAuthorization"] is True, "no access policies: Entra RBAC alone guards the key"
    assert (
        props["enablePurgeProtection"],
        props["enableSoftDelete"],
        props["softDeleteRetentionInDays"],
    ) == (
        True,
        True,
        90,
    )
    # The legacy KMS plugin cannot pass a firewall that admits only selected networks (KMS docs,
    # "Limitations"), so a vault without API Server VNet Integration is open to every network.
    assert props["publicNetworkAccess"] == "Enabled"
    assert props["networkAcls"] == {"defaultAction": "Allow", "bypass": "AzureServices"}
    assert "ipRules" not in props["networkAcls"] and "virtualNetworkRules" not in props["networkAcls"]
    assert (props["enabledForDeployment"], props["enabledForDiskEncryption"]) == (False, False)
    key = graph.get(KEY, "lax-kv-kms-key").inputs
    assert key["vaultName"] == vault["vaultName"] and key["keyName"] == "aks-kms"
    assert key["properties"]["kty"] == "RSA-HSM" and key["properties"]["keySize"] == 2048
    assert {"encrypt", "decrypt"} <= set(key["properties"]["keyOps"])
    assert "expires" not in key["properties"]["attributes"], "KMS stops decrypting when its key expires"


def test_the_vault_name_fits_azure_and_never_collides_with_a_regional_cluster_of_the_same_name(
    graph: ResourceGraph,
) -> None:
    name = graph.get(VAULT, "lax-kv-vault").inputs["vaultName"]
    assert name.startswith("kv-lax-") and len(name) <= VAULT_NAME_MAX
    regional = vault_name("lax", "sub-1", resource_group_name("edge-test", "lax"))
    assert name != regional, "an edge site and a regional cluster called lax each get their own vault"


def test_the_cluster_encrypts_etcd_secrets_with_the_sites_key_through_a_public_vault(
    graph: ResourceGraph,
) -> None:
    key = graph.get(KEY, "lax-kv-kms-key").inputs
    profile = graph.get(CLUSTER, "lax-aks").inputs["securityProfile"]
    kms = profile["azureKeyVaultKms"]
    assert kms["enabled"] is True
    assert kms["keyVaultNetworkAccess"] == "Public"
    assert kms["keyId"].startswith(f"https://{key['vaultName']}.vault.azure.net/keys/{key['keyName']}/"), (
        "the versioned URI of the site's own key"
    )
    assert "keyVaultResourceId" not in kms, "AKS takes the vault's resource ID only for a private vault"
    assert profile["workloadIdentity"] == {"enabled": True}


def test_the_system_pool_is_small_private_and_for_critical_addons_only(graph: ResourceGraph) -> None:
    (system,) = graph.get(CLUSTER, "lax-aks").inputs["agentPoolProfiles"]
    assert system["name"] == "system"
    assert system["mode"] == "System"
    assert system["count"] == 2
    assert system["vmSize"] == "Standard_D4s_v5"
    assert system["vnetSubnetID"] == id_of(graph, VNET, "lax-vnet") + "/subnets/system"
    assert system["enableNodePublicIP"] is False
    assert system["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]


def test_the_gpu_pool_has_the_sites_machine_taint_labels_and_no_public_addresses(
    graph: ResourceGraph,
) -> None:
    pool = graph.get(POOL, "lax-gpu").inputs
    assert pool["agentPoolName"] == "gpu"
    assert pool["resourceName"] == "lax-aks"
    assert pool["vmSize"] == SIZE
    assert pool["mode"] == "User"
    assert pool["osSKU"] == "Ubuntu", "AKS does not auto-patch Azure Linux GPU pools"
    assert pool["vnetSubnetID"] == id_of(graph, VNET, "lax-vnet") + "/subnets/gpu"
    assert pool["enableNodePublicIP"] is False
    assert pool["nodeTaints"] == ["nvidia.com/gpu=true:NoSchedule"]
    assert pool["nodeLabels"] == {
        "aiinfra.dev/pool": "lax-gpu",
        "aiinfra.dev/edge-site": "lax",
        "aiinfra.dev/accelerator": "A10",
        "aiinfra.dev/accelerator-vendor": "nvidia",
    }
    assert pool["osDiskSizeGB"] == 200
    # AKS installs the GRID driver NVadsA10 v5 needs; the GPU Operator's datacenter driver does not run there.
    assert pool["gpuProfile"] == {"driver": "Install"}
    assert pool["count"] == 2
    assert pool["enableAutoScaling"] is False
    assert "minCount" not in pool and "maxCount" not in pool
    assert "scaleSetPriority" not in pool, "no spot in an Extended Zone"


def test_the_device_plugin_runs_on_the_gpu_nodes_through_the_sites_kubernetes_provider(
    graph: ResourceGraph,
) -> None:
    provider = graph.get(K8S, "lax-k8s")
    kubeconfig = yaml.safe_load(provider.inputs["kubeconfig"])
    (user,) = kubeconfig["users"]
    assert user["user"]["exec"]["command"] == "kubelogin", "Entra ID through the Azure CLI login"
    assert "--login" in user["user"]["exec"]["args"] and "azurecli" in user["user"]["exec"]["args"]
    assert "client-certificate-data" not in user["user"] and "token" not in user["user"], "no secret"
    namespace = graph.get(NAMESPACE, "lax-gpu-resources-ns")
    release = graph.get(HELM, "lax-nvidia-device-plugin")
    for resource in (namespace, release):
        assert resource.provider is not None and resource.provider.startswith(provider.urn), resource.name
    assert namespace.inputs["metadata"] == {
        "name": "gpu-resources",
        "labels": {"pod-security.kubernetes.io/enforce": "privileged"},
    }, "the plugin mounts a host path"
    inputs = release.inputs
    assert (inputs["name"], inputs["chart"], inputs["version"], inputs["namespace"]) == (
        "nvidia-device-plugin",
        "nvidia-device-plugin",
        "0.18.0",
        "gpu-resources",
    )
    assert inputs["repositoryOpts"] == {"repo": "https://nvidia.github.io/k8s-device-plugin"}
    values = inputs["values"]
    pool = graph.get(POOL, "lax-gpu").inputs
    # The pool's taint (key=value:Effect) is tolerated, and the plugin selects the pool's labels ...
    key_value, effect = pool["nodeTaints"][0].rsplit(":", 1)
    assert any(
        t["key"] == key_value.split("=")[0] and t["effect"] == effect and t["operator"] == "Exists"
        for t in values["tolerations"]
    )
    assert values["nodeSelector"].items() <= pool["nodeLabels"].items()
    terms = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ]
    assert terms == [
        {
            "matchExpressions": [
                {"key": "aiinfra.dev/accelerator-vendor", "operator": "In", "values": ["nvidia"]}
            ]
        }
    ], "the chart's NFD / nvidia.com/gpu.present terms are replaced: AKS sets neither label"
    assert pool["nodeLabels"]["aiinfra.dev/accelerator-vendor"] == "nvidia"
    # ... and not the system pool's.
    (system,) = graph.get(CLUSTER, "lax-aks").inputs["agentPoolProfiles"]
    assert "nodeLabels" not in system


def test_the_site_runs_no_gpu_operator_beside_aks_driver(graph: ResourceGraph) -> None:
    charts = [r.inputs["chart"] for r in graph.by_type(HELM)]
    assert charts == ["nvidia-device-plugin"], "a second driver would fight AKS's GRID driver"
    assert not [r for r in graph.resources if r.type == "aiinfra:azure:GpuOperators"]


def test_a_public_site_gives_its_gpu_nodes_public_addresses_and_only_them(graph: ResourceGraph) -> None:
    public = plan_site(site(public=True))
    assert public.get(POOL, "lax-gpu").inputs["enableNodePublicIP"] is True
    (system,) = public.get(CLUSTER, "lax-aks").inputs["agentPoolProfiles"]
    assert system["enableNodePublicIP"] is False
    assert (
        public.get(VAULT, "lax-kv-vault").inputs["vaultName"]
        == graph.get(VAULT, "lax-kv-vault").inputs["vaultName"]
    ), "the vault's name is stable across runs (a new name would replace the vault and lose the key)"


def test_a_site_with_min_and_max_nodes_autoscales_between_them() -> None:
    pool = plan_site(site(nodes=None, minNodes=1, maxNodes=6)).get(POOL, "lax-gpu").inputs
    assert (pool["count"], pool["enableAutoScaling"], pool["minCount"], pool["maxCount"]) == (1, True, 1, 6)


def test_the_plan_says_registration_is_outside_pulumi_and_pulumi_needs_the_private_api_server(
    graph: ResourceGraph,
) -> None:
    text = " ".join(graph.warnings)
    assert "az edge-zones extended-zone register --extended-zone-name losangeles" in text
    assert "does not unregister" in text
    # The plugin is built now: the plan says what `pulumi up` needs to install it, not to do it by hand.
    assert "`pulumi up` installs the NVIDIA device plugin" in text
    assert "a runner that reaches the private API server" in text and "`kubelogin` on the PATH" in text
    assert "az aks command invoke" in text
    assert "not the plugin" not in text and "install the NVIDIA device plugin" not in text
    assert "vault endpoint is public" in text and "API Server VNet Integration" in text
    assert "az keyvault recover" in text, "a purge-protected vault outlives the stack under its name"


def test_spot_capacity_is_refused_by_the_component() -> None:
    with pytest.raises(Exception, match="spot capacity is not sold in Extended Zones"):
        plan_site(site(capacity="spot"))


# -- pure helpers --------------------------------------------------------------------------------------------


def test_the_default_vnet_plan_keeps_nodes_apart_from_the_overlay_ranges() -> None:
    plan = plan_edge_vnet()
    assert (str(plan.system), str(plan.gpu)) == ("10.64.0.0/22", "10.64.4.0/22")
    for subnet in (plan.system, plan.gpu):
        assert not subnet.overlaps(plan.pod_cidr) and not subnet.overlaps(plan.service_cidr)
    assert plan.dns_service_ip == "10.0.0.10"


@pytest.mark.parametrize(
    ("cidr", "message"),
    [("10.64.0.0/24", "/16 to /22"), ("10.0.0.0/16", "overlaps"), ("8.8.0.0/16", "not a private range")],
)
def test_a_vnet_that_is_too_small_public_or_overlapping_is_refused(cidr: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_edge_vnet(ipaddress.IPv4Network(cidr))


def test_a_pool_larger_than_an_extended_zone_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 100 nodes"):
        gpu_pool_scaling(site(nodes=None, minNodes=1, maxNodes=100).model_copy(update={"max_nodes": 101}))
    assert gpu_pool_scaling(site(nodes=3)) == {"count": 3, "enable_auto_scaling": False}


def test_azure_builds_extended_zone_sites_now() -> None:
    profile = azure_profile.PROFILE
    assert profile.why_not("edge-sites") is None
    assert profile.edge_kinds == ("extended-zone",)
    assert profile.edge_kind("losangeles") == "extended-zone"
    assert profile.edge_kind("Los Angeles") is None


# -- spec checks -------------------------------------------------------------------------------------------


def write_stack(tmp_path: Path, **overrides: Any) -> Path:
    entry = {"name": "lax", "cloud": "azure", "location": "losangeles", "instanceType": NV_A10, "nodes": 2}
    entry.update(overrides)
    doc = {"config": {"aiinfra:edgeSites": [{k: v for k, v in entry.items() if v is not None}]}}
    path = tmp_path / "Pulumi.ez.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("location", ["losangles", "Los Angeles"])
def test_an_unknown_extended_zone_exits_2_with_the_nearest_zones(tmp_path: Path, location: str) -> None:
    result = CliRunner().invoke(app, ["plan", "-s", str(write_stack(tmp_path, location=location))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "edgeSites[0].location" in errors[0]
    assert "Did you mean 'losangeles'?" in errors[0] and "perth" in errors[0]


def test_spot_in_an_extended_zone_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "-s", str(write_stack(tmp_path, capacity="spot"))])
    assert result.exit_code == 2, result.output
    assert "edgeSites[0].capacity" in result.stderr and "sells no spot capacity" in result.stderr


def test_an_extended_zone_site_refuses_a_cluster_to_join_and_local_cluster() -> None:
    problems = azure_profile.extended_zone_problems(site(cluster="train", localCluster=True), "westus")
    assert [(p.field, p.fix) for p in problems] == [
        ("cluster", "Remove cluster."),
        ("localCluster", "Remove localCluster."),
    ]
    assert "its control plane in westus" in problems[0].message
    assert azure_profile.extended_zone_problems(site(), "westus") == []


# -- estimate ----------------------------------------------------------------------------------------------


def estimate_site(zone: str, vm_size: str) -> Estimate:
    def program() -> None:
        the_site = site(location=zone, accelerator=None, instanceType=vm_size)
        ExtendedZoneSite(
            "lax",
            ExtendedZoneSiteArgs(
                site=the_site,
                region=PRICED_REGION,
                vm_size=vm_size,
                tenant_id="t",
                subscription_id="s",
                deployer_object_id="d",
            ),
        )

    return estimate(plan_program(program, stack="t", config={}), default_catalog())


def test_extended_zone_nodes_are_not_priced_at_the_parent_regions_rate() -> None:
    catalog = default_catalog()
    regional_price = catalog.offer(PRICED, PRICED_REGION)
    assert regional_price is not None and regional_price.price("on_demand") is not None, (
        "the test needs a machine the region prices, to show the zone does not take that price"
    )
    result = estimate_site("losangeles", PRICED)
    pool = next(line for line in result.lines if line.resource == "lax-gpu")
    assert pool.monthly_cost_usd is None and pool.unit_price_usd is None
    assert pool.reason == f"no on-demand price for {PRICED} at losangeles in the catalog"
    assert pool.description.endswith("at losangeles (extended-zone, Los Angeles)")
    assert pool.scenarios == {}, "no purchase-option prices of the region either"
    assert f"priced at edge location losangeles, not at {PRICED_REGION}'s price" in pool.assumptions
    system = next(
        line for line in result.lines if line.resource == "lax-aks" and "system" in line.description
    )
    assert system.monthly_cost_usd is None, "the system pool is in the zone too"


def test_extended_zone_carbon_is_the_metros_grid() -> None:
    result = estimate_site("losangeles", PRICED)
    pool = next(line for line in result.lines if line.resource == "lax-gpu")
    la = default_catalog().edge.grid("azure", "Los Angeles")
    assert la is not None and la.location_g_per_kwh is not None
    assert pool.monthly_energy_kwh is not None and pool.monthly_energy_kwh > 0
    assert pool.monthly_co2e_kg == pool.monthly_energy_kwh * la.location_g_per_kwh / 1000
    assert f"{la.location_g_per_kwh} gCO2e/kWh ({la.grid_area}, {la.year})" in pool.energy_detail


def test_a_zone_whose_metro_grid_is_unknown_counts_no_carbon_rather_than_the_regions() -> None:
    result = estimate_site("perth", PRICED)
    pool = next(line for line in result.lines if line.resource == "lax-gpu")
    assert pool.monthly_energy_kwh is not None
    assert pool.monthly_co2e_kg is None
    assert any("Perth grid of edge location perth" in w for w in result.warnings)


def test_a_regional_aks_cluster_is_estimated_as_before() -> None:
    def program() -> None:
        import pulumi_azure_native as azure_native

        azure_native.containerservice.ManagedCluster(
            "reg",
            resource_group_name="rg",
            location=PRICED_REGION,
            agent_pool_profiles=[
                azure_native.containerservice.ManagedClusterAgentPoolProfileArgs(
                    name="gpu", mode="System", vm_size=PRICED, count=1
                )
            ],
        )

    result = estimate(plan_program(program, stack="t", config={}), default_catalog())
    (pool,) = [line for line in result.lines if "gpu" in line.description and line.unit == "node-hours"]
    offer = default_catalog().offer(PRICED, PRICED_REGION)
    assert offer is not None
    assert pool.unit_price_usd == offer.price("on_demand")
    assert "Extended Zone" not in pool.description


def test_destroy_says_the_zone_registration_stays(graph: ResourceGraph) -> None:
    lines = azure_profile.PROFILE.committed_spend(graph.resources)
    assert lines == [
        "Extended Zone losangeles: the subscription stays registered for it "
        "(`az edge-zones extended-zone unregister --extended-zone-name losangeles` undoes it)"
    ]
    regional = [r for r in graph.resources if r.type != CLUSTER]
    assert azure_profile.extended_zone_registrations(regional) == []


# -- the entry point, on a catalog that has the zone's machines --------------------------------------------


@pytest.fixture(scope="module")
def catalog_with_a10() -> Catalog:
    """The shipped catalog: it has the A10, the whole-GPU NVadsA10 v5 sizes, and lists them at losangeles."""
    catalog = default_catalog()
    facts = catalog.edge.location("azure", "losangeles")
    assert facts is not None and SIZE in facts.machines
    return catalog


def test_the_entry_point_builds_the_zones_machine_from_the_edge_catalog(catalog_with_a10: Catalog) -> None:
    the_site = site(accelerator=None, instanceType=SIZE)

    def program() -> None:
        out = build_edge_sites([the_site], {}, catalog_with_a10)
        assert out["lax"].kind == "extended-zone" and out["lax"].region == "westus"

    graph = plan_program(program, stack="edge-test", config={})
    assert graph.get(POOL, "lax-gpu").inputs["vmSize"] == SIZE
    assert graph.get(POOL, "lax-gpu").inputs["nodeLabels"]["aiinfra.dev/accelerator"] == "A10"
    cluster = graph.get(CLUSTER, "lax-aks").inputs
    assert cluster["location"] == "westus"
    assert cluster["aadProfile"]["tenantID"] == "00000000-0000-0000-0000-00000000007e", "the client's tenant"
    assert graph.get(GROUP, "lax-rg").inputs["tags"] == {
        "aiinfra:stack": "edge-test",
        "aiinfra:edge-site": "lax",
        "aiinfra:edge-location": "losangeles",
    }


def test_the_validator_takes_a_zone_site_once_the_catalog_has_its_machine(catalog_with_a10: Catalog) -> None:
    entry = {"name": "lax", "cloud": "azure", "location": "losangeles", "instanceType": SIZE, "nodes": 2}
    spec = parse_spec({"edgeSites": [entry]}, catalog=catalog_with_a10)
    assert [s.name for s in spec.edge_sites] == ["lax"]
    with pytest.raises(SpecError) as bad:
        parse_spec({"edgeSites": [{**entry, "cluster": "train"}]}, catalog=catalog_with_a10)
    assert "edgeSites[0].cluster" in str(bad.value) and "its own AKS cluster" in str(bad.value)


def test_the_sites_resources_carry_the_edge_tags_and_check_holds_its_nodes_private(
    graph: ResourceGraph,
) -> None:
    for r in children_of(graph, TYPE, "lax"):
        if "tags" in r.inputs:
            assert r.inputs["tags"]["aiinfra:edge-location"] == "losangeles", r.name
            assert "aiinfra:public" not in r.inputs["tags"], r.name
    assert check_graph(graph).violations == [], "aks-kms-etcd included: the site's etcd secrets use its key"


def test_check_flags_public_node_addresses_on_a_site_that_is_not_public() -> None:
    graph = plan_site(site(public=True))
    pool = graph.get(POOL, "lax-gpu")
    assert pool.inputs["tags"]["aiinfra:public"] == "true"
    assert check_graph(graph).violations == [], "a public site may give its nodes public addresses"
    tags = {k: v for k, v in pool.inputs["tags"].items() if k != "aiinfra:public"}
    hidden = dataclasses.replace(pool, inputs={**pool.inputs, "tags": tags})
    tampered = dataclasses.replace(graph, resources=[hidden if r is pool else r for r in graph.resources])
    (violation,) = check_graph(tampered).violations
    assert violation.rule_id == "edge-nodes-private" and violation.resource == "lax-gpu"
    assert "enableNodePublicIP" in violation.message
