"""GcpGpuCluster: one `clusters[]` entry of the spec on GCP — the cluster VPC, the GPUDirect networks its
interconnect pools need, GKE, GPU and TPU node pools (and storage, wired at merge), on an explicit GCP
provider for the cluster's project and region (`regional_provider`).

Every accelerator pool lives in the cluster's zone: `zone` from the spec, else the first zone of the
region that sells the first pool's machine (the catalog's offer). GPUDirect networks, TPU slices and
Parallelstore are zonal, so one zone keeps them together. The GKE cluster is zonal when the spec sets
`zone` and regional otherwise (its system pool then spreads over the region's zones)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from aiinfra.catalog import Catalog, InstanceType
from aiinfra.clouds.gcp import PROFILE, TPU_GENERATIONS, TpuSlice, tpu_slice
from aiinfra.components.gcp.fabric_network import GpuFabricNetwork, GpuFabricNetworkArgs
from aiinfra.components.gcp.gke_cluster import GkeCluster, GkeClusterArgs
from aiinfra.components.gcp.gpu_node_pool import GkeGpuNodePool, GkeGpuNodePoolArgs
from aiinfra.components.gcp.network import GcpClusterNetwork, GcpClusterNetworkArgs
from aiinfra.components.gcp.pool_args import GkeNodePoolArgs
from aiinfra.components.gcp.rules import (
    GPU_TAINT,
    fabric_base,
    fabric_layout,
    plan_ranges,
    private_services_range,
    system_pool_layout,
)
from aiinfra.components.gcp.storage import GcpClusterStorage, GcpStorageArgs
from aiinfra.components.gcp.tpu_node_pool import GkeTpuNodePool, GkeTpuNodePoolArgs
from aiinfra.components.gcp.workload import GkeWorkloadReady, GkeWorkloadReadyArgs
from aiinfra.components.outputs import ClusterOutputs
from aiinfra.components.workload import PoolMachine, plan_workload
from aiinfra.spec.models import Cluster, NodePool

TYPE = "aiinfra:gcp:GpuCluster"
FABRIC_KEYS = {"gpudirect-tcpx": "tcpx", "gpudirect-tcpxo": "tcpxo", "gpudirect-rdma": "rdma"}


def project_of(spec: Cluster) -> str:
    """The cluster's project: its `project` key, else the stack's `gcp:project` (the spec validator has
    made sure one of them is set)."""
    project = spec.project or pulumi.Config("gcp").get("project")
    if not project:
        raise ValueError(f"cluster '{spec.name}' names no GCP project: set project: or gcp:project")
    return project


def regional_provider(spec: Cluster) -> gcp.Provider:
    """The cluster's GCP provider: its project and region, and the aiinfra labels on everything."""
    labels = {"aiinfra-cluster": spec.name, "aiinfra-stack": pulumi.get_stack().lower()[:63]}
    return gcp.Provider(
        f"{spec.name}-gcp", project=project_of(spec), region=spec.region, default_labels=labels
    )


def declare(clusters: Sequence[Cluster], catalog: Catalog) -> dict[str, ClusterOutputs]:
    """The GCP entry point (`aiinfra.clouds.gcp` names it): every cluster's provider first, then the
    components."""
    providers = {c.name: regional_provider(c) for c in clusters}
    out: dict[str, ClusterOutputs] = {}
    for cluster in clusters:
        component = GcpGpuCluster(
            cluster.name,
            GcpGpuClusterArgs(spec=cluster, catalog=catalog, project=project_of(cluster)),
            opts=pulumi.ResourceOptions(provider=providers[cluster.name]),
        )
        out[cluster.name] = ClusterOutputs(
            cloud=cluster.cloud,
            region=cluster.region,
            cluster_name=component.gke.cluster_name,
            interconnect_zone=pulumi.Output.from_input(component.zone),
            component=component,
        )
    return out


@dataclass
class GcpGpuClusterArgs:
    spec: Cluster
    catalog: Catalog
    project: str


@dataclass(frozen=True)
class ResolvedPool:
    spec: NodePool
    machine: InstanceType
    slice: TpuSlice | None
    zone: str | None
    """Where the pool's nodes live (None before the cluster's zone is known)."""

    @property
    def tpu(self) -> bool:
        return self.machine.accelerator in TPU_GENERATIONS


