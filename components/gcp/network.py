"""GcpClusterNetwork: the cluster's own VPC — custom mode (no auto subnets), one node subnet with the pods
and services secondary ranges from `network.cidr` (`rules.plan_ranges`), Private Google Access, and a Cloud
Router + Cloud NAT so private nodes reach registries and Google APIs. No firewall rule is added: a new VPC
denies all ingress, and GKE creates the rules its own control plane and nodes need."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.rules import plan_ranges

TYPE = "aiinfra:gcp:ClusterNetwork"
PODS_RANGE = "pods"
SERVICES_RANGE = "services"


@dataclass
class GcpClusterNetworkArgs:
    cidr: ipaddress.IPv4Network
    region: str


class GcpClusterNetwork(pulumi.ComponentResource):
    network_id: pulumi.Output[str]
    network_name: pulumi.Output[str]
    network_self_link: pulumi.Output[str]
    subnet_id: pulumi.Output[str]
    subnet_name: pulumi.Output[str]
    pods_range: str
    services_range: str

    def __init__(
        self, name: str, args: GcpClusterNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        ranges = plan_ranges(args.cidr)
        vpc = gcp.compute.Network(
            f"{name}-vpc",
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            description=f"aiinfra cluster network {name}",
            opts=child,
        )
        subnet = gcp.compute.Subnetwork(
            f"{name}-nodes",
            network=vpc.id,
            region=args.region,
            ip_cidr_range=str(ranges.nodes),
            private_ip_google_access=True,
            secondary_ip_ranges=[
                {"range_name": PODS_RANGE, "ip_cidr_range": str(ranges.pods)},
                {"range_name": SERVICES_RANGE, "ip_cidr_range": str(ranges.services)},
            ],
            opts=child,
        )
        router = gcp.compute.Router(f"{name}-router", network=vpc.id, region=args.region, opts=child)
        gcp.compute.RouterNat(
            f"{name}-nat",
            router=router.name,
            region=args.region,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
            log_config={"enable": True, "filter": "ERRORS_ONLY"},
            opts=child,
        )
        self.network_id = vpc.id
        self.network_name = vpc.name
        self.network_self_link = vpc.self_link
        self.subnet_id = subnet.id
        self.subnet_name = subnet.name
        self.pods_range = PODS_RANGE
        self.services_range = SERVICES_RANGE
        self.register_outputs(
            {"networkId": self.network_id, "networkName": self.network_name, "subnetId": self.subnet_id}
        )
