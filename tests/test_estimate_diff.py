"""The diff of two estimate documents: which lines changed, by how much, and the driver a reviewer reads.

Each driver is tested on a copy of the real `example.json` with one edit, as a pull request would make it;
`example-pr.json` is the combined, retotalled change (see tests/data/estimates/README.md)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from aiinfra.estimate.diff import diff, line_key

DATA = Path(__file__).parent / "data" / "estimates"
NODES = ("train-h100-nodes", "node-hours")
NODES_KEY = "aws:eks/nodeGroup:NodeGroup::train-h100-nodes::node-hours"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def example() -> dict[str, Any]:
    return load("example.json")


def edited(doc: dict[str, Any], target: tuple[str, str], **fields: Any) -> dict[str, Any]:
    """A copy of `doc` with `fields` set on the line of (resource, unit) `target`."""
    out = copy.deepcopy(doc)
    lines = [ln for ln in out["lines"] if (ln["resource"], ln["unit"]) == target]
    assert len(lines) == 1, f"the fixture should have exactly one line {target}, found {len(lines)}"
    lines[0].update(fields)
    return out


def line(doc: dict[str, Any], target: tuple[str, str]) -> dict[str, Any]:
    return next(ln for ln in doc["lines"] if (ln["resource"], ln["unit"]) == target)


def only_change(result: dict[str, Any]) -> dict[str, Any]:
    changes = result["changes"]
    assert len(changes) == 1, f"one edited line should give one change, got {[c['key'] for c in changes]}"
    return changes[0]


def test_identical_estimates_have_no_changes_and_zero_deltas(example: dict[str, Any]) -> None:
    for doc in (example, load("reserved.json")):
        result = diff(doc, copy.deepcopy(doc))
        assert result["changes"] == [], f"an estimate compared with itself changed: {result['changes']}"
        for metric in ("monthly_cost_usd", "monthly_energy_kwh", "monthly_co2e_kg"):
            assert result["delta"][metric] == 0, f"{metric} delta of identical estimates should be 0"


def test_the_key_is_type_resource_and_unit_so_the_two_nat_lines_stay_apart(example: dict[str, Any]) -> None:
    after = edited(
        example, ("train-net-nat-0", "GB processed"), quantity=100, unit_price_usd=0.045, monthly_cost_usd=4.5
    )
    change = only_change(diff(example, after))
    assert change["key"] == "aws:ec2/natGateway:NatGateway::train-net-nat-0::GB processed", (
        "the GB-processed line of the NAT gateway should change, not its gateway-hours line"
    )
    assert line_key(line(example, ("train-net-nat-0", "gateway-hours"))).endswith("::gateway-hours")


def test_more_nodes_names_the_node_count_and_the_billed_quantity(example: dict[str, Any]) -> None:
    before = line(example, NODES)
    after = edited(
        example,
        NODES,
        description=before["description"].replace("4 ×", "6 ×"),
        quantity=4380,
        monthly_cost_usd=241075.2,
    )
    change = only_change(diff(example, after))
    assert change["change"] == "changed"
    assert "nodes 4 → 6" in change["driver"], f"the node count should be named: {change['driver']}"
    assert "quantity 2,920 → 4,380 node-hours" in change["driver"], (
        f"the quantity should be named: {change['driver']}"
    )
    assert "description" not in change["driver"], (
        f"a node count change is explained, not quoted as a description change: {change['driver']}"
    )
    assert change["delta_monthly_cost_usd"] == 80358.4, "241,075.20 − 160,716.80"


def test_a_new_unit_price_names_both_prices_per_unit(example: dict[str, Any]) -> None:
    after = edited(example, NODES, unit_price_usd=58.89, monthly_cost_usd=171958.8)
    change = only_change(diff(example, after))
    assert change["driver"] == "unit price 55.04 → 58.89 USD/node-hour", f"driver was {change['driver']!r}"
    assert change["delta_monthly_cost_usd"] == 11242.0


def test_a_new_instance_type_names_both_types_and_their_accelerators(example: dict[str, Any]) -> None:
    before = line(example, NODES)
    after = edited(
        example,
        NODES,
        description=before["description"].replace("p5.48xlarge (8× H100)", "p5en.48xlarge (8× H200)"),
        unit_price_usd=63.3,
        monthly_cost_usd=184836,
    )
    driver = only_change(diff(example, after))["driver"]
    assert "instance type p5.48xlarge (8× H100) → p5en.48xlarge (8× H200)" in driver, f"driver was {driver!r}"
    assert "unit price 55.04 → 63.30 USD/node-hour" in driver, f"the new price should follow: {driver!r}"


def test_a_region_move_names_the_regions_and_the_grid_behind_the_carbon(example: dict[str, Any]) -> None:
    before = line(example, NODES)
    after = edited(
        example,
        NODES,
        region="eu-north-1",
        description=before["description"].replace("us-east-1", "eu-north-1"),
        energy_detail=before["energy_detail"].replace("379.069", "8.8"),
        monthly_co2e_kg=191.2,
    )
    change = only_change(diff(example, after))
    assert "region us-east-1 → eu-north-1" in change["driver"], f"driver was {change['driver']!r}"
    assert "grid 379.069 → 8.8 gCO2e/kWh" in change["driver"], (
        f"the carbon driver is the grid: {change['driver']!r}"
    )
    assert "description" not in change["driver"], "the region in the description is explained by the region"
    assert change["delta_monthly_co2e_kg"] == -8043.4
    assert change["delta_monthly_cost_usd"] == 0, "the cost did not move in this edit"


def test_a_purchase_option_switch_names_both_options(example: dict[str, Any]) -> None:
    before = line(example, NODES)
    after = edited(
        example,
        NODES,
        purchase_option="spot",
        description=before["description"].replace("on-demand", "spot"),
        unit_price_usd=17.6165,
        monthly_cost_usd=51476.39,
    )
    driver = only_change(diff(example, after))["driver"]
    assert driver.startswith("purchase option on_demand → spot"), f"driver was {driver!r}"
    assert "description" not in driver, (
        f"'on-demand' → 'spot' in the description is the same change: {driver!r}"
    )


def test_any_other_description_change_is_quoted(example: dict[str, Any]) -> None:
    after = edited(
        example,
        ("train-eks", "cluster-hours"),
        description="EKS control plane (Kubernetes 1.30, extended support)",
        unit_price_usd=0.6,
        monthly_cost_usd=438,
    )
    driver = only_change(diff(example, after))["driver"]
    assert 'description "EKS control plane (Kubernetes 1.33, standard support)" → ' in driver, driver
    assert "unit price 0.10 → 0.60 USD/cluster-hour" in driver, driver


def test_an_added_pool_is_a_new_resource_with_its_cost_as_the_delta(example: dict[str, Any]) -> None:
    result = diff(example, load("example-pr.json"))
    added = {c["resource"]: c for c in result["changes"] if c["change"] == "added"}
    assert set(added) == {"train-l40s-nodes", "train-l40s-lt"}, f"added: {sorted(added)}"
    nodes = added["train-l40s-nodes"]
    assert nodes["driver"] == "new resource"
    assert nodes["before_monthly_cost_usd"] is None, "an added line had no cost before, not $0"
    assert nodes["delta_monthly_cost_usd"] == nodes["after_monthly_cost_usd"] == 15319.25


def test_a_removed_unpriced_bucket_is_removed_and_its_unknown_cost_stays_unknown(
    example: dict[str, Any],
) -> None:
    result = diff(example, load("example-pr.json"))
    removed = [c for c in result["changes"] if c["change"] == "removed"]
    assert [c["resource"] for c in removed] == ["train-datasets-bucket"]
    assert removed[0]["driver"].startswith("removed"), removed[0]["driver"]
    assert "was unpriced" in removed[0]["driver"], "the reviewer should see the removed cost was unknown"
    assert removed[0]["delta_monthly_cost_usd"] is None, (
        "removing an unpriced line saves an unknown amount, not $0"
    )


def test_a_removed_priced_line_has_minus_its_cost_as_the_delta(example: dict[str, Any]) -> None:
    after = copy.deepcopy(example)
    after["lines"] = [ln for ln in after["lines"] if ln["resource"] != "train-scratch-fs"]
    change = only_change(diff(example, after))
    assert (change["driver"], change["delta_monthly_cost_usd"], change["delta_monthly_co2e_kg"]) == (
        "removed",
        -1008,
        -3.9,
    )


def test_a_line_that_loses_its_price_is_now_unpriced_with_a_null_delta(example: dict[str, Any]) -> None:
    reason = "no on-demand price published for p5.48xlarge in us-east-1 (catalog 2026-12-01)"
    after = edited(example, NODES, unit_price_usd=None, monthly_cost_usd=None, reason=reason)
    change = only_change(diff(example, after))
    assert change["driver"] == f"now unpriced: {reason}", f"driver was {change['driver']!r}"
    assert change["delta_monthly_cost_usd"] is None, "an unknown cost is not a saving of $160,716.80"
    assert change["before_monthly_cost_usd"] == 160716.8
    assert change["delta_monthly_co2e_kg"] == 0, "the energy side is still modelled, and unchanged"


def test_a_line_that_gains_its_price_has_a_null_delta_too(example: dict[str, Any]) -> None:
    after = edited(
        example,
        ("train-datasets-bucket", "GiB-months"),
        quantity=10240,
        unit_price_usd=0.023,
        monthly_cost_usd=235.52,
        reason="",
    )
    change = only_change(diff(example, after))
    assert change["delta_monthly_cost_usd"] is None, "from unknown to $235.52 is not +$235.52"
    assert "now priced at 0.023 USD/GiB-month" in change["driver"], change["driver"]


def test_changes_are_sorted_by_absolute_cost_delta_with_unknown_deltas_last(example: dict[str, Any]) -> None:
    after = edited(example, NODES, unit_price_usd=50, monthly_cost_usd=146000)  # −14,716.80
    after = edited(after, ("train-eks", "cluster-hours"), unit_price_usd=0.6, monthly_cost_usd=438)  # +365
    after = edited(
        after, ("train-scratch-fs", "GiB-months"), unit_price_usd=None, monthly_cost_usd=None, reason="x"
    )
    after["lines"].append({**line(example, ("train-secrets-key", "key-months")), "resource": "new-key"})  # +1
    order = [(c["resource"], c["delta_monthly_cost_usd"]) for c in diff(example, after)["changes"]]
    assert order == [
        ("train-h100-nodes", -14716.8),
        ("train-eks", 365),
        ("new-key", 1),
        ("train-scratch-fs", None),
    ], f"largest absolute delta first, a decrease counting by its size, unknown last: {order}"


def test_total_deltas_use_exact_decimals_rounded_like_the_inputs(example: dict[str, Any]) -> None:
    before, after = copy.deepcopy(example), copy.deepcopy(example)
    before["totals"].update(monthly_cost_usd=0.1, monthly_energy_kwh=0.1, monthly_co2e_kg=1.1)
    after["totals"].update(monthly_cost_usd=0.3, monthly_energy_kwh=0.3, monthly_co2e_kg=2.2)
    delta = diff(before, after)["delta"]
    assert (delta["monthly_cost_usd"], delta["monthly_energy_kwh"], delta["monthly_co2e_kg"]) == (
        0.2,
        0.2,
        1.1,
    ), f"float subtraction would give 0.19999999999999998 and 1.1000000000000002: {delta}"


def test_total_deltas_of_the_pr_and_a_note_that_unpriced_lines_are_left_out(example: dict[str, Any]) -> None:
    result = diff(example, load("example-pr.json"))
    delta = result["delta"]
    assert delta["monthly_cost_usd"] == 95837.65, "258,145.29 − 162,307.64"
    assert delta["monthly_energy_kwh"] == 13023, "34,793.1 − 21,770.1"
    assert delta["monthly_co2e_kg"] == 4936.6, "13,189 − 8,252.4"
    assert "priced lines only" in delta["note"], (
        f"2 and 1 lines are unpriced, the note should say so: {delta}"
    )
    assert result["before"]["totals"] == example["totals"] and result["before"]["stack"] == "example"


def test_no_note_when_every_line_is_priced(example: dict[str, Any]) -> None:
    doc = copy.deepcopy(example)
    doc["lines"] = [ln for ln in doc["lines"] if ln["monthly_cost_usd"] is not None]
    doc["totals"]["unpriced_lines"] = 0
    assert "note" not in diff(doc, doc)["delta"], "nothing is left out of the cost delta"


def test_a_change_only_in_sources_or_assumptions_is_not_a_change(example: dict[str, Any]) -> None:
    after = edited(example, NODES, source="another price list", assumptions=["other"])
    assert diff(example, after)["changes"] == [], "the numbers and what is billed did not move"


def test_two_different_stacks_diff_as_everything_removed_and_added(example: dict[str, Any]) -> None:
    reserved = load("reserved.json")
    result = diff(example, reserved)
    kinds = {c["change"] for c in result["changes"]}
    assert kinds == {"added", "removed"}, f"no line of one stack is in the other: {kinds}"
    assert len(result["changes"]) == len(example["lines"]) + len(reserved["lines"])
    assert result["delta"]["monthly_cost_usd"] == -98581.84, "63,725.80 − 162,307.64"
