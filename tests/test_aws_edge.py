"""AwsEdgeSite under the recording mocks: a regional EKS cluster in us-west-2 with a private Local Zone site,
a public Wavelength site and an Outpost site joining it — the exact children, their key inputs, and what
must be absent (no NAT or EIP in the zone, no public addresses unless asked, no managed node group where
EKS does not support one)."""

from __future__ import annotations

import base64
import ipaddress
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.clouds.cidr import edge_subnet, plan_subnets
from aiinfra.components.aws.edge_site import TYPE, node_config, volume_type
from aiinfra.components.stack import build_stack
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.spec.loader import parse_spec
from tests.conftest import children_of, names_by_type, plan

OUTPOST = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"
SUBNET = "aws:ec2/subnet:Subnet"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
NG = "aws:eks/nodeGroup:NodeGroup"
ASG = "aws:autoscaling/group:Group"
OPT_IN = "aws:ec2/availabilityZoneGroup:AvailabilityZoneGroup"
RT = "aws:ec2/routeTable:RouteTable"
RTA = "aws:ec2/routeTableAssociation:RouteTableAssociation"
CGW = "aws:ec2/carrierGateway:CarrierGateway"
ROLE = "aws:iam/role:Role"
ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PROFILE = "aws:iam/instanceProfile:InstanceProfile"
ACCESS = "aws:eks/accessEntry:AccessEntry"

SPEC: dict[str, Any] = {
    "clusters": [
        {
            "name": "serve",
            "cloud": "aws",
            "region": "us-west-2",
            "network": {"cidr": "10.50.0.0/16"},
            "nodePools": [{"name": "l4", "instanceType": "g6.xlarge", "nodes": 1, "interconnect": False}],
        }
    ],
    "edgeSites": [
        {
            "name": "lax",
            "cloud": "aws",
            "location": "us-west-2-lax-1a",
            "cluster": "serve",
            "accelerator": "T4",
            "minNodes": 1,
            "maxNodes": 3,
            "labels": {"traffic": "la"},
        },
        {
            "name": "sfo",
            "cloud": "aws",
            "location": "us-west-2-wl1-sfo-wlz-1",
            "cluster": "serve",
            "instanceType": "g4dn.2xlarge",
            "nodes": 2,
            "public": True,
        },
        {"name": "rack", "cloud": "aws", "location": OUTPOST, "cluster": "serve", "accelerator": "T4"},
    ],
}


@pytest.fixture(scope="module")
def graph() -> ResourceGraph:
    catalog = default_catalog()
    spec = parse_spec(SPEC, catalog)
    return plan(lambda: build_stack(spec, catalog) and None, region="us-west-2")


def site(graph: ResourceGraph, name: str) -> list[PlannedResource]:
    return children_of(graph, TYPE, f"serve-{name}")


def test_a_local_zone_site_is_opt_in_subnet_route_launch_template_and_a_managed_node_group(
    graph: ResourceGraph,
) -> None:
    assert names_by_type(site(graph, "lax")) == {
        (OPT_IN, "serve-lax-opt-in"),
        (SUBNET, "serve-lax-subnet"),
        (RT, "serve-lax-rt"),
        (RTA, "serve-lax-rta"),
        (LT, "serve-lax-lt"),
        (NG, "serve-lax-nodes"),
    }, "no NAT gateway, EIP or carrier gateway in a private Local Zone site; EKS manages its nodes"


def test_the_local_zone_group_is_opted_in_and_kept_when_the_stack_is_deleted(graph: ResourceGraph) -> None:
    opt_in = graph.get(OPT_IN, "serve-lax-opt-in")
    assert opt_in.inputs == {"groupName": "us-west-2-lax-1", "optInStatus": "opted-in"}
    assert opt_in.retain_on_delete, "the API cannot opt out; Pulumi must not pretend to on delete"
    said = " ".join(graph.warnings)
    assert "us-west-2-lax-1" in said and "AWS Support" in said, "the plan says the opt-in is one-way"


def test_the_local_zone_subnet_is_private_in_the_zone_and_clear_of_the_clusters_subnets(
    graph: ResourceGraph,
) -> None:
    subnet = graph.get(SUBNET, "serve-lax-subnet").inputs
    assert subnet["availabilityZone"] == "us-west-2-lax-1a"
    assert subnet["mapPublicIpOnLaunch"] is False
    assert "outpostArn" not in subnet
    cidr = ipaddress.ip_network(subnet["cidrBlock"])
    regional = graph.by_type(SUBNET)
    for other in regional:
        if other.name != "serve-lax-subnet":
            assert not cidr.overlaps(ipaddress.ip_network(other.inputs["cidrBlock"])), other.name


def test_private_local_zone_egress_goes_through_the_regions_nat_gateway(graph: ResourceGraph) -> None:
    routes = graph.get(RT, "serve-lax-rt").inputs["routes"]
    assert len(routes) == 1 and routes[0]["cidrBlock"] == "0.0.0.0/0"
    assert "natGatewayId" in routes[0] and "gatewayId" not in routes[0], "private: NAT, not the IGW"


