"""AksGpuAgentPool: an AKS agent pool of GPU VMs for one spec pool.

The VM size comes resolved from the catalog. Every pool is one virtual machine scale set (an AKS pool is
one); with `interconnect` on an InfiniBand size that is what puts its nodes on one InfiniBand fabric (AKS
configures IB within a scale set: Azure/aks-rdma-infiniband, learn.microsoft.com/azure/virtual-machines/
setup-infiniband), and the pool also sits in a proximity placement group, in one zone when the cluster
names one. A pool on a capacity reservation group gets no placement group: the reserved VMs are placed
where Azure reserved them, and a placement group the reservation was not made in cannot use it.

GPU drivers: AKS installs none (`gpuProfile.driver: None`); the NVIDIA GPU Operator installs the driver,
the container toolkit and the device plugin on every GPU pool (`infiniband.py`), built with GPUDirect RDMA
when the cluster has InfiniBand pools. AKS's managed driver and the GPU Operator's are exclusive, and only
the Operator's loads the peer-memory module GPUDirect RDMA needs.

Spot: priority Spot, eviction Delete (a deallocated GPU VM still holds quota), max price capped at the
on-demand price. GPU nodes carry the GPU taint, so only GPU work lands there. Surge is 0 and one node is
upgraded at a time: spare GPU capacity and quota for surge nodes are rarely there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure

from aiinfra.catalog import InstanceType
from aiinfra.components.azure.rules import (
    CONTRIBUTOR,
    GPU_DRIVER,
    GPU_OS_SKU,
    GPU_TAINT,
    IB_FABRIC_MAX_NODES,
    PRIORITY,
    SPOT_EVICTION,
    SPOT_MAX_PRICE_ON_DEMAND,
    SPOT_TAINT,
    pool_labels,
    role_definition_id,
    taint_text,
)

TYPE = "aiinfra:azure:GpuAgentPool"


@dataclass
class AksGpuAgentPoolArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    subscription_id: str
    cluster_name: pulumi.Input[str]
    cluster_identity_principal_id: pulumi.Input[str]
    agent_pool_name: str
    """AKS's own pool name: lower-case letters and digits, at most 12 (`rules.agent_pool_names`)."""
    vm_size: InstanceType
    subnet_id: pulumi.Input[str]
    min_nodes: int
    desired_nodes: int
    max_nodes: int
    capacity: str = "on-demand"
    reservation: str | None = None
    """With capacity: reservation, the capacity reservation group's ARM ID."""
    interconnect: bool = True
    zone: str | None = None
    disk_gib: int = 500
    labels: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


