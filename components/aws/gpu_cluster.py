"""AwsGpuCluster: one `clusters[]` entry of the spec on AWS — network, EKS, GPU pools and storage, wired
together on an explicit AWS provider for the cluster's region (`regional_provider`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from aiinfra.catalog import Catalog, InstanceType
from aiinfra.clouds.aws import LUSTRE_DEFAULT_THROUGHPUT, PROFILE
from aiinfra.components.aws.eks_cluster import EksCluster, EksClusterArgs
from aiinfra.components.aws.gpu_node_pool import GpuNodePool, GpuNodePoolArgs
from aiinfra.components.aws.lustre import LustreFileSystem, LustreFileSystemArgs
from aiinfra.components.aws.network import ClusterNetwork, ClusterNetworkArgs
from aiinfra.components.aws.object_bucket import ObjectBucket, ObjectBucketArgs
from aiinfra.components.aws.rules import (
    EFA_RESOURCE,
    EKS_TOPOLOGY_LABELS,
    GPU_TAINT,
    KUBERNETES_TAINT_EFFECT,
)
from aiinfra.components.aws.workload import AwsWorkloadReady, AwsWorkloadReadyArgs
from aiinfra.components.outputs import ClusterOutputs
from aiinfra.components.workload import PoolMachine, plan_workload
from aiinfra.spec.models import Cluster

TYPE = "aiinfra:aws:GpuCluster"


def order_zones(available: list[str], wanted: str | None) -> list[str]:
    """The zones to spread the network over, the interconnect zone first."""
    if wanted is None:
        return available
    if wanted not in available:
        raise ValueError(f"zone {wanted} is not available to this account; available: {', '.join(available)}")
    return [wanted, *(z for z in available if z != wanted)]


def regional_provider(spec: Cluster) -> tuple[aws.Provider, list[str]]:
    """The cluster's AWS provider (its region, tags on everything) and the zones it can use, the
    interconnect zone first. Called for every cluster before any component is declared: a blocking
    invoke made after many registrations costs time in proportion to them (bench/README.md)."""
    tags = {**spec.tags, "aiinfra:cluster": spec.name, "aiinfra:stack": pulumi.get_stack()}
    provider = aws.Provider(
        f"{spec.name}-aws", region=spec.region, default_tags=aws.ProviderDefaultTagsArgs(tags=tags)
    )
    zones = aws.get_availability_zones(
        state="available",
        filters=[aws.GetAvailabilityZonesFilterArgs(name="opt-in-status", values=["opt-in-not-required"])],
        opts=pulumi.InvokeOptions(provider=provider),
    ).names
    return provider, order_zones(list(zones), spec.zone)


def declare(clusters: Sequence[Cluster], catalog: Catalog) -> dict[str, ClusterOutputs]:
    """The AWS entry point (`aiinfra.clouds.aws` names it): every cluster's provider and zones first, then
    the components (see regional_provider)."""
    regional = {c.name: regional_provider(c) for c in clusters}
    out: dict[str, ClusterOutputs] = {}
    for cluster in clusters:
        provider, zones = regional[cluster.name]
        component = AwsGpuCluster(
            cluster.name,
            AwsGpuClusterArgs(spec=cluster, catalog=catalog, zones=zones),
            opts=pulumi.ResourceOptions(provider=provider),
        )
        out[cluster.name] = ClusterOutputs(
            cloud=cluster.cloud,
            region=cluster.region,
            cluster_name=component.eks.cluster_name,
            interconnect_zone=component.network.interconnect_zone,
            component=component,
        )
    return out


@dataclass
class AwsGpuClusterArgs:
    spec: Cluster
    catalog: Catalog
    zones: list[str]
    """Availability zones, the interconnect zone first (from `regional_provider`)."""


class AwsGpuCluster(pulumi.ComponentResource):
    network: ClusterNetwork
    eks: EksCluster
    pools: dict[str, GpuNodePool]
    buckets: dict[str, ObjectBucket]
    file_systems: dict[str, LustreFileSystem]
    workload: AwsWorkloadReady

    def __init__(
        self, name: str, args: AwsGpuClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self._name = name
        self.provider = opts.provider if opts is not None else None
        """The regional provider (edge sites that join this cluster are declared on it)."""
        self.kubernetes_version = args.spec.kubernetes_version
        child = pulumi.ResourceOptions(parent=self)  # the provider comes down from `opts`
        self.network = self._create_network(args, child)
        self.eks = self._create_eks(args, child)
        machines = self._create_pools(args)
        self.buckets = self._create_buckets(args, child)
        self.file_systems = self._create_file_systems(args, child)
        self.workload = self._workload_ready(name, args, machines)
        self.register_outputs(
            {
                "clusterName": self.eks.cluster_name,
                "vpcId": self.network.vpc_id,
                "interconnectZone": self.network.interconnect_zone,
                "nodeGroups": {k: p.node_group_name for k, p in self.pools.items()},
                "buckets": {k: b.bucket_name for k, b in self.buckets.items()},
                "lustre": {k: f.dns_name for k, f in self.file_systems.items()},
                "workloadNamespace": self.workload.namespace,
                "claims": self.workload.claims,
                "localQueues": self.workload.local_queues,
            }
        )

    def _create_network(self, args: AwsGpuClusterArgs, child: pulumi.ResourceOptions) -> ClusterNetwork:
        spec = args.spec
        return ClusterNetwork(
            f"{self._name}-net",
            ClusterNetworkArgs(
                cidr=spec.network.cidr, zones=args.zones, nat_gateways=spec.network.nat_gateways
            ),
            opts=child,
        )

    def _create_eks(self, args: AwsGpuClusterArgs, child: pulumi.ResourceOptions) -> EksCluster:
        spec = args.spec
        return EksCluster(
            self._name,
            EksClusterArgs(
                vpc_id=self.network.vpc_id,
                subnet_ids=self.network.private_subnet_ids,
                region=spec.region,
                kubernetes_version=spec.kubernetes_version,
                public_access_cidrs=[str(c) for c in spec.endpoint_public_access_cidrs],
                system_instance_type=spec.system_instance_type or PROFILE.default_system_machine,
                system_nodes=spec.system_nodes,
                efa_device_plugin=any(p.interconnect for p in spec.node_pools),
            ),
            opts=child,
        )

    def _create_pools(self, args: AwsGpuClusterArgs) -> dict[str, PoolMachine]:
        """A GPU node pool per spec pool (after the system nodes); returns each pool's neutral description."""
        spec = args.spec
        self.pools = {}
        machines: dict[str, PoolMachine] = {}
        for pool in spec.node_pools:
            itype = args.catalog.resolve(
                cloud="aws",
                region=spec.region,
                accelerator=pool.accelerator,
                instance_type=pool.instance_type,
                interconnect=pool.interconnect,
                capacity_blocks=pool.capacity == "capacity-block",
                zone=args.zones[0] if pool.interconnect else None,
            )
            lo, desired, hi = pool.scaling
            self.pools[pool.name] = GpuNodePool(
                f"{self._name}-{pool.name}",
                GpuNodePoolArgs(
                    cluster_name=self.eks.cluster_name,
                    node_role_arn=self.eks.node_role_arn,
                    instance_type=itype,
                    subnet_ids=(
                        [self.network.interconnect_subnet_id]
                        if pool.interconnect
                        else self.network.private_subnet_ids
                    ),
                    cluster_security_group_id=self.eks.cluster_security_group_id,
                    efa_security_group_id=self.network.efa_security_group_id,
                    min_nodes=lo,
                    desired_nodes=desired,
                    max_nodes=hi,
                    capacity=pool.capacity,
                    reservation=pool.reservation,
                    interconnect=pool.interconnect,
                    disk_gib=pool.disk_gib,
                    labels=dict(pool.labels),
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.eks.system_nodes]),
            )
            machines[pool.name] = pool_machine(self.pools[pool.name], itype, lo, hi)
        return machines

    def _create_buckets(
        self, args: AwsGpuClusterArgs, child: pulumi.ResourceOptions
    ) -> dict[str, ObjectBucket]:
        return {
            s.name: ObjectBucket(f"{self._name}-{s.name}", ObjectBucketArgs(protect=s.protect), opts=child)
            for s in args.spec.storage
            if s.kind == "object"
        }

    def _create_file_systems(
        self, args: AwsGpuClusterArgs, child: pulumi.ResourceOptions
    ) -> dict[str, LustreFileSystem]:
        """FSx for Lustre per `lustre` entry, in the interconnect zone, linked to its object store if named."""
        file_systems = {}
        for s in args.spec.storage:
            if s.kind != "lustre":
                continue
            assert s.capacity_gib is not None  # the spec validator requires it
            linked = self.buckets[s.data_repository].bucket_name if s.data_repository else None
            file_systems[s.name] = LustreFileSystem(
                f"{self._name}-{s.name}",
                LustreFileSystemArgs(
                    vpc_id=self.network.vpc_id,
                    subnet_id=self.network.interconnect_subnet_id,
                    client_security_group_id=self.eks.cluster_security_group_id,
                    capacity_gib=s.capacity_gib,
                    throughput_mbps_per_tib=s.throughput_mbps_per_tib or LUSTRE_DEFAULT_THROUGHPUT,
                    data_repository_bucket=linked,
                    protect=s.protect,
                ),
                opts=child,
            )
        return file_systems

    def _workload_ready(
        self, name: str, args: AwsGpuClusterArgs, machines: dict[str, PoolMachine]
    ) -> AwsWorkloadReady:
        """Storage in pods, autoscaling, queues and GPU health (aiinfra.components.workload)."""
        spec = args.spec
        mounted = {s.name: s.kind for s in spec.storage if s.kind in ("lustre", "object")}
        return AwsWorkloadReady(
            f"{name}-workload",
            AwsWorkloadReadyArgs(
                plan=plan_workload(mounted, machines),
                cluster_name=self.eks.cluster_name,
                region=spec.region,
                kubernetes_version=spec.kubernetes_version,
                k8s_provider=self.eks.k8s_provider,
                pod_identity_agent=self.eks.pod_identity_agent,
                system_nodes=self.eks.system_nodes,
                pools={k: (p, machines[k]) for k, p in self.pools.items()},
                file_systems={
                    s.name: (self.file_systems[s.name], s.capacity_gib or 0)
                    for s in spec.storage
                    if s.name in self.file_systems
                },
                buckets=dict(self.buckets),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )


def pool_machine(pool: GpuNodePool, itype: InstanceType, min_nodes: int, max_nodes: int) -> PoolMachine:
    """The neutral description of a pool (aiinfra.components.workload) from its node group."""
    key, value, effect = GPU_TAINT
    return PoolMachine(
        gpus=itype.accelerator_count,
        vcpu=itype.vcpu,
        memory_gib=int(itype.memory_gib),
        min_nodes=min_nodes,
        max_nodes=max_nodes,
        labels={"aiinfra.dev/pool": pool.labels["aiinfra.dev/pool"]},
        template_labels=dict(pool.labels),
        taint=(key, value, KUBERNETES_TAINT_EFFECT[effect]),
        fabric_resources={EFA_RESOURCE: itype.efa_cards} if pool.efa else {},
        topology_labels=EKS_TOPOLOGY_LABELS if pool.efa else (),
    )
