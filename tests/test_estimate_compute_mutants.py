"""Machine charges (estimate/compute.py) seen through `estimate`: what a user reads on a node-group line when
the pool autoscales, when a usage entry sets only some of its fields, when the machine is reserved, and when
the region or the machine is unknown. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from aiinfra.catalog import Catalog, default_catalog
from aiinfra.catalog.load import DATA_DIR, CatalogData, load_dir
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.model import Line
from aiinfra.estimate.usage import PROFILES, ResourceUsage, UsageFile

D = Decimal
CATALOG = default_catalog()
WEEKDAY = D(10) * 5 * 52 / 12  # batch-weekday: hours a month at max nodes


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


def graph(*resources: PlannedResource, region: str | None = "us-east-1") -> ResourceGraph:
    config = {"aws:region": region} if region else {}
    return ResourceGraph(stack="t", project="p", resources=list(resources), config=config)


def with_commitments(one_year: str, three_year: str) -> Catalog:
    """The shipped catalog with 1- and 3-year commitment prices on p5.48xlarge in us-east-1 (the shipped
    AWS data publishes none)."""
    data = load_dir(DATA_DIR)
    offers = [
        dataclasses.replace(o, commit_1y=D(one_year), commit_3y=D(three_year))
        if (o.instance_type, o.region) == ("p5.48xlarge", "us-east-1")
        else o
        for o in data.get("offers")
    ]
    return Catalog.from_data(CatalogData(data.versions, {**data.sections, "offers": offers}))


def only_line(result: Any, resource: str) -> Line:
    """The machine line of `resource` (a node group without a launch template also has a root-volume line)."""
    found = [ln for ln in result.lines if ln.resource == resource and "root volume" not in ln.description]
    assert len(found) == 1, f"one machine line for {resource}, got {[ln.description for ln in found]}"
    return found[0]


def test_reserved_scenarios_of_an_autoscaled_pool_pay_desired_nodes_all_month_not_the_running_hours() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=0, desired=2, hi=4))
    gpu = only_line(estimate(g, CATALOG, profile=PROFILES["batch-weekday"]), "g")
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and offer.capacity_block is not None and offer.spot is not None
    running = 4 * WEEKDAY + 0 * (730 - WEEKDAY)
    assert gpu.quantity == running, "on demand, the pool is billed for the hours it runs"
    assert gpu.scenarios["on_demand"] == offer.on_demand * running
    assert gpu.scenarios["spot"] == offer.spot * running
    assert gpu.scenarios["capacity_block"] == offer.capacity_block * 2 * 730, (
        "a block is paid for 2 nodes × 730 h"
    )
    assert gpu.scenarios["commit_1y"] is None, "no published commitment price: unpriced, not $0"


def test_commitment_scenarios_pay_the_desired_nodes_for_every_hour_of_the_month() -> None:
    catalog = with_commitments("30", "20")
    g = graph(node_group("g", "p5.48xlarge", lo=0, desired=2, hi=4))
    gpu = only_line(estimate(g, catalog, profile=PROFILES["batch-weekday"]), "g")
    assert gpu.scenarios["commit_1y"] == 30 * 2 * 730, "a 1-year commitment is paid for 2 nodes × 730 h"
    assert gpu.scenarios["commit_3y"] == 20 * 2 * 730, "a 3-year commitment is paid for 2 nodes × 730 h"
    assert gpu.scenarios["on_demand"] == D("55.04") * 4 * WEEKDAY, "on demand pays the hours the pool runs"


def test_a_usage_entry_with_only_hours_per_month_bills_those_hours_at_the_profile_utilisation() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=2, desired=2, hi=2))
    usage = UsageFile(resources={"g": ResourceUsage(hours_per_month=100)})
    gpu = only_line(estimate(g, CATALOG, usage=usage, usage_path="stacks/usage.t.yaml"), "g")
    assert gpu.quantity == 2 * 100, "2 nodes for the 100 h the usage file gives, not 730"
    assert gpu.monthly_cost_usd == 2 * 100 * D("55.04")
    assert "at 90 % × 100.0 h" in gpu.energy_detail, "utilisation stays the profile's (training-steady, 90 %)"
    assert any(
        a.startswith("usage file (stacks/usage.t.yaml): custom: 100.0 h a month at 90 %")
        for a in gpu.assumptions
    ), f"the line says the usage file set the hours: {gpu.assumptions}"


def test_a_usage_entry_with_only_utilisation_keeps_the_whole_month_and_changes_the_drawn_power() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=2, desired=2, hi=2))
    usage = UsageFile(resources={"g": ResourceUsage(utilization=0.3)})
    busy = only_line(estimate(g, CATALOG, usage=usage), "g")
    steady = only_line(estimate(g, CATALOG), "g")
    assert busy.quantity == 2 * 730, "hours default to the whole month"
    assert "at 30 % × 730.0 h" in busy.energy_detail, busy.energy_detail
    assert busy.monthly_energy_kwh < steady.monthly_energy_kwh, "30 % busy draws less than 90 %"  # type: ignore[operator]
    assert any("30 % busy" in a for a in busy.assumptions), busy.assumptions


def test_a_usage_entry_with_a_node_count_says_so_and_bills_that_many_nodes() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=1, desired=2, hi=4))
    usage = UsageFile(resources={"g": ResourceUsage(nodes=3)})
    gpu = only_line(estimate(g, CATALOG, usage=usage, usage_path="u.yaml"), "g")
    assert gpu.quantity == 3 * 730
    assert "usage file (u.yaml): 3 nodes" in gpu.assumptions
    assert gpu.description.startswith("3 × p5.48xlarge"), gpu.description


def test_a_capacity_reservation_states_both_of_its_assumptions() -> None:
    template = PlannedResource(
        type="aws:ec2/launchTemplate:LaunchTemplate",
        name="lt",
        urn="urn:pulumi:t::p::aws:ec2/launchTemplate:LaunchTemplate::lt",
        parent=None,
        inputs={
            "capacityReservationSpecification": {"capacityReservationTarget": {"capacityReservationId": "cr"}}
        },
        custom=True,
    )
    group = node_group(
        "g", "p5.48xlarge", lo=0, desired=2, hi=3, launchTemplate={"id": "lt-id", "version": "1"}
    )
    gpu = only_line(estimate(graph(template, group), CATALOG, profile=PROFILES["batch-weekday"]), "g")
    assert "a capacity reservation is billed at the on-demand rate" in gpu.assumptions, gpu.assumptions
    assert "capacity reservation: 2 nodes paid for all 730 h whatever runs" in gpu.assumptions, (
        gpu.assumptions
    )
    assert gpu.monthly_cost_usd == 2 * 730 * D("55.04")


def test_an_on_demand_pool_states_neither_reservation_assumption() -> None:
    gpu = only_line(estimate(graph(node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1)), CATALOG), "g")
    assert not any("paid for all" in a or "capacity reservation" in a for a in gpu.assumptions), (
        gpu.assumptions
    )
    assert gpu.assumptions[0].startswith("usage profile training-steady: "), gpu.assumptions


def test_the_description_gives_the_size_range_the_machine_the_accelerators_the_option_and_the_region() -> (
    None
):
    ranged = only_line(estimate(graph(node_group("g", "p5.48xlarge", lo=1, desired=2, hi=4)), CATALOG), "g")
    assert ranged.description == "1–4 (desired 2) × p5.48xlarge (8× H100), on-demand, us-east-1"
    fixed = only_line(estimate(graph(node_group("g", "p4d.24xlarge", lo=2, desired=2, hi=2)), CATALOG), "g")
    assert fixed.description.startswith("2 × p4d.24xlarge (8× A100"), fixed.description


def test_an_unknown_region_leaves_the_pool_unpriced_and_says_how_to_set_it() -> None:
    gpu = only_line(
        estimate(graph(node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1), region=None), CATALOG), "g"
    )
    assert gpu.monthly_cost_usd is None and gpu.unit_price_usd is None
    assert "the region of g is unknown" in gpu.reason and "aws region" in gpu.reason, gpu.reason
    assert gpu.description.endswith("unknown region"), gpu.description
    assert gpu.scenarios == {}, "no offer without a region: no scenario either"


def test_an_unknown_machine_keeps_its_billed_hours_and_says_why_it_has_no_price_or_power() -> None:
    g = graph(node_group("g", "x9.huge", lo=1, desired=3, hi=5))
    gpu = only_line(estimate(g, CATALOG, profile=PROFILES["batch-weekday"]), "g")
    assert gpu.quantity == 5 * WEEKDAY + 1 * (730 - WEEKDAY) and gpu.unit == "node-hours"
    assert gpu.description == "1–5 (desired 3) × x9.huge nodes, us-east-1", gpu.description
    assert gpu.monthly_energy_kwh is None and gpu.purchase_option == "on_demand"


def test_the_energy_detail_lists_every_phase_with_its_nodes_and_the_power_method() -> None:
    g = graph(node_group("g", "p5.48xlarge", lo=1, desired=2, hi=3))
    gpu = only_line(estimate(g, CATALOG, profile=PROFILES["inference-diurnal"]), "g")
    phases = gpu.energy_detail.split(" (accelerators + host)")[0].split(" + ")
    assert len(phases) == 2 and "(accelerators + host)" in gpu.energy_detail, gpu.energy_detail
    assert phases[0].startswith("3 × ") and "at 60 % × 365.0 h" in phases[0], phases[0]
    assert phases[1].startswith("1 × ") and "at 25 % × 365.0 h" in phases[1], phases[1]
    single = only_line(estimate(graph(node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1)), CATALOG), "g")
    watts = D(single.energy_detail.split(" × ")[1].replace(" W at 90 %", "").replace(",", ""))
    assert watts == 6526, f"one p5.48xlarge at 90 % draws 6,526 W (rounded): {single.energy_detail}"


def test_embodied_carbon_is_charged_for_the_billed_hours() -> None:
    one = only_line(estimate(graph(node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1)), CATALOG), "g")
    two = only_line(estimate(graph(node_group("g", "p5.48xlarge", lo=2, desired=2, hi=2)), CATALOG), "g")
    assert one.monthly_embodied_co2e_kg is not None and one.monthly_embodied_co2e_kg > 0
    assert two.monthly_embodied_co2e_kg == 2 * one.monthly_embodied_co2e_kg, "twice the machines held"
    assert two.embodied_detail.endswith("× 1,460 h held"), two.embodied_detail


def test_a_purchase_option_the_catalog_does_not_price_says_which_and_when_the_catalog_was_read() -> None:
    offer = CATALOG.offer("t2.nano", "us-east-1")
    assert offer is not None and offer.spot is None and offer.on_demand is not None, (
        "fixture: no spot price (the snapshot lists none for t2.nano)"
    )
    g = graph(node_group("g", "t2.nano", lo=1, desired=1, hi=1, capacityType="SPOT"))
    gpu = only_line(estimate(g, CATALOG), "g")
    assert gpu.monthly_cost_usd is None and gpu.unit_price_usd is None and gpu.purchase_option == "spot"
    assert gpu.reason == (
        f"no spot price published for t2.nano in us-east-1 (catalog {offer.retrieved.isoformat()})"
    ), gpu.reason
    assert gpu.scenarios["on_demand"] == offer.on_demand * 730, "the other options are still shown"
    assert gpu.monthly_energy_kwh is not None, "the machine draws power whatever its price"


def test_a_priced_pool_line_names_the_price_source_and_the_power_source() -> None:
    gpu = only_line(estimate(graph(node_group("g", "p5.48xlarge", lo=1, desired=1, hi=1)), CATALOG), "g")
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and gpu.source.startswith(offer.source + " | power: "), gpu.source
    assert gpu.reason == ""


def test_an_unknown_machine_in_an_unknown_region_says_both() -> None:
    g = graph(node_group("g", "x9.huge", lo=1, desired=1, hi=1), region=None)
    gpu = only_line(estimate(g, CATALOG), "g")
    assert gpu.description == "1 × x9.huge nodes, unknown region", gpu.description
    assert gpu.energy_detail == "no power model for a machine type the catalog does not know"


def test_a_pools_energy_is_nodes_times_draw_times_hours_in_each_phase_at_the_regions_pue() -> None:
    from aiinfra.catalog.power import instance_power

    g = graph(node_group("g", "p5.48xlarge", lo=1, desired=2, hi=3))
    gpu = only_line(estimate(g, CATALOG, profile=PROFILES["inference-diurnal"]), "g")
    t = CATALOG.instance_type("p5.48xlarge")
    pue = CATALOG.pue("aws", "us-east-1")
    assert pue is not None
    busy = instance_power(CATALOG, t, D("0.6")).power_w  # 3 nodes (max) for 365 h at 60 %
    quiet = instance_power(CATALOG, t, D("0.25")).power_w  # 1 node (min) for 365 h at 25 %
    it_kwh = (3 * busy * 365 + 1 * quiet * 365) / 1000
    assert gpu.monthly_energy_kwh is not None
    assert abs(gpu.monthly_energy_kwh - it_kwh * pue.pue) < D("1e-9"), (
        gpu.monthly_energy_kwh,
        it_kwh * pue.pue,
    )


def test_a_machine_the_catalog_lacks_at_an_edge_location_keeps_its_unpriced_line() -> None:
    from aiinfra.catalog.edge import EDGE_LOCATION_TAG

    ng = node_group("lax", "x9.huge", lo=2, desired=2, hi=2, tags={EDGE_LOCATION_TAG: "us-west-2-lax-1a"})
    gpu = only_line(estimate(graph(ng, region="us-west-2"), CATALOG), "lax")
    assert gpu.description == "2 × x9.huge nodes, us-west-2", "no machine to re-price at the location"
    assert gpu.reason == "x9.huge is not in the catalog: give its price with `--price x9.huge=USD_PER_HOUR`"
    assert gpu.monthly_cost_usd is None and gpu.quantity == 2 * 730


def test_a_pool_at_an_edge_location_the_catalog_lacks_is_unpriced_with_the_fix_and_unknown_carbon() -> None:
    from aiinfra.catalog.edge import EDGE_LOCATION_TAG

    ng = node_group("far", "g4dn.xlarge", lo=1, desired=1, hi=1, tags={EDGE_LOCATION_TAG: "us-west-2-xyz-1a"})
    gpu = only_line(estimate(graph(ng, region="us-west-2"), CATALOG), "far")
    assert (
        gpu.reason == "edge location us-west-2-xyz-1a is not in the catalog (`infra catalog edge` lists them)"
    )
    assert gpu.unit_price_usd is None and gpu.monthly_cost_usd is None and gpu.scenarios == {}
    assert gpu.monthly_energy_kwh is not None and gpu.monthly_co2e_kg is None, "energy known, its grid not"


def _at_lax(option: str, spot: str | None = None) -> Any:
    """One g4dn.xlarge node of `option` priced at the LAX Local Zone, whose test price list has an on-demand
    price, and a spot price only when `spot` gives one."""
    from aiinfra.catalog.edge import EdgeCatalog, EdgeOffer
    from aiinfra.estimate.compute import Pool, at_edge, machine_charges
    from aiinfra.estimate.context import Context

    loc = CATALOG.edge.location("aws", "us-west-2-lax-1a")
    assert loc is not None
    offer = EdgeOffer(
        "aws",
        loc.name,
        "g4dn.xlarge",
        "test price list",
        loc.retrieved,
        D("0.631"),
        None if spot is None else D(spot),
    )
    catalog = Catalog(
        accelerators=CATALOG.accelerators,
        instance_types=CATALOG.instance_types(),
        offers=CATALOG.offers(),
        pue=[p for p in [CATALOG.pue("aws", "*")] if p is not None],
        host_power=[h for h in [CATALOG.host_power("aws")] if h is not None],
        edge=EdgeCatalog([loc], [offer], []),
    )
    ng = node_group("lax", "g4dn.xlarge", lo=1, desired=1, hi=1)
    ctx = Context(catalog, graph(ng, region="us-west-2"), PROFILES["training-steady"])
    pool = Pool("g4dn.xlarge", 1, 1, 1, option)
    charges = machine_charges(ng, ctx, cloud="aws", region="us-west-2", pool=pool)
    (charge,) = at_edge(charges, ctx, cloud="aws", location="us-west-2-lax-1a", pool=pool)
    return charge


def test_a_capacity_reservation_at_an_edge_location_is_billed_at_the_locations_on_demand_price() -> None:
    reserved = _at_lax("reservation")
    assert reserved.unit_price_usd == D("0.631") and reserved.reason == ""
    assert reserved.source == "test price list (price at us-west-2-lax-1a)"
    assert reserved.description.endswith(", at us-west-2-lax-1a (local-zone, Los Angeles)"), (
        reserved.description
    )


def test_an_edge_location_without_the_options_price_is_unpriced_naming_the_option() -> None:
    spot = _at_lax("spot")
    assert (
        spot.unit_price_usd is None
        and spot.reason == "no spot price for g4dn.xlarge at us-west-2-lax-1a in the catalog"
    )
    committed = _at_lax("commit_1y")
    assert committed.unit_price_usd is None
    assert committed.reason == "no commit-1y price for g4dn.xlarge at us-west-2-lax-1a in the catalog"


def test_a_spot_pool_at_an_edge_location_takes_the_locations_spot_price() -> None:
    spot = _at_lax("spot", spot="0.2")
    assert spot.unit_price_usd == D("0.2") and spot.reason == ""
    assert spot.source == "test price list (price at us-west-2-lax-1a)"
