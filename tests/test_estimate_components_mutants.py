"""Remote pulumi-eks and awsx components priced by what they would create (estimate/rules/components.py),
seen through `estimate` on hand-built graphs: the node counts a profile that runs at min and max nodes bills,
the root volume size and spot request passed on to the stand-in node group, the self-managed and managed
node group components, and the awsx Vpc's zone count, own Elastic IPs and notes. Prices come from the
catalog. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.usage import PROFILES, Profile

CATALOG = default_catalog()
REGION = "us-west-2"
STEADY = PROFILES["training-steady"]  # the desired nodes all month
DIURNAL = PROFILES["inference-diurnal"]  # half the month at max nodes, half at min


def component(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=False,
        remote=True,
    )


def run(*resources: PlannedResource, profile: Profile = STEADY) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": REGION})
    return estimate(graph, CATALOG, profile=profile)


def nodes_line(result: Estimate, name: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == name and ln.unit == "node-hours"]
    assert len(found) == 1, f"one node-hours line for {name}, got {len(found)}"
    return found[0]


def root_line(result: Estimate, name: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == name and ln.unit == "GiB-months"]
    assert len(found) == 1, f"one root volume line for {name}, got {len(found)}"
    return found[0]


def on_demand(type_: str) -> Decimal:
    offer = CATALOG.offer(type_, REGION)
    assert offer is not None and offer.on_demand is not None, type_
    return offer.on_demand


def gp2_month() -> Decimal:
    price = CATALOG.storage_price("aws", "ebs", "gp2", REGION)
    assert price is not None and price.usd_per_gib_month is not None
    return price.usd_per_gib_month


# -- pulumi-eks Cluster: the default node group ----------------------------------------------------------------


def test_a_default_node_group_runs_one_node_at_min_and_two_at_max() -> None:
    """pulumi-eks's defaults minSize 1, maxSize 2: half the month at 2 nodes, half at 1."""
    result = run(component("eks:index:Cluster", "web"), profile=DIURNAL)
    nodes = nodes_line(result, "web")
    assert nodes.quantity == (2 + 1) * HOURS_PER_MONTH / 2
    assert nodes.monthly_cost_usd == nodes.quantity * on_demand("t3.medium")


def test_the_programs_min_and_max_sizes_are_the_groups() -> None:
    result = run(
        component("eks:index:Cluster", "big", desiredCapacity=3, minSize=2, maxSize=6), profile=DIURNAL
    )
    assert nodes_line(result, "big").quantity == (6 + 2) * HOURS_PER_MONTH / 2
    noted = " ".join(nodes_line(result, "big").assumptions)
    assert "default node group: instanceType t3.medium (pulumi-eks" in noted
    assert "desiredCapacity" not in noted and "minSize" not in noted and "maxSize" not in noted


def test_a_node_root_volume_size_replaces_the_20_gib_default() -> None:
    result = run(
        component("eks:index:Cluster", "sized", nodeRootVolumeSize=100),
        component("eks:index:Cluster", "default"),
    )
    sized, default = root_line(result, "sized"), root_line(result, "default")
    assert sized.quantity == 100 * 2 and default.quantity == 20 * 2  # GiB × the 2 desired nodes
    assert sized.monthly_cost_usd == 200 * gp2_month()
    assert not any("no diskSize" in a for a in sized.assumptions + default.assumptions)


def test_a_spot_price_makes_the_default_node_group_spot() -> None:
    result = run(component("eks:index:Cluster", "cheap", nodeGroupOptions={"spotPrice": "0.05"}))
    nodes = nodes_line(result, "cheap")
    offer = CATALOG.offer("t3.medium", REGION)
    assert offer is not None and offer.spot is not None
    assert nodes.purchase_option == "spot"
    assert nodes.unit_price_usd == offer.spot != offer.on_demand
    plain = nodes_line(run(component("eks:index:Cluster", "plain")), "plain")
    assert plain.purchase_option == "on_demand" and plain.unit_price_usd == offer.on_demand


def test_auto_mode_has_no_default_node_group_but_auto_mode_disabled_does() -> None:
    result = run(
        component("eks:index:Cluster", "auto", autoMode={"enabled": True}),
        component("eks:index:Cluster", "manual", autoMode={"enabled": False}),
    )
    assert [ln.unit for ln in result.lines if ln.resource == "auto"] == ["cluster-hours"]
    assert nodes_line(result, "manual").quantity == 2 * HOURS_PER_MONTH


# -- pulumi-eks NodeGroup, NodeGroupV2, ManagedNodeGroup ----------------------------------------------------


def test_self_managed_node_group_components_are_priced_like_the_default_group() -> None:
    result = run(
        component("eks:index:NodeGroup", "v1", instanceType="m5.large", desiredCapacity=3),
        component("eks:index:NodeGroupV2", "v2", instanceType="m5.large", desiredCapacity=4),
    )
    for name, n in (("v1", 3), ("v2", 4)):
        nodes = nodes_line(result, name)
        assert nodes.quantity == n * HOURS_PER_MONTH
        assert nodes.monthly_cost_usd == n * HOURS_PER_MONTH * on_demand("m5.large")
        assert "node group: root volume type gp2 (pulumi-eks" in " ".join(root_line(result, name).assumptions)
    assert result.unsupported == []


