"""AksCluster: the AKS control plane and its small system pool, as an AKS platform engineer sets one up for
GPU training.

- A user-assigned control-plane identity, granted before the cluster exists what AKS needs: Network
  Contributor on the VNet (custom subnets, the NAT gateway), Key Vault Crypto User and Key Vault
  Contributor on the KMS vault (a private vault: learn.microsoft.com/azure/aks/use-kms-etcd-encryption).
- Private API server, projected into the VNet (API Server VNet Integration); public only for the CIDRs the
  spec lists (`authorizedIPRanges`), never 0.0.0.0/0 (the spec validator refuses it).
- Entra ID with Azure RBAC, local accounts disabled; OIDC issuer and workload identity for pods.
- Azure CNI overlay with the Cilium dataplane and network policy; egress through the VNet's NAT gateway.
- Secrets encrypted in etcd with the Key Vault key (KMS, private vault).
- Automatic patch upgrades of Kubernetes and weekly node-image upgrades, both only in a Sunday window.
- Standard tier (the uptime SLA); the system pool inline (AKS needs one at creation), GPU pools as separate
  AgentPool resources, so the cluster ignores changes to `agentPoolProfiles` (declaring pools both ways
  makes Azure reject or rescale them: pulumi/pulumi-azure-native#2719, #4264, #1808).
- The deployer (the client of the Azure provider) gets AKS RBAC Cluster Admin so Pulumi can install the
  GPU and network operators; the Kubernetes provider authenticates with kubelogin's Azure CLI login.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure

from aiinfra.components.azure.kube_access import kubelogin_access
from aiinfra.components.azure.rules import (
    AKS_RBAC_CLUSTER_ADMIN,
    KEY_VAULT_CONTRIBUTOR,
    KEY_VAULT_CRYPTO_USER,
    NETWORK_CONTRIBUTOR,
    SYSTEM_OS_DISK,
    SYSTEM_OS_SKU,
    SYSTEM_POOL_NAME,
    VnetPlan,
    role_definition_id,
)

TYPE = "aiinfra:azure:AksCluster"
UPGRADE_CHANNEL = "patch"
NODE_OS_UPGRADE_CHANNEL = "NodeImage"
# Planned maintenance for the two automatic upgrades: Sundays 02:00-06:00 UTC
# (learn.microsoft.com/azure/aks/planned-maintenance, read 2026-12-04).
MAINTENANCE_CONFIGS = ("aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule")
MAINTENANCE_DAY = "Sunday"
MAINTENANCE_START = "02:00"
MAINTENANCE_HOURS = 4


@dataclass
class AksClusterArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    subscription_id: str
    deployer_object_id: str
    """The provider client's object ID (`getClientConfig`): it gets AKS RBAC Cluster Admin."""
    vnet_id: pulumi.Input[str]
    system_subnet_id: pulumi.Input[str]
    api_server_subnet_id: pulumi.Input[str]
    vnet_plan: VnetPlan
    key_vault_id: pulumi.Input[str]
    kms_key_id: pulumi.Input[str]
    kubernetes_version: str = "1.35"
    public_access_cidrs: list[str] = field(default_factory=list)
    """Empty: private API server only. Otherwise the public endpoint is open to exactly these CIDRs."""
    system_vm_size: str = "Standard_D4s_v5"
    system_nodes: int = 2
    zones: Sequence[str] = ()
    """Availability zones of the system pool (none: regional)."""
    tags: dict[str, str] = field(default_factory=dict)


