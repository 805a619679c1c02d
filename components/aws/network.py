"""ClusterNetwork: the VPC a GPU cluster lives in.

Private subnets (nodes, pods, file systems) across up to three zones, the interconnect zone first; public
subnets only for NAT gateways; the EFA security group (all traffic to and from itself, nothing else).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from aiinfra.clouds.cidr import MAX_ZONES, SubnetPlan, plan_subnets

TYPE = "aiinfra:aws:ClusterNetwork"


@dataclass
class ClusterNetworkArgs:
    cidr: ipaddress.IPv4Network
    zones: list[str]
    """Availability zones, the interconnect zone first; the first MAX_ZONES are used."""
    nat_gateways: str = "one"
    """'one' (in the first zone) or 'per-zone'."""
    cluster_name: str = ""
    """The EKS cluster name, for the subnet tags the AWS load balancer controller discovers subnets by."""
    tags: dict[str, str] = field(default_factory=dict)


class ClusterNetwork(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    private_subnet_ids: list[pulumi.Output[str]]
    public_subnet_ids: list[pulumi.Output[str]]
    interconnect_subnet_id: pulumi.Output[str]
    interconnect_zone: str
    efa_security_group_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: ClusterNetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        zones = args.zones[:MAX_ZONES]
        plan = plan_subnets(args.cidr, len(zones))  # a CIDR too small fails here, before anything exists
        vpc, igw = self._create_vpc(name, args)
        public_subnets, private_subnets = self._create_subnets(name, args, zones, plan, vpc, igw)
        nats = self._create_nat_gateways(name, args, zones, igw, public_subnets)
        self._route_private_subnets(name, args, zones, vpc, private_subnets, nats)
        efa_sg = self._create_efa_security_group(name, args, vpc)

        self.vpc_id = vpc.id
        self.private_subnet_ids = [s.id for s in private_subnets]
        self.public_subnet_ids = [s.id for s in public_subnets]
        self.interconnect_subnet_id = private_subnets[0].id
        self.interconnect_zone = zones[0]
        self.efa_security_group_id = efa_sg.id
        self.cidr = args.cidr
        self.nat_gateway_ids = [n.id for n in nats]
        """The region's NAT gateways (edge subnets route their egress through the first)."""
        self.internet_gateway_id = igw.id
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "privateSubnetIds": self.private_subnet_ids,
                "publicSubnetIds": self.public_subnet_ids,
                "interconnectSubnetId": self.interconnect_subnet_id,
                "efaSecurityGroupId": self.efa_security_group_id,
            }
        )

    def _child(self, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def _create_vpc(self, name: str, args: ClusterNetworkArgs) -> tuple[aws.ec2.Vpc, aws.ec2.InternetGateway]:
        """The VPC, its internet gateway, and its default security group stripped of every rule."""
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=str(args.cidr),
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={**args.tags, "Name": f"{name}-vpc"},
            opts=self._child(),
        )
        igw = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=vpc.id, tags={**args.tags, "Name": f"{name}-igw"}, opts=self._child()
        )
        # The default security group of a new VPC allows all traffic between its members; strip it.
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, tags=args.tags, opts=self._child())
        return vpc, igw

    def _create_subnets(
        self,
        name: str,
        args: ClusterNetworkArgs,
        zones: list[str],
        plan: SubnetPlan,
        vpc: aws.ec2.Vpc,
        igw: aws.ec2.InternetGateway,
    ) -> tuple[list[aws.ec2.Subnet], list[aws.ec2.Subnet]]:
        """A public subnet (routed to the internet gateway, for NAT only) and a private one per zone."""
        public_rt = aws.ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            tags={**args.tags, "Name": f"{name}-public"},
            opts=self._child(),
        )
        elb_tags = {f"kubernetes.io/cluster/{args.cluster_name}": "shared"} if args.cluster_name else {}
        public_subnets: list[aws.ec2.Subnet] = []
        private_subnets: list[aws.ec2.Subnet] = []
        for i, zone in enumerate(zones):
            public = aws.ec2.Subnet(
                f"{name}-public-{i}",
                vpc_id=vpc.id,
                cidr_block=str(plan.public[i]),
                availability_zone=zone,
                map_public_ip_on_launch=False,
                tags={
                    **args.tags,
                    **elb_tags,
                    "Name": f"{name}-public-{zone}",
                    "kubernetes.io/role/elb": "1",
                },
                opts=self._child(),
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-public-{i}-rta", subnet_id=public.id, route_table_id=public_rt.id, opts=self._child()
            )
            public_subnets.append(public)
            private = aws.ec2.Subnet(
                f"{name}-private-{i}",
                vpc_id=vpc.id,
                cidr_block=str(plan.private[i]),
                availability_zone=zone,
                tags={
                    **args.tags,
                    **elb_tags,
                    "Name": f"{name}-private-{zone}",
                    "kubernetes.io/role/internal-elb": "1",
                },
                opts=self._child(),
            )
            private_subnets.append(private)
        return public_subnets, private_subnets

    def _create_nat_gateways(
        self,
        name: str,
        args: ClusterNetworkArgs,
        zones: list[str],
        igw: aws.ec2.InternetGateway,
        public_subnets: list[aws.ec2.Subnet],
    ) -> list[aws.ec2.NatGateway]:
        """One NAT gateway (first zone) or one per zone, each with its Elastic IP."""
        nat_count = len(zones) if args.nat_gateways == "per-zone" else 1
        nats = []
        for i in range(nat_count):
            eip = aws.ec2.Eip(f"{name}-nat-{i}-eip", domain="vpc", tags=args.tags, opts=self._child())
            nats.append(
                aws.ec2.NatGateway(
                    f"{name}-nat-{i}",
                    allocation_id=eip.id,
                    subnet_id=public_subnets[i].id,
                    tags={**args.tags, "Name": f"{name}-nat-{zones[i]}"},
                    opts=self._child(depends_on=[igw]),
                )
            )
        return nats

    def _route_private_subnets(
        self,
        name: str,
        args: ClusterNetworkArgs,
        zones: list[str],
        vpc: aws.ec2.Vpc,
        private_subnets: list[aws.ec2.Subnet],
        nats: list[aws.ec2.NatGateway],
    ) -> None:
        """Each private subnet's default route through a NAT gateway (its zone's, when there is one each)."""
        for i, private in enumerate(private_subnets):
            rt = aws.ec2.RouteTable(
                f"{name}-private-{i}-rt",
                vpc_id=vpc.id,
                routes=[
                    aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", nat_gateway_id=nats[i % len(nats)].id)
                ],
                tags={**args.tags, "Name": f"{name}-private-{zones[i]}"},
                opts=self._child(),
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{i}-rta", subnet_id=private.id, route_table_id=rt.id, opts=self._child()
            )

    def _create_efa_security_group(
        self, name: str, args: ClusterNetworkArgs, vpc: aws.ec2.Vpc
    ) -> aws.ec2.SecurityGroup:
        """EFA needs a security group that allows all traffic to and from itself (EC2 user guide, "Prepare
        an EFA-enabled security group"); nothing from outside the group."""
        efa_sg = aws.ec2.SecurityGroup(
            f"{name}-efa-sg",
            vpc_id=vpc.id,
            description="EFA: all traffic between members of this group only",
            tags={**args.tags, "Name": f"{name}-efa"},
            opts=self._child(),
        )
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-efa-in-self",
            security_group_id=efa_sg.id,
            referenced_security_group_id=efa_sg.id,
            ip_protocol="-1",
            description="EFA traffic from members",
            opts=self._child(),
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-efa-out-self",
            security_group_id=efa_sg.id,
            referenced_security_group_id=efa_sg.id,
            ip_protocol="-1",
            description="EFA traffic to members",
            opts=self._child(),
        )
        return efa_sg