def test_a_managed_node_group_without_scaling_config_takes_2_1_2_and_says_so() -> None:
    steady = run(component("eks:index:ManagedNodeGroup", "mng", instanceTypes=["m5.large"]))
    nodes = nodes_line(steady, "mng")
    assert nodes.quantity == 2 * HOURS_PER_MONTH
    assert "scalingConfig: desired 2, min 1, max 2 (pulumi-eks @7bf0c1b defaults)" in nodes.assumptions
    diurnal = run(component("eks:index:ManagedNodeGroup", "mng", instanceTypes=["m5.large"]), profile=DIURNAL)
    assert nodes_line(diurnal, "mng").quantity == (2 + 1) * HOURS_PER_MONTH / 2


def test_a_managed_node_groups_own_scaling_config_is_used_without_the_note() -> None:
    result = run(
        component(
            "eks:index:ManagedNodeGroup",
            "mng",
            instanceTypes=["m5.large"],
            scalingConfig={"desiredSize": 5, "minSize": 3, "maxSize": 8},
        ),
        profile=DIURNAL,
    )
    nodes = nodes_line(result, "mng")
    assert nodes.quantity == (8 + 3) * HOURS_PER_MONTH / 2
    assert not any(a.startswith("scalingConfig:") for a in nodes.assumptions)
    steady = run(
        component(
            "eks:index:ManagedNodeGroup", "mng", instanceTypes=["m5.large"], scalingConfig={"desiredSize": 5}
        )
    )
    assert nodes_line(steady, "mng").quantity == 5 * HOURS_PER_MONTH


# -- awsx Vpc -----------------------------------------------------------------------------------------------


def test_the_number_of_zones_sets_the_nat_gateways_and_the_note_names_the_awsx_defaults() -> None:
    result = run(component("awsx:ec2:Vpc", "net", numberOfAvailabilityZones=2))
    hours = next(ln for ln in result.lines if ln.resource == "net" and ln.unit == "gateway-hours")
    assert hours.description.startswith("2 × ")
    assert hours.quantity == 2 * HOURS_PER_MONTH
    assert (
        "2 zones, NAT gateway strategy OnePerAz (awsx @e60adf3 defaults where the program is silent)"
        in hours.assumptions
    )


def test_zero_zones_means_no_nat_gateway() -> None:
    result = run(component("awsx:ec2:Vpc", "empty", numberOfAvailabilityZones=0))
    assert [(f.resource, f.reason) for f in result.free] == [
        ("empty", "awsx Vpc without NAT gateways (strategy OnePerAz): subnets and routes cost nothing")
    ]
    assert result.lines == []


def test_an_unusable_zone_count_names_the_input() -> None:
    result = run(component("awsx:ec2:Vpc", "bad", numberOfAvailabilityZones=-3))
    assert len(result.invalid_inputs) == 1
    assert result.invalid_inputs[0].startswith("bad (awsx:ec2:Vpc): numberOfAvailabilityZones")


def test_a_vpc_given_its_own_elastic_ips_gets_no_ip_lines() -> None:
    result = run(
        component(
            "awsx:ec2:Vpc", "own", natGateways={"strategy": "Single", "elasticIpAllocationIds": ["eip-1"]}
        ),
        component("awsx:ec2:Vpc", "made", natGateways={"strategy": "Single"}),
    )
    assert sorted(ln.unit for ln in result.lines if ln.resource == "own") == ["GB processed", "gateway-hours"]
    assert sorted(ln.unit for ln in result.lines if ln.resource == "made") == [
        "GB processed",
        "IP-hours",
        "gateway-hours",
    ]


# -- pulumi-eks bookkeeping ----------------------------------------------------------------------------------


def test_pulumi_eks_bookkeeping_resources_are_free() -> None:
    graph = ResourceGraph(
        stack="t",
        project="p",
        config={"aws:region": REGION},
        resources=[
            PlannedResource(t, n, f"urn:pulumi:t::p::{t}::{n}", None, {}, custom=True)
            for t, n in (("eks:index:RandomSuffix", "suffix"), ("eks:index:VpcCni", "cni"))
        ],
    )
    result = estimate(graph, CATALOG)
    assert sorted(f.resource for f in result.free) == ["cni", "suffix"]
    assert all(f.reason.startswith("pulumi-eks bookkeeping") for f in result.free)
    assert result.unsupported == [] and result.lines == []


def test_a_managed_node_groups_scaling_config_keys_it_leaves_out_take_pulumi_eks_defaults() -> None:
    """scalingConfig {desiredSize: 1}: minSize 1 and maxSize 2 still come from pulumi-eks's 2 / 1 / 2."""
    result = run(
        component(
            "eks:index:ManagedNodeGroup", "mng", instanceTypes=["m5.large"], scalingConfig={"desiredSize": 1}
        ),
        profile=DIURNAL,
    )
    assert nodes_line(result, "mng").quantity == (2 + 1) * HOURS_PER_MONTH / 2
