"""GkeGpuNodePool: a GKE node pool of GPU machines in one zone.

The machine comes resolved from the catalog. GKE installs the GPU driver (`rules.GPU_DRIVER_VERSION`); the
nodes carry the GPU taint and aiinfra's pool labels, use gVNIC, and run as the cluster's node service
account. With `interconnect` on a GPUDirect machine the pool attaches its GPU NICs to the fabric's extra
networks (additional node networks) and gets compact placement — unless it runs on reserved capacity or
DWS flex-start (`rules.capacity_settings`), where a forced placement could shrink usable capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.fabric_network import AttachedSubnet
from aiinfra.components.gcp.pool_args import GkeNodePoolArgs
from aiinfra.components.gcp.rules import (
    FABRIC_TITLES,
    GPU_DRIVER_VERSION,
    GPU_TAINT,
    UPGRADE_SETTINGS,
    capacity_settings,
    gke_accelerator,
    pool_sizing,
    secure_node_config,
)

TYPE = "aiinfra:gcp:GpuNodePool"


@dataclass
class GkeGpuNodePoolArgs(GkeNodePoolArgs):
    interconnect: bool = True
    fabric_subnets: Sequence[AttachedSubnet] = ()
    """The GPU networks of the machine's fabric (empty: a machine without one, or interconnect off)."""


class GkeGpuNodePool(pulumi.ComponentResource):
    node_pool_name: pulumi.Output[str]
    labels: dict[str, str]
    """The nodes' Kubernetes labels (queues select by them)."""
    fabric: str | None
    """The GPUDirect fabric the pool's NICs are wired to, or None."""

    def __init__(
        self, name: str, args: GkeGpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        itype = args.instance_type
        if args.interconnect and not itype.has_fabric:
            raise ValueError(f"{itype.name} has no GPUDirect fabric; a pool on it cannot set interconnect")
        if args.interconnect and not args.fabric_subnets:
            raise ValueError(f"an interconnect pool of {itype.name} needs its fabric's networks")
        self.fabric = itype.fabric if args.interconnect else None
        self.labels = {
            "aiinfra.dev/pool": name,
            **({"aiinfra.dev/accelerator": a} if (a := itype.accelerator) else {}),
            "aiinfra.dev/accelerator-vendor": "nvidia",
            **({"aiinfra.dev/fabric": self.fabric} if self.fabric else {}),
            **args.labels,
        }
        capacity = capacity_settings(args.capacity, args.reservation)
        placement = None
        if self.fabric:
            if capacity.forced_placement_allowed:
                placement = {"type": "COMPACT"}
            else:
                pulumi.log.warn(
                    f"node pool '{name}': no compact placement on {args.capacity} capacity: "
                    + (
                        "DWS flex-start places the nodes itself."
                        if capacity.flex_start
                        else "the reservation's VMs are already placed, and a forced placement policy can "
                        "leave part of the reservation unusable. Ask for a compact reservation if you "
                        "need one."
                    ),
                    resource=self,
                )
        node_config = secure_node_config(
            machine=itype.name,
            service_account=args.service_account,
            disk_gib=args.disk_gib,
            labels=self.labels,
            taints=[GPU_TAINT],
        )
        node_config |= {
            "guest_accelerators": [
                {
                    "type": gke_accelerator(itype.name),
                    "count": itype.accelerator_count,
                    "gpu_driver_installation_config": {"gpu_driver_version": GPU_DRIVER_VERSION},
                }
            ],
            "gvnic": {"enabled": True},
            "spot": True if capacity.spot else None,
            "flex_start": True if capacity.flex_start else None,
            "reservation_affinity": capacity.reservation_affinity,
        }
        sizing = pool_sizing(
            args.min_nodes, args.desired_nodes, args.max_nodes, flex_start=capacity.flex_start
        )
        pool = gcp.container.NodePool(
            f"{name}-nodes",
            name=args.pool_name,
            project=args.project,
            cluster=args.cluster_id,
            location=args.location,
            node_locations=[args.zone],
            node_config=node_config,
            network_config=(
                {
                    "additional_node_network_configs": [
                        {"network": a.network_name, "subnetwork": a.subnetwork_name}
                        for a in args.fabric_subnets
                    ]
                }
                if self.fabric
                else None
            ),
            placement_policy=placement,
            management={"auto_repair": capacity.auto_repair, "auto_upgrade": True},
            upgrade_settings=UPGRADE_SETTINGS,
            **sizing,
            opts=pulumi.ResourceOptions(
                parent=self,
                # The autoscaler owns the size of an autoscaled pool once it exists.
                ignore_changes=["initialNodeCount"] if "autoscaling" in sizing else None,
            ),
        )
        self.node_pool_name = pool.name
        self.register_outputs(
            {
                "nodePoolName": self.node_pool_name,
                "fabric": FABRIC_TITLES.get(self.fabric or "", None),
            }
        )