def resolve_pool(pool: NodePool, spec: Cluster, catalog: Catalog, zone: str | None) -> ResolvedPool:
    """The pool's machine from the catalog, re-picked by its TPU topology when it has one, and its zone:
    an interconnect pool must be sold in the cluster's `zone` (the spec validator checks it); a pool off
    the fabric moves to the first zone that sells its machine when the cluster's does not."""
    machine = catalog.resolve(
        cloud=spec.cloud,
        region=spec.region,
        accelerator=pool.accelerator,
        instance_type=pool.instance_type,
        interconnect=pool.interconnect,
        capacity_blocks=pool.capacity == "capacity-block",
    )
    shape = None
    if pool.topology is not None and machine.accelerator in TPU_GENERATIONS:
        shape = tpu_slice(machine.accelerator, pool.topology)
        machine = catalog.instance_type(shape.machine, cloud=spec.cloud)
    if zone is None:
        return ResolvedPool(pool, machine, shape, None)
    offer = catalog.offer(machine.name, spec.region)
    if not pool.interconnect and offer is not None and offer.zones and zone not in offer.zones:
        return ResolvedPool(pool, machine, shape, sorted(offer.zones)[0])
    catalog.check_offered(machine, region=spec.region, interconnect=pool.interconnect, zone=zone)
    return ResolvedPool(pool, machine, shape, zone)


def cluster_zone(spec: Cluster, first: InstanceType, catalog: Catalog) -> str:
    """The spec's zone, else the first zone of the region that sells the first pool's machine."""
    if spec.zone is not None:
        return spec.zone
    offer = catalog.offer(first.name, spec.region)
    if offer is not None and offer.zones:
        return sorted(offer.zones)[0]
    region = catalog.region(spec.cloud, spec.region)
    if region is not None and region.zones:
        return sorted(region.zones)[0]
    raise ValueError(f"no zone of {spec.region} is known to sell {first.name}; set zone on the cluster")


