"""GkeCluster: the GKE Standard control plane a GPU/TPU cluster runs on.

- private nodes; a private endpoint unless the spec lists networks for a public one (never 0.0.0.0/0:
  the spec validator refuses it), with control-plane authorized networks;
- Workload Identity, Dataplane V2 (required by multi-networking), multi-networking when a pool attaches
  GPU NICs to extra VPCs, a release channel, shielded nodes;
- Kubernetes secrets encrypted with a rotated Cloud KMS key (`kms.secrets_key`);
- the default node pool removed, deletion protection on, and a small system pool as its own NodePool;
- a least-privilege node service account (`rules.NODE_ROLES`) shared by every pool;
- the storage CSI drivers (GCS FUSE always; Parallelstore, Filestore, Managed Lustre when the cluster's
  storage uses them) as GKE add-ons;
- the GKE `Network` / `GKENetworkParamSet` objects of the GPU networks, through a Kubernetes provider built
  from the cluster's endpoint and CA (it authenticates with gke-gcloud-auth-plugin; with a private
  endpoint, `pulumi up` must run from inside the VPC or through its authorized networks), and the
  fabric's NCCL plugin installer DaemonSet (plus the NRI device injector for TCPX/TCPXO).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.fabric_network import AttachedSubnet
from aiinfra.components.gcp.kms import secrets_key
from aiinfra.components.gcp.rules import (
    NODE_ROLES,
    RELEASE_CHANNEL,
    gpudirect_manifests,
    secure_node_config,
)

TYPE = "aiinfra:gcp:GkeCluster"
SYSTEM_DISK_GIB = 100
SYSTEM_POOL = "system"
CSI_ADDONS = {
    "object": "gcs_fuse_csi_driver_config",
    "parallel": "parallelstore_csi_driver_config",
    "file": "gcp_filestore_csi_driver_config",
    "lustre": "lustre_csi_driver_config",
}


@dataclass
class GkeClusterArgs:
    project: str
    region: str
    location: str
    """A zone (zonal cluster: the spec sets `zone`) or the region (regional cluster)."""
    network_id: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    pods_range: str
    services_range: str
    kubernetes_version: str = "1.35"
    public_access_cidrs: list[str] = field(default_factory=list)
    """Empty: private endpoint only. Otherwise the public endpoint is open to exactly these CIDRs."""
    system_machine: str = "e2-standard-4"
    system_zones: list[str] | None = None
    """A regional cluster's system pool zones (None: the cluster's zone)."""
    system_nodes_per_zone: int = 2
    fabric_subnets: Sequence[AttachedSubnet] = ()
    """The GPU networks' subnets: each becomes a GKE Network; non-empty turns multi-networking on."""
    fabric: str | None = None
    """The GPUDirect fabric of the interconnect pools: its NCCL plugin installer goes on the cluster."""
    gpu_metrics: bool = False
    """GPU pools: GKE's managed DCGM metrics (GPU health and utilisation) through Managed Prometheus."""
    storage_kinds: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)


