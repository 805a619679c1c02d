"""PrivateServiceAccess: the peering that Google's managed file services (Parallelstore, Filestore in
PRIVATE_SERVICE_ACCESS mode, Managed Lustre) are reached through from the cluster's VPC.

One internal range (`purpose: VPC_PEERING`) is allocated in the VPC and handed to Service Networking, which
peers the VPC with the Google-managed network the file servers run in. A VPC has one such connection per
producer service, so a cluster makes it once, and only when one of its storage entries needs it (a bucket
does not). https://cloud.google.com/vpc/docs/configure-private-services-access (read 2026-12-04)

Parallelstore and Managed Lustre servers also open TCP connections to their clients: their VPC guides add
an ingress rule allowing TCP from the allocated range (https://cloud.google.com/parallelstore/docs/vpc,
https://docs.cloud.google.com/managed-lustre/docs/vpc and GKE's Lustre CSI guide, read 2026-12-04). That rule
is made here, once, with the range as its only source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.names import resource_id

TYPE = "aiinfra:gcp:PrivateServiceAccess"
SERVICE = "servicenetworking.googleapis.com"
PREFIX_LENGTH = 20
"""A /20 (4,096 addresses): each Managed Lustre instance takes a /23 or larger block of the range and
Google's Managed Lustre VPC guide allocates a /20 for several instances
(https://docs.cloud.google.com/managed-lustre/docs/vpc, read 2026-12-04); Parallelstore and Filestore
instances take smaller blocks from the same range."""


@dataclass
class PrivateServiceAccessArgs:
    project: str
    network_id: pulumi.Input[str]
    """projects/P/global/networks/N of the cluster VPC."""
    address: str | None = None
    """The first address of the range (e.g. 10.200.0.0); None lets Google pick a free block of the VPC."""
    prefix_length: int = PREFIX_LENGTH
    servers_connect_back: bool = False
    """Allow TCP from the range into the VPC: Parallelstore and Managed Lustre servers open connections to
    their clients, and both services' VPC guides create this rule (Filestore needs none)."""
    labels: Mapping[str, str] = field(default_factory=dict)


class PrivateServiceAccess(pulumi.ComponentResource):
    range_name: pulumi.Output[str]
    cidr: pulumi.Output[str]
    """The allocated range as a CIDR: the source of the file servers' traffic into the VPC."""
    connection: gcp.servicenetworking.Connection
    """What a file service instance depends on: it cannot be created before the peering exists."""

    def __init__(
        self, name: str, args: PrivateServiceAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        api = gcp.projects.Service(
            f"{name}-api",
            project=args.project,
            service=SERVICE,
            disable_on_destroy=False,  # other peerings and tools in the project may rely on it
            opts=child,
        )
        allocated = gcp.compute.GlobalAddress(
            f"{name}-range",
            name=resource_id(f"{name}-range"),
            project=args.project,
            network=args.network_id,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            prefix_length=args.prefix_length,
            address=args.address,
            description="Private services access range for the cluster's managed file services",
            labels=dict(args.labels),
            opts=child,
        )
        self.connection = gcp.servicenetworking.Connection(
            f"{name}-peering",
            network=args.network_id,
            service=SERVICE,
            reserved_peering_ranges=[allocated.name],
            # Service Networking refuses to delete a connection for some time after the last instance
            # using it is gone; abandoning it on delete lets `pulumi destroy` finish (the peering costs
            # nothing and the VPC's deletion removes it).
            deletion_policy="ABANDON",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[api]),
        )
        self.range_name = allocated.name
        self.firewall: gcp.compute.Firewall | None = None
        if args.address is not None:
            self.cidr = pulumi.Output.from_input(f"{args.address}/{args.prefix_length}")
        else:
            # Known once Google has allocated the range (unknown in an offline plan).
            self.cidr = pulumi.Output.all(allocated.address, allocated.prefix_length).apply(_cidr)
        if args.servers_connect_back:
            self.firewall = gcp.compute.Firewall(
                f"{name}-from-servers",
                project=args.project,
                network=args.network_id,
                direction="INGRESS",
                source_ranges=[self.cidr],
                allows=[gcp.compute.FirewallAllowArgs(protocol="tcp")],
                description="File servers in the private services range to their clients (TCP)",
                opts=child,
            )
        self.register_outputs({"rangeName": self.range_name, "cidr": self.cidr})


def _cidr(parts: list[Any]) -> Any:
    """ADDRESS/PREFIX, or None while the range is not allocated yet (an offline plan)."""
    address, prefix = parts
    return f"{address}/{prefix}" if address and prefix else None
