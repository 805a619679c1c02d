"""GpuNodePool under the recording mocks: the exact children and inputs, and what must be absent."""

from __future__ import annotations

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.components.aws.gpu_node_pool import TYPE, GpuNodePool, GpuNodePoolArgs
from aiinfra.engine.graph import ResourceGraph
from tests.conftest import children_of, id_of, names_by_type, plan

LT = "aws:ec2/launchTemplate:LaunchTemplate"
NG = "aws:eks/nodeGroup:NodeGroup"
PG = "aws:ec2/placementGroup:PlacementGroup"


def pool_graph(instance_type: str, *, subnets: int = 1, **overrides: object) -> ResourceGraph:
    itype = default_catalog().instance_type(instance_type)

    def program() -> None:
        args = GpuNodePoolArgs(
            cluster_name="train-eks",
            node_role_arn="arn:aws:iam::123456789012:role/node",
            instance_type=itype,
            subnet_ids=[f"subnet-{i}" for i in range(subnets)],
            cluster_security_group_id="sg-cluster",
            efa_security_group_id="sg-efa",
            min_nodes=4,
            desired_nodes=4,
            max_nodes=4,
        )
        for key, value in overrides.items():
            setattr(args, key, value)
        GpuNodePool("train-gpu", args)

    return plan(program)


def test_p5_pool_has_exactly_a_placement_group_a_launch_template_and_a_node_group() -> None:
    graph = pool_graph("p5.48xlarge")
    children = children_of(graph, TYPE, "train-gpu")
    assert names_by_type(children) == {
        (PG, "train-gpu-pg"),
        (LT, "train-gpu-lt"),
        (NG, "train-gpu-nodes"),
    }, "an on-demand interconnect pool is a placement group, a launch template and a node group"
    assert graph.warnings == [], "on-demand capacity gets a placement group without a warning"


def test_p5_launch_template_has_32_efa_interfaces_in_the_documented_layout() -> None:
    lt = pool_graph("p5.48xlarge").get(LT, "train-gpu-lt").inputs
    nics = lt["networkInterfaces"]
    assert len(nics) == 32, "p5.48xlarge has 32 EFA-capable network cards; each gets one interface"
    assert [n["networkCardIndex"] for n in nics] == list(range(32)), (
        "one interface per network card, in order"
    )
    primary, rest = nics[0], nics[1:]
    assert (primary["deviceIndex"], primary["interfaceType"]) == (0, "efa"), "the primary is EFA with ENA"
    assert primary["securityGroups"] == ["sg-cluster", "sg-efa"], "the primary carries cluster and EFA groups"
    for nic in rest:
        assert (nic["deviceIndex"], nic["interfaceType"]) == (1, "efa-only"), (
            f"card {nic['networkCardIndex']}"
        )
        assert nic["securityGroups"] == ["sg-efa"], "EFA-only interfaces carry only the EFA group"
    assert {n["subnetId"] for n in nics} == {"subnet-0"}, "every interface is in the pool's single subnet"
    assert "vpcSecurityGroupIds" not in lt, (
        "with explicit interfaces, groups go on each interface, not the LT"
    )


def test_launch_template_requires_imdsv2_and_encrypts_the_root_volume() -> None:
    lt = pool_graph("p5.48xlarge").get(LT, "train-gpu-lt").inputs
    assert lt["metadataOptions"]["httpTokens"] == "required", "IMDSv1 must be off"
    assert lt["metadataOptions"]["httpPutResponseHopLimit"] == 1, "pods must not reach the node's credentials"
    ebs = lt["blockDeviceMappings"][0]["ebs"]
    assert ebs["encrypted"] == "true" and ebs["volumeType"] == "gp3" and ebs["volumeSize"] == 500


def test_on_demand_interconnect_pool_is_placed_in_a_cluster_placement_group() -> None:
    graph = pool_graph("p5.48xlarge")
    assert graph.get(PG, "train-gpu-pg").inputs["strategy"] == "cluster"
    assert graph.get(LT, "train-gpu-lt").inputs["placement"]["groupName"] == "train-gpu-pg"
    lt = graph.get(LT, "train-gpu-lt").inputs
    assert "capacityReservationSpecification" not in lt and "instanceMarketOptions" not in lt