def test_local_zone_nodes_are_gpu_tainted_labelled_and_t4_resolves_to_the_smallest_machine(
    graph: ResourceGraph,
) -> None:
    ng = graph.get(NG, "serve-lax-nodes").inputs
    assert ng["instanceTypes"] == ["g4dn.xlarge"], "T4 at lax-1a: one GPU a node"
    assert ng["amiType"] == "AL2023_x86_64_NVIDIA" and ng["capacityType"] == "ON_DEMAND"
    assert ng["scalingConfig"] == {"minSize": 1, "desiredSize": 1, "maxSize": 3}
    assert ng["labels"]["aiinfra.dev/edge-site"] == "lax" and ng["labels"]["traffic"] == "la"
    assert ng["taints"] == [{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}]
    assert len(ng["subnetIds"]) == 1


def test_edge_launch_templates_require_imdsv2_and_an_encrypted_root_of_a_type_the_zone_has(
    graph: ResourceGraph,
) -> None:
    for name, volume in (("lax", "gp3"), ("sfo", "gp2"), ("rack", "gp2")):
        lt = graph.get(LT, f"serve-{name}-lt").inputs
        assert lt["metadataOptions"]["httpTokens"] == "required", name
        assert lt["metadataOptions"]["httpPutResponseHopLimit"] == 1, name
        ebs = lt["blockDeviceMappings"][0]["ebs"]
        assert (ebs["encrypted"], ebs["volumeType"], ebs["volumeSize"]) == ("true", volume, 200), name


def test_a_private_site_gets_no_public_or_carrier_address(graph: ResourceGraph) -> None:
    for name in ("lax", "rack"):
        nic = graph.get(LT, f"serve-{name}-lt").inputs["networkInterfaces"][0]
        assert nic.get("associatePublicIpAddress") in (None, "false"), name
        assert "associateCarrierIpAddress" not in nic, name


def test_a_wavelength_site_is_self_managed_behind_a_carrier_gateway(graph: ResourceGraph) -> None:
    assert names_by_type(site(graph, "sfo")) == {
        (OPT_IN, "serve-sfo-opt-in"),
        (SUBNET, "serve-sfo-subnet"),
        (CGW, "serve-sfo-carrier-gw"),
        (RT, "serve-sfo-rt"),
        (RTA, "serve-sfo-rta"),
        (ROLE, "serve-sfo-node"),
        (ATTACH, "serve-sfo-node-AmazonEKSWorkerNodePolicy"),
        (ATTACH, "serve-sfo-node-AmazonEC2ContainerRegistryPullOnly"),
        (PROFILE, "serve-sfo-node-profile"),
        (ACCESS, "serve-sfo-access"),
        (LT, "serve-sfo-lt"),
        (ASG, "serve-sfo-nodes"),
    }, "EKS has no managed node groups in Wavelength: an ASG joins through an access entry"
    assert graph.get(OPT_IN, "serve-sfo-opt-in").inputs["groupName"] == "us-west-2-wl1"
    route = graph.get(RT, "serve-sfo-rt").inputs["routes"][0]
    assert set(route) == {"cidrBlock", "carrierGatewayId"}
    assert graph.get(ACCESS, "serve-sfo-access").inputs["type"] == "EC2_LINUX"


def test_a_public_wavelength_site_gets_carrier_addresses_and_joins_with_nodeadm(graph: ResourceGraph) -> None:
    lt = graph.get(LT, "serve-sfo-lt").inputs
    assert lt["networkInterfaces"][0]["associateCarrierIpAddress"] == "true"
    assert lt["instanceType"] == "g4dn.2xlarge" and lt["imageId"].startswith("ami-")
    assert "iamInstanceProfile" in lt, "self-managed nodes need the profile of their role"
    user_data = base64.b64decode(lt["userData"]).decode()
    assert (
        "kind: NodeConfig" in user_data
        and "--register-with-taints=nvidia.com/gpu=true:NoSchedule" in user_data
    )
    assert "aiinfra.dev/edge-site=sfo" in user_data
    asg = graph.get(ASG, "serve-sfo-nodes").inputs
    assert (asg["minSize"], asg["desiredCapacity"], asg["maxSize"]) == (2, 2, 2)
    tags = {t["key"]: t["value"] for t in asg["tags"]}
    assert tags["k8s.io/cluster-autoscaler/enabled"] == "true"
    assert tags["k8s.io/cluster-autoscaler/serve-eks"] == "owned", "the regional autoscaler owns the group"
    assert tags["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"] == "1"
    assert tags["k8s.io/cluster-autoscaler/node-template/label/aiinfra.dev/edge-site"] == "sfo"
    assert tags["kubernetes.io/cluster/serve-eks"] == "owned" and tags["aiinfra:edge-location"] == (
        "us-west-2-wl1-sfo-wlz-1"
    )


