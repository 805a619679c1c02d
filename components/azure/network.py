"""AzureClusterNetwork: the VNet a cluster lives in (`rules.plan_vnet`).

Subnets for GPU nodes, system nodes, the API server (delegated to AKS for API Server VNet Integration),
private endpoints, and Azure Managed Lustre when the cluster has a `lustre` store. One network security
group on every subnet but the API server's (AKS manages that one, and the cluster's authorized IP ranges
govern who reaches it): Azure's defaults admit only VNet and load-balancer traffic, and an explicit rule
denies anything from the Internet, so a later, broader rule cannot open it by accident. Egress goes through
a NAT gateway with one static public IP (AKS's `userAssignedNATGateway` outbound type); subnets have no
default outbound access.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure

from aiinfra.components.azure.rules import API_SERVER_DELEGATION, VnetPlan, plan_vnet

TYPE = "aiinfra:azure:ClusterNetwork"
DENY_INTERNET_PRIORITY = 4000
"""Below Azure's default rules (65000+), above anything a user is likely to add in 100-3999."""


@dataclass
class AzureClusterNetworkArgs:
    resource_group_name: pulumi.Input[str]
    location: str
    cidr: ipaddress.IPv4Network
    lustre: bool = False
    """Whether to carve the Lustre subnet (the cluster has a `lustre` store)."""
    zone: str | None = None
    """The zone of the NAT gateway and its IP (None: regional, Azure picks)."""
    tags: dict[str, str] = field(default_factory=dict)


class AzureClusterNetwork(pulumi.ComponentResource):
    vnet_id: pulumi.Output[str]
    vnet_name: pulumi.Output[str]
    gpu_subnet_id: pulumi.Output[str]
    system_subnet_id: pulumi.Output[str]
    api_server_subnet_id: pulumi.Output[str]
    endpoints_subnet_id: pulumi.Output[str]
    lustre_subnet_id: pulumi.Output[str] | None
    """None when the cluster has no `lustre` store."""
    plan: VnetPlan

    def __init__(
        self, name: str, args: AzureClusterNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self.plan = plan = plan_vnet(args.cidr)  # a bad CIDR fails here, before anything exists
        nsg = self._create_security_group(name, args)
        nat = self._create_nat_gateway(name, args)
        vnet = azure.network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=args.resource_group_name,
            location=args.location,
            address_space=azure.network.AddressSpaceArgs(address_prefixes=[str(args.cidr)]),
            tags=args.tags,
            opts=self._child(),
        )
        # Subnets of one VNet are created one after another: Azure refuses concurrent subnet writes on a
        # VNet (AnotherOperationInProgress).
        previous: list[pulumi.Resource] = []

        def subnet(
            part: str,
            cidr: ipaddress.IPv4Network,
            *,
            nat_egress: bool = False,
            delegation: str | None = None,
            endpoints: bool = False,
            secured: bool = True,
            storage_endpoint: bool = False,
        ) -> azure.network.Subnet:
            created = azure.network.Subnet(
                f"{name}-{part}",
                resource_group_name=args.resource_group_name,
                virtual_network_name=vnet.name,
                subnet_name=part,
                address_prefix=str(cidr),
                network_security_group=azure.network.NetworkSecurityGroupArgs(id=nsg.id) if secured else None,
                nat_gateway=azure.network.SubResourceArgs(id=nat.id) if nat_egress else None,
                delegations=(
                    [azure.network.DelegationArgs(name="aks", service_name=delegation)]
                    if delegation
                    else None
                ),
                private_endpoint_network_policies="Enabled" if endpoints else None,
                # Storage accounts admit these subnets only (deny by default): free, no private DNS needed.
                service_endpoints=(
                    [azure.network.ServiceEndpointPropertiesFormatArgs(service="Microsoft.Storage")]
                    if storage_endpoint
                    else None
                ),
                default_outbound_access=False,
                opts=self._child(depends_on=list(previous)),
            )
            previous[:] = [created]
            return created

        gpu = subnet("gpu", plan.gpu, nat_egress=True, storage_endpoint=True)
        system = subnet("system", plan.system, nat_egress=True, storage_endpoint=True)
        # The API server subnet's only listener is the API server; AKS manages it, and public reach to it is
        # governed by the cluster's authorized IP ranges, which an Internet deny here would override.
        api = subnet("apiserver", plan.api_server, delegation=API_SERVER_DELEGATION, secured=False)
        endpoints = subnet("endpoints", plan.endpoints, endpoints=True)
        lustre = subnet("lustre", plan.lustre, storage_endpoint=True) if args.lustre else None

        self.vnet_id = vnet.id
        self.vnet_name = vnet.name
        self.gpu_subnet_id = gpu.id
        self.system_subnet_id = system.id
        self.api_server_subnet_id = api.id
        self.endpoints_subnet_id = endpoints.id
        self.lustre_subnet_id = lustre.id if lustre is not None else None
        self.register_outputs(
            {
                "vnetId": self.vnet_id,
                "gpuSubnetId": self.gpu_subnet_id,
                "systemSubnetId": self.system_subnet_id,
                "apiServerSubnetId": self.api_server_subnet_id,
                "endpointsSubnetId": self.endpoints_subnet_id,
                "lustreSubnetId": self.lustre_subnet_id,
            }
        )

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _create_security_group(
        self, name: str, args: AzureClusterNetworkArgs
    ) -> azure.network.NetworkSecurityGroup:
        """Azure's default rules allow VNet and load-balancer traffic in and deny the rest; this adds an
        explicit deny of the Internet service tag, ahead of any rule added later."""
        return azure.network.NetworkSecurityGroup(
            f"{name}-nsg",
            resource_group_name=args.resource_group_name,
            location=args.location,
            security_rules=[
                azure.network.SecurityRuleArgs(
                    name="deny-internet-inbound",
                    description="Nothing from the internet reaches the cluster's subnets",
                    priority=DENY_INTERNET_PRIORITY,
                    direction="Inbound",
                    access="Deny",
                    protocol="*",
                    source_address_prefix="Internet",
                    source_port_range="*",
                    destination_address_prefix="*",
                    destination_port_range="*",
                )
            ],
            tags=args.tags,
            opts=self._child(),
        )

    def _create_nat_gateway(self, name: str, args: AzureClusterNetworkArgs) -> azure.network.NatGateway:
        """A Standard NAT gateway and its static Standard public IP: the nodes' only way out."""
        zones = [args.zone] if args.zone else None
        ip = azure.network.PublicIPAddress(
            f"{name}-nat-ip",
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=azure.network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            zones=zones,
            tags=args.tags,
            opts=self._child(),
        )
        return azure.network.NatGateway(
            f"{name}-nat",
            resource_group_name=args.resource_group_name,
            location=args.location,
            sku=azure.network.NatGatewaySkuArgs(name="Standard"),
            public_ip_addresses=[azure.network.SubResourceArgs(id=ip.id)],
            idle_timeout_in_minutes=4,
            zones=zones,
            tags=args.tags,
            opts=self._child(),
        )
