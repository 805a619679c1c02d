"""AzureGpuCluster: one `clusters[]` entry of the spec on Azure — resource group, VNet, Key Vault, AKS, GPU
agent pools, the GPU and network operators, and (wired at merge) storage. Azure resources take their
region as `location`, so no per-region provider is needed; the subscription and tenant come from the
provider's configuration (`getClientConfig`, asked once for every cluster, before any component)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_azure_native as azure

from aiinfra.catalog import Catalog, InstanceType
from aiinfra.clouds.azure import PROFILE
from aiinfra.components.azure.aks_cluster import AksCluster, AksClusterArgs
from aiinfra.components.azure.gpu_agent_pool import AksGpuAgentPool, AksGpuAgentPoolArgs
from aiinfra.components.azure.infiniband import AksGpuOperators, AksGpuOperatorsArgs
from aiinfra.components.azure.key_vault import AzureKeyVault, AzureKeyVaultArgs, vault_name
from aiinfra.components.azure.network import AzureClusterNetwork, AzureClusterNetworkArgs
from aiinfra.components.azure.resource_group import cluster_tags, create_resource_group, resource_group_name
from aiinfra.components.azure.rules import agent_pool_names
from aiinfra.components.azure.storage import AzureClusterStorage, AzureStorageArgs
from aiinfra.components.outputs import ClusterOutputs
from aiinfra.spec.models import Cluster

TYPE = "aiinfra:azure:GpuCluster"


@dataclass(frozen=True)
class ClientConfig:
    """Who deploys, and where: the Azure provider's subscription, tenant and principal."""

    subscription_id: str
    tenant_id: str
    object_id: str


def client_config() -> ClientConfig:
    config = azure.authorization.get_client_config()
    return ClientConfig(config.subscription_id, config.tenant_id, config.object_id)


def declare(clusters: Sequence[Cluster], catalog: Catalog) -> dict[str, ClusterOutputs]:
    """The Azure entry point (`aiinfra.clouds.azure` names it): the client config first (a blocking invoke
    made after many registrations costs time in proportion to them: bench/README.md), then the clusters."""
    client = client_config()
    out: dict[str, ClusterOutputs] = {}
    for cluster in clusters:
        component = AzureGpuCluster(
            cluster.name, AzureGpuClusterArgs(spec=cluster, catalog=catalog, client=client)
        )
        out[cluster.name] = ClusterOutputs(
            cloud=cluster.cloud,
            region=cluster.region,
            cluster_name=component.aks.cluster_name,
            interconnect_zone=cluster.zone,
            component=component,
        )
    return out


@dataclass
class AzureGpuClusterArgs:
    spec: Cluster
    catalog: Catalog
    client: ClientConfig


