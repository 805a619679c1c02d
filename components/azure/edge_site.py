"""ExtendedZoneSite: one `edgeSites[]` entry on Azure — an AKS cluster whose nodes run in an Azure Extended
Zone (`losangeles`, parent region `westus`), with its own network there.

What it builds, and why:
- A resource group in the parent region, and a user-assigned identity for the cluster's control plane that
  may manage the site's VNet (Network Contributor on the VNet: AKS joins nodes and load balancers to a VNet
  it did not create) and use the site's KMS key (Key Vault Crypto User on the site's vault), nothing wider.
- A Key Vault and an HSM key in the parent region (`AzureKeyVault`, as the regional cluster's: Key Vault is
  not among the services Extended Zones offer, and Microsoft's Extended Zone CMK guide puts the vault in the
  parent region) that encrypt the cluster's Kubernetes secrets in etcd (AKS KMS).
- A VNet in the Extended Zone (`extendedLocation: {name: <zone>, type: EdgeZone}`) with a system subnet and
  a GPU subnet (`plan_edge_vnet`), neither with default outbound access.
- The AKS cluster in the parent region with the same extended location (the control plane stays in the
  region, the nodes go to the zone): private API server, Entra ID authentication with Azure RBAC for
  Kubernetes, local accounts disabled, Azure CNI overlay, the Standard tier (its SLA), automatic patch
  upgrades, and a small system pool tainted for critical add-ons.
- A GPU agent pool of the site's machine (NVadsA10 v5, the GPU series Extended Zones offer) with the GPU
  taint and the regional pools' labels (`rules.pool_labels`) plus `aiinfra.dev/edge-site`, no public node
  addresses unless `public`, autoscaling between minNodes and maxNodes (at most 100 nodes per pool in an
  Extended Zone).
- What makes the GPUs schedulable, as for the regional cluster: the deployer gets AKS RBAC Cluster Admin on
  the cluster, a Kubernetes provider signs in through kubelogin's Azure CLI login
  (`rules.azurecli_kubeconfig`), and NVIDIA's device plugin (Helm, in a `gpu-resources` namespace that
  allows privileged pods) runs on the GPU nodes, tolerating the GPU taint, so pods can ask for
  `nvidia.com/gpu`.

GPU driver: AKS's, not the GPU Operator's. The regional cluster skips AKS's driver (`gpuProfile.driver:
None`) and runs the NVIDIA GPU Operator because only the Operator's driver does GPUDirect RDMA. An Extended
Zone's NVadsA10 v5 VMs have no InfiniBand, and they are vGPU (SR-IOV) VMs that need NVIDIA's GRID guest
driver: AKS installs that one for these sizes (Azure/AgentBaker `ConvergedGPUDriverSizes`, which says vanilla
CUDA drivers fail to install on them), while the GPU Operator brings the datacenter driver. So the pool keeps
AKS's managed driver (`Install`, which Microsoft supports and upgrades with the node image) and the site runs
only the device plugin, which is what Microsoft documents for AKS GPU nodes with the default driver
(AKS_GPU_DOC: "While the NVIDIA drivers are installed by default on GPU capable nodes, you need to install
the device plugin").

KMS without API Server VNet Integration: the regional cluster keeps its vault private and reaches it through
API Server VNet Integration, which is the only way AKS KMS reaches a private vault (KMS_DOC, "Limitations").
Extended Zones do not list that feature: Microsoft documents AKS in an Extended Zone as public and private
(Private Link) clusters only (EZ_AKS_DOC) and lists the services offered there (EZ_OVERVIEW_DOC), and API
Server VNet Integration would put the API server's load balancer in a delegated subnet of the zone's VNet
while the control plane runs in the parent region. So the site uses the documented alternative, KMS with a
public vault (`keyVaultNetworkAccess: Public`, reached through Konnectivity): the vault's endpoint takes all
networks, because the vault firewall option that admits only selected networks and IP addresses blocks the
KMS plugin (same limitations), and the key is guarded by Entra RBAC instead: vault access policies are off and
only the control-plane identity holds a role on the vault (Crypto User, not the Key Vault Contributor a private vault
needs for its private link). The newer KMS experience that reaches a firewalled vault as a trusted service
(KMS_V2_DOC) is a preview on Kubernetes 1.33+ whose API field
(`securityProfile.kubernetesResourceObjectEncryptionProfile`) pulumi-azure-native 3.29.0 does not expose.

Egress: Extended Zone VMs get no default outbound access and NAT Gateway is not among the services Extended
Zones offer, so nodes leave through the Standard Load Balancer's outbound rule (AKS's `loadBalancer`
outbound type; Standard Load Balancer and Standard public IPs are offered in the zones). That public IP
carries outbound traffic only; no inbound rule is made.

Outside Pulumi (`edge_warnings` puts it in the plan): the subscription must be registered for the zone
(`az edge-zones extended-zone register`, approved by Microsoft; deleting the stack does not unregister it);
the API server is private, so `pulumi up` (which installs the device plugin through it) needs, as for the
regional cluster, a runner that reaches the private API server and `kubelogin` on the PATH; kubectl runs
from inside the VNet or through `az aks command invoke`.
Sources (read 2026-12-04): EZ_OVERVIEW_DOC (MicrosoftDocs/azure-docs @03e5750a); EZ_AKS_DOC
(MicrosoftDocs/azure-aks-docs articles/aks/extended-zones.md, ms.date 06/11/2026); EZ_CMK_DOC; KMS_DOC
(ms.date 12/22/2025) and KMS_V2_DOC (12/19/2025); AKS_GPU_DOC (azure-aks-docs articles/aks/use-nvidia-gpu.md
@04921f5); GRID_SIZES_SOURCE; NVIDIA/k8s-device-plugin v0.18.0 chart values; pulumi-azure-native 3.29.0
containerservice, keyvault and network docstrings; /work/shared/reference/edge-sites.md §1–3.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure_native

from aiinfra.catalog import Catalog
from aiinfra.catalog.edge import EDGE_LOCATION_TAG, PUBLIC_TAG
from aiinfra.components.azure.key_vault import AzureKeyVault, AzureKeyVaultArgs, NetworkAccess, vault_name
from aiinfra.components.azure.kube_access import kubelogin_access
from aiinfra.components.azure.rules import (
    AKS_RBAC_CLUSTER_ADMIN,
    GPU_TAINT,
    KEY_VAULT_CRYPTO_USER,
    NETWORK_CONTRIBUTOR,
    PRIVILEGED_NAMESPACE_LABELS,
    HelmChart,
    gpu_tolerations,
    pool_labels,
    role_definition_id,
    taint_text,
)
from aiinfra.components.outputs import ClusterOutputs, EdgeOutputs
from aiinfra.spec.models import EdgeSite

TYPE = "aiinfra:azure:ExtendedZoneSite"

EZ_OVERVIEW_DOC = "https://learn.microsoft.com/azure/extended-zones/overview"
EZ_AKS_DOC = "https://learn.microsoft.com/azure/aks/extended-zones"
EZ_ACCESS_DOC = "https://learn.microsoft.com/azure/extended-zones/request-access"
AKS_GPU_DOC = "https://learn.microsoft.com/azure/aks/gpu-cluster"
EZ_CMK_DOC = "https://learn.microsoft.com/azure/extended-zones/key-vault-encrypt-azure-extended-zone-disk"
KMS_DOC = "https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption"
KMS_V2_DOC = "https://learn.microsoft.com/azure/aks/kms-data-encryption"
KMS_NETWORK_ACCESS: NetworkAccess = "Public"
"""How the site's KMS reaches its vault (see the module docstring: no API Server VNet Integration)."""