class AksGpuAgentPool(pulumi.ComponentResource):
    agent_pool_name: str
    labels: dict[str, str]
    infiniband: bool
    taints: list[str]
    proximity_placement_group_id: pulumi.Output[str] | None

    def __init__(
        self, name: str, args: AksGpuAgentPoolArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        size = args.vm_size
        if args.interconnect and not size.has_fabric:
            raise ValueError(f"{size.name} has no InfiniBand; a pool on it cannot set interconnect")
        self.infiniband = args.interconnect and size.has_fabric
        if self.infiniband and args.max_nodes > IB_FABRIC_MAX_NODES:
            pulumi.log.warn(
                f"node pool '{name}' scales to {args.max_nodes} nodes, but InfiniBand reaches only the VMs of "
                f"one scale-set placement group (at most {IB_FABRIC_MAX_NODES}); a job larger than that "
                "would span fabrics. Split the pool, or keep jobs within 100 nodes.",
                resource=self,
            )
        self.agent_pool_name = args.agent_pool_name
        self.labels = pool_labels(name, size.accelerator, self.infiniband, args.labels)
        self.taints = [taint_text(GPU_TAINT)] + ([taint_text(SPOT_TAINT)] if args.capacity == "spot" else [])
        ppg = self._create_placement_group(name, args)
        grant = self._grant_reservation(name, args)
        pool = self._create_pool(name, args, ppg, grant)
        self.proximity_placement_group_id = ppg.id if ppg is not None else None
        self.register_outputs(
            {
                "agentPoolName": pool.name,
                "proximityPlacementGroupId": self.proximity_placement_group_id,
            }
        )

    def _create_placement_group(
        self, name: str, args: AksGpuAgentPoolArgs
    ) -> azure.compute.ProximityPlacementGroup | None:
        """A proximity placement group for an InfiniBand pool, unless it runs on reserved capacity."""
        if not self.infiniband:
            return None
        if args.capacity == "reservation":
            pulumi.log.warn(
                f"node pool '{name}': no proximity placement group on a capacity reservation group. The "
                "reserved VMs are placed where Azure reserved them; ask for the reservation in one "
                "placement group if the pool needs one.",
                resource=self,
            )
            return None
        return azure.compute.ProximityPlacementGroup(
            f"{name}-ppg",
            resource_group_name=args.resource_group_name,
            location=args.location,
            proximity_placement_group_type="Standard",
            # Azure takes a size intent together with a zone, and then places the group where that size is.
            intent=(
                azure.compute.ProximityPlacementGroupPropertiesIntentArgs(vm_sizes=[args.vm_size.name])
                if args.zone
                else None
            ),
            zones=[args.zone] if args.zone else None,
            tags=args.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _grant_reservation(
        self, name: str, args: AksGpuAgentPoolArgs
    ) -> azure.authorization.RoleAssignment | None:
        """AKS deploys into a capacity reservation group only with its identity's role on the group
        (learn.microsoft.com/azure/aks/use-capacity-reservation-groups, read 2026-12-04)."""
        if args.capacity != "reservation" or args.reservation is None:
            return None
        return azure.authorization.RoleAssignment(
            f"{name}-reservation-contributor",
            principal_id=args.cluster_identity_principal_id,
            principal_type="ServicePrincipal",
            role_definition_id=role_definition_id(args.subscription_id, CONTRIBUTOR),
            scope=args.reservation,
            description="AKS places the pool's VMs in this capacity reservation group",
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_pool(
        self,
        name: str,
        args: AksGpuAgentPoolArgs,
        ppg: azure.compute.ProximityPlacementGroup | None,
        grant: azure.authorization.RoleAssignment | None,
    ) -> azure.containerservice.AgentPool:
        cs = azure.containerservice
        autoscale = args.min_nodes != args.max_nodes
        spot = args.capacity == "spot"
        return cs.AgentPool(
            f"{name}-nodes",
            resource_group_name=args.resource_group_name,
            resource_name_=args.cluster_name,
            agent_pool_name=args.agent_pool_name,
            mode="User",
            type="VirtualMachineScaleSets",
            vm_size=args.vm_size.name,
            count=args.desired_nodes,
            enable_auto_scaling=autoscale,
            min_count=args.min_nodes if autoscale else None,
            max_count=args.max_nodes if autoscale else None,
            os_type="Linux",
            os_sku=GPU_OS_SKU,
            os_disk_size_gb=args.disk_gib,
            os_disk_type="Managed",
            gpu_profile=cs.GPUProfileArgs(driver=GPU_DRIVER),
            vnet_subnet_id=args.subnet_id,
            availability_zones=[args.zone] if args.zone else None,
            enable_node_public_ip=False,
            node_labels=self.labels,
            node_taints=self.taints,
            scale_set_priority=PRIORITY.get(args.capacity, "Regular"),
            scale_set_eviction_policy=SPOT_EVICTION if spot else None,
            spot_max_price=SPOT_MAX_PRICE_ON_DEMAND if spot else None,
            capacity_reservation_group_id=args.reservation if args.capacity == "reservation" else None,
            proximity_placement_group_id=ppg.id if ppg is not None else None,
            # Spot pools get no surge nodes; AKS upgrades them in place (learn.microsoft.com/azure/aks/
            # spot-node-pool, read 2026-12-04), so they take no upgrade settings.
            upgrade_settings=None
            if spot
            else cs.AgentPoolUpgradeSettingsArgs(max_surge="0", max_unavailable="1"),
            tags=args.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[grant] if grant is not None else [],
                # The cluster autoscaler owns the node count of an autoscaled pool once it exists.
                ignore_changes=["count"] if autoscale else None,
            ),
        )
