"""What an estimate adds up and how it is written out (estimate/model.py): the totals, the per-option scenario
totals and which lines leave them partial, the per-group totals, the `--format json` document and its
rounding, and how a purchase option reads on a machine line. Written to kill the mutants bench/mutation.py
found alive (issue 19). The estimates are built by hand so every expected figure is written out here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.compute import Pool, machine_charges
from aiinfra.estimate.context import Context
from aiinfra.estimate.diff import line_key
from aiinfra.estimate.model import Estimate, Line, Skipped, line_json, num
from aiinfra.estimate.usage import PROFILES

D = Decimal
CATALOG = default_catalog()
INSTANCE = "aws:ec2/instance:Instance"


def line(
    resource: str,
    cost: str | None,
    *,
    group: str = "g",
    energy: str | None = None,
    co2e: str | None = None,
    embodied: str | None = None,
    scenarios: dict[str, str | None] | None = None,
    **extra: Any,
) -> Line:
    return Line(
        resource=resource,
        type=INSTANCE,
        group=group,
        cloud="aws",
        region="us-east-1",
        description=f"{resource} line",
        quantity=D(1),
        unit="instance-hours",
        unit_price_usd=D(cost) if cost is not None else None,
        monthly_cost_usd=D(cost) if cost is not None else None,
        monthly_energy_kwh=D(energy) if energy is not None else None,
        monthly_co2e_kg=D(co2e) if co2e is not None else None,
        source="test",
        scenarios={k: (D(v) if v is not None else None) for k, v in (scenarios or {}).items()},
        monthly_embodied_co2e_kg=D(embodied) if embodied is not None else None,
        **extra,
    )


def instance(name: str, **inputs: Any) -> PlannedResource:
    return PlannedResource(
        type=INSTANCE,
        name=name,
        urn=f"urn:pulumi:t::p::{INSTANCE}::{name}",
        parent=None,
        inputs={"instanceType": "p5.48xlarge", **inputs},
        custom=True,
    )


# -- totals -------------------------------------------------------------------------------------------------


def test_totals_add_the_known_figures_and_leave_unknown_ones_out() -> None:
    result = Estimate("t", "training-steady", lines=[
        line("a", "10.5", energy="5", co2e="2", embodied="3"),
        line("b", None, energy=None, co2e=None, embodied=None),
        line("c", "4", energy="1.5", co2e=None, embodied="0.25"),
    ])  # fmt: skip
    assert result.monthly_cost_usd == D("14.5")
    assert result.monthly_energy_kwh == D("6.5")
    assert result.monthly_co2e_kg == D(2)
    assert result.monthly_embodied_co2e_kg == D("3.25")


def test_an_estimate_without_lines_totals_zero_not_one() -> None:
    empty = Estimate("t", "training-steady")
    assert (empty.monthly_cost_usd, empty.monthly_energy_kwh, empty.monthly_co2e_kg) == (0, 0, 0)
    assert empty.monthly_embodied_co2e_kg == 0
    assert empty.scenario_totals() == {} and empty.groups() == {}


# -- scenarios ----------------------------------------------------------------------------------------------


def scenario_estimate() -> Estimate:
    return Estimate("t", "training-steady", lines=[
        line("gpu", "100", scenarios={"on_demand": "100", "spot": "30.125", "commit_1y": None, "commit_3y": "40"}),
        line("disk", "5"),
        line("mystery", None, reason="not in the catalog"),
        line("cpu", "50", scenarios={"spot": None, "on_demand": "50"}),
    ])  # fmt: skip


def test_each_scenario_totals_the_fixed_lines_plus_every_compute_line_at_that_option() -> None:
    totals = scenario_estimate().scenario_totals()
    assert list(totals) == ["on_demand", "spot", "commit_1y", "commit_3y"], "the options in their usual order"
    assert totals["on_demand"] == {"monthly_cost_usd": D(155), "unpriced_lines": ["mystery"]}
    assert totals["spot"] == {"monthly_cost_usd": D("35.125"), "unpriced_lines": ["mystery", "cpu"]}
    assert totals["commit_1y"] == {"monthly_cost_usd": D(5), "unpriced_lines": ["mystery", "gpu", "cpu"]}
    assert totals["commit_3y"] == {"monthly_cost_usd": D(45), "unpriced_lines": ["mystery", "cpu"]}


def test_the_json_scenarios_round_to_cents_and_name_the_lines_they_lack() -> None:
    doc = scenario_estimate().to_json()
    assert doc["scenarios"] == {
        "on_demand": {"monthly_cost_usd": 155, "unpriced_lines": ["mystery"]},
        "spot": {"monthly_cost_usd": 35.12, "unpriced_lines": ["mystery", "cpu"]},
        "commit_1y": {"monthly_cost_usd": 5, "unpriced_lines": ["mystery", "gpu", "cpu"]},
        "commit_3y": {"monthly_cost_usd": 45, "unpriced_lines": ["mystery", "cpu"]},
    }


# -- groups -------------------------------------------------------------------------------------------------


def test_groups_total_their_lines_in_the_order_they_first_appear() -> None:
    result = Estimate("t", "training-steady", lines=[
        line("a", "10", group="train", energy="5", co2e="2"),
        line("b", "3", group="(stack)", energy=None, co2e=None),
        line("c", None, group="train", energy="1.25", co2e=None),
    ])  # fmt: skip
    groups = result.groups()
    assert list(groups) == ["train", "(stack)"]
    assert groups["train"] == {"monthly_cost_usd": 10, "monthly_energy_kwh": D("6.25"), "monthly_co2e_kg": 2}
    assert groups["(stack)"] == {"monthly_cost_usd": 3, "monthly_energy_kwh": 0, "monthly_co2e_kg": 0}


# -- the JSON document --------------------------------------------------------------------------------------


def test_the_json_document_has_the_contracts_keys_totals_and_rounding() -> None:
    result = Estimate(
        "dev",
        "training-steady",
        lines=[
            line("a", "10.004", group="train", energy="5.26", co2e="2", embodied="3.26"),
            line("b", None, group="train", energy="7", co2e=None),
            line("c", "1", group="(stack)", energy=None, co2e=None),
            line("d", "2", group="(stack)", energy="1", co2e=None),
        ],
        unpriced=[Skipped("b", INSTANCE, "no price")],
        unsupported=[Skipped("x", "aws:foo/bar:Bar", "no estimate rule for this resource type")],
        free=[Skipped("sg", "aws:ec2/securityGroup:SecurityGroup", "no charge")],
        warnings=["w"],
        catalog_version="2026-12-05",
    )
    doc = result.to_json()
    assert list(doc) == [
        "stack", "currency", "profile", "catalog_version", "totals", "scenarios", "groups", "lines", "unpriced",
        "unsupported", "free", "warnings",
    ]  # fmt: skip
    assert (doc["stack"], doc["currency"], doc["profile"]) == ("dev", "USD", "training-steady")
    assert doc["catalog_version"] == "2026-12-05"
    assert doc["totals"] == {
        "monthly_cost_usd": 13,
        "monthly_energy_kwh": 13.3,
        "monthly_co2e_kg": 2,
        "monthly_embodied_co2e_kg": 3.3,
        "unpriced_lines": 1,
        "unsupported_resources": 1,
        "unknown_grid_lines": 2,  # b and d draw energy on a grid with no figure; c draws none
    }
    assert doc["groups"] == {
        "train": {"monthly_cost_usd": 10, "monthly_energy_kwh": 12.3, "monthly_co2e_kg": 2},
        "(stack)": {"monthly_cost_usd": 3, "monthly_energy_kwh": 1, "monthly_co2e_kg": 0},
    }
    assert [ln["resource"] for ln in doc["lines"]] == ["a", "b", "c", "d"]
    assert doc["unpriced"] == [{"resource": "b", "type": INSTANCE, "reason": "no price"}]
    assert doc["unsupported"] == [
        {"resource": "x", "type": "aws:foo/bar:Bar", "reason": "no estimate rule for this resource type"}
    ]
    assert doc["free"] == [
        {"resource": "sg", "type": "aws:ec2/securityGroup:SecurityGroup", "reason": "no charge"}
    ]
    assert doc["warnings"] == ["w"]


def test_a_json_line_carries_every_field_rounded_for_reading() -> None:
    ln = Line(
        resource="train-h100",
        type=INSTANCE,
        group="train",
        cloud="aws",
        region="us-east-1",
        description="2 × p5.48xlarge",
        quantity=D("1.23456"),
        unit="instance-hours",
        unit_price_usd=D("0.1234567"),
        monthly_cost_usd=D("12.345"),
        monthly_energy_kwh=D("5.26"),
        monthly_co2e_kg=D("2.06"),
        source="price list",
        energy_detail="2 × 100 W",
        purchase_option="spot",
        scenarios={"on_demand": D("20.125"), "spot": None},
        assumptions=("one", "two"),
        reason="",
        monthly_embodied_co2e_kg=D("0.26"),
        embodied_detail="held",
    )
    assert line_json(ln) == {
        "resource": "train-h100",
        "type": INSTANCE,
        "group": "train",
        "cloud": "aws",
        "region": "us-east-1",
        "description": "2 × p5.48xlarge",
        "quantity": 1.2346,
        "unit": "instance-hours",
        "unit_price_usd": 0.123457,
        "monthly_cost_usd": 12.34,
        "monthly_energy_kwh": 5.3,
        "monthly_co2e_kg": 2.1,
        "energy_detail": "2 × 100 W",
        "monthly_embodied_co2e_kg": 0.3,
        "embodied_detail": "held",
        "purchase_option": "spot",
        "scenarios": {"on_demand": 20.12, "spot": None},
        "assumptions": ["one", "two"],
        "source": "price list",
        "reason": "",
    }


def test_a_whole_number_is_written_as_an_integer_and_unknown_as_null() -> None:
    assert num(None) is None
    whole = num(D("2.00"), 2)
    assert whole == 2 and type(whole) is int, "JSON shows 2, not 2.0"
    half = num(D("2.5"), 2)
    assert half == 2.5 and type(half) is float
    assert num(D("0.00004")) == 0 and type(num(D("0.00004"))) is int, "rounded to 4 places by default"


def test_the_estimate_diff_matches_lines_by_type_resource_and_unit() -> None:
    assert line_key(line_json(line("nat", "1"))) == f"{INSTANCE}::nat::instance-hours"


# -- a purchase option on a machine line --------------------------------------------------------------------


def pool_line(option: str) -> Any:
    r = instance("vm")
    graph = ResourceGraph(stack="t", project="p", resources=[r], config={"aws:region": "us-east-1"})
    ctx = Context(CATALOG, graph, PROFILES["training-steady"])
    (c,) = machine_charges(r, ctx, cloud="aws", region="us-east-1", pool=Pool("p5.48xlarge", 2, 2, 2, option))
    return c


def test_an_on_demand_machine_line_says_on_demand() -> None:
    vm = [ln for ln in estimate(
        ResourceGraph(stack="t", project="p", resources=[instance("vm")], config={"aws:region": "us-east-1"}),
        CATALOG,
    ).lines if "root volume" not in ln.description]  # fmt: skip
    assert len(vm) == 1
    assert vm[0].description == "1 × p5.48xlarge (8× H100), on-demand, us-east-1"
    assert vm[0].purchase_option == "on_demand"


def test_a_one_year_commitment_reads_as_such_and_is_paid_for_730_hours_a_node() -> None:
    c = pool_line("commit_1y")
    assert c.description == "2 × p5.48xlarge (8× H100), 1-year commitment, us-east-1"
    assert c.quantity == 2 * 730
    assert "1-year commitment: 2 nodes paid for all 730 h whatever runs" in c.assumptions


def test_a_capacity_reservation_reads_as_such() -> None:
    c = pool_line("reservation")
    assert c.description == "2 × p5.48xlarge (8× H100), capacity reservation, us-east-1"
    assert "capacity reservation: 2 nodes paid for all 730 h whatever runs" in c.assumptions
    offer = CATALOG.offer("p5.48xlarge", "us-east-1")
    assert offer is not None and c.unit_price_usd == offer.on_demand
