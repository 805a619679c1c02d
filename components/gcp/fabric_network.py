"""GpuFabricNetwork: the extra VPCs a GPUDirect machine's GPU NICs attach to (`rules.fabric_layout`):
4 (TCPX) or 8 (TCPXO) VPCs of one subnet each at MTU 8244, or for RDMA a second gVNIC VPC and one RoCE VPC
on the zone's RDMA network profile with 8 subnets at MTU 8896. Each non-RoCE VPC lets in only traffic from
its own subnet (the GPU-to-GPU transfers); RoCE VPCs take no firewall rules (RDMA network profiles doc)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.rules import FabricLayout, FabricSubnet, roce_network_profile

TYPE = "aiinfra:gcp:GpuFabricNetwork"


@dataclass
class GpuFabricNetworkArgs:
    layout: FabricLayout
    region: str
    zone: str
    """The RoCE VPC's network profile is zonal: the zone the RDMA pools live in."""
    project: str


@dataclass(frozen=True)
class AttachedSubnet:
    subnet: FabricSubnet
    network_name: pulumi.Output[str]
    subnetwork_name: pulumi.Output[str]


class GpuFabricNetwork(pulumi.ComponentResource):
    subnets: list[AttachedSubnet]
    """In NIC order: the node pool's additional node networks, and the GKE Network objects."""

    def __init__(
        self, name: str, args: GpuFabricNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.subnets = []
        for vpc in args.layout.vpcs:
            network = gcp.compute.Network(
                f"{name}-{vpc.key}",
                auto_create_subnetworks=False,
                mtu=vpc.mtu,
                network_profile=roce_network_profile(args.project, args.zone) if vpc.roce else None,
                description=f"{args.layout.title} {vpc.key} network of {name}",
                opts=child,
            )
            for s in vpc.subnets:
                sub = gcp.compute.Subnetwork(
                    f"{name}-{s.key}-sub",
                    network=network.id,
                    region=args.region,
                    ip_cidr_range=str(s.cidr),
                    opts=child,
                )
                self.subnets.append(AttachedSubnet(s, network.name, sub.name))
            if not vpc.roce:
                gcp.compute.Firewall(
                    f"{name}-{vpc.key}-internal",
                    network=network.id,
                    direction="INGRESS",
                    source_ranges=[str(s.cidr) for s in vpc.subnets],
                    allows=[{"protocol": "tcp"}, {"protocol": "udp"}, {"protocol": "icmp"}],
                    description="GPU-to-GPU traffic between the cluster's nodes on this network only",
                    opts=child,
                )
        self.register_outputs({"networks": [a.network_name for a in self.subnets]})
