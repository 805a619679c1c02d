"""Remote components (pulumi-eks, awsx) have no children in an offline plan: they are priced by what they
would create with the program's arguments and the component's documented defaults, and any other remote
component is reported not estimated by name, never silently $0. With the children present (a stack
export), the children are priced and the component is not priced twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pulumi

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.estimator import REMOTE_NOT_ESTIMATED
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile
from tests.conftest import plan

CATALOG = default_catalog()


def remote(type_: str, name: str, props: dict[str, Any]) -> None:
    pulumi.ComponentResource(type_, name, props, remote=True)


def run(*components: tuple[str, str, dict[str, Any]]) -> tuple[ResourceGraph, Estimate]:
    graph = plan(lambda: [remote(*c) for c in components] and None, region="us-west-2")
    return graph, estimate(graph, CATALOG, profile=PROFILES["training-steady"])


def lines_of(result: Estimate, name: str) -> dict[str, Any]:
    return {ln.unit: ln for ln in result.lines if ln.resource == name}


def hourly(type_: str, region: str = "us-west-2") -> Decimal:
    offer = CATALOG.offer(type_, region)
    assert offer is not None and offer.on_demand is not None, type_
    return Decimal(str(offer.on_demand))


def test_the_offline_plan_records_a_remote_component_as_remote_without_children() -> None:
    graph, _ = run(("eks:index:Cluster", "web", {}))
    (cluster,) = graph.resources
    assert (cluster.type, cluster.custom, cluster.remote) == ("eks:index:Cluster", False, True)
    assert cluster.to_json()["remote"] is True


def test_a_pulumi_eks_cluster_with_no_arguments_is_a_control_plane_and_two_t3_medium_nodes() -> None:
    _, result = run(("eks:index:Cluster", "web", {}))
    by_unit = lines_of(result, "web")
    plane = by_unit["cluster-hours"]
    assert plane.description.startswith("EKS control plane")
    assert plane.monthly_cost_usd == Decimal("0.10") * HOURS_PER_MONTH
    nodes = next(ln for ln in result.lines if ln.resource == "web" and "t3.medium" in ln.description)
    assert nodes.monthly_cost_usd == 2 * hourly("t3.medium") * HOURS_PER_MONTH
    assert any("instanceType t3.medium (pulumi-eks" in a for a in nodes.assumptions)
    root = next(ln for ln in result.lines if ln.resource == "web" and ln.unit == "GiB-months")
    assert "default node group: root volume type gp2 (pulumi-eks" in " ".join(root.assumptions)
    assert not any("EKS managed node group" in a for a in root.assumptions), "a self-managed group"
    assert result.unsupported == [] and result.unpriced == []


def test_the_programs_node_options_and_skipping_the_default_group_are_followed() -> None:
    _, result = run(
        ("eks:index:Cluster", "big", {"instanceType": "p5.48xlarge", "desiredCapacity": 3, "maxSize": 4}),
        ("eks:index:Cluster", "bare", {"skipDefaultNodeGroup": True}),
        ("eks:index:Cluster", "serverless", {"fargate": True}),
    )
    big = next(ln for ln in result.lines if ln.resource == "big" and "p5.48xlarge" in ln.description)
    assert big.monthly_cost_usd == 3 * hourly("p5.48xlarge") * HOURS_PER_MONTH
    assert [ln.unit for ln in result.lines if ln.resource == "bare"] == ["cluster-hours"]
    # fargate: no node group, but a Fargate profile whose pods only the usage file can size: unpriced, "≥"
    serverless = [ln for ln in result.lines if ln.resource == "serverless"]
    assert [ln.unit for ln in serverless] == ["cluster-hours", "vCPU-hours"]
    pods = serverless[1]
    assert pods.monthly_cost_usd is None and "set pods, podVcpu, podMemoryGB for serverless" in pods.reason
    assert any("Fargate profile for the default and kube-system namespaces" in a for a in pods.assumptions)


def test_a_fargate_clusters_pods_are_priced_from_the_clusters_usage_entry() -> None:
    graph, _ = run(("eks:index:Cluster", "serverless", {"fargate": True}))
    usage = UsageFile(resources={"serverless": ResourceUsage(pods=4, podVcpu=0.5, podMemoryGB=1)})
    result = estimate(graph, CATALOG, profile=PROFILES["training-steady"], usage=usage)
    by_unit = lines_of(result, "serverless")
    vcpu, gb = (
        CATALOG.service_price("aws", "fargate", "linux-x86-vcpu-hour", "us-west-2"),
        CATALOG.service_price("aws", "fargate", "linux-x86-gb-hour", "us-west-2"),
    )
    assert vcpu is not None and gb is not None and vcpu.usd is not None and gb.usd is not None
    # 0.5 vCPU / 1 GB + 0.25 GB for Kubernetes → the 0.5 vCPU / 2 GB configuration (Amazon EKS user guide)
    assert by_unit["vCPU-hours"].monthly_cost_usd == 4 * Decimal("0.5") * HOURS_PER_MONTH * vcpu.usd
    assert by_unit["GB-hours"].monthly_cost_usd == 4 * 2 * HOURS_PER_MONTH * gb.usd
    assert result.unpriced == []


def test_an_awsx_vpc_gets_a_nat_gateway_and_an_ip_per_zone_by_default_and_one_with_single() -> None:
    _, result = run(
        ("awsx:ec2:Vpc", "default", {}),
        ("awsx:ec2:Vpc", "single", {"natGateways": {"strategy": "Single"}}),
        ("awsx:ec2:Vpc", "none", {"natGateways": {"strategy": "None"}}),
        ("awsx:ec2:Vpc", "two", {"availabilityZoneNames": ["us-west-2a", "us-west-2b"]}),
    )
    default = [ln for ln in result.lines if ln.resource == "default"]
    assert [ln.description.split(" × ")[0] for ln in default if ln.unit != "GB processed"] == ["3", "3"]
    single = [ln for ln in result.lines if ln.resource == "single" and ln.monthly_cost_usd]
    assert single and all(ln.description.startswith("1 × ") for ln in single)
    per_nat = {ln.unit: ln.monthly_cost_usd for ln in single}
    assert {ln.unit: ln.monthly_cost_usd for ln in default if ln.monthly_cost_usd} == {
        unit: 3 * cost for unit, cost in per_nat.items()
    }
    two = [ln for ln in result.lines if ln.resource == "two" and ln.monthly_cost_usd]
    assert all(ln.description.startswith("2 × ") for ln in two)
    assert [f.resource for f in result.free] == ["none"]
    # each line says it stands for what the awsx Vpc creates: its NAT gateways and their Elastic IPs
    assert {ln.description.split(" × ", 1)[1].split(" (")[0] for ln in default} == {
        "NAT gateway",
        "NAT gateway data processing",
        "public IPv4 address",
    }
    assert all(ln.description.endswith("(awsx Vpc)") for ln in default), [ln.description for ln in default]


def test_another_remote_component_is_not_estimated_by_name_and_a_local_one_is_silent() -> None:
    def program() -> None:
        remote("awsx:cloudtrail:Trail", "api", {"enableLogging": True})
        pulumi.ComponentResource("my:app:Thing", "local")
        remote("kubernetes:yaml/v2:ConfigFile", "manifests", {"file": "plugin.yaml"})

    result = estimate(plan(program), CATALOG)
    assert [(u.resource, u.type) for u in result.unsupported] == [("api", "awsx:cloudtrail:Trail")]
    assert "remote component" in result.unsupported[0].reason
    assert [(f.resource, f.type) for f in result.free] == [("manifests", "kubernetes:yaml/v2:ConfigFile")]
    assert result.lines == []


def test_a_component_whose_children_are_in_the_graph_is_not_priced_again() -> None:
    stack = "urn:pulumi:prod::p"
    cluster_urn = f"{stack}::eks:index:Cluster::web"
    graph = ResourceGraph(
        stack="prod",
        project="p",
        config={"aws:region": "us-west-2"},
        resources=[
            PlannedResource("eks:index:Cluster", "web", cluster_urn, None, {}, custom=False),
            PlannedResource(
                "aws:eks/cluster:Cluster",
                "web-eksCluster",
                f"{stack}::eks:index:Cluster$aws:eks/cluster:Cluster::web-eksCluster",
                cluster_urn,
                {"version": "1.34"},
                custom=True,
            ),
        ],
    )
    result = estimate(graph, CATALOG)
    assert [ln.resource for ln in result.lines] == ["web-eksCluster"], "the child, once"


def test_pulumi_eks_helper_components_without_children_are_free_not_unestimated() -> None:
    """pulumi/pulumi-eks examples/cluster-py: `eks.Addon("…-coredns")` was 'not estimated' though an EKS
    add-on bills nothing itself."""
    types = (
        "eks:index:Addon",
        "eks:index:VpcCniAddon",
        "eks:index:NodeGroupSecurityGroup",
        "eks:index:ClusterCreationRoleProvider",
    )
    graph = ResourceGraph(
        stack="t",
        project="p",
        config={"aws:region": "us-west-2"},
        resources=[
            PlannedResource(t, f"c{i}", f"urn:pulumi:t::p::{t}::c{i}", None, {}, custom=False, remote=True)
            for i, t in enumerate(types)
        ],
    )
    result = estimate(graph, default_catalog())
    assert [(f.resource, f.type) for f in result.free] == [(f"c{i}", t) for i, t in enumerate(types)]
    assert all(f.reason.startswith("pulumi-eks component that bills nothing itself") for f in result.free)
    assert result.unsupported == [] and result.lines == []


def test_a_remote_component_the_program_parents_others_to_is_still_priced() -> None:
    """pulumi/pulumi-eks examples/managed-nodegroups-py gives two ManagedNodeGroups `parent=cluster`: the
    cluster's control plane went missing from the estimate (it has children, so it was skipped as a
    grouping), $73/month short with no warning. A remote component's own children are never in an offline
    plan; the ones it has are the program's."""

    def program() -> None:
        cluster = pulumi.ComponentResource(
            "eks:index:Cluster", "c", {"skipDefaultNodeGroup": True}, remote=True
        )
        group = {
            "instanceTypes": ["m5.large"],
            "scalingConfig": {"desiredSize": 1, "minSize": 1, "maxSize": 1},
        }
        pulumi.ComponentResource(
            "eks:index:ManagedNodeGroup", "ng", group, pulumi.ResourceOptions(parent=cluster), remote=True
        )
        pulumi.ComponentResource(
            "acme:index:Thing", "mystery", {}, pulumi.ResourceOptions(parent=cluster), remote=True
        )

    graph = plan(program, region="us-west-2")
    assert graph.children(next(r for r in graph.resources if r.name == "c").urn), (
        "the groups are its children"
    )
    result = estimate(graph, CATALOG)
    assert [ln.unit for ln in result.lines if ln.resource == "c"] == ["cluster-hours"]
    nodes = next(ln for ln in result.lines if ln.resource == "ng" and "m5.large" in ln.description)
    assert nodes.monthly_cost_usd == hourly("m5.large") * HOURS_PER_MONTH
    assert [(u.resource, u.reason) for u in result.unsupported] == [("mystery", REMOTE_NOT_ESTIMATED)]


