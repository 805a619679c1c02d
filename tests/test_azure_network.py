"""AzureClusterNetwork under the recording mocks: the exact children and inputs, and what must be absent."""

from __future__ import annotations

import ipaddress

from aiinfra.components.azure.network import TYPE, AzureClusterNetwork, AzureClusterNetworkArgs
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, id_of, names_by_type, plan

VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
NSG = "azure-native:network:NetworkSecurityGroup"
NAT = "azure-native:network:NatGateway"
PIP = "azure-native:network:PublicIPAddress"


def network_graph(*, lustre: bool, zone: str | None = None) -> ResourceGraph:
    def program() -> None:
        AzureClusterNetwork(
            "train-net",
            AzureClusterNetworkArgs(
                resource_group_name="rg",
                location="eastus",
                cidr=ipaddress.IPv4Network("10.40.0.0/16"),
                lustre=lustre,
                zone=zone,
                tags={"team": "ml"},
            ),
        )

    return plan(program)


def test_a_network_with_lustre_is_a_vnet_five_subnets_one_nsg_and_a_nat_gateway_with_its_ip() -> None:
    graph = network_graph(lustre=True)
    assert names_by_type(children_of(graph, TYPE, "train-net")) == {
        (VNET, "train-net-vnet"),
        (NSG, "train-net-nsg"),
        (NAT, "train-net-nat"),
        (PIP, "train-net-nat-ip"),
        *((SUBNET, f"train-net-{s}") for s in ("gpu", "system", "apiserver", "endpoints", "lustre")),
    }


def test_without_lustre_there_is_no_lustre_subnet() -> None:
    graph = network_graph(lustre=False)
    subnets = {r.name for r in graph.resources if r.type == SUBNET}
    assert subnets == {f"train-net-{s}" for s in ("gpu", "system", "apiserver", "endpoints")}


def test_the_vnet_takes_the_spec_cidr_and_subnets_the_planned_ranges() -> None:
    graph = network_graph(lustre=True)
    assert graph.get(VNET, "train-net-vnet").inputs["addressSpace"] == {"addressPrefixes": ["10.40.0.0/16"]}
    prefixes = {r.name: r.inputs["addressPrefix"] for r in graph.resources if r.type == SUBNET}
    assert prefixes == {
        "train-net-gpu": "10.40.0.0/18",
        "train-net-system": "10.40.64.0/18",
        "train-net-lustre": "10.40.128.0/18",
        "train-net-apiserver": "10.40.192.0/28",
        "train-net-endpoints": "10.40.208.0/20",
    }


def test_every_subnet_but_the_api_servers_has_the_nsg_and_none_has_default_outbound_access() -> None:
    graph = network_graph(lustre=True)
    for subnet in (r for r in graph.resources if r.type == SUBNET):
        assert subnet.inputs["defaultOutboundAccess"] is False, f"{subnet.name}: egress only via NAT"
        if subnet.name == "train-net-apiserver":
            assert "networkSecurityGroup" not in subnet.inputs, "AKS manages the API server subnet"
        else:
            nsg = id_of(graph, NSG, "train-net-nsg")
            assert subnet.inputs["networkSecurityGroup"] == {"id": nsg}, subnet.name


def test_only_node_subnets_route_out_through_the_nat_gateway() -> None:
    graph = network_graph(lustre=True)
    with_nat = {r.name for r in graph.resources if r.type == SUBNET and "natGateway" in r.inputs}
    assert with_nat == {"train-net-gpu", "train-net-system"}
    assert graph.get(SUBNET, "train-net-gpu").inputs["natGateway"] == {
        "id": id_of(graph, NAT, "train-net-nat")
    }


def test_the_api_server_subnet_is_delegated_to_aks_and_no_other_is() -> None:
    graph = network_graph(lustre=True)
    delegated = {
        r.name: r.inputs["delegations"]
        for r in graph.resources
        if r.type == SUBNET and r.inputs.get("delegations")
    }
    assert delegated == {
        "train-net-apiserver": [{"name": "aks", "serviceName": "Microsoft.ContainerService/managedClusters"}]
    }


def test_the_nsg_denies_the_internet_and_allows_nothing_from_it() -> None:
    rules = network_graph(lustre=False).get(NSG, "train-net-nsg").inputs["securityRules"]
    assert rules == [
        {
            "name": "deny-internet-inbound",
            "description": "Nothing from the internet reaches the cluster's subnets",
            "priority": 4000,
            "direction": "Inbound",
            "access": "Deny",
            "protocol": "*",
            "sourceAddressPrefix": "Internet",
            "sourcePortRange": "*",
            "destinationAddressPrefix": "*",
            "destinationPortRange": "*",
        }
    ], "one explicit deny; no allow rule of ours"


def test_the_nat_gateway_is_standard_with_one_static_ip_and_zonal_only_with_a_zone() -> None:
    regional = network_graph(lustre=False)
    nat = regional.get(NAT, "train-net-nat").inputs
    ip = id_of(regional, PIP, "train-net-nat-ip")
    assert nat["sku"] == {"name": "Standard"} and nat["publicIpAddresses"] == [{"id": ip}]
    assert "zones" not in nat
    ip = regional.get(PIP, "train-net-nat-ip").inputs
    assert (
        ip["sku"] == {"name": "Standard", "tier": "Regional"} and ip["publicIPAllocationMethod"] == "Static"
    )
    zonal = network_graph(lustre=False, zone="2")
    assert zonal.get(NAT, "train-net-nat").inputs["zones"] == ["2"]
    assert zonal.get(PIP, "train-net-nat-ip").inputs["zones"] == ["2"]
