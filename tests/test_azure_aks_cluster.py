"""AksCluster under the recording mocks: the exact children and inputs, and what must be absent."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import yaml

from aiinfra.clouds.azure import SUBSCRIPTION_ID
from aiinfra.components.azure.aks_cluster import TYPE, AksCluster, AksClusterArgs
from aiinfra.components.azure.rules import AKS_AAD_SERVER_ID, plan_vnet
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, id_of, names_by_type, plan

MC = "azure-native:containerservice:ManagedCluster"
RA = "azure-native:authorization:RoleAssignment"
UAI = "azure-native:managedidentity:UserAssignedIdentity"
MAINT = "azure-native:containerservice:MaintenanceConfiguration"
K8S = "pulumi:providers:kubernetes"
DEPLOYER = "00000000-0000-0000-0000-0000000000b1"


def aks_graph(**overrides: Any) -> ResourceGraph:
    def program() -> None:
        args = AksClusterArgs(
            resource_group_name="rg",
            location="eastus",
            subscription_id=SUBSCRIPTION_ID,
            deployer_object_id=DEPLOYER,
            vnet_id="vnet-id",
            system_subnet_id="system-subnet-id",
            api_server_subnet_id="api-subnet-id",
            vnet_plan=plan_vnet(ipaddress.IPv4Network("10.40.0.0/16")),
            key_vault_id="vault-id",
            kms_key_id="https://kv.vault.azure.net/keys/aks-kms/abc",
            zones=("1", "2", "3"),
            tags={"team": "ml"},
        )
        for key, value in overrides.items():
            setattr(args, key, value)
        AksCluster("train", args)

    return plan(program)


def cluster_inputs(**overrides: Any) -> dict[str, Any]:
    return aks_graph(**overrides).get(MC, "train-aks").inputs


def test_the_cluster_is_an_identity_its_grants_the_cluster_the_deployer_role_two_windows_and_a_provider() -> (
    None
):
    graph = aks_graph()
    assert names_by_type(children_of(graph, TYPE, "train")) == {
        (UAI, "train-identity"),
        (RA, "train-network-contributor"),
        (RA, "train-kms-crypto-user"),
        (RA, "train-kms-vault-contributor"),
        (MC, "train-aks"),
        (RA, "train-deployer-admin"),
        (MAINT, "train-aksManagedAutoUpgradeSchedule"),
        (MAINT, "train-aksManagedNodeOSUpgradeSchedule"),
        (K8S, "train-k8s"),
    }


def test_the_api_server_is_private_and_in_the_vnet_with_no_public_ranges() -> None:
    access = cluster_inputs()["apiServerAccessProfile"]
    assert access == {
        "enablePrivateCluster": True,
        "enableVnetIntegration": True,
        "subnetId": "api-subnet-id",
        "privateDNSZone": "system",
        "enablePrivateClusterPublicFQDN": False,
    }, "private by default; no authorizedIPRanges at all"


def test_listed_cidrs_open_a_public_endpoint_to_exactly_those_ranges() -> None:
    access = cluster_inputs(public_access_cidrs=["203.0.113.0/24"])["apiServerAccessProfile"]
    assert access["enablePrivateCluster"] is False
    assert access["authorizedIPRanges"] == ["203.0.113.0/24"]
    assert access["enableVnetIntegration"] is True, "nodes still reach the API server privately"
    assert "privateDNSZone" not in access


def test_entra_id_with_azure_rbac_and_no_local_accounts() -> None:
    inputs = cluster_inputs()
    assert inputs["aadProfile"] == {"managed": True, "enableAzureRBAC": True}
    assert inputs["disableLocalAccounts"] is True and inputs["enableRBAC"] is True


def test_oidc_workload_identity_and_kms_with_the_private_vault_key() -> None:
    inputs = cluster_inputs()
    assert inputs["oidcIssuerProfile"] == {"enabled": True}
    security = inputs["securityProfile"]
    assert security["workloadIdentity"] == {"enabled": True}
    assert security["azureKeyVaultKms"] == {
        "enabled": True,
        "keyId": "https://kv.vault.azure.net/keys/aks-kms/abc",
        "keyVaultNetworkAccess": "Private",
        "keyVaultResourceId": "vault-id",
    }
    assert "defender" not in security, "Defender needs a Log Analytics workspace this stack does not make"


def test_azure_cni_overlay_with_cilium_and_nat_gateway_egress() -> None:
    assert cluster_inputs()["networkProfile"] == {
        "networkPlugin": "azure",
        "networkPluginMode": "overlay",
        "networkDataplane": "cilium",
        "networkPolicy": "cilium",
        "podCidr": "10.244.0.0/16",
        "serviceCidr": "10.0.0.0/16",
        "dnsServiceIP": "10.0.0.10",
        "outboundType": "userAssignedNATGateway",
        "loadBalancerSku": "standard",
    }


def test_upgrades_are_automatic_and_only_in_the_sunday_window() -> None:
    graph = aks_graph()
    assert graph.get(MC, "train-aks").inputs["autoUpgradeProfile"] == {
        "upgradeChannel": "patch",
        "nodeOSUpgradeChannel": "NodeImage",
    }
    for config in ("aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"):
        m = graph.get(MAINT, f"train-{config}").inputs
        assert m["configName"] == config and m["resourceName"] == "train"
        assert m["maintenanceWindow"] == {
            "schedule": {"weekly": {"dayOfWeek": "Sunday", "intervalWeeks": 1}},
            "durationHours": 4,
            "startTime": "02:00",
            "utcOffset": "+00:00",
        }


def test_the_only_inline_pool_is_the_small_system_pool() -> None:
    inputs = cluster_inputs()
    (system,) = inputs["agentPoolProfiles"]
    assert system == {
        "name": "system",
        "mode": "System",
        "type": "VirtualMachineScaleSets",
        "vmSize": "Standard_D4s_v5",
        "count": 2,
        "enableAutoScaling": False,
        "osType": "Linux",
        "osSKU": "AzureLinux",
        "osDiskType": "Managed",
        "osDiskSizeGB": 128,
        "vnetSubnetID": "system-subnet-id",
        "availabilityZones": ["1", "2", "3"],
        "enableNodePublicIP": False,
        "nodeLabels": {"aiinfra.dev/pool": "system"},
        "upgradeSettings": {"maxSurge": "1"},
    }
    assert inputs["sku"] == {"name": "Base", "tier": "Standard"}, "Standard tier: the uptime SLA"
    assert inputs["resourceName"] == "train" and inputs["kubernetesVersion"] == "1.35"
    assert "linuxProfile" not in inputs and "servicePrincipalProfile" not in inputs


def test_the_control_plane_runs_as_its_user_assigned_identity_with_the_roles_it_needs() -> None:
    graph = aks_graph()
    assert graph.get(MC, "train-aks").inputs["identity"] == {
        "type": "UserAssigned",
        "userAssignedIdentities": [id_of(graph, UAI, "train-identity")],
    }
    role = f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/"
    expected = {
        "train-network-contributor": ("4d97b98b-1d4f-4787-a291-c67834d212e7", "vnet-id"),
        "train-kms-crypto-user": ("12338af0-0e69-4776-bea7-57ae8d297424", "vault-id"),
        "train-kms-vault-contributor": ("f25e0fa2-a7c8-4377-a976-54943a77a395", "vault-id"),
    }
    for name, (guid, scope) in expected.items():
        ra = graph.get(RA, name).inputs
        assert ra["roleDefinitionId"] == role + guid and ra["scope"] == scope, name
        assert ra["principalType"] == "ServicePrincipal" and ra["principalId"].startswith("00000000-"), name
    admin = graph.get(RA, "train-deployer-admin").inputs
    assert admin["principalId"] == DEPLOYER and admin["scope"] == id_of(graph, MC, "train-aks")
    assert admin["roleDefinitionId"] == role + "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"


def test_the_kubernetes_provider_logs_in_with_the_azure_cli_not_a_local_account() -> None:
    provider = aks_graph().get(K8S, "train-k8s").inputs
    config = yaml.safe_load(provider["kubeconfig"])
    (user,) = config["users"]
    assert user["user"]["exec"]["args"] == [
        "get-token",
        "--login",
        "azurecli",
        "--server-id",
        AKS_AAD_SERVER_ID,
    ]
    assert "client-certificate-data" not in json.dumps(config)
    assert config["clusters"][0]["cluster"]["server"].endswith(".privatelink.eastus.azmk8s.io:443")
    assert provider["enableServerSideApply"] == "true"