def test_node_group_inputs_for_a_p5_pool() -> None:
    graph = pool_graph("p5.48xlarge")
    ng = graph.get(NG, "train-gpu-nodes").inputs
    assert ng["instanceTypes"] == ["p5.48xlarge"]
    assert ng["capacityType"] == "ON_DEMAND"
    assert ng["amiType"] == "AL2023_x86_64_NVIDIA", "the NVIDIA AMI carries the driver and EFA host pieces"
    assert ng["scalingConfig"] == {"minSize": 4, "desiredSize": 4, "maxSize": 4}
    assert ng["subnetIds"] == ["subnet-0"], "an interconnect pool lives in one zone"
    assert ng["taints"] == [{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}]
    assert ng["labels"]["aiinfra.dev/efa"] == "true" and ng["labels"]["aiinfra.dev/accelerator"] == "H100"
    lt = id_of(graph, "aws:ec2/launchTemplate:LaunchTemplate", "train-gpu-lt")
    assert ng["launchTemplate"] == {"id": lt, "version": "1"}


@pytest.mark.parametrize(("instance_type", "cards"), [("p4d.24xlarge", 4), ("p5en.48xlarge", 16)])
def test_efa_interface_count_follows_the_instance_type(instance_type: str, cards: int) -> None:
    nics = pool_graph(instance_type).get(LT, "train-gpu-lt").inputs["networkInterfaces"]
    assert len(nics) == cards
    assert [n["interfaceType"] for n in nics] == ["efa"] + ["efa-only"] * (cards - 1)


def test_capacity_block_pool_has_no_placement_group_and_warns_why() -> None:
    graph = pool_graph("p5e.48xlarge", capacity="capacity-block", reservation="cr-0a1b2c3d4e5f67890")
    children = children_of(graph, TYPE, "train-gpu")
    assert PG not in {r.type for r in children}, "a placement group must not be forced onto a capacity block"
    lt = graph.get(LT, "train-gpu-lt").inputs
    assert "placement" not in lt, "no placement group reference in the launch template either"
    assert lt["instanceMarketOptions"] == {"marketType": "capacity-block"}
    target = lt["capacityReservationSpecification"]["capacityReservationTarget"]
    assert target == {"capacityReservationId": "cr-0a1b2c3d4e5f67890"}
    assert graph.get(NG, "train-gpu-nodes").inputs["capacityType"] == "CAPACITY_BLOCK"
    assert len(graph.warnings) == 1 and "no cluster placement group" in graph.warnings[0]
    assert "eksctl" in graph.warnings[0], "the warning says where the shrinkage was reported"


def test_reservation_pool_targets_the_reservation_on_demand_without_a_placement_group() -> None:
    graph = pool_graph("p5.48xlarge", capacity="reservation", reservation="cr-0123456789abcdef0")
    assert not graph.by_type(PG)
    lt = graph.get(LT, "train-gpu-lt").inputs
    assert "instanceMarketOptions" not in lt, "a reservation is not a capacity block market"
    assert lt["capacityReservationSpecification"]["capacityReservationTarget"]["capacityReservationId"] == (
        "cr-0123456789abcdef0"
    )
    assert graph.get(NG, "train-gpu-nodes").inputs["capacityType"] == "ON_DEMAND"
    assert len(graph.warnings) == 1


def test_spot_pool_uses_the_spot_capacity_type() -> None:
    graph = pool_graph("p5.48xlarge", capacity="spot")
    assert graph.get(NG, "train-gpu-nodes").inputs["capacityType"] == "SPOT"
    assert graph.by_type(PG), "spot instances can still be placed together"


def test_pool_without_interconnect_has_no_efa_and_no_placement_group() -> None:
    graph = pool_graph("g6e.12xlarge", subnets=3, interconnect=False)
    assert not graph.by_type(PG)
    lt = graph.get(LT, "train-gpu-lt").inputs
    assert "networkInterfaces" not in lt
    assert lt["vpcSecurityGroupIds"] == ["sg-cluster"], "nodes still join the cluster security group"
    ng = graph.get(NG, "train-gpu-nodes").inputs
    assert ng["subnetIds"] == ["subnet-0", "subnet-1", "subnet-2"], "no fabric: spread over the zones"
    assert "aiinfra.dev/efa" not in ng["labels"]


def test_interconnect_pool_over_several_subnets_is_refused() -> None:
    with pytest.raises(Exception, match="exactly one subnet"):
        pool_graph("p5.48xlarge", subnets=2)


def test_interconnect_on_an_instance_without_efa_is_refused() -> None:
    with pytest.raises(Exception, match="has no EFA"):
        pool_graph("g5.xlarge")