class GcpGpuCluster(pulumi.ComponentResource):
    project: str
    region: str
    zone: str
    """The zone the accelerator pools, the GPU networks and zonal storage live in."""
    network: GcpClusterNetwork
    fabrics: dict[str, GpuFabricNetwork]
    gke: GkeCluster
    gpu_pools: dict[str, GkeGpuNodePool]
    tpu_pools: dict[str, GkeTpuNodePool]
    workload: GkeWorkloadReady
    storage: GcpClusterStorage | None

    def __init__(
        self, name: str, args: GcpGpuClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self._name = name
        spec = args.spec
        self.project = args.project
        self.region = spec.region
        first = resolve_pool(spec.node_pools[0], spec, args.catalog, spec.zone)
        self.zone = cluster_zone(spec, first.machine, args.catalog)
        pools = [resolve_pool(p, spec, args.catalog, self.zone) for p in spec.node_pools]
        child = pulumi.ResourceOptions(parent=self)  # the provider comes down from `opts`
        self.network = GcpClusterNetwork(
            f"{name}-net", GcpClusterNetworkArgs(cidr=spec.network.cidr, region=spec.region), opts=child
        )
        self.fabrics = self._create_fabrics(args, pools, child)
        self.gke = self._create_gke(args, pools, child)
        self._create_pools(args, pools)
        self._create_storage(args, child)
        self.workload = self._workload_ready(pools)
        self.register_outputs(
            {
                "project": self.project,
                "region": self.region,
                "zone": self.zone,
                "clusterName": self.gke.cluster_name,
                "networkId": self.network.network_id,
                "gkeNetworks": self.gke.gke_networks,
                "workloadNamespace": self.workload.namespace,
                "localQueues": self.workload.local_queues,
                "nodePools": {
                    **{k: p.node_pool_name for k, p in self.gpu_pools.items()},
                    **{k: p.node_pool_name for k, p in self.tpu_pools.items()},
                },
            }
        )

    def _create_fabrics(
        self, args: GcpGpuClusterArgs, pools: list[ResolvedPool], child: pulumi.ResourceOptions
    ) -> dict[str, GpuFabricNetwork]:
        """One set of GPU networks per GPUDirect fabric the interconnect pools use (one fabric per
        cluster: the GKE networks' names — vpc1.., rdma-0.. — are what the fabric's workloads ask for)."""
        fabrics = sorted(
            {p.machine.fabric for p in pools if p.spec.interconnect and not p.tpu and p.machine.has_fabric}
        )
        if len(fabrics) > 1:
            raise ValueError(
                f"cluster '{self._name}' mixes GPUDirect fabrics ({', '.join(fabrics)}); put pools of "
                "different A3/A4 families in separate clusters"
            )
        out: dict[str, GpuFabricNetwork] = {}
        for fabric in fabrics:
            layout = fabric_layout(fabric, fabric_base(args.spec.network.cidr))
            if layout is None:
                continue
            out[fabric] = GpuFabricNetwork(
                f"{self._name}-{FABRIC_KEYS[fabric]}",
                GpuFabricNetworkArgs(layout=layout, region=self.region, zone=self.zone, project=self.project),
                opts=child,
            )
        return out

    def _create_gke(
        self, args: GcpGpuClusterArgs, pools: list[ResolvedPool], child: pulumi.ResourceOptions
    ) -> GkeCluster:
        spec = args.spec
        zonal = spec.zone is not None
        system_zones: list[str] | None = None
        per_zone = spec.system_nodes
        if not zonal:
            region = args.catalog.region(spec.cloud, spec.region)
            zones = sorted(region.zones) if region is not None and region.zones else [self.zone]
            zones = [self.zone, *(z for z in zones if z != self.zone)]
            system_zones, per_zone = system_pool_layout(zones, spec.system_nodes)
        return GkeCluster(
            self._name,
            GkeClusterArgs(
                project=self.project,
                region=self.region,
                location=self.zone if zonal else self.region,
                network_id=self.network.network_id,
                subnet_id=self.network.subnet_id,
                pods_range=self.network.pods_range,
                services_range=self.network.services_range,
                kubernetes_version=spec.kubernetes_version,
                public_access_cidrs=[str(c) for c in spec.endpoint_public_access_cidrs],
                system_machine=spec.system_instance_type or PROFILE.default_system_machine,
                system_zones=system_zones,
                system_nodes_per_zone=per_zone,
                fabric_subnets=[s for f in self.fabrics.values() for s in f.subnets],
                fabric=next(iter(self.fabrics), None),
                storage_kinds=frozenset(s.kind for s in spec.storage),
                gpu_metrics=any(not p.tpu for p in pools),
                labels=dict(spec.tags),
            ),
            opts=child,
        )

    def _create_pools(self, args: GcpGpuClusterArgs, pools: list[ResolvedPool]) -> None:
        """A GPU or TPU node pool per spec pool, after the system pool."""
        spec = args.spec
        self.gpu_pools, self.tpu_pools = {}, {}
        location = self.zone if spec.zone is not None else self.region
        opts = pulumi.ResourceOptions(parent=self, depends_on=[self.gke.system_pool])
        for resolved in pools:
            pool = resolved.spec
            lo, desired, hi = pool.scaling
            common = GkeNodePoolArgs(
                project=self.project,
                cluster_id=self.gke.cluster_id,
                location=location,
                zone=resolved.zone or self.zone,
                instance_type=resolved.machine,
                service_account=self.gke.node_service_account,
                min_nodes=lo,
                desired_nodes=desired,
                max_nodes=hi,
                capacity=pool.capacity,
                reservation=pool.reservation,
                disk_gib=pool.disk_gib,
                labels=dict(pool.labels),
                pool_name=pool.name,
            )
            if resolved.tpu:
                self.tpu_pools[pool.name] = GkeTpuNodePool(
                    f"{self._name}-{pool.name}",
                    GkeTpuNodePoolArgs(**vars(common), slice=resolved.slice, topology=pool.topology),
                    opts=opts,
                )
                continue
            fabric = self.fabrics.get(resolved.machine.fabric) if pool.interconnect else None
            self.gpu_pools[pool.name] = GkeGpuNodePool(
                f"{self._name}-{pool.name}",
                GkeGpuNodePoolArgs(
                    **vars(common),
                    interconnect=pool.interconnect,
                    fabric_subnets=fabric.subnets if fabric is not None else [],
                ),
                opts=opts,
            )

    def _workload_ready(self, pools: list[ResolvedPool]) -> GkeWorkloadReady:
        """Queues per GPU pool (aiinfra.components.workload); storage claims come with the storage."""
        key, value, _ = GPU_TAINT
        machines = {
            r.spec.name: PoolMachine(
                gpus=r.machine.accelerator_count,
                vcpu=r.machine.vcpu,
                memory_gib=int(r.machine.memory_gib),
                min_nodes=r.spec.scaling[0],
                max_nodes=r.spec.scaling[2],
                labels={"aiinfra.dev/pool": p.labels["aiinfra.dev/pool"]},
                template_labels=dict(p.labels),
                taint=(key, value, "NoSchedule"),
            )
            for r in pools
            if (p := self.gpu_pools.get(r.spec.name)) is not None
        }
        return GkeWorkloadReady(
            f"{self._name}-workload",
            GkeWorkloadReadyArgs(
                plan=plan_workload({}, machines),
                k8s_provider=self.gke.k8s_provider,
                system_pool=self.gke.system_pool,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_storage(self, args: GcpGpuClusterArgs, child: pulumi.ResourceOptions) -> None:
        """The cluster's `storage` entries (Parallelstore, Managed Lustre, Filestore, Cloud Storage), the
        zonal ones in `self.zone` next to the GPUs, peered into the cluster VPC through the private services
        range carved from its block; Filestore exports only to the node and pod ranges."""
        spec = args.spec
        self.storage = None
        if not spec.storage:
            return
        ranges = plan_ranges(spec.network.cidr)
        psa = private_services_range(spec.network.cidr)
        self.storage = GcpClusterStorage(
            f"{self._name}-storage",
            GcpStorageArgs(
                storage=spec.storage,
                project=self.project,
                region=self.region,
                zone=self.zone,
                network_id=self.network.network_id,
                labels=dict(spec.tags),
                psa_address=str(psa.network_address) if psa is not None else None,
                client_cidrs=[str(ranges.nodes), str(ranges.pods)],
            ),
            opts=child,
        )