GRID_SIZES_SOURCE = (
    "https://github.com/Azure/AgentBaker/blob/d7ab5dc02e6c05776c53ef16565f9d6a97086c9e/"
    "pkg/agent/datamodel/gpu_components.go"
)
GPU_DRIVER = "Install"
"""AKS installs (and upgrades with the node image) the GRID driver NVadsA10 v5 needs (module docstring)."""
DEVICE_PLUGIN = HelmChart(
    release="nvidia-device-plugin",
    chart="nvidia-device-plugin",
    # The version of Microsoft's manifest (AKS_GPU_DOC: nvcr.io/nvidia/k8s-device-plugin:v0.18.0), as
    # NVIDIA's chart; its namespace is the one that guide creates.
    version="0.18.0",
    repo="https://nvidia.github.io/k8s-device-plugin",
    namespace="gpu-resources",
    source=AKS_GPU_DOC,
    retrieved="2026-12-04",
)
GPU_NODES = {"aiinfra.dev/accelerator-vendor": "nvidia"}
"""The label (`rules.pool_labels`) that puts the device plugin on the GPU nodes and nowhere else."""

EDGE_ZONE = "EdgeZone"
MAX_POOL_NODES = 100
"""AKS in an Extended Zone: at most 100 nodes in a node pool (EZ_AKS_DOC)."""
SYSTEM_TAINT = "CriticalAddonsOnly=true:NoSchedule"
SYSTEM_NODES = 2
GPU_POOL = "gpu"
SYSTEM_POOL = "system"