class AzureGpuCluster(pulumi.ComponentResource):
    resource_group_name: pulumi.Output[str]
    location: str
    tags: dict[str, str]
    network: AzureClusterNetwork
    key_vault: AzureKeyVault
    aks: AksCluster
    pools: dict[str, AksGpuAgentPool]
    operators: AksGpuOperators
    storage: AzureClusterStorage | None

    def __init__(
        self, name: str, args: AzureGpuClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        spec = args.spec
        self._name = name
        self.location = spec.region
        self.tags = cluster_tags(dict(spec.tags), name, pulumi.get_stack())
        child = pulumi.ResourceOptions(parent=self)
        group = create_resource_group(name, location=spec.region, tags=self.tags, opts=child)
        self.resource_group_name = group.name
        self.network = AzureClusterNetwork(
            f"{name}-net",
            AzureClusterNetworkArgs(
                resource_group_name=group.name,
                location=spec.region,
                cidr=spec.network.cidr,
                lustre=any(s.kind == "lustre" for s in spec.storage),
                zone=spec.zone,
                tags=self.tags,
            ),
            opts=child,
        )
        self.key_vault = AzureKeyVault(
            f"{name}-kv",
            AzureKeyVaultArgs(
                resource_group_name=group.name,
                location=spec.region,
                tenant_id=args.client.tenant_id,
                vault_name=vault_name(
                    name, args.client.subscription_id, resource_group_name(pulumi.get_stack(), name)
                ),
                tags=self.tags,
            ),
            opts=child,
        )
        self.aks = self._create_aks(args, child)
        self.pools = self._create_pools(args)
        self.operators = AksGpuOperators(
            f"{name}-gpu-operators",
            AksGpuOperatorsArgs(
                k8s_provider=self.aks.k8s_provider,
                infiniband=any(p.infiniband for p in self.pools.values()),
                depends_on=[*self.aks.ready, *self.pools.values()],
            ),
            opts=child,
        )
        self._create_storage(args, child)
        self.register_outputs(
            {
                "resourceGroupName": self.resource_group_name,
                "clusterName": self.aks.cluster_name,
                "vnetId": self.network.vnet_id,
                "lustreSubnetId": self.network.lustre_subnet_id,
                "agentPools": {k: p.agent_pool_name for k, p in self.pools.items()},
                "rdmaResource": self.operators.rdma_resource,
            }
        )

    def _create_aks(self, args: AzureGpuClusterArgs, child: pulumi.ResourceOptions) -> AksCluster:
        spec = args.spec
        region = args.catalog.region("azure", spec.region)
        return AksCluster(
            self._name,
            AksClusterArgs(
                resource_group_name=self.resource_group_name,
                location=spec.region,
                subscription_id=args.client.subscription_id,
                deployer_object_id=args.client.object_id,
                vnet_id=self.network.vnet_id,
                system_subnet_id=self.network.system_subnet_id,
                api_server_subnet_id=self.network.api_server_subnet_id,
                vnet_plan=self.network.plan,
                key_vault_id=self.key_vault.vault_id,
                kms_key_id=self.key_vault.key_id,
                kubernetes_version=spec.kubernetes_version,
                public_access_cidrs=[str(c) for c in spec.endpoint_public_access_cidrs],
                system_vm_size=spec.system_instance_type or PROFILE.default_system_machine,
                system_nodes=spec.system_nodes,
                zones=region.zones if region is not None else (),
                tags=self.tags,
            ),
            opts=child,
        )

    def _create_pools(self, args: AzureGpuClusterArgs) -> dict[str, AksGpuAgentPool]:
        """An AKS agent pool per spec pool, each its own scale set."""
        spec = args.spec
        names = agent_pool_names([p.name for p in spec.node_pools])
        pools: dict[str, AksGpuAgentPool] = {}
        for pool in spec.node_pools:
            size: InstanceType = args.catalog.resolve(
                cloud="azure",
                region=spec.region,
                accelerator=pool.accelerator,
                instance_type=pool.instance_type,
                interconnect=pool.interconnect,
                zone=spec.zone if pool.interconnect else None,
            )
            lo, desired, hi = pool.scaling
            pools[pool.name] = AksGpuAgentPool(
                f"{self._name}-{pool.name}",
                AksGpuAgentPoolArgs(
                    resource_group_name=self.resource_group_name,
                    location=spec.region,
                    subscription_id=args.client.subscription_id,
                    cluster_name=self.aks.cluster_name,
                    cluster_identity_principal_id=self.aks.identity_principal_id,
                    agent_pool_name=names[pool.name],
                    vm_size=size,
                    subnet_id=self.network.gpu_subnet_id,
                    min_nodes=lo,
                    desired_nodes=desired,
                    max_nodes=hi,
                    capacity=pool.capacity,
                    reservation=pool.reservation,
                    interconnect=pool.interconnect,
                    zone=spec.zone if pool.interconnect else None,
                    disk_gib=pool.disk_gib,
                    labels=dict(pool.labels),
                    tags=self.tags,
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=self.aks.ready),
            )
        return pools

    def _create_storage(self, args: AzureGpuClusterArgs, child: pulumi.ResourceOptions) -> None:
        """The cluster's `storage` entries (Managed Lustre, Blob, Azure Files) in its resource group, reached
        from the node subnets through their Microsoft.Storage service endpoints; Lustre in its own subnet and
        in the zone of the interconnect pools."""
        spec = args.spec
        self.storage = None
        if not spec.storage:
            return
        self.storage = AzureClusterStorage(
            f"{self._name}-storage",
            AzureStorageArgs(
                storage=spec.storage,
                resource_group_name=self.resource_group_name,
                location=spec.region,
                lustre_subnet_id=self.network.lustre_subnet_id,
                node_subnet_ids=[self.network.gpu_subnet_id, self.network.system_subnet_id],
                tags=self.tags,
                zone=spec.zone,
            ),
            opts=child,
        )