def test_a_self_managed_node_groups_root_volume_type_is_the_programs() -> None:
    """pulumi/pulumi-eks examples/nodegroup-py: `node_root_volume_type="gp3"` was priced as gp2."""
    options = {"instanceType": "t3.medium", "desiredCapacity": 3, "minSize": 3, "maxSize": 3}
    _, result = run(
        ("eks:index:NodeGroup", "gp3", {**options, "nodeRootVolumeType": "gp3", "nodeRootVolumeSize": 50}),
        ("eks:index:NodeGroupV2", "default", options),
    )
    (gp3,) = [ln for ln in result.lines if ln.resource == "gp3" and ln.unit == "GiB-months"]
    (gp2,) = [ln for ln in result.lines if ln.resource == "default" and ln.unit == "GiB-months"]
    price = CATALOG.storage_price("aws", "ebs", "gp3", "us-west-2")
    assert price is not None
    assert gp3.description == "EBS gp3 root volumes: 50 GiB × 3.00 (average nodes)"
    assert gp3.quantity == 150 and gp3.monthly_cost_usd == 150 * price.usd_per_gib_month
    assert not any("root volume type gp2" in a for a in gp3.assumptions)
    assert gp2.description.startswith("EBS gp2 root volumes: 20 GiB")
    assert any("node group: root volume type gp2" in a for a in gp2.assumptions)