DEFAULT_VNET = ipaddress.IPv4Network("10.64.0.0/20")
# Azure CNI overlay: pods and services take addresses outside the VNet; AKS's defaults
# (learn.microsoft.com/azure/aks/azure-cni-overlay).
POD_CIDR = ipaddress.IPv4Network("10.244.0.0/16")
SERVICE_CIDR = ipaddress.IPv4Network("10.0.0.0/16")


@dataclass(frozen=True, slots=True)
class EdgeVnetPlan:
    vnet: ipaddress.IPv4Network
    system: ipaddress.IPv4Network
    gpu: ipaddress.IPv4Network
    pod_cidr: ipaddress.IPv4Network = POD_CIDR
    service_cidr: ipaddress.IPv4Network = SERVICE_CIDR

    @property
    def dns_service_ip(self) -> str:
        """The cluster DNS address: the tenth of the service range, as AKS's default."""
        return str(self.service_cidr.network_address + 10)


def plan_edge_vnet(cidr: ipaddress.IPv4Network = DEFAULT_VNET) -> EdgeVnetPlan:
    """A /16 to /22 VNet split in four: the first quarter for system nodes, the second for GPU nodes, the
    rest left free (nodes only take VNet addresses under CNI overlay: a /24 holds a 100-node pool)."""
    if not 16 <= cidr.prefixlen <= 22:
        raise ValueError(f"{cidr} must be a /16 to /22 block")
    if not cidr.is_private:
        raise ValueError(f"{cidr} is not a private range")
    for other in (POD_CIDR, SERVICE_CIDR):
        if cidr.overlaps(other):
            raise ValueError(f"{cidr} overlaps the cluster's overlay range {other}; choose another block")
    system, gpu, _, _ = cidr.subnets(prefixlen_diff=2)
    return EdgeVnetPlan(vnet=cidr, system=system, gpu=gpu)


def gpu_pool_scaling(site: EdgeSite) -> dict[str, object]:
    """The agent pool's size inputs: a fixed count, or autoscaling from minNodes to maxNodes."""
    low, desired, high = site.scaling
    if high > MAX_POOL_NODES:
        raise ValueError(f"an Extended Zone node pool holds at most {MAX_POOL_NODES} nodes, not {high}")
    if site.nodes is not None or low == high:
        return {"count": desired, "enable_auto_scaling": False}
    return {"count": max(desired, low), "enable_auto_scaling": True, "min_count": low, "max_count": high}


def node_labels(site: EdgeSite, accelerator: str | None) -> dict[str, str]:
    """Kubernetes labels of the site's GPU nodes: the regional pools' (no InfiniBand here) plus the site's
    name, then the site's own labels."""
    return pool_labels(
        f"{site.name}-{GPU_POOL}", accelerator, False, {"aiinfra.dev/edge-site": site.name, **site.labels}
    )


def device_plugin_values() -> dict[str, object]:
    """NVIDIA device plugin chart values: tolerate the GPU (and Spot) taints as the regional operators do,
    and run on the GPU label alone. The chart's default affinity admits only nodes labelled by node feature
    discovery or `nvidia.com/gpu.present`, which AKS does not set and NFD (off in the chart) would have to:
    our term replaces its list (Helm replaces lists)."""
    return {
        "tolerations": gpu_tolerations(),
        "nodeSelector": dict(GPU_NODES),
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {"key": k, "operator": "In", "values": [v]} for k, v in GPU_NODES.items()
                            ]
                        }
                    ]
                }
            }
        },
    }


def edge_warnings(site: EdgeSite, zone: str) -> list[str]:
    where = f"edge site '{site.name}' (Extended Zone {zone})"
    return [
        f"{where}: the subscription must be registered for the zone before `pulumi up` (`az provider register "
        f"-n Microsoft.EdgeZones`, then `az edge-zones extended-zone register --extended-zone-name {zone}`; "
        f"Microsoft approves access, {EZ_ACCESS_DOC}). Deleting the stack does not unregister it.",
        f"{where}: the API server is private and local accounts are off: `pulumi up` installs the NVIDIA "
        "device plugin through it, so it needs a runner that reaches the private API server (inside the "
        "site's VNet) and `kubelogin` on the PATH, signed in with Entra ID; run kubectl from inside the VNet "
        "or with `az aks command invoke`.",
        f"{where}: Kubernetes secrets are encrypted with a Key Vault key in the parent region whose vault "
        "endpoint is public (AKS KMS reaches a private vault only through API Server VNet Integration, which "
        "Microsoft does not list for Extended Zones); only the cluster's identity holds a role on the vault. "
        "The vault is purge-protected: deleting the stack leaves it soft-deleted for 90 days under its name "
        "(recover it with `az keyvault recover` before deploying the site again).",
    ]


