"""Estimates of AWS resources: the hand-checked example stack, purchase options, usage profiles and usage
files, and the honest gaps (unpriced, unsupported, free). Graphs come from the offline plan or by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.components.stack import run_program
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.engine.plan import plan_program
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Estimate, Line
from aiinfra.estimate.usage import (
    PROFILES,
    ResourceUsage,
    UsageFile,
    UsageFileError,
    check_names,
    read_usage_file,
)
from aiinfra.spec.loader import read_stack_config, stack_file

D = Decimal
CATALOG = default_catalog()


def plan(stack: str) -> ResourceGraph:
    return plan_program(run_program, stack=stack, config=read_stack_config(stack_file(stack)))


EXAMPLE = plan("example")
RESERVED = plan("reserved")


def line(result: Estimate, resource: str, unit: str | None = None) -> Line:
    found = [ln for ln in result.lines if ln.resource == resource and (unit is None or ln.unit == unit)]
    assert len(found) == 1, f"expected one line for {resource} {unit or ''}, got {[ln.unit for ln in found]}"
    return found[0]


def node_group(
    name: str, instance_type: str, *, lo: int, desired: int, hi: int, **inputs: Any
) -> PlannedResource:
    return PlannedResource(
        type="aws:eks/nodeGroup:NodeGroup",
        name=name,
        urn=f"urn:pulumi:t::p::aws:eks/nodeGroup:NodeGroup::{name}",
        parent=None,
        inputs={
            "instanceTypes": [instance_type],
            "scalingConfig": {"minSize": lo, "desiredSize": desired, "maxSize": hi},
            **inputs,
        },
        custom=True,
    )


def graph(*resources: PlannedResource, region: str = "us-east-1") -> ResourceGraph:
    return ResourceGraph(stack="t", project="p", resources=list(resources), config={"aws:region": region})


# -- the hand-checked case ------------------------------------------------------------------------------------


def test_four_p5_48xlarge_on_demand_for_730_hours_cost_4_x_55_04_x_730() -> None:
    result = estimate(EXAMPLE, CATALOG, profile=PROFILES["training-steady"])
    gpu = line(result, "train-h100-nodes")
    assert gpu.quantity == 4 * 730 and gpu.unit == "node-hours"
    assert gpu.unit_price_usd == D("55.04")
    assert gpu.monthly_cost_usd == 4 * D("55.04") * 730 == D("160716.80")
    assert gpu.purchase_option == "on_demand" and gpu.region == "us-east-1"


def test_the_p5_energy_is_the_power_model_written_out() -> None:
    """training-steady: 90 % busy all month. One p5.48xlarge (8 × H100, 192 vCPU, 2,048 GiB), no measured
    curve, so: GPUs 8 × (80 W idle + (700 − 80) × 0.9) + CPUs 192 × (0.74 + (3.5 − 0.74) × 0.9) W + memory
    2,048 GiB × 0.392 W; × 4 nodes × 730 h; × AWS PUE 1.14; carbon × 379.069 g/kWh (eGRID SERC)."""
    gpus = 8 * (80 + (700 - 80) * D("0.9"))
    cpus = 192 * (D("0.74") + (D("3.5") - D("0.74")) * D("0.9"))
    memory = 2048 * D("0.392")
    watts = gpus + cpus + memory
    assert watts == D("6525.824"), "5,104 W of GPUs + 619.008 W of CPUs + 802.816 W of memory"
    kwh = watts * 4 * 730 / 1000 * D("1.14")
    gpu = line(estimate(EXAMPLE, CATALOG), "train-h100-nodes")
    assert gpu.monthly_energy_kwh == kwh
    assert gpu.monthly_co2e_kg == kwh * D("379.069") / 1000
    assert "4 × 6,526 W at 90 % × 730.0 h" in gpu.energy_detail and "PUE 1.14" in gpu.energy_detail
    assert (CATALOG.pue("aws", "us-east-1").pue, CATALOG.grid("aws", "us-east-1").location_g_per_kwh) == (  # type: ignore[union-attr]
        D("1.14"),
        D("379.069"),
    ), "the catalog figures the arithmetic above uses"


def test_every_billable_resource_of_the_example_stack_has_a_line_and_nothing_is_unsupported() -> None:
    result = estimate(EXAMPLE, CATALOG)
    billed = {ln.type for ln in result.lines}
    assert billed == {
        "aws:eks/nodeGroup:NodeGroup",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:eks/cluster:Cluster",
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/eip:Eip",
        "aws:kms/key:Key",
        "aws:fsx/lustreFileSystem:LustreFileSystem",
        "aws:s3/bucket:Bucket",
    }
    assert result.unsupported == [], f"every type our components create has a rule: {result.unsupported}"
    free_types = {s.type for s in result.free}
    assert {"aws:ec2/placementGroup:PlacementGroup", "aws:ec2/securityGroup:SecurityGroup"} <= free_types
    assert "aws:eks/nodeGroup:NodeGroup" not in free_types


def test_lustre_is_capacity_times_its_throughput_tier_price() -> None:
    fs = line(estimate(EXAMPLE, CATALOG), "train-scratch-fs")
    tier = CATALOG.storage_price("aws", "fsx-lustre", "PERSISTENT_2-250", "us-east-1")
    assert tier is not None and fs.unit_price_usd == tier.usd_per_gib_month
    assert fs.quantity == 4800 and fs.monthly_cost_usd == 4800 * tier.usd_per_gib_month  # type: ignore[operator]
    assert fs.monthly_energy_kwh is not None and fs.monthly_energy_kwh > 0, "stored bytes draw power too"


def test_node_root_volumes_are_charged_per_running_node() -> None:
    disks = line(estimate(EXAMPLE, CATALOG), "train-h100-lt")
    assert disks.quantity == 500 * 4, "500 GiB gp3 root volume on each of 4 nodes"
    assert disks.unit_price_usd == CATALOG.storage_price("aws", "ebs", "gp3", "us-east-1").usd_per_gib_month  # type: ignore[union-attr]


def test_without_a_usage_file_the_bucket_and_nat_traffic_are_unpriced_with_the_fix() -> None:
    result = estimate(EXAMPLE, CATALOG, usage_path="stacks/usage.example.yaml")
    bucket = line(result, "train-datasets-bucket")
    assert bucket.monthly_cost_usd is None and "set storageGiB for train-datasets-bucket" in bucket.reason
    traffic = line(result, "train-net-nat-0", "GB processed")
    assert traffic.monthly_cost_usd is None and "dataProcessedGB" in traffic.reason
    assert {(s.resource, s.type) for s in result.unpriced} == {
        ("train-datasets-bucket", "aws:s3/bucket:Bucket"),
        ("train-net-nat-0", "aws:ec2/natGateway:NatGateway"),
    }


def test_the_usage_file_prices_stored_bytes_and_traffic() -> None:
    usage = UsageFile(
        resources={
            "train-datasets-bucket": ResourceUsage(storage_gib=51200),
            "train-net-nat-0": ResourceUsage(data_processed_gb=2000),
        }
    )
    result = estimate(EXAMPLE, CATALOG, usage=usage)
    bucket = line(result, "train-datasets-bucket")
    assert bucket.monthly_cost_usd == 51200 * D("0.023")
    assert line(result, "train-net-nat-0", "GB processed").monthly_cost_usd == 2000 * D("0.045")
    assert result.unpriced == []


def test_a_usage_entry_on_a_pool_component_applies_to_its_node_group() -> None:
    usage = UsageFile(resources={"train-h100": ResourceUsage(nodes=2, hours_per_month=365, utilization=0.5)})
    result = estimate(EXAMPLE, CATALOG, usage=usage)
    gpu = line(result, "train-h100-nodes")
    assert gpu.quantity == 2 * 365, "2 nodes billed 365 h, off the rest of the month"
    assert "2 × " in gpu.energy_detail and "at 50 % × 365.0 h" in gpu.energy_detail
    assert line(result, "train-system").quantity == 2 * 730, "the entry applies under train-h100 only"


# -- purchase options --------------------------------------------------------------------------------------------


def test_a_capacity_block_is_paid_for_every_hour_at_its_rate_and_has_no_on_demand_scenario() -> None:
    result = estimate(RESERVED, CATALOG, profile=PROFILES["batch-weekday"])
    h200 = line(result, "research-h200-nodes")
    rate = CATALOG.offer("p5e.48xlarge", "us-east-2").capacity_block  # type: ignore[union-attr]
    assert h200.purchase_option == "capacity_block" and h200.unit_price_usd == rate
    assert h200.quantity == 2 * 730, "the block is paid whatever the weekday profile runs"
    assert h200.monthly_cost_usd == 2 * 730 * rate  # type: ignore[operator]
    assert h200.scenarios["on_demand"] is None, (
        "p5e has no on-demand price: that scenario is unpriced, not $0"
    )
    # drawn power follows the profile: 2 nodes × (216.7 h at 80 % + 513.3 h at 5 %)
    assert "2 × " in h200.energy_detail and "at 80 % × 216.7 h" in h200.energy_detail


def test_spot_node_groups_use_the_spot_price() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1, capacityType="SPOT"))
    gpu = line(estimate(g, CATALOG), "g", "node-hours")
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert gpu.purchase_option == "spot" and gpu.unit_price_usd == offer.spot  # type: ignore[union-attr]
    assert gpu.scenarios["on_demand"] == 730 * offer.on_demand, "the same energy at the on-demand price"  # type: ignore[operator,union-attr]


def test_a_capacity_reservation_is_billed_at_on_demand_for_every_reserved_hour() -> None:
    template = PlannedResource(
        type="aws:ec2/launchTemplate:LaunchTemplate",
        name="lt",
        urn="urn:pulumi:t::p::aws:ec2/launchTemplate:LaunchTemplate::lt",
        parent=None,
        inputs={
            "capacityReservationSpecification": {
                "capacityReservationTarget": {"capacityReservationId": "cr-1"}
            }
        },
        custom=True,
    )
    group = node_group(
        "g", "p5.48xlarge", lo=0, desired=2, hi=2, launchTemplate={"id": "lt-id", "version": "1"}
    )
    result = estimate(graph(template, group), CATALOG, profile=PROFILES["inference-diurnal"])
    gpu = line(result, "g", "node-hours")
    assert gpu.purchase_option == "reservation" and gpu.quantity == 2 * 730
    assert gpu.unit_price_usd == D("55.04")
    root = line(result, "g", "GiB-months")
    assert root.monthly_cost_usd is None, "a template without blockDeviceMappings leaves the root to the AMI"


# -- usage profiles -------------------------------------------------------------------------------------------


def test_batch_weekday_runs_an_autoscaled_pool_at_max_in_working_hours_and_min_otherwise() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=0, desired=1, hi=4))
    gpu = line(estimate(g, CATALOG, profile=PROFILES["batch-weekday"]), "g", "node-hours")
    weekday = D(10) * 5 * 52 / 12
    assert gpu.quantity == 4 * weekday + 0 * (730 - weekday)
    assert gpu.monthly_cost_usd == gpu.quantity * D("55.04")


def test_idle_reserved_pays_the_same_as_steady_training_but_draws_far_less() -> None:
    steady = line(estimate(EXAMPLE, CATALOG, profile=PROFILES["training-steady"]), "train-h100-nodes")
    idle = line(estimate(EXAMPLE, CATALOG, profile=PROFILES["idle-reserved"]), "train-h100-nodes")
    assert idle.monthly_cost_usd == steady.monthly_cost_usd, "billed hours do not depend on utilisation"
    assert idle.monthly_energy_kwh < steady.monthly_energy_kwh / 2  # type: ignore[operator]


# -- honest gaps ---------------------------------------------------------------------------------------------


def test_an_instance_type_the_catalog_lacks_is_unpriced_never_zero() -> None:
    result = estimate(graph(node_group("g", "x9.huge", lo=1, desired=1, hi=1)), CATALOG)
    g = line(result, "g", "node-hours")
    assert g.monthly_cost_usd is None and g.monthly_energy_kwh is None
    assert "x9.huge is not in the catalog: give its price with `--price x9.huge=USD_PER_HOUR`" in g.reason
    disk = line(result, "g", "GiB-months")
    assert result.monthly_cost_usd == disk.monthly_cost_usd, "the total holds only the priced root volumes"
    assert [s.resource for s in result.unpriced] == ["g"], "the machines are listed as unpriced"


def test_a_resource_with_no_known_region_is_unpriced() -> None:
    g = ResourceGraph(
        stack="t", project="p", resources=[node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1)]
    )
    assert "region of g is unknown" in line(estimate(g, CATALOG), "g", "node-hours").reason


def test_a_type_without_a_rule_is_reported_unsupported_and_a_component_is_skipped() -> None:
    broker = PlannedResource(  # Amazon MQ: billed per broker instance-hour, no rule yet
        "aws:mq/broker:Broker",
        "q",
        "urn:pulumi:t::p::aws:mq/broker:Broker::q",
        None,
        {},
        True,
    )
    component = PlannedResource("my:index:Thing", "c", "urn:pulumi:t::p::my:index:Thing::c", None, {}, False)
    result = estimate(graph(broker, component), CATALOG)
    assert [(s.resource, s.type) for s in result.unsupported] == [("q", "aws:mq/broker:Broker")]
    assert result.lines == [] and result.free == []


def test_the_region_comes_from_the_resources_provider() -> None:
    result = estimate(RESERVED, CATALOG)
    assert {ln.region for ln in result.lines} == {"us-east-2"}, (
        "the research cluster's provider is in us-east-2"
    )


def test_json_numbers_are_numbers_and_unknown_is_null() -> None:
    doc = estimate(EXAMPLE, CATALOG).to_json()
    assert doc["currency"] == "USD" and isinstance(doc["totals"]["monthly_cost_usd"], float | int)
    bucket = next(ln for ln in doc["lines"] if ln["resource"] == "train-datasets-bucket")
    assert bucket["monthly_cost_usd"] is None and bucket["unit_price_usd"] is None
    assert set(doc["lines"][0]) >= {
        "resource",
        "type",
        "description",
        "quantity",
        "unit",
        "unit_price_usd",
        "monthly_cost_usd",
        "monthly_energy_kwh",
        "monthly_co2e_kg",
        "source",
    }, "DESIGN.md's line contract"


# -- the usage file ------------------------------------------------------------------------------------------


def test_a_usage_file_with_an_unknown_key_names_the_field_and_the_valid_keys(tmp_path: Path) -> None:
    path = tmp_path / "usage.x.yaml"
    path.write_text("resources:\n  train-datasets-bucket:\n    storageGb: 10\n")
    with pytest.raises(UsageFileError) as caught:
        read_usage_file(path)
    assert "resources.train-datasets-bucket.storageGb" in str(caught.value)
    assert "storageGiB" in str(caught.value)


def test_a_usage_entry_for_a_name_not_in_the_plan_suggests_the_closest(tmp_path: Path) -> None:
    usage = UsageFile(resources={"train-datasets-bucke": ResourceUsage(storage_gib=1)})
    with pytest.raises(UsageFileError, match="Did you mean 'train-datasets-bucket'"):
        check_names(usage, {r.name for r in EXAMPLE.resources}, tmp_path / "usage.yaml")


def test_embodied_carbon_of_the_p5_pool_is_its_parts_amortised_over_four_years() -> None:
    """Cloud Carbon Footprint's server model: 1,000 kg base + 1 extra socket (100) + (2,048 − 16) GiB DRAM ×
    1.388 + 9 NVMe disks (30,720 GiB / 3,576 per 3.84 TB disk, rounded up) × 100 + 8 GPUs × 150, over 4 × 8,760 h,
    for the 2,920 node-hours the pool is held. Reported apart from the operational carbon."""
    total_kg = 1000 + 100 + (2048 - 16) * D("1.388") + 9 * 100 + 8 * 150
    assert total_kg == D("6020.416")
    gpu = line(estimate(EXAMPLE, CATALOG), "train-h100-nodes")
    assert gpu.monthly_embodied_co2e_kg == total_kg / (4 * 8760) * 2920
    assert "p5.48xlarge: 1000 kg base" in gpu.embodied_detail
    result = estimate(EXAMPLE, CATALOG)
    assert result.monthly_embodied_co2e_kg > gpu.monthly_embodied_co2e_kg, "the system pool adds its share"  # type: ignore[operator]
    assert result.monthly_co2e_kg == sum(ln.monthly_co2e_kg or 0 for ln in result.lines), "not mixed in"


def test_a_slice_of_a_host_carries_its_vcpu_share_of_the_hosts_embodied_carbon() -> None:
    from aiinfra.catalog.embodied import embodied, family

    assert (family("g5.xlarge"), family("a2-highgpu-8g"), family("Standard_NC24ads_A100_v4")) == (
        "g5",
        "a2-highgpu",
        "NCads_A100_v4",
    )
    small = embodied(CATALOG, CATALOG.instance_type("g5.xlarge"))
    big = embodied(CATALOG, CATALOG.instance_type("g5.48xlarge"))
    assert small is not None and big is not None and small.host == big.host == "g5.48xlarge"
    assert abs(small.kg_per_hour - big.kg_per_hour * 4 / 192) < D("1e-20"), "4 of the host's 192 vCPUs"
