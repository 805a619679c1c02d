"""GkeTpuNodePool: a GKE node pool of Cloud TPU VMs in one zone.

`topology` picks the machine and the number of hosts (`aiinfra.clouds.gcp.tpu_slice`): a multi-host slice
is one atomic pool of exactly its hosts, with a compact placement policy carrying the TPU topology so GKE
builds the ICI-connected slice (this holds on reservations and flex-start too: without it there is no
slice). Single-host pools (or pools without a topology) are ordinary pools of independent TPU VMs. GKE
taints TPU nodes google.com/tpu=present:NoSchedule and labels them with the accelerator and topology.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from aiinfra.clouds.gcp import TpuSlice
from aiinfra.components.gcp.pool_args import GkeNodePoolArgs
from aiinfra.components.gcp.rules import (
    TPU_TAINT,
    UPGRADE_SETTINGS,
    capacity_settings,
    pool_sizing,
    secure_node_config,
)

TYPE = "aiinfra:gcp:TpuNodePool"


@dataclass
class GkeTpuNodePoolArgs(GkeNodePoolArgs):
    slice: TpuSlice | None = None
    """The slice the topology describes; None: independent single-host VMs."""
    topology: str | None = None


class GkeTpuNodePool(pulumi.ComponentResource):
    node_pool_name: pulumi.Output[str]
    labels: dict[str, str]
    hosts: int

    def __init__(
        self, name: str, args: GkeTpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        itype = args.instance_type
        shape = args.slice
        if shape is not None and shape.machine != itype.name:
            raise ValueError(f"a {args.topology} slice is {shape.machine} hosts, not {itype.name}")
        self.labels = {
            "aiinfra.dev/pool": name,
            **({"aiinfra.dev/accelerator": a} if (a := itype.accelerator) else {}),
            "aiinfra.dev/accelerator-vendor": "google",
            **args.labels,
        }
        capacity = capacity_settings(args.capacity, args.reservation)
        multi = shape is not None and shape.multi_host
        if multi:
            assert shape is not None
            lo = desired = hi = shape.hosts
        else:
            lo, desired, hi = args.min_nodes, args.desired_nodes, args.max_nodes
        self.hosts = desired
        node_config = secure_node_config(
            machine=itype.name,
            service_account=args.service_account,
            disk_gib=args.disk_gib,
            labels=self.labels,
            taints=[TPU_TAINT],
        )
        node_config |= {
            "spot": True if capacity.spot else None,
            "flex_start": True if capacity.flex_start else None,
            "reservation_affinity": capacity.reservation_affinity,
        }
        sizing = pool_sizing(lo, desired, hi, flex_start=capacity.flex_start)
        pool = gcp.container.NodePool(
            f"{name}-nodes",
            name=args.pool_name,
            project=args.project,
            cluster=args.cluster_id,
            location=args.location,
            node_locations=[args.zone],
            node_config=node_config,
            placement_policy={"type": "COMPACT", "tpu_topology": args.topology} if multi else None,
            management={"auto_repair": capacity.auto_repair, "auto_upgrade": True},
            upgrade_settings=UPGRADE_SETTINGS,
            **sizing,
            opts=pulumi.ResourceOptions(
                parent=self, ignore_changes=["initialNodeCount"] if "autoscaling" in sizing else None
            ),
        )
        self.node_pool_name = pool.name
        self.register_outputs({"nodePoolName": self.node_pool_name, "hosts": self.hosts})