class GkeCluster(pulumi.ComponentResource):
    cluster_name: pulumi.Output[str]
    cluster_id: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    node_service_account: pulumi.Output[str]
    secrets_key_id: pulumi.Output[str]
    system_pool: gcp.container.NodePool
    k8s_provider: pulumi.ProviderResource
    gke_networks: list[str]
    """The names of the GKE Network objects pods attach to (networking.gke.io/interfaces)."""

    def __init__(self, name: str, args: GkeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        key, grant = secrets_key(name, project=args.project, region=args.region, opts=child)
        account, roles = self._node_identity(name, args)
        cluster = self._create_cluster(name, args, key, account, [grant, *roles])
        self.system_pool = self._create_system_pool(name, args, cluster, account)

        self.cluster_name = cluster.name
        self.cluster_id = cluster.id
        self.endpoint = cluster.endpoint
        self.node_service_account = account.email
        self.secrets_key_id = key.id
        self.k8s_provider = self._k8s_provider(name, cluster)
        self.gke_networks = self._gke_networks(name, args)
        self._gpudirect_host_components(name, args)
        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "endpoint": self.endpoint,
                "nodeServiceAccount": self.node_service_account,
                "secretsKeyId": self.secrets_key_id,
            }
        )

    def _node_identity(
        self, name: str, args: GkeClusterArgs
    ) -> tuple[gcp.serviceaccount.Account, list[gcp.projects.IAMMember]]:
        """The nodes' own service account with only GKE's node role and image pulls (not the Compute
        Engine default account, which has Editor)."""
        account = gcp.serviceaccount.Account(
            f"{name}-nodes",
            account_id=f"{name}-nodes"[:30],
            display_name=f"GKE nodes of {name}",
            project=args.project,
            opts=pulumi.ResourceOptions(parent=self),
        )
        roles = [
            gcp.projects.IAMMember(
                f"{name}-nodes-{role.split('/')[-1].split('.')[0]}",
                project=args.project,
                role=role,
                member=account.email.apply(lambda e: f"serviceAccount:{e}"),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for role in NODE_ROLES
        ]
        return account, roles

    def _create_cluster(
        self,
        name: str,
        args: GkeClusterArgs,
        key: gcp.kms.CryptoKey,
        account: gcp.serviceaccount.Account,
        depends_on: list[pulumi.Resource],
    ) -> gcp.container.Cluster:
        public = bool(args.public_access_cidrs)
        addons: dict[str, object] = {
            CSI_ADDONS[kind]: {"enabled": True} for kind in sorted({"object", *args.storage_kinds})
        }
        return gcp.container.Cluster(
            f"{name}-gke",
            project=args.project,
            location=args.location,
            network=args.network_id,
            subnetwork=args.subnet_id,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy={
                "cluster_secondary_range_name": args.pods_range,
                "services_secondary_range_name": args.services_range,
            },
            private_cluster_config={
                "enable_private_nodes": True,
                "enable_private_endpoint": not public,
                "master_global_access_config": {"enabled": True},
            },
            master_authorized_networks_config={
                "cidr_blocks": [
                    {"cidr_block": c, "display_name": f"public-{i}"}
                    for i, c in enumerate(args.public_access_cidrs)
                ],
                "gcp_public_cidrs_access_enabled": False,
            },
            workload_identity_config={"workload_pool": f"{args.project}.svc.id.goog"},
            datapath_provider="ADVANCED_DATAPATH",
            enable_multi_networking=True if args.fabric_subnets else None,
            release_channel={"channel": RELEASE_CHANNEL},
            min_master_version=args.kubernetes_version,
            enable_shielded_nodes=True,
            database_encryption={"state": "ENCRYPTED", "key_name": key.id},
            addons_config=addons,
            monitoring_config=(
                {
                    "enable_components": ["SYSTEM_COMPONENTS", "DCGM"],
                    "managed_prometheus": {"enabled": True},
                }
                if args.gpu_metrics
                else None
            ),
            remove_default_node_pool=True,
            initial_node_count=1,
            # The default pool exists only while the cluster is created: even then, no Editor identity.
            node_config=secure_node_config(
                machine="e2-medium",
                service_account=account.email,
                disk_gib=SYSTEM_DISK_GIB,
                labels={},
            ),
            deletion_protection=True,
            resource_labels=args.labels,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=depends_on,
                # The default pool's settings no longer exist once it is removed.
                ignore_changes=["nodeConfig", "initialNodeCount"],
            ),
        )

    def _create_system_pool(
        self,
        name: str,
        args: GkeClusterArgs,
        cluster: gcp.container.Cluster,
        account: gcp.serviceaccount.Account,
    ) -> gcp.container.NodePool:
        """A small CPU pool for kube-system, the GPU/TPU plugins' controllers and the queues."""
        return gcp.container.NodePool(
            f"{name}-system",
            # Named, not auto-named: `{cluster}-system-<7 hex>` could pass GKE's 40 characters. A spec
            # pool named `system` is refused by the spec's name checks (clouds/gcp.py LIMITS).
            name=SYSTEM_POOL,
            project=args.project,
            cluster=cluster.id,
            location=args.location,
            node_locations=args.system_zones,
            node_count=args.system_nodes_per_zone,
            node_config=secure_node_config(
                machine=args.system_machine,
                service_account=account.email,
                disk_gib=SYSTEM_DISK_GIB,
                labels={"aiinfra.dev/pool": "system"},
            ),
            management={"auto_repair": True, "auto_upgrade": True},
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _k8s_provider(self, name: str, cluster: gcp.container.Cluster) -> pulumi.ProviderResource:
        # Imported here: pulumi_kubernetes is needed only once a cluster is declared.
        import pulumi_kubernetes as k8s

        config = pulumi.Output.all(
            cluster.name, cluster.endpoint, cluster.master_auth.cluster_ca_certificate
        ).apply(lambda v: kubeconfig(str(v[0]), str(v[1]), str(v[2])))
        return k8s.Provider(
            f"{name}-k8s",
            kubeconfig=config,
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _gke_networks(self, name: str, args: GkeClusterArgs) -> list[str]:
        """A GKENetworkParamSet and a Device Network per GPU subnet: what GKE multi-networking attaches
        to pods that ask for them (NetDevice for TCPX/TCPXO/gVNIC, RDMA for the CX-7 NICs)."""
        import pulumi_kubernetes as k8s

        opts = pulumi.ResourceOptions(parent=self, provider=self.k8s_provider, depends_on=[self.system_pool])
        names = []
        for attached in args.fabric_subnets:
            gke = attached.subnet.gke_network
            params = k8s.apiextensions.CustomResource(
                f"{name}-{gke}-params",
                api_version="networking.gke.io/v1",
                kind="GKENetworkParamSet",
                metadata={"name": gke},
                spec={
                    "vpc": attached.network_name,
                    "vpcSubnet": attached.subnetwork_name,
                    "deviceMode": attached.subnet.device_mode,
                },
                opts=opts,
            )
            k8s.apiextensions.CustomResource(
                f"{name}-{gke}-network",
                api_version="networking.gke.io/v1",
                kind="Network",
                metadata={"name": gke},
                spec={
                    "type": "Device",
                    "parametersRef": {
                        "group": "networking.gke.io",
                        "kind": "GKENetworkParamSet",
                        "name": gke,
                    },
                },
                opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[params])),
            )
            names.append(gke)
        return names

    def _gpudirect_host_components(self, name: str, args: GkeClusterArgs) -> None:
        """The fabric's NCCL plugin installer (and NRI device injector for TCPX/TCPXO), applied by the
        Kubernetes provider from their pinned manifests (`rules.GPUDIRECT_MANIFESTS`). They select nodes by
        GKE accelerator and tolerate every taint."""
        import pulumi_kubernetes as k8s

        opts = pulumi.ResourceOptions(parent=self, provider=self.k8s_provider, depends_on=[self.system_pool])
        for manifest, url in gpudirect_manifests(args.fabric or ""):
            k8s.yaml.v2.ConfigFile(f"{name}-{manifest}", file=url, opts=opts)


def kubeconfig(cluster_name: str, endpoint: str, ca_data: str) -> str:
    """A kubeconfig that authenticates with gke-gcloud-auth-plugin (it must be on the PATH)."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": cluster_name,
                    "cluster": {"server": f"https://{endpoint}", "certificate-authority-data": ca_data},
                }
            ],
            "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
            "current-context": cluster_name,
            "users": [
                {
                    "name": cluster_name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "gke-gcloud-auth-plugin",
                            "provideClusterInfo": True,
                        }
                    },
                }
            ],
        }
    )