def test_an_outpost_site_has_a_subnet_on_the_outpost_and_no_opt_in_or_carrier_gateway(
    graph: ResourceGraph,
) -> None:
    names = names_by_type(site(graph, "rack"))
    assert (OPT_IN, "serve-rack-opt-in") not in names and (
        CGW,
        "serve-rack-carrier-gw",
    ) not in names
    assert (ASG, "serve-rack-nodes") in names and (NG, "serve-rack-nodes") not in names
    subnet = graph.get(SUBNET, "serve-rack-subnet").inputs
    assert subnet["outpostArn"] == OUTPOST and subnet["availabilityZone"] == "us-west-2a"


def test_each_site_of_a_cluster_gets_its_own_subnet_from_the_free_part_of_the_vpc() -> None:
    cidr = ipaddress.ip_network("10.50.0.0/16")
    plan_ = plan_subnets(cidr, 3)
    edges = [edge_subnet(cidr, i) for i in range(4)]
    assert [str(e) for e in edges] == ["10.50.240.0/22", "10.50.244.0/22", "10.50.248.0/22", "10.50.252.0/22"]
    for e in edges:
        assert not any(e.overlaps(s) for s in (*plan_.private, *plan_.public))
    with pytest.raises(ValueError, match="at most 4 edge sites"):
        edge_subnet(cidr, 4)


def test_gp3_only_where_the_location_lists_it() -> None:
    assert volume_type(("gp2", "gp3")) == "gp3"
    assert volume_type(("gp2",)) == "gp2" and volume_type(()) == "gp2"


def test_node_config_names_the_cluster_and_its_service_range() -> None:
    text = base64.b64decode(node_config("c", "https://x", "Q0E=", "172.20.0.0/16", {"a": "b"})).decode()
    assert "name: c" in text and "apiServerEndpoint: https://x" in text and "cidr: 172.20.0.0/16" in text
    assert "--node-labels=a=b" in text


HELM = "kubernetes:helm.sh/v3:Release"


def edge_node_labels_and_taints(
    graph: ResourceGraph, name: str
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """What a site's nodes register with: the managed node group's labels and taints (Local Zone), or the
    kubelet flags in the nodeadm user data (Wavelength, Outposts); taints in Kubernetes' own spelling."""
    if any(r.name == f"serve-{name}-nodes" for r in graph.by_type(NG)):
        ng = graph.get(NG, f"serve-{name}-nodes").inputs
        effects = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute"}
        return ng["labels"], [{**t, "effect": effects[t["effect"]]} for t in ng["taints"]]
    user_data = base64.b64decode(graph.get(LT, f"serve-{name}-lt").inputs["userData"]).decode()
    flags = dict(
        line.strip().removeprefix("- --").split("=", 1) for line in user_data.splitlines() if "- --" in line
    )
    labels = dict(pair.split("=", 1) for pair in flags["node-labels"].split(","))
    taints = []
    for taint in flags["register-with-taints"].split(","):
        key_value, effect = taint.rsplit(":", 1)
        key, value = key_value.split("=", 1)
        taints.append({"key": key, "value": value, "effect": effect})
    return labels, taints


def tolerated(taint: dict[str, str], tolerations: list[dict[str, str]]) -> bool:
    """Kubernetes' rule: a toleration matches a taint of its key (and effect, when it names one), by value
    with `Equal`, any value with `Exists`."""
    return any(
        t["key"] == taint["key"]
        and t.get("effect", taint["effect"]) == taint["effect"]
        and (t["operator"] == "Exists" or t.get("value") == taint["value"])
        for t in tolerations
    )


def scheduled(labels: dict[str, str], values: dict[str, Any]) -> bool:
    """Whether a DaemonSet with these chart values may run on a node with these labels: its node selector
    holds and one of its required affinity terms matches (every expression `In`)."""
    if any(labels.get(k) != v for k, v in values["nodeSelector"].items()):
        return False
    terms = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ]
    return any(
        all(e["operator"] == "In" and labels.get(e["key"]) in e["values"] for e in term["matchExpressions"])
        for term in terms
    )


def test_the_regional_nvidia_device_plugin_runs_on_every_edge_sites_nodes(graph: ResourceGraph) -> None:
    """Without the plugin on the edge nodes they advertise no nvidia.com/gpu and no GPU pod is scheduled."""
    plugins = [r for r in graph.by_type(HELM) if r.inputs["chart"] == "nvidia-device-plugin"]
    assert len(plugins) == 1, "one plugin for the cluster and its edge sites"
    values = plugins[0].inputs["values"]
    for name in ("lax", "sfo", "rack"):
        labels, taints = edge_node_labels_and_taints(graph, name)
        assert taints and all(tolerated(t, values["tolerations"]) for t in taints), name
        assert scheduled(labels, values), name
    # The chart's own affinity terms want labels nothing here sets (NFD is off, EKS does not label GPUs):
    # left in, they would keep the plugin off every node, regional and edge.
    keys = {
        e["key"]
        for term in values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
            "nodeSelectorTerms"
        ]
        for e in term["matchExpressions"]
    }
    assert keys == {"aiinfra.dev/accelerator-vendor"}
    assert not scheduled({"aiinfra.dev/pool": "system"}, values), "CPU-only system nodes get no plugin"
