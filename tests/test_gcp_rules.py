"""The GCP slice's pure facts: GPUDirect network layouts, TPU topologies, the GKE address plan, capacity
options, and the profile's pool-shape checks. No Pulumi."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiinfra import clouds
from aiinfra.clouds.gcp import TPU_GENERATIONS, tpu_slice, valid_topologies
from aiinfra.components.gcp.rules import (
    FABRIC_BASE_ALT,
    RDMA_MTU,
    TCPX_MTU,
    boot_disk_type,
    capacity_settings,
    fabric_base,
    fabric_layout,
    gke_accelerator,
    plan_ranges,
    pool_sizing,
    roce_network_profile,
    system_pool_layout,
)

GCP = clouds.get("gcp")


@pytest.mark.parametrize(("fabric", "vpcs"), [("gpudirect-tcpx", 4), ("gpudirect-tcpxo", 8)])
def test_tcpx_and_tcpxo_get_one_vpc_per_gpu_nic_with_one_subnet_at_mtu_8244(fabric: str, vpcs: int) -> None:
    layout = fabric_layout(fabric)
    assert layout is not None
    assert len(layout.vpcs) == vpcs, f"{fabric}: one VPC per GPU NIC"
    assert all(len(v.subnets) == 1 and v.mtu == TCPX_MTU == 8244 and not v.roce for v in layout.vpcs)
    assert [s.gke_network for s in layout.subnets] == [f"vpc{i}" for i in range(1, vpcs + 1)]
    assert {s.device_mode for s in layout.subnets} == {"NetDevice"}
    cidrs = [s.cidr for s in layout.subnets]
    assert len(set(cidrs)) == vpcs and all(c.prefixlen == 24 for c in cidrs), "distinct /24s"


def test_rdma_gets_a_gvnic_vpc_and_one_roce_vpc_with_eight_rdma_subnets_at_mtu_8896() -> None:
    layout = fabric_layout("gpudirect-rdma")
    assert layout is not None
    gvnic, roce = layout.vpcs
    assert (gvnic.roce, len(gvnic.subnets), gvnic.subnets[0].device_mode) == (False, 1, "NetDevice")
    assert (roce.roce, len(roce.subnets)) == (True, 8), "8 CX-7 NICs: 8 subnets in one RoCE VPC"
    assert {s.device_mode for s in roce.subnets} == {"RDMA"}
    assert gvnic.mtu == roce.mtu == RDMA_MTU == 8896
    assert [s.gke_network for s in layout.subnets] == ["gvnic-1", *(f"rdma-{i}" for i in range(8))]
    cidrs = [s.cidr for s in layout.subnets]
    assert len(set(cidrs)) == 9


@pytest.mark.parametrize("fabric", ["none", "ici", "efa"])
def test_machines_without_a_gpudirect_fabric_get_no_extra_networks(fabric: str) -> None:
    assert fabric_layout(fabric) is None


def test_the_gpu_networks_move_out_of_192_168_when_the_cluster_network_is_there() -> None:
    assert fabric_base(ipaddress.IPv4Network("10.40.0.0/16")) == ipaddress.IPv4Network("192.168.0.0/16")
    assert fabric_base(ipaddress.IPv4Network("192.168.0.0/16")) == FABRIC_BASE_ALT


def test_the_roce_network_profile_is_the_zones() -> None:
    assert roce_network_profile("p-1", "us-central1-b") == (
        "projects/p-1/global/networkProfiles/us-central1-b-vpc-roce"
    )


@given(st.integers(min_value=16, max_value=20), st.integers(min_value=0, max_value=255))
def test_node_pod_and_service_ranges_lie_in_the_block_and_never_overlap(prefix: int, second: int) -> None:
    block = ipaddress.IPv4Network(f"10.{second}.0.0/{prefix}", strict=False)
    r = plan_ranges(block)
    ranges = [r.nodes, r.pods, r.services]
    assert all(x.subnet_of(block) for x in ranges)
    assert not any(a.overlaps(b) for i, a in enumerate(ranges) for b in ranges[i + 1 :])
    assert r.pods.num_addresses == block.num_addresses // 2, "pods get half the block"


def test_a_16_gives_a_17_of_pods_an_18_of_nodes_and_a_20_of_services() -> None:
    r = plan_ranges(ipaddress.IPv4Network("10.40.0.0/16"))
    assert (str(r.pods), str(r.nodes), str(r.services)) == (
        "10.40.0.0/17",
        "10.40.128.0/18",
        "10.40.192.0/20",
    )


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [(2, (["a", "b"], 1)), (3, (["a", "b", "c"], 1)), (6, (["a", "b", "c"], 2)), (5, (["a"], 5))],
)
def test_a_regional_system_pool_spreads_over_zones_that_divide_its_nodes(
    nodes: int, expected: tuple[list[str], int]
) -> None:
    assert system_pool_layout(["a", "b", "c"], nodes) == expected


@pytest.mark.parametrize(
    ("accelerator", "topology", "machine", "hosts", "multi"),
    [
        ("TPU-v5p", "2x2x4", "ct5p-hightpu-4t", 4, True),  # the example: 16 chips = 4 hosts
        ("TPU-v5p", "2x2x1", "ct5p-hightpu-4t", 1, False),
        ("TPU-v4", "4x4x4", "ct4p-hightpu-4t", 16, True),
        ("TPU-v5e", "1x1", "ct5lp-hightpu-1t", 1, False),
        ("TPU-v5e", "2x4", "ct5lp-hightpu-8t", 1, False),
        ("TPU-v5e", "4x8", "ct5lp-hightpu-4t", 8, True),
        ("TPU-v6e", "2x2", "ct6e-standard-4t", 1, False),
        ("TPU-v6e", "4x4", "ct6e-standard-4t", 4, True),
        ("TPU-v6e", "16x16", "ct6e-standard-4t", 64, True),
    ],
)
def test_a_topology_picks_the_machine_and_the_number_of_hosts(
    accelerator: str, topology: str, machine: str, hosts: int, multi: bool
) -> None:
    s = tpu_slice(accelerator, topology)
    assert (s.machine, s.hosts, s.multi_host) == (machine, hosts, multi)
    assert s.gke_accelerator == TPU_GENERATIONS[accelerator].gke_accelerator


@pytest.mark.parametrize(
    ("accelerator", "topology"), [("TPU-v5p", "2x4"), ("TPU-v6e", "2x2x4"), ("TPU-v4", "3x3x3")]
)
def test_an_invalid_topology_lists_the_valid_ones(accelerator: str, topology: str) -> None:
    with pytest.raises(ValueError, match="Valid: ") as caught:
        tpu_slice(accelerator, topology)
    assert valid_topologies(accelerator)[0] in str(caught.value)


@pytest.mark.parametrize(
    ("machine", "name"),
    [
        ("a3-highgpu-8g", "nvidia-h100-80gb"),
        ("a3-megagpu-8g", "nvidia-h100-mega-80gb"),
        ("a3-ultragpu-8g", "nvidia-h200-141gb"),
        ("a4-highgpu-8g", "nvidia-b200"),
        ("a2-highgpu-8g", "nvidia-tesla-a100"),
        ("a2-ultragpu-8g", "nvidia-a100-80gb"),
        ("g2-standard-48", "nvidia-l4"),
    ],
)
def test_gke_accelerator_names(machine: str, name: str) -> None:
    assert gke_accelerator(machine) == name


def test_an_unknown_machine_has_no_gke_accelerator() -> None:
    with pytest.raises(ValueError, match="known families"):
        gke_accelerator("n2-standard-4")


def test_a3_ultra_a4_and_v6e_boot_from_hyperdisk_others_from_persistent_disk() -> None:
    assert {
        m: boot_disk_type(m) for m in ("a3-ultragpu-8g", "a4-highgpu-8g", "ct6e-standard-4t")
    } == dict.fromkeys(("a3-ultragpu-8g", "a4-highgpu-8g", "ct6e-standard-4t"), "hyperdisk-balanced")
    assert boot_disk_type("a3-megagpu-8g") == boot_disk_type("ct5p-hightpu-4t") == "pd-balanced"


def test_capacity_options_map_to_spot_a_specific_reservation_and_flex_start() -> None:
    assert capacity_settings("on-demand", None).forced_placement_allowed
    spot = capacity_settings("spot", None)
    assert spot.spot and not spot.flex_start and spot.reservation_affinity is None
    res = capacity_settings("reservation", "a3-res-1")
    assert res.reservation_affinity == {
        "consume_reservation_type": "SPECIFIC_RESERVATION",
        "key": "compute.googleapis.com/reservation-name",
        "values": ["a3-res-1"],
    }
    assert not res.forced_placement_allowed and not res.spot, "no forced placement on a reservation"
    flex = capacity_settings("capacity-block", None)
    assert flex.flex_start and not flex.auto_repair and not flex.forced_placement_allowed
    assert flex.reservation_affinity == {"consume_reservation_type": "NO_RESERVATION"}
    with pytest.raises(ValueError):
        capacity_settings("reservation", None)


def test_pool_sizing_fixed_ranged_and_flex_start() -> None:
    assert pool_sizing(2, 2, 2, flex_start=False) == {"node_count": 2}
    assert pool_sizing(1, 1, 4, flex_start=False) == {
        "initial_node_count": 1,
        "autoscaling": {"min_node_count": 1, "max_node_count": 4},
    }
    assert pool_sizing(2, 2, 2, flex_start=True) == {
        "initial_node_count": 0,
        "autoscaling": {"min_node_count": 0, "max_node_count": 2, "location_policy": "ANY"},
    }


@dataclass
class Pool:
    topology: str | None = None
    nodes: int | None = None
    min_nodes: int | None = None
    max_nodes: int | None = None


def test_profile_pool_shape_picks_the_topologys_machine() -> None:
    assert GCP.pool_shape(Pool("4x4"), "TPU-v6e", "ct6e-standard-8t") == ("ct6e-standard-4t", [])
    assert GCP.pool_shape(Pool("2x4"), "TPU-v6e", "ct6e-standard-8t") == (None, [])
    assert GCP.pool_shape(Pool(), "TPU-v6e", "ct6e-standard-8t") == (None, [])
    assert GCP.pool_shape(Pool(), "H100", "a3-megagpu-8g") == (None, [])


def test_profile_pool_shape_problems() -> None:
    _, problems = GCP.pool_shape(Pool("2x4"), "H100", "a3-megagpu-8g")
    assert [p.field for p in problems] == ["topology"] and "TPU-v5p" in problems[0].fix
    _, problems = GCP.pool_shape(Pool("2x4"), "TPU-v5p", "ct5p-hightpu-4t")
    assert [p.field for p in problems] == ["topology"] and "2x2x4" in problems[0].fix
    _, problems = GCP.pool_shape(Pool("2x2x4", nodes=2), "TPU-v5p", "ct5p-hightpu-4t")
    assert [p.field for p in problems] == ["nodes"] and "nodes: 4" in problems[0].fix
    assert GCP.pool_shape(Pool("2x2x4", nodes=4), "TPU-v5p", "ct5p-hightpu-4t") == (None, [])


def test_the_private_services_range_is_a_free_slash_20_of_the_clusters_block_or_none() -> None:
    import ipaddress

    from aiinfra.components.gcp.rules import plan_ranges, private_services_range

    block = ipaddress.IPv4Network("10.40.0.0/16")
    psa = private_services_range(block)
    assert psa == ipaddress.IPv4Network("10.40.208.0/20")
    ranges = plan_ranges(block)
    assert psa is not None and psa.subnet_of(block)
    assert not any(psa.overlaps(r) for r in (ranges.nodes, ranges.pods, ranges.services))
    assert private_services_range(ipaddress.IPv4Network("10.8.0.0/18")) is None, "too small: Google picks"