@dataclass
class ExtendedZoneSiteArgs:
    site: EdgeSite
    region: str
    """The Extended Zone's parent region (the cluster's and the resource group's location)."""
    vm_size: str
    tenant_id: pulumi.Input[str]
    subscription_id: str
    deployer_object_id: str
    """The provider client's object ID (`getClientConfig`): it gets AKS RBAC Cluster Admin, so Pulumi can
    install the device plugin."""
    accelerator: str | None = None
    system_vm_size: str = "Standard_D4s_v5"
    vnet: EdgeVnetPlan = field(default_factory=plan_edge_vnet)
    tags: dict[str, str] = field(default_factory=dict)


class ExtendedZoneSite(pulumi.ComponentResource):
    resource_group_name: pulumi.Output[str]
    vnet_id: pulumi.Output[str]
    key_vault: AzureKeyVault
    cluster_name: pulumi.Output[str]
    node_pool_name: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    k8s_provider: pulumi.ProviderResource

    def __init__(
        self, name: str, args: ExtendedZoneSiteArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        site = args.site
        zone = site.location
        if site.capacity != "on-demand":
            raise ValueError(
                f"edge site '{site.name}': {site.capacity} capacity is not sold in Extended Zones"
            )
        scaling = gpu_pool_scaling(site)
        for note in edge_warnings(site, zone):
            pulumi.log.warn(note, resource=self)
        child = pulumi.ResourceOptions(parent=self)
        extended = {"name": zone, "type": EDGE_ZONE}
        # The edge tags every cloud's site carries: `infra check` holds non-public sites' nodes private.
        edge_tags = {EDGE_LOCATION_TAG: zone, **({PUBLIC_TAG: "true"} if site.public else {})}
        args = dataclasses.replace(args, tags={**args.tags, **edge_tags})

        group = azure_native.resources.ResourceGroup(
            f"{name}-rg", location=args.region, tags=args.tags, opts=child
        )
        identity = azure_native.managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_group_name=group.name,
            location=args.region,
            tags=args.tags,
            opts=child,
        )
        vnet = self._create_vnet(name, args, group, extended)
        subnet_ids = {s: pulumi.Output.concat(vnet.id, "/subnets/", s) for s in (SYSTEM_POOL, GPU_POOL)}
        self.key_vault = AzureKeyVault(
            f"{name}-kv",
            AzureKeyVaultArgs(
                resource_group_name=group.name,
                location=args.region,
                tenant_id=args.tenant_id,
                # The site's resource group is auto-named, so the stack and site name make the vault's.
                vault_name=vault_name(name, args.subscription_id, f"edge/{pulumi.get_stack()}/{name}"),
                network_access=KMS_NETWORK_ACCESS,
                tags=args.tags,
            ),
            opts=child,
        )
        grants = [
            azure_native.authorization.RoleAssignment(
                f"{name}-{part}",
                principal_id=identity.principal_id,
                principal_type="ServicePrincipal",
                role_definition_id=role_definition_id(args.subscription_id, role),
                scope=scope,
                description=f"AKS control plane of edge site {site.name}: {why}",
                opts=child,
            )
            for part, role, scope, why in (
                ("net-role", NETWORK_CONTRIBUTOR, vnet.id, "manage its VNet"),
                (
                    "kms-role",
                    KEY_VAULT_CRYPTO_USER,
                    self.key_vault.vault_id,
                    "wrap etcd keys with its KMS key",
                ),
            )
        ]
        cluster = self._create_cluster(name, args, group, identity, subnet_ids[SYSTEM_POOL], extended, grants)
        pool = azure_native.containerservice.AgentPool(
            f"{name}-{GPU_POOL}",
            agent_pool_name=GPU_POOL,
            resource_group_name=group.name,
            resource_name_=cluster.name,
            mode="User",
            os_type="Linux",
            # Ubuntu: AKS applies no automatic security patches to Azure Linux GPU pools (AKS_GPU_DOC).
            os_sku="Ubuntu",
            vm_size=args.vm_size,
            vnet_subnet_id=subnet_ids[GPU_POOL],
            enable_node_public_ip=site.public,
            os_disk_size_gb=site.disk_gib,
            os_disk_type="Managed",
            node_taints=[taint_text(GPU_TAINT)],
            node_labels=node_labels(site, args.accelerator),
            gpu_profile=azure_native.containerservice.GPUProfileArgs(driver=GPU_DRIVER),
            upgrade_settings=azure_native.containerservice.AgentPoolUpgradeSettingsArgs(max_surge="1"),
            tags=args.tags,
            **scaling,
            # The autoscaler owns the count once the pool exists.
            opts=pulumi.ResourceOptions(
                parent=self, ignore_changes=["count"] if scaling["enable_auto_scaling"] else None
            ),
        )
        self.resource_group_name = group.name
        self.vnet_id = vnet.id
        self.cluster_name = cluster.name
        self.node_pool_name = pool.name
        admin = azure_native.authorization.RoleAssignment(
            f"{name}-deployer-admin",
            principal_id=args.deployer_object_id,
            role_definition_id=role_definition_id(args.subscription_id, AKS_RBAC_CLUSTER_ADMIN),
            scope=cluster.id,
            description=f"The Pulumi deployer installs the GPU device plugin of edge site {site.name}",
            opts=child,
        )
        self._install_device_plugin(name, group, cluster, [cluster, admin, pool])
        self.register_outputs(
            {
                "resourceGroupName": self.resource_group_name,
                "vnetId": self.vnet_id,
                "keyVaultId": self.key_vault.vault_id,
                "clusterName": self.cluster_name,
                "nodePoolName": self.node_pool_name,
            }
        )

    def _install_device_plugin(
        self,
        name: str,
        group: azure_native.resources.ResourceGroup,
        cluster: azure_native.containerservice.ManagedCluster,
        after: list[pulumi.Resource],
    ) -> None:
        """The cluster's Kubernetes provider (Entra ID through kubelogin; no secret in the kubeconfig), then
        NVIDIA's device plugin in its own namespace, once the cluster, the deployer's role and the pool
        exist."""
        # Imported here: pulumi_kubernetes is needed only once a cluster is declared.
        import pulumi_kubernetes as k8s

        self.kubeconfig, self.k8s_provider = kubelogin_access(name, group.name, cluster.name, self)
        chart = DEVICE_PLUGIN

        def in_cluster(*depends_on: pulumi.Resource) -> pulumi.ResourceOptions:
            return pulumi.ResourceOptions(
                parent=self, provider=self.k8s_provider, depends_on=list(depends_on)
            )

        namespace = k8s.core.v1.Namespace(
            f"{name}-{chart.namespace}-ns",
            # The plugin mounts the kubelet's device-plugin directory from the host.
            metadata=k8s.meta.v1.ObjectMetaArgs(name=chart.namespace, labels=PRIVILEGED_NAMESPACE_LABELS),
            opts=in_cluster(*after),
        )
        k8s.helm.v3.Release(
            f"{name}-{chart.release}",
            name=chart.release,
            chart=chart.chart,
            version=chart.version,
            namespace=chart.namespace,
            repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
            values=device_plugin_values(),
            opts=in_cluster(*after, namespace),
        )

    def _create_vnet(
        self,
        name: str,
        args: ExtendedZoneSiteArgs,
        group: azure_native.resources.ResourceGroup,
        extended: dict[str, str],
    ) -> azure_native.network.VirtualNetwork:
        """The site's VNet in the zone; subnets inline (a separate Subnet resource is dropped by the next VNet
        update), none with default outbound access."""
        plan = args.vnet
        return azure_native.network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=group.name,
            location=args.region,
            extended_location=azure_native.network.ExtendedLocationArgs(**extended),
            address_space=azure_native.network.AddressSpaceArgs(address_prefixes=[str(plan.vnet)]),
            subnets=[
                azure_native.network.SubnetArgs(
                    name=subnet, address_prefix=str(cidr), default_outbound_access=False
                )
                for subnet, cidr in ((SYSTEM_POOL, plan.system), (GPU_POOL, plan.gpu))
            ],
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_cluster(
        self,
        name: str,
        args: ExtendedZoneSiteArgs,
        group: azure_native.resources.ResourceGroup,
        identity: azure_native.managedidentity.UserAssignedIdentity,
        system_subnet: pulumi.Input[str],
        extended: dict[str, str],
        grants: list[azure_native.authorization.RoleAssignment],
    ) -> azure_native.containerservice.ManagedCluster:
        cs = azure_native.containerservice
        plan = args.vnet
        return cs.ManagedCluster(
            f"{name}-aks",
            resource_group_name=group.name,
            location=args.region,
            extended_location=cs.ExtendedLocationArgs(**extended),
            dns_prefix=name,
            identity=cs.ManagedClusterIdentityArgs(
                type="UserAssigned", user_assigned_identities=[identity.id]
            ),
            sku=cs.ManagedClusterSKUArgs(name="Base", tier="Standard"),
            enable_rbac=True,
            disable_local_accounts=True,
            aad_profile=cs.ManagedClusterAADProfileArgs(
                managed=True, enable_azure_rbac=True, tenant_id=args.tenant_id
            ),
            api_server_access_profile=cs.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=True, private_dns_zone="system"
            ),
            # Pods reach Azure with their own Entra identities, never the node's (as the regional cluster).
            oidc_issuer_profile=cs.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            security_profile=cs.ManagedClusterSecurityProfileArgs(
                workload_identity=cs.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True),
                # A public vault: AKS takes no vault resource ID then (it is for the private link).
                azure_key_vault_kms=cs.AzureKeyVaultKmsArgs(
                    enabled=True, key_id=self.key_vault.key_id, key_vault_network_access=KMS_NETWORK_ACCESS
                ),
            ),
            network_profile=cs.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                pod_cidr=str(plan.pod_cidr),
                service_cidr=str(plan.service_cidr),
                dns_service_ip=plan.dns_service_ip,
                outbound_type="loadBalancer",
                load_balancer_sku="standard",
            ),
            auto_upgrade_profile=cs.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel="patch", node_os_upgrade_channel="NodeImage"
            ),
            agent_pool_profiles=[
                cs.ManagedClusterAgentPoolProfileArgs(
                    name=SYSTEM_POOL,
                    mode="System",
                    os_type="Linux",
                    os_sku="AzureLinux",
                    vm_size=args.system_vm_size,
                    count=SYSTEM_NODES,
                    vnet_subnet_id=system_subnet,
                    enable_node_public_ip=False,
                    node_taints=[SYSTEM_TAINT],
                    type="VirtualMachineScaleSets",
                )
            ],
            tags=args.tags,
            # The identity must hold its roles on the VNet and the vault before AKS uses them.
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(grants)),
        )


