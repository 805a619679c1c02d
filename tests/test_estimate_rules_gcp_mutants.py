"""GCP rules (estimate/rules/gcp.py) seen through `estimate`: a pool spread over its cluster's node
locations, boot disks of GKE's default type and of pd-standard (HDD energy), an Autopilot cluster's missing
default pool, a Compute Engine VM on a specific reservation and its pd-standard boot disk, TPU slices that
do not divide into hosts, Parallelstore / Filestore without a capacity, bucket versioning and soft delete,
Cloud NAT counting TPU hosts, and the free GCP types with their reasons. Prices come from the catalog.
Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH
from aiinfra.estimate.rules.gcp import tpu_hosts
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile

from .conftest import line

CATALOG = default_catalog()
REGION = "us-central1"
POOL = "gcp:container/nodePool:NodePool"
CLUSTER = "gcp:container/cluster:Cluster"
INSTANCE = "gcp:compute/instance:Instance"
BUCKET = "gcp:storage/bucket:Bucket"


def res(type_: str, name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:t::p::{type_}::{name}",
        parent=None,
        inputs=inputs,
        custom=True,
    )


def run(*resources: PlannedResource, usage: UsageFile | None = None) -> Estimate:
    graph = ResourceGraph(stack="t", project="p", resources=list(resources), config={"gcp:region": REGION})
    return estimate(graph, CATALOG, profile=PROFILES["training-steady"], usage=usage)


def hourly(machine: str, option: str = "on_demand") -> Decimal:
    offer = CATALOG.offer(machine, REGION)
    assert offer is not None and offer.price(option) is not None, (machine, option)
    return offer.price(option)  # type: ignore[return-value]


def disk_month(tier: str) -> Decimal:
    price = CATALOG.storage_price("gcp", "persistent-disk", tier, REGION)
    assert price is not None and price.usd_per_gib_month is not None, tier
    return price.usd_per_gib_month


def test_a_pool_without_its_own_node_locations_runs_in_each_of_its_clusters_node_locations() -> None:
    cluster = res(
        CLUSTER,
        "c",
        location="us-central1-a",
        nodeLocations=["us-central1-b", "us-central1-c"],
        removeDefaultNodePool=True,
    )
    pool = res(POOL, "p", cluster="c", nodeCount=1, nodeConfig={"machineType": "n2-standard-4"})
    nodes = line(run(cluster, pool), "p", "node-hours")
    # a zonal cluster keeps its own zone beside the additional ones: three zones, one node each
    assert nodes.quantity == 3 * HOURS_PER_MONTH
    assert nodes.monthly_cost_usd == 3 * HOURS_PER_MONTH * hourly("n2-standard-4")
    assert (
        "GKE node counts are per zone: × 3 zones (the cluster's node locations us-central1-a, "
        "us-central1-b, us-central1-c)"
    ) in nodes.assumptions


def test_boot_disks_without_a_type_are_gkes_default_pd_balanced_and_say_so() -> None:
    bare = res(
        POOL, "bare", location="us-central1-a", nodeCount=1, nodeConfig={"machineType": "n2-standard-4"}
    )
    typed = res(
        POOL,
        "typed",
        location="us-central1-a",
        nodeCount=1,
        nodeConfig={"machineType": "n2-standard-4", "diskType": "pd-ssd", "diskSizeGb": 50},
    )
    result = run(bare, typed)
    default = line(result, "bare", "GiB-months")
    assert default.monthly_cost_usd == 100 * disk_month("pd-balanced")
    assert "no nodeConfig.diskType: GKE's default pd-balanced" in default.assumptions
    assert "no nodeConfig.diskSizeGb: GKE's default 100 GB" in default.assumptions
    assert "(ssd)" in default.energy_detail
    own = line(result, "typed", "GiB-months")
    assert own.monthly_cost_usd == 50 * disk_month("pd-ssd")
    assert not [a for a in own.assumptions if a.startswith("no nodeConfig.disk")], own.assumptions


def test_pd_standard_boot_disks_draw_hdd_power() -> None:
    pool = res(
        POOL,
        "hdd",
        location="us-central1-a",
        nodeCount=2,
        nodeConfig={"machineType": "n2-standard-4", "diskType": "pd-standard", "diskSizeGb": 200},
    )
    disks = line(run(pool), "hdd", "GiB-months")
    hdd, ssd = CATALOG.storage_power("hdd"), CATALOG.storage_power("ssd")
    assert hdd is not None and ssd is not None and hdd.w_per_tb != ssd.w_per_tb
    assert disks.monthly_cost_usd == 400 * disk_month("pd-standard")
    assert f"{hdd.w_per_tb} W/TB (hdd)" in disks.energy_detail


def test_an_autopilot_cluster_has_no_default_node_pool_even_with_an_initial_node_count() -> None:
    auto = res(CLUSTER, "auto", location=REGION, enableAutopilot=True, initialNodeCount=1)
    result = run(auto)
    assert not [
        ln for ln in result.lines if ln.resource == "auto" and ln.unit in ("node-hours", "GiB-months")
    ]
    fee = line(result, "auto", "cluster-hours")
    assert fee.description == "GKE cluster management fee (Autopilot)"
    assert any(a.startswith("Autopilot: the pods' vCPU") for a in fee.assumptions)


def test_a_kept_default_pool_is_named_as_the_clusters_default_pool() -> None:
    kept = res(CLUSTER, "kept", location="us-central1-a", initialNodeCount=2)
    result = run(kept)
    assert line(result, "kept", "cluster-hours").description == "GKE cluster management fee"
    for unit in ("node-hours", "GiB-months"):
        assert "the cluster's default node pool (removeDefaultNodePool not set)" in (
            line(result, "kept", unit).assumptions
        )
    assert line(result, "kept", "node-hours").monthly_cost_usd == 2 * HOURS_PER_MONTH * hourly("e2-medium")


def test_a_vm_on_a_specific_reservation_is_a_reservation_with_its_pd_standard_boot_disk() -> None:
    vm = res(
        INSTANCE,
        "vm",
        zone="us-central1-a",
        machineType="n2-standard-8",
        reservationAffinity={"type": "SPECIFIC_RESERVATION"},
        bootDisk={"initializeParams": {"size": 500}},
    )
    plain = res(INSTANCE, "plain", zone="us-central1-a", machineType="n2-standard-8")
    result = run(vm, plain)
    nodes = line(result, "vm", "instance-hours")
    assert nodes.purchase_option == "reservation"
    assert line(result, "plain", "instance-hours").purchase_option == "on_demand"
    disk = line(result, "vm", "GiB-months")
    assert disk.description == "pd-standard boot disk: 500 GiB"
    assert disk.monthly_cost_usd == 500 * disk_month("pd-standard")
    assert "(hdd)" in disk.energy_detail
    # no size: the image's, which the plan does not know (rules/gcp_services.py carries it unpriced)
    assert line(result, "plain", "GiB-months").monthly_cost_usd is None


def test_an_ssd_boot_disk_of_a_vm_draws_ssd_power() -> None:
    vm = res(
        INSTANCE,
        "vm",
        zone="us-central1-a",
        machineType="n2-standard-8",
        bootDisk={"initializeParams": {"size": 100, "type": "pd-ssd"}},
    )
    disk = line(run(vm), "vm", "GiB-months")
    assert disk.monthly_cost_usd == 100 * disk_month("pd-ssd")
    assert "(ssd)" in disk.energy_detail


def test_tpu_slices_that_one_host_does_not_serve_and_four_do_not_divide_are_not_mapped() -> None:
    assert tpu_hosts("v4-8") == ("ct4p-hightpu-4t", 1, 4), "v4 names count TensorCores: v4-8 is 4 chips"
    assert tpu_hosts("v4-32") == ("ct4p-hightpu-4t", 4, 16)
    assert tpu_hosts("v6e-4") == ("ct6e-standard-4t", 1, 4)
    for odd in ("v6e-5", "v5p-10", "v5litepod-5", "v4-10"):
        assert isinstance(tpu_hosts(odd), str), odd
    assert tpu_hosts("v6e-5") == "v6e-5: 5 chips do not divide into ct6e-standard hosts of 4 chips"
    assert tpu_hosts("v5p-10") == "v5p-10: 5 chips do not divide into ct5p-hightpu hosts of 4 chips"


def test_file_systems_without_a_capacity_are_unpriced_saying_which_input_is_missing() -> None:
    ps = res("gcp:parallelstore/instance:Instance", "ps", location="us-central1-a")
    fs = res("gcp:filestore/instance:Instance", "fs", location="us-central1-a", tier="BASIC_SSD")
    result = run(ps, fs)
    assert line(result, "ps", "GiB-months").reason == "no capacityGib on the instance"
    assert line(result, "fs", "GiB-months").reason == "no fileShares.capacityGb on the instance"
    assert line(result, "ps", "GiB-months").monthly_cost_usd is None
    assert line(result, "fs", "GiB-months").monthly_cost_usd is None


def test_a_versioned_bucket_says_noncurrent_versions_are_billed_until_its_lifecycle_rule() -> None:
    bucket = res(
        BUCKET,
        "b",
        location="US-CENTRAL1",
        versioning={"enabled": True},
        lifecycleRules=[
            {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 30}},
            {"action": {"type": "SetStorageClass"}, "condition": {"daysSinceNoncurrentTime": 5}},
        ],
    )
    plain = res(BUCKET, "plain", location="US-CENTRAL1")
    usage = UsageFile(resources={"b": ResourceUsage(storage_gib=10), "plain": ResourceUsage(storage_gib=10)})
    result = run(bucket, plain, usage=usage)
    notes = line(result, "b", "GiB-months").assumptions
    assert (
        "versioning on: noncurrent versions are billed as stored data until a lifecycle rule deletes them "
        "(30 days after); count them in storageGiB"
    ) in notes
    assert "operations (class A/B requests) and network egress not modelled" in notes
    plain_notes = line(result, "plain", "GiB-months").assumptions
    assert not [a for a in plain_notes if a.startswith("versioning")], plain_notes
    assert "soft delete: deleted objects stay billed for 7 days (Cloud Storage's default)" in plain_notes


def test_a_buckets_own_soft_delete_retention_replaces_the_default_and_zero_turns_it_off() -> None:
    month = res(
        BUCKET, "month", location="US-CENTRAL1", softDeletePolicy={"retentionDurationSeconds": 30 * 86_400}
    )
    off = res(BUCKET, "off", location="US-CENTRAL1", softDeletePolicy={"retentionDurationSeconds": 0})
    result = run(month, off)
    month_notes = line(result, "month", "GiB-months").assumptions
    assert "soft delete: deleted objects stay billed for 30 days" in month_notes
    off_notes = line(result, "off", "GiB-months").assumptions
    assert not [a for a in off_notes if a.startswith("soft delete")], off_notes


def test_cloud_nat_counts_a_tpu_slices_hosts_not_its_chips_and_names_its_traffic_line() -> None:
    tpu = res("gcp:tpu/v2Vm:V2Vm", "tpu", zone="us-central1-a", acceleratorType="v5litepod-16")
    assert tpu_hosts("v5litepod-16") == ("ct5lp-hightpu-4t", 4, 16)
    nat = res("gcp:compute/routerNat:RouterNat", "nat", region=REGION, router="r")
    result = run(tpu, nat)
    per_vm = CATALOG.service_price("gcp", "cloud-nat", "vm-hour", REGION)
    assert per_vm is not None and per_vm.usd is not None
    gateway = line(result, "nat", "VM-hours")
    assert gateway.quantity == 4 * HOURS_PER_MONTH
    assert gateway.monthly_cost_usd == 4 * HOURS_PER_MONTH * per_vm.usd
    data = line(result, "nat", "GB processed")
    assert data.description == "Cloud NAT data processing"
    assert data.monthly_cost_usd is None


def test_gcp_configuration_types_are_free_with_their_reasons() -> None:
    result = run(
        res("gcp:compute/networkPeering:NetworkPeering", "peer"),
        res("gcp:serviceaccount/iAMMember:IAMMember", "member"),
        res("gcp:projects/service:Service", "api"),
    )
    free = {s.resource: s.reason for s in result.free}
    assert free == {
        "peer": "networking configuration: no charge",
        "member": "IAM: no charge",
        "api": "enabling a Google API on a project: no charge",
    }
    assert not result.unsupported and not result.lines


def test_a_pool_without_a_location_takes_its_clusters_regional_or_zonal_location() -> None:
    regional = res(CLUSTER, "reg", location=REGION, removeDefaultNodePool=True)
    zonal = res(CLUSTER, "zon", location="us-central1-f", removeDefaultNodePool=True)
    on_regional = res(POOL, "p-reg", cluster="reg", nodeCount=2, nodeConfig={"machineType": "n2-standard-4"})
    on_zonal = res(POOL, "p-zon", cluster="zon", nodeCount=2, nodeConfig={"machineType": "n2-standard-4"})
    result = run(regional, zonal, on_regional, on_zonal)
    spread = line(result, "p-reg", "node-hours")
    assert spread.quantity == 3 * 2 * HOURS_PER_MONTH
    assert (
        "GKE node counts are per zone: × 3 zones (regional location us-central1 without nodeLocations: "
        "GKE's default of 3 zones)"
    ) in spread.assumptions
    one_zone = line(result, "p-zon", "node-hours")
    assert one_zone.quantity == 2 * HOURS_PER_MONTH
    assert "GKE node counts are per zone: × 1 zone (zonal location us-central1-f)" in one_zone.assumptions