class AksCluster(pulumi.ComponentResource):
    cluster_name: pulumi.Output[str]
    cluster_id: pulumi.Output[str]
    oidc_issuer_url: pulumi.Output[str]
    identity_principal_id: pulumi.Output[str]
    """The control-plane identity (pools grant it use of their capacity reservation groups)."""
    kubeconfig: pulumi.Output[str]
    k8s_provider: pulumi.ProviderResource
    ready: list[pulumi.Resource]
    """What in-cluster resources wait for: the cluster and the deployer's admin role on it."""

    def __init__(self, name: str, args: AksClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        identity, grants = self._create_identity(name, args)
        cluster = self._create_cluster(name, args, identity, grants)
        admin = azure.authorization.RoleAssignment(
            f"{name}-deployer-admin",
            principal_id=args.deployer_object_id,
            role_definition_id=role_definition_id(args.subscription_id, AKS_RBAC_CLUSTER_ADMIN),
            scope=cluster.id,
            description="The Pulumi deployer installs the cluster's operators",
            opts=self._child(),
        )
        self._schedule_maintenance(name, args, cluster)

        self.cluster_name = cluster.name
        self.cluster_id = cluster.id
        self.oidc_issuer_url = cluster.oidc_issuer_profile.apply(
            lambda p: (p.issuer_url if p else None) or ""
        )
        self.identity_principal_id = identity.principal_id
        # No secret in the kubeconfig: the user authenticates through kubelogin; the CA certificate is public.
        self.kubeconfig, self.k8s_provider = kubelogin_access(
            name, args.resource_group_name, cluster.name, self
        )
        self.ready = [cluster, admin]
        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "clusterId": self.cluster_id,
                "oidcIssuerUrl": self.oidc_issuer_url,
            }
        )

    def _child(self, depends_on: Sequence[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on or []))

    def _create_identity(
        self, name: str, args: AksClusterArgs
    ) -> tuple[azure.managedidentity.UserAssignedIdentity, list[azure.authorization.RoleAssignment]]:
        """The control-plane identity and the roles it needs before the cluster is created."""
        identity = azure.managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_group_name=args.resource_group_name,
            location=args.location,
            tags=args.tags,
            opts=self._child(),
        )
        grants = [
            azure.authorization.RoleAssignment(
                f"{name}-{part}",
                principal_id=identity.principal_id,
                principal_type="ServicePrincipal",
                role_definition_id=role_definition_id(args.subscription_id, role),
                scope=scope,
                description=why,
                opts=self._child(),
            )
            for part, role, scope, why in (
                ("network-contributor", NETWORK_CONTRIBUTOR, args.vnet_id, "AKS joins nodes to the VNet"),
                ("kms-crypto-user", KEY_VAULT_CRYPTO_USER, args.key_vault_id, "AKS KMS wraps etcd keys"),
                (
                    "kms-vault-contributor",
                    KEY_VAULT_CONTRIBUTOR,
                    args.key_vault_id,
                    "AKS KMS reaches the private vault",
                ),
            )
        ]
        return identity, grants

    def _create_cluster(
        self,
        name: str,
        args: AksClusterArgs,
        identity: azure.managedidentity.UserAssignedIdentity,
        grants: list[azure.authorization.RoleAssignment],
    ) -> azure.containerservice.ManagedCluster:
        cs = azure.containerservice
        public = bool(args.public_access_cidrs)
        plan = args.vnet_plan
        return cs.ManagedCluster(
            f"{name}-aks",
            resource_group_name=args.resource_group_name,
            # The cluster's own name (alone in its resource group): what `az aks` and kubeconfigs show.
            resource_name_=name,
            location=args.location,
            dns_prefix=name,
            kubernetes_version=args.kubernetes_version,
            sku=cs.ManagedClusterSKUArgs(name="Base", tier="Standard"),
            identity=cs.ManagedClusterIdentityArgs(
                type="UserAssigned", user_assigned_identities=[identity.id]
            ),
            aad_profile=cs.ManagedClusterAADProfileArgs(managed=True, enable_azure_rbac=True),
            enable_rbac=True,
            disable_local_accounts=True,
            api_server_access_profile=cs.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=not public,
                enable_vnet_integration=True,
                subnet_id=args.api_server_subnet_id,
                authorized_ip_ranges=list(args.public_access_cidrs) if public else None,
                private_dns_zone=None if public else "system",
                enable_private_cluster_public_fqdn=None if public else False,
            ),
            oidc_issuer_profile=cs.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            security_profile=cs.ManagedClusterSecurityProfileArgs(
                workload_identity=cs.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True),
                azure_key_vault_kms=cs.AzureKeyVaultKmsArgs(
                    enabled=True,
                    key_id=args.kms_key_id,
                    key_vault_network_access="Private",
                    key_vault_resource_id=args.key_vault_id,
                ),
                image_cleaner=cs.ManagedClusterSecurityProfileImageCleanerArgs(
                    enabled=True, interval_hours=48
                ),
            ),
            network_profile=cs.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_dataplane="cilium",
                network_policy="cilium",
                pod_cidr=str(plan.pod_cidr),
                service_cidr=str(plan.service_cidr),
                dns_service_ip=plan.dns_service_ip,
                outbound_type="userAssignedNATGateway",
                load_balancer_sku="standard",
            ),
            auto_upgrade_profile=cs.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=UPGRADE_CHANNEL, node_os_upgrade_channel=NODE_OS_UPGRADE_CHANNEL
            ),
            storage_profile=cs.ManagedClusterStorageProfileArgs(
                blob_csi_driver=cs.ManagedClusterStorageProfileBlobCSIDriverArgs(enabled=True),
            ),
            agent_pool_profiles=[
                cs.ManagedClusterAgentPoolProfileArgs(
                    name=SYSTEM_POOL_NAME,
                    mode="System",
                    type="VirtualMachineScaleSets",
                    vm_size=args.system_vm_size,
                    count=args.system_nodes,
                    enable_auto_scaling=False,
                    os_type="Linux",
                    os_sku=SYSTEM_OS_SKU,
                    os_disk_type=SYSTEM_OS_DISK[0],
                    os_disk_size_gb=SYSTEM_OS_DISK[1],
                    vnet_subnet_id=args.system_subnet_id,
                    availability_zones=list(args.zones) or None,
                    enable_node_public_ip=False,
                    node_labels={"aiinfra.dev/pool": "system"},
                    upgrade_settings=cs.AgentPoolUpgradeSettingsArgs(max_surge="1"),
                )
            ],
            tags=args.tags,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=list(grants), ignore_changes=["agentPoolProfiles"]
            ),
        )

    def _schedule_maintenance(
        self, name: str, args: AksClusterArgs, cluster: azure.containerservice.ManagedCluster
    ) -> None:
        cs = azure.containerservice
        for config in MAINTENANCE_CONFIGS:
            cs.MaintenanceConfiguration(
                f"{name}-{config}",
                resource_group_name=args.resource_group_name,
                resource_name_=cluster.name,
                config_name=config,
                maintenance_window=cs.MaintenanceWindowArgs(
                    schedule=cs.ScheduleArgs(
                        weekly=cs.WeeklyScheduleArgs(day_of_week=MAINTENANCE_DAY, interval_weeks=1)
                    ),
                    duration_hours=MAINTENANCE_HOURS,
                    start_time=MAINTENANCE_START,
                    utc_offset="+00:00",
                ),
                opts=self._child(),
            )
