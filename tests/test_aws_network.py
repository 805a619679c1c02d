"""ClusterNetwork under the recording mocks: subnets per zone, NAT, the EFA group, no open ingress."""

from __future__ import annotations

import ipaddress

from aiinfra.components.aws.network import TYPE, ClusterNetwork, ClusterNetworkArgs
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, id_of, plan

SUBNET = "aws:ec2/subnet:Subnet"
NAT = "aws:ec2/natGateway:NatGateway"


def network_graph(nat: str = "one", zones: int = 3) -> ResourceGraph:
    names = ["us-east-1b", "us-east-1a", "us-east-1c"][:zones]
    plan_args = ClusterNetworkArgs(cidr=ipaddress.IPv4Network("10.40.0.0/16"), zones=names, nat_gateways=nat)
    return plan(lambda: ClusterNetwork("net", plan_args) and None)


def test_one_private_and_one_public_subnet_per_zone_interconnect_zone_first() -> None:
    graph = network_graph()
    private = {r.name: r.inputs for r in graph.by_type(SUBNET) if "private" in r.name}
    public = {r.name: r.inputs for r in graph.by_type(SUBNET) if "public" in r.name}
    assert [private[f"net-private-{i}"]["availabilityZone"] for i in range(3)] == [
        "us-east-1b",
        "us-east-1a",
        "us-east-1c",
    ], "the first zone given (the interconnect zone) gets subnet 0"
    assert [private[f"net-private-{i}"]["cidrBlock"] for i in range(3)] == [
        "10.40.0.0/18",
        "10.40.64.0/18",
        "10.40.128.0/18",
    ]
    assert all(p["mapPublicIpOnLaunch"] is False for p in public.values()), "no public IPs on launch"
    assert len(public) == 3


def test_one_nat_gateway_by_default_and_one_per_zone_when_asked() -> None:
    assert [r.name for r in network_graph().by_type(NAT)] == ["net-nat-0"]
    assert sorted(r.name for r in network_graph("per-zone").by_type(NAT)) == [
        "net-nat-0",
        "net-nat-1",
        "net-nat-2",
    ]


def test_efa_group_allows_all_traffic_only_to_and_from_itself() -> None:
    graph = network_graph()
    ingress = graph.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    egress = graph.by_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    efa = id_of(graph, "aws:ec2/securityGroup:SecurityGroup", "net-efa-sg")
    assert [(r.name, r.inputs["referencedSecurityGroupId"], r.inputs["ipProtocol"]) for r in ingress] == [
        ("net-efa-in-self", efa, "-1")
    ]
    assert [(r.name, r.inputs["referencedSecurityGroupId"]) for r in egress] == [("net-efa-out-self", efa)]
    assert all("cidrIpv4" not in r.inputs for r in ingress + egress), "EFA rules never open to a CIDR"


def test_default_security_group_is_emptied() -> None:
    default = network_graph().get("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg")
    assert "ingress" not in default.inputs and "egress" not in default.inputs, (
        "adopting it with no rules strips it"
    )


def test_private_subnets_route_to_the_internet_only_through_nat() -> None:
    graph = network_graph()
    routes = {r.name: r.inputs["routes"] for r in graph.by_type("aws:ec2/routeTable:RouteTable")}
    igw = id_of(graph, "aws:ec2/internetGateway:InternetGateway", "net-igw")
    nat = id_of(graph, "aws:ec2/natGateway:NatGateway", "net-nat-0")
    assert routes["net-public-rt"] == [{"cidrBlock": "0.0.0.0/0", "gatewayId": igw}]
    for i in range(3):
        assert routes[f"net-private-{i}-rt"] == [{"cidrBlock": "0.0.0.0/0", "natGatewayId": nat}]


def test_network_component_creates_nothing_outside_its_children() -> None:
    graph = network_graph(zones=1)
    kids = children_of(graph, TYPE, "net")
    assert len(kids) == len(graph.resources) - 1, "every resource is a child of the component"
    assert len(graph.by_type(SUBNET)) == 2
