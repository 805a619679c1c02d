"""The GCP estimate rules on small hand-built graphs: GKE node pools and clusters, TPU VMs, file systems,
buckets, Cloud NAT, addresses and KMS keys. Prices are read from the shipped catalog, never hard-coded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.catalog.load import DATA_DIR, load_dir
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import Estimate, estimate
from aiinfra.estimate.model import HOURS_PER_MONTH, Line
from aiinfra.estimate.rules.gcp import tpu_hosts
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile

CATALOG = default_catalog()
STACK = "urn:pulumi:test::aiinfra"


def res(type_: str, name: str, inputs: dict[str, Any], parent: str | None = None) -> PlannedResource:
    return PlannedResource(
        type=type_,
        name=name,
        urn=f"{STACK}::{type_}::{name}",
        parent=parent,
        inputs=inputs,
        custom=True,
        provider=None,
    )


def run(
    *resources: PlannedResource, profile: str = "training-steady", usage: UsageFile | None = None
) -> Estimate:
    graph = ResourceGraph(
        stack="test", project="aiinfra", resources=list(resources), config={"gcp:region": "us-central1"}
    )
    return estimate(graph, CATALOG, profile=PROFILES[profile], usage=usage)


def line(result: Estimate, name: str, unit: str) -> Line:
    found = [ln for ln in result.lines if ln.resource == name and ln.unit == unit]
    assert len(found) == 1, (
        f"expected one {unit} line for {name}, got {[(ln.resource, ln.unit) for ln in result.lines]}"
    )
    return found[0]


def chip_price(accelerator: str, region: str) -> Decimal:
    rows = [
        p
        for p in load_dir(DATA_DIR).get("accelerator_prices")
        if (p.accelerator, p.region) == (accelerator, region)
    ]
    assert rows and rows[0].on_demand is not None, f"the catalog prices {accelerator} in {region}"
    return rows[0].on_demand


def test_a_gke_pool_of_two_a3_highgpu_in_one_zone_costs_two_nodes_all_month_at_the_catalog_price() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        "h100",
        {
            "cluster": "train-id",
            "location": "us-east4",
            "nodeLocations": ["us-east4-a"],
            "nodeCount": 2,
            "nodeConfig": {"machineType": "a3-highgpu-8g", "diskSizeGb": 200, "diskType": "pd-ssd"},
        },
    )
    result = run(pool)
    nodes = line(result, "h100", "node-hours")
    offer = CATALOG.offer("a3-highgpu-8g", "us-east4")
    assert offer is not None and offer.on_demand is not None, "the catalog prices a3-highgpu-8g in us-east4"
    assert nodes.quantity == 2 * HOURS_PER_MONTH, "two nodes (one zone × nodeCount 2) run all 730 hours"
    assert nodes.monthly_cost_usd == 2 * HOURS_PER_MONTH * offer.on_demand, (
        "cost = node-hours × on-demand price"
    )
    assert nodes.region == "us-east4" and nodes.purchase_option == "on_demand"
    pue = CATALOG.pue("gcp", "us-east4")
    grid = CATALOG.grid("gcp", "us-east4")
    assert pue is not None and grid is not None, "the catalog has PUE and grid figures for us-east4"
    assert nodes.monthly_energy_kwh and nodes.monthly_energy_kwh > 0, "eight H100s draw energy"
    assert f"PUE {pue.pue}" in nodes.energy_detail and str(grid.location_g_per_kwh) in nodes.energy_detail
    assert nodes.monthly_co2e_kg == nodes.monthly_energy_kwh * grid.location_g_per_kwh / 1000
    disks = line(result, "h100", "GiB-months")
    ssd = CATALOG.storage_price("gcp", "persistent-disk", "pd-ssd", "us-east4")
    assert ssd is not None and ssd.usd_per_gib_month is not None
    assert disks.monthly_cost_usd == 2 * 200 * ssd.usd_per_gib_month, "two 200 GiB pd-ssd boot disks"


def test_per_zone_node_counts_multiply_by_the_node_locations_as_gke_does() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        "sys",
        {
            "location": "us-central1",
            "nodeLocations": ["us-central1-a", "us-central1-b", "us-central1-c"],
            "autoscaling": {"minNodeCount": 1, "maxNodeCount": 2},
            "nodeConfig": {"machineType": "e2-standard-4"},
        },
    )
    result = run(pool, profile="inference-diurnal")
    nodes = line(result, "sys", "node-hours")
    offer = CATALOG.offer("e2-standard-4", "us-central1")
    assert offer is not None and offer.on_demand is not None, (
        "the system-pool machine is priced in us-central1"
    )
    # inference-diurnal: half the month at max (2 × 3 zones), half at min (1 × 3 zones)
    assert nodes.quantity == 6 * HOURS_PER_MONTH / 2 + 3 * HOURS_PER_MONTH / 2, "per-zone counts × 3 zones"
    assert nodes.monthly_cost_usd == nodes.quantity * offer.on_demand
    assert any("per zone" in a for a in nodes.assumptions), (
        "the zone multiplication is stated as an assumption"
    )


def test_a_regional_pool_without_node_locations_assumes_gkes_three_zones() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        "sys",
        {"location": "us-central1", "nodeCount": 1, "nodeConfig": {"machineType": "n2-standard-4"}},
    )
    nodes = line(run(pool), "sys", "node-hours")
    assert nodes.quantity == 3 * HOURS_PER_MONTH, "one node per zone in each of GKE's default three zones"
    assert any("3 zones" in a for a in nodes.assumptions), "the default is named, not silent"


def test_a_tpu_v5e_pool_is_priced_per_chip_hour() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        "v5e",
        {"location": "us-central1-a", "nodeCount": 2, "nodeConfig": {"machineType": "ct5lp-hightpu-4t"}},
    )
    nodes = line(run(pool), "v5e", "node-hours")
    per_chip = chip_price("TPU-v5e", "us-central1")
    assert nodes.unit_price_usd == 4 * per_chip, "a ct5lp-hightpu-4t host costs 4 chips × the chip-hour price"
    assert nodes.monthly_cost_usd == 2 * HOURS_PER_MONTH * 4 * per_chip


def test_a_spot_pool_uses_the_spot_price_or_is_unpriced_with_the_catalogs_reason() -> None:
    priced = res(
        "gcp:container/nodePool:NodePool",
        "v6e",
        {
            "location": "us-east1-d",
            "nodeCount": 1,
            "nodeConfig": {"machineType": "ct6e-standard-8t", "spot": True},
        },
    )
    unpriced = res(
        "gcp:container/nodePool:NodePool",
        "a100",
        {
            "location": "us-east4-c",
            "nodeCount": 1,
            "nodeConfig": {"machineType": "a2-ultragpu-8g", "preemptible": True},
        },
    )
    result = run(priced, unpriced)
    spot = line(result, "v6e", "node-hours")
    offer = CATALOG.offer("ct6e-standard-8t", "us-east1")
    assert offer is not None and offer.spot is not None, "v6e has a spot chip-hour price in us-east1"
    assert spot.purchase_option == "spot" and spot.unit_price_usd == offer.spot
    missing = line(result, "a100", "node-hours")
    host = CATALOG.offer("a2-ultragpu-8g", "us-east4")
    assert host is not None and host.on_demand is not None and host.spot is None, (
        "A100 80GB has no spot SKU read"
    )
    assert missing.monthly_cost_usd is None, "no spot price for a2-ultragpu-8g: unpriced, never $0"
    assert missing.reason == CATALOG.unpriced_reason("a2-ultragpu-8g", "us-east4", "spot")
    assert any(s.resource == "a100" for s in result.unpriced), "the unpriced line is listed with its reason"


def test_a_specific_reservation_is_paid_for_every_hour_whatever_the_profile() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        "res",
        {
            "location": "us-east4-a",
            "autoscaling": {"totalMinNodeCount": 0, "totalMaxNodeCount": 4},
            "initialNodeCount": 2,
            "nodeConfig": {
                "machineType": "a3-highgpu-8g",
                "reservationAffinity": {
                    "consumeReservationType": "SPECIFIC_RESERVATION",
                    "key": "k",
                    "values": ["r"],
                },
            },
        },
    )
    nodes = line(run(pool, profile="batch-weekday"), "res", "node-hours")
    assert nodes.purchase_option == "reservation"
    assert nodes.quantity == 2 * HOURS_PER_MONTH, (
        "the reserved (initial) nodes are billed all month, not the profile's"
    )


def test_the_tpu_accelerator_type_maps_to_hosts_and_chips() -> None:
    assert tpu_hosts("v5litepod-8") == ("ct5lp-hightpu-8t", 1, 8), "v5e names count chips; 8 fit one host"
    assert tpu_hosts("v6e-16") == ("ct6e-standard-4t", 4, 16), "multi-host v6e slices are hosts of 4 chips"
    assert tpu_hosts("v5p-8") == ("ct5p-hightpu-4t", 1, 4), "v5p names count TensorCores: v5p-8 is 4 chips"
    assert isinstance(tpu_hosts("v3-8"), str), "an unmapped family gives a reason, not a guess"


def test_a_tpu_vm_is_priced_by_its_chips_and_an_unmapped_one_is_unpriced_with_a_reason() -> None:
    good = res("gcp:tpu/v2Vm:V2Vm", "tpu", {"zone": "us-central1-a", "acceleratorType": "v5litepod-16"})
    bad = res("gcp:tpu/v2Vm:V2Vm", "old", {"zone": "us-central1-b", "acceleratorType": "v3-8"})
    result = run(good, bad)
    hosts = line(result, "tpu", "TPU host-hours")
    assert hosts.monthly_cost_usd == 16 * chip_price("TPU-v5e", "us-central1") * HOURS_PER_MONTH, (
        "16 chips all month"
    )
    old = line(result, "old", "node-hours")
    assert old.monthly_cost_usd is None and "v3-8" in old.reason, (
        "an unmapped TPU is unpriced, saying which type"
    )


def test_the_cluster_fee_is_charged_and_the_default_node_pool_only_when_it_is_kept() -> None:
    kept = res("gcp:container/cluster:Cluster", "a", {"location": "us-central1-a", "initialNodeCount": 1})
    removed = res(
        "gcp:container/cluster:Cluster",
        "b",
        {"location": "us-central1", "initialNodeCount": 1, "removeDefaultNodePool": True},
    )
    result = run(kept, removed)
    fee = CATALOG.service_price("gcp", "gke", "cluster-hour", "us-central1")
    assert fee is not None and fee.usd is not None
    for name in ("a", "b"):
        assert line(result, name, "cluster-hours").monthly_cost_usd == HOURS_PER_MONTH * fee.usd
    assert any("free tier" in a for a in line(result, "a", "cluster-hours").assumptions), (
        "credit named, not subtracted"
    )
    default = line(result, "a", "node-hours")
    assert default.quantity == HOURS_PER_MONTH and "e2-medium" in default.description, (
        "GKE's default pool and machine"
    )
    assert not [ln for ln in result.lines if ln.resource == "b" and ln.unit == "node-hours"], (
        "removed default pool"
    )


def test_parallelstore_is_priced_by_capacity_and_managed_lustre_is_unpriced_with_a_reason() -> None:
    ps = res(
        "gcp:parallelstore/instance:Instance", "ps", {"location": "us-central1-a", "capacityGib": "12000"}
    )
    lustre = res(
        "gcp:lustre/instance:Instance",
        "lustre",
        {"location": "us-central1-a", "capacityGib": "36000", "perUnitStorageThroughput": "500"},
    )
    result = run(ps, lustre)
    price = CATALOG.storage_price("gcp", "parallelstore", "SCRATCH", "us-central1")
    assert price is not None and price.usd_per_gib_month is not None
    assert line(result, "ps", "GiB-months").monthly_cost_usd == 12000 * price.usd_per_gib_month
    lus = line(result, "lustre", "GiB-months")
    assert lus.monthly_cost_usd is None and "price not published" in lus.reason, (
        "never $0 for an unknown price"
    )


def test_filestore_basic_hdd_is_priced_by_its_file_share() -> None:
    fs = res(
        "gcp:filestore/instance:Instance",
        "nfs",
        {
            "location": "us-central1-a",
            "tier": "BASIC_HDD",
            "fileShares": {"name": "share", "capacityGb": 2048},
        },
    )
    price = CATALOG.storage_price("gcp", "filestore", "BASIC_HDD", "us-central1")
    assert price is not None and price.usd_per_gib_month is not None
    assert line(run(fs), "nfs", "GiB-months").monthly_cost_usd == 2048 * price.usd_per_gib_month


def test_a_bucket_is_unpriced_without_usage_and_priced_with_a_usage_file_entry() -> None:
    bucket = res("gcp:storage/bucket:Bucket", "data", {"location": "US-CENTRAL1"})
    without = line(run(bucket), "data", "GiB-months")
    assert without.monthly_cost_usd is None and "storageGiB" in without.reason, "the fix is named"
    usage = UsageFile(resources={"data": ResourceUsage(storage_gib=1000)})
    priced = line(run(bucket, usage=usage), "data", "GiB-months")
    price = CATALOG.storage_price("gcp", "gcs", "STANDARD", "us-central1")
    assert price is not None and price.usd_per_gib_month is not None
    assert priced.monthly_cost_usd == 1000 * price.usd_per_gib_month


def test_cloud_nat_bills_per_vm_up_to_32_and_traffic_from_the_usage_file() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        "sys",
        {"location": "us-central1-a", "nodeCount": 3, "nodeConfig": {"machineType": "e2-standard-4"}},
    )
    nat = res("gcp:compute/routerNat:RouterNat", "nat", {"region": "us-central1", "router": "r"})
    usage = UsageFile(resources={"nat": ResourceUsage(data_processed_gb=100)})
    result = run(pool, nat, usage=usage)
    per_vm = CATALOG.service_price("gcp", "cloud-nat", "vm-hour", "us-central1")
    per_gb = CATALOG.service_price("gcp", "cloud-nat", "gb-processed", "us-central1")
    assert per_vm is not None and per_vm.usd is not None and per_gb is not None and per_gb.usd is not None
    assert line(result, "nat", "VM-hours").monthly_cost_usd == 3 * HOURS_PER_MONTH * per_vm.usd, (
        "3 VMs use it"
    )
    assert line(result, "nat", "GB processed").monthly_cost_usd == 100 * per_gb.usd


def test_an_external_address_costs_by_the_hour_and_an_internal_one_is_free() -> None:
    ext = res("gcp:compute/address:Address", "ip", {"region": "us-central1"})
    internal = res("gcp:compute/address:Address", "lan", {"region": "us-central1", "addressType": "INTERNAL"})
    result = run(ext, internal)
    price = CATALOG.service_price("gcp", "external-ipv4", "ip-hour", "us-central1")
    assert price is not None and price.usd is not None
    assert line(result, "ip", "IP-hours").monthly_cost_usd == HOURS_PER_MONTH * price.usd
    assert "lan" in {s.resource for s in result.free}, "an internal address costs nothing"


def test_an_hsm_kms_key_costs_more_than_a_software_key() -> None:
    soft = res("gcp:kms/cryptoKey:CryptoKey", "soft", {"keyRing": "ring"})
    hsm = res(
        "gcp:kms/cryptoKey:CryptoKey",
        "hsm",
        {
            "keyRing": "ring",
            "versionTemplate": {"protectionLevel": "HSM", "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION"},
        },
    )
    result = run(soft, hsm)
    s, h = line(result, "soft", "key-version-months"), line(result, "hsm", "key-version-months")
    assert s.monthly_cost_usd is not None and h.monthly_cost_usd is not None
    assert h.monthly_cost_usd > s.monthly_cost_usd, "HSM key versions are priced above software ones"


def test_free_types_are_listed_as_free_and_an_unknown_type_as_unsupported() -> None:
    result = run(
        res("gcp:compute/network:Network", "vpc", {}),
        res(
            "gcp:compute/resourcePolicy:ResourcePolicy",
            "compact",
            {"groupPlacementPolicy": {"collocation": "COLLOCATED"}},
        ),
        res("gcp:serviceaccount/account:Account", "sa", {"accountId": "nodes"}),
        res("gcp:kms/keyRing:KeyRing", "ring", {"location": "us-central1"}),
        res("gcp:bigtable/instance:Instance", "bt", {}),
    )
    free = {s.resource: s.reason for s in result.free}
    assert {"vpc", "compact", "sa", "ring"} <= set(free), f"free types are listed: {free}"
    assert all(reason for reason in free.values()), "each free resource says why"
    assert [s.resource for s in result.unsupported] == ["bt"], "a type no rule knows is unsupported, not $0"
    assert result.monthly_cost_usd == 0 and not result.lines