def site_machine(catalog: Catalog, site: EdgeSite) -> tuple[str, str, str | None]:
    """(parent region, VM size, accelerator) of an Extended Zone site, from the edge catalog (the spec
    validator has already checked the zone exists and sells the machine)."""
    from aiinfra.catalog.edge import resolve_edge

    loc = catalog.edge.location("azure", site.location)
    if loc is None:
        raise ValueError(f"edge site '{site.name}': {site.location} is not an Extended Zone in the catalog")
    machine = resolve_edge(
        catalog, loc, site.location, accelerator=site.accelerator, instance_type=site.instance_type
    )
    return loc.parent_region(site.location), machine.name, machine.accelerator


def declare(
    sites: Sequence[EdgeSite], clusters: Mapping[str, ClusterOutputs], catalog: Catalog
) -> dict[str, EdgeOutputs]:
    """The Azure edge entry point (`aiinfra.clouds.azure` names it). An Extended Zone site is its own AKS
    cluster (its control plane in the parent region), so `clusters` is unused."""
    del clusters
    client = azure_native.authorization.get_client_config()
    out: dict[str, EdgeOutputs] = {}
    for site in sites:
        region, vm_size, accelerator = site_machine(catalog, site)
        component = ExtendedZoneSite(
            site.name,
            ExtendedZoneSiteArgs(
                site=site,
                region=region,
                vm_size=vm_size,
                accelerator=accelerator,
                tenant_id=client.tenant_id,
                subscription_id=client.subscription_id,
                deployer_object_id=client.object_id,
                tags={"aiinfra:stack": pulumi.get_stack(), "aiinfra:edge-site": site.name},
            ),
        )
        out[site.name] = EdgeOutputs(
            cloud=site.cloud,
            kind="extended-zone",
            location=site.location,
            region=region,
            cluster_name=component.cluster_name,
            node_pool_name=component.node_pool_name,
            component=component,
        )
    return out
