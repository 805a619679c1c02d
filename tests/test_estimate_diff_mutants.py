"""The diff of two estimate documents (estimate/diff.py) on edges the main tests do not reach: a change in
one compared field alone, deltas rounded to the estimate's own places, both sides' headers, lines that share
a key, and the carbon side of a removed line. Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from aiinfra.estimate.diff import diff

DATA = Path(__file__).parent / "data" / "estimates"
NODES = ("train-h100-nodes", "node-hours")
SYSTEM = ("train-system", "node-hours")
BUCKET = ("train-datasets-bucket", "GiB-months")
KEY = ("train-secrets-key", "key-months")


@pytest.fixture
def example() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((DATA / "example.json").read_text())
    return doc


def line(doc: dict[str, Any], target: tuple[str, str]) -> dict[str, Any]:
    found = [ln for ln in doc["lines"] if (ln["resource"], ln["unit"]) == target]
    assert len(found) == 1, target
    return found[0]


def edited(doc: dict[str, Any], target: tuple[str, str], **fields: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    line(out, target).update(fields)
    return out


def only_change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changes = diff(before, after)["changes"]
    assert len(changes) == 1, [c["key"] for c in changes]
    return changes[0]


def test_a_diff_of_many_lines_finishes(example: dict[str, Any]) -> None:
    """Lines are keyed in one pass (a loop that never ends would hang a CI job)."""
    done: list[dict[str, Any]] = []
    worker = threading.Thread(target=lambda: done.append(diff(example, example)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert done and done[0]["changes"] == []


def test_two_lines_with_one_key_are_both_kept(example: dict[str, Any]) -> None:
    twin = {**line(example, KEY), "monthly_cost_usd": 2}
    after = copy.deepcopy(example)
    after["lines"].append(twin)
    change = only_change(example, after)
    assert change["key"] == "aws:kms/key:Key::train-secrets-key::key-months#2"
    assert (change["change"], change["delta_monthly_cost_usd"]) == ("added", 2)


def test_both_sides_name_their_stack_profile_and_catalog_version(example: dict[str, Any]) -> None:
    after = {**copy.deepcopy(example), "stack": "pr", "profile": "idle-reserved", "catalog_version": "v-next"}
    result = diff(example, after)
    assert result["before"] == {
        "stack": example["stack"],
        "profile": example["profile"],
        "catalog_version": example["catalog_version"],
        "totals": example["totals"],
    }
    assert (result["after"]["stack"], result["after"]["profile"], result["after"]["catalog_version"]) == (
        "pr",
        "idle-reserved",
        "v-next",
    )


def test_a_total_cost_delta_is_rounded_to_cents_and_carbon_to_a_tenth(example: dict[str, Any]) -> None:
    before, after = copy.deepcopy(example), copy.deepcopy(example)
    before["totals"].update(monthly_cost_usd=1.001, monthly_energy_kwh=1.01, monthly_co2e_kg=1.01)
    after["totals"].update(monthly_cost_usd=2.0, monthly_energy_kwh=2.0, monthly_co2e_kg=2.0)
    delta = diff(before, after)["delta"]
    assert (delta["monthly_cost_usd"], delta["monthly_energy_kwh"], delta["monthly_co2e_kg"]) == (
        1.0,
        1.0,
        1.0,
    )


def test_an_added_or_removed_lines_deltas_are_rounded_like_the_estimate(example: dict[str, Any]) -> None:
    new = {**line(example, KEY), "resource": "new-key", "monthly_cost_usd": 1.234, "monthly_co2e_kg": 1.26}
    after = copy.deepcopy(example)
    after["lines"].append(new)
    added = only_change(example, after)
    assert (added["delta_monthly_cost_usd"], added["delta_monthly_co2e_kg"]) == (1.23, 1.3)
    removed = only_change(after, example)
    assert removed["change"] == "removed"
    assert (removed["before_monthly_cost_usd"], removed["before_monthly_co2e_kg"]) == (1.234, 1.26)
    assert (removed["after_monthly_cost_usd"], removed["after_monthly_co2e_kg"]) == (None, None)
    assert (removed["delta_monthly_cost_usd"], removed["delta_monthly_co2e_kg"]) == (-1.23, -1.3)
    assert removed["driver"] == "removed"


@pytest.mark.parametrize(
    ("target", "fields", "driver"),
    [
        (BUCKET, {"quantity": 50}, "quantity 0 → 50 GiB-months"),
        (KEY, {"quantity": 0, "monthly_cost_usd": 0}, "quantity 1 → 0 key-months"),
        (
            SYSTEM,
            {
                "purchase_option": "spot",
                "description": "2–4 (desired 2) × m7i.xlarge (CPU only), spot, us-east-1",
            },
            "purchase option on_demand → spot",
        ),
        (KEY, {"monthly_cost_usd": 3}, "monthly cost 1 → 3 USD"),
        (BUCKET, {"reason": "a new reason"}, "still unpriced: a new reason"),
        (KEY, {"region": None}, "region us-east-1 → unknown"),
    ],
)
def test_a_change_in_one_compared_field_alone_is_a_change_with_its_driver(
    example: dict[str, Any], target: tuple[str, str], fields: dict[str, Any], driver: str
) -> None:
    change = only_change(example, edited(example, target, **fields))
    assert change["change"] == "changed"
    assert change["driver"] == driver


def test_a_unit_price_change_on_a_free_quantity_is_named(example: dict[str, Any]) -> None:
    before = edited(example, KEY, quantity=0, monthly_cost_usd=0)
    after = edited(before, KEY, unit_price_usd=2)
    change = only_change(before, after)
    assert change["driver"] == "unit price 1.00 → 2.00 USD/key-month"
    assert change["delta_monthly_cost_usd"] == 0


def test_a_changed_lines_carbon_before_and_after(example: dict[str, Any]) -> None:
    before = line(example, SYSTEM)
    change = only_change(example, edited(example, SYSTEM, monthly_co2e_kg=20.2, monthly_energy_kwh=100))
    assert (change["before_monthly_co2e_kg"], change["after_monthly_co2e_kg"]) == (
        before["monthly_co2e_kg"],
        20.2,
    )
    assert change["delta_monthly_co2e_kg"] == pytest.approx(20.2 - before["monthly_co2e_kg"])
    assert change["before_monthly_cost_usd"] == change["after_monthly_cost_usd"] == before["monthly_cost_usd"]
    assert change["driver"] == "energy or carbon changed"


def test_a_new_energy_model_is_named_when_nothing_else_explains_the_move(example: dict[str, Any]) -> None:
    change = only_change(example, edited(example, SYSTEM, monthly_energy_kwh=1, energy_detail="new model"))
    assert change["driver"] == "energy model: new model"
    gone = only_change(example, edited(example, SYSTEM, monthly_energy_kwh=None, energy_detail=None))
    assert gone["driver"] == "energy model: not modelled"


def test_a_line_priced_again_without_a_unit_price_says_now_priced(example: dict[str, Any]) -> None:
    before = edited(example, BUCKET, reason="amount unknown")
    after = edited(example, BUCKET, monthly_cost_usd=5, reason="")
    change = only_change(before, after)
    assert change["driver"] == "now priced (was: amount unknown)"
    assert change["delta_monthly_cost_usd"] is None


def test_carbon_alone_moving_is_named_and_a_reason_alone_is_just_changed(example: dict[str, Any]) -> None:
    carbon = only_change(example, edited(example, SYSTEM, monthly_co2e_kg=99))
    assert carbon["driver"] == "energy or carbon changed"
    reason = only_change(example, edited(example, SYSTEM, reason="note"))
    assert reason["driver"] == "changed"
    assert reason["delta_monthly_cost_usd"] == 0 and reason["delta_monthly_co2e_kg"] == 0


def test_a_unit_that_is_not_a_plural_stays_whole_in_the_price_driver(example: dict[str, Any]) -> None:
    nat = ("train-net-nat-0", "GB processed")
    before = edited(example, nat, quantity=0, unit_price_usd=0.045, monthly_cost_usd=0, reason="")
    after = edited(before, nat, unit_price_usd=0.05)
    assert only_change(before, after)["driver"] == "unit price 0.045 → 0.05 USD/GB processed"


def test_a_purchase_option_change_alone_is_a_change(example: dict[str, Any]) -> None:
    """The option moved but the description was not rewritten with it: still a change, and the description
    that no longer matches is quoted."""
    change = only_change(example, edited(example, SYSTEM, purchase_option="spot"))
    assert change["driver"].startswith("purchase option on_demand → spot; description ")