def test_awsx_load_balancers_and_fargate_services_are_priced_by_awsx_defaults() -> None:
    """pulumi/pulumi-awsx examples/ecs/python: an ApplicationLoadBalancer and a FargateService whose one
    container asks for 512 CPU units and 128 MiB were 'not estimated'. awsx runs 1 task of the cheapest
    Fargate size that holds the containers: 0.5 vCPU / 1 GB."""
    nginx = {"name": "nginx", "image": "nginx", "cpu": 512, "memory": 128}
    sidecars = {
        "containers": {
            "app": {"cpu": 1024, "memory": 4096, "memoryReservation": 1536},
            "log": {"cpu": 256, "memory": 512},
        }
    }
    _, result = run(
        ("awsx:lb:ApplicationLoadBalancer", "alb", {}),
        ("awsx:lb:NetworkLoadBalancer", "nlb", {}),
        ("awsx:ecs:FargateService", "web", {"taskDefinitionArgs": {"container": nginx}}),
        (
            "awsx:ecs:FargateService",
            "sized",
            {"desiredCount": 3, "taskDefinitionArgs": {"cpu": "2048", "memory": "4 GB", "container": nginx}},
        ),
        ("awsx:ecs:FargateService", "pair", {"desiredCount": 2, "taskDefinitionArgs": sidecars}),
        (
            "awsx:ecs:FargateService",
            "shares",
            {
                "capacityProviderStrategies": [{"capacityProvider": "FARGATE_SPOT"}],
                "taskDefinitionArgs": {"container": nginx},
            },
        ),
        ("awsx:ecs:FargateTaskDefinition", "task", {"container": nginx}),
    )
    alb, nlb = lines_of(result, "alb"), lines_of(result, "nlb")
    assert (
        alb["LB-hours"].description == "Application Load Balancer"
        and alb["LB-hours"].quantity == HOURS_PER_MONTH
    )
    assert nlb["LB-hours"].description == "Network Load Balancer"
    assert alb["LB-hours"].monthly_cost_usd and alb["LCU-hours"].monthly_cost_usd is None  # LCUs from usage
    vcpu = CATALOG.service_price("aws", "fargate", "linux-x86-vcpu-hour", "us-west-2")
    assert vcpu is not None and vcpu.usd is not None
    web = lines_of(result, "web")
    assert web["vCPU-hours"].description == "Fargate vCPU: 1 tasks × 0.5 vCPU / 1 GB"
    assert (
        web["vCPU-hours"].quantity == Decimal("0.5") * HOURS_PER_MONTH
        and web["GB-hours"].quantity == HOURS_PER_MONTH
    )
    assert web["vCPU-hours"].monthly_cost_usd == Decimal("0.5") * HOURS_PER_MONTH * vcpu.usd
    assert any(a.startswith("desiredCount 1 (awsx") for a in web["vCPU-hours"].assumptions)
    sized = lines_of(result, "sized")
    assert (
        sized["vCPU-hours"].quantity == 3 * 2 * HOURS_PER_MONTH
        and sized["GB-hours"].quantity == 3 * 4 * HOURS_PER_MONTH
    )
    # 1.25 vCPU and 1.5 + 0.5 GB (memoryReservation before memory): the cheapest size holding both is 2 vCPU / 4 GB
    assert lines_of(result, "pair")["vCPU-hours"].description == "Fargate vCPU: 2 tasks × 2 vCPU / 4 GB"
    assert [u.resource for u in result.unpriced if u.resource == "shares"] == ["shares"]
    assert [f.resource for f in result.free] == ["task"]
    assert result.unsupported == []
