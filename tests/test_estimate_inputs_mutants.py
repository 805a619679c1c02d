"""Counts and sizes read from a plan's inputs (estimate/inputs.py): what is accepted, and the reason an
unusable value gives on its unpriced line (the estimator shows it as the line's reason and under "invalid
inputs"). Written to kill the mutants bench/mutation.py found alive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aiinfra.engine.inputs import UNKNOWN_SENTINEL
from aiinfra.estimate.inputs import BadNumber, Unreadable, as_dict, count, size, unpriced, with_notes
from aiinfra.estimate.model import Charge

D = Decimal
COUNT_FIX = "give a whole number from 0 to 100,000"
SIZE_FIX = "give a size in GiB from 0 to 10,485,760 (10 PiB)"
SECRET = "[secret]"


def reason(fn: Any, value: Any, *args: Any, **kw: Any) -> str:
    with pytest.raises(BadNumber) as e:
        fn(value, "spec.nodes", *args, **kw)
    assert str(e.value) == e.value.reason, "the exception's message is its reason"
    return e.value.reason


# -- counts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (5, 5), (2.0, 2), ("5", 5), (" 7 ", 7), (D("3"), 3), (100_000, 100_000), ("100000", 100_000)],
)
def test_a_count_reads_whole_numbers_up_to_the_limit(value: Any, expected: int) -> None:
    assert count(value, "spec.nodes") == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_missing_count_is_the_default(value: Any) -> None:
    assert count(value, "spec.nodes", default=7) == 7
    assert count(value, "spec.nodes") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100_001, f"spec.nodes = 100001 is above 100,000, the most this estimate accepts; {COUNT_FIX}"),
        ("0.5", f"spec.nodes = '0.5' is not a whole number; {COUNT_FIX}"),
        (1.5, f"spec.nodes = 1.5 is not a whole number; {COUNT_FIX}"),
        (-1, f"spec.nodes = -1 is negative, not a count; {COUNT_FIX}"),
        (True, f"spec.nodes = True is not a count; {COUNT_FIX}"),
        ([3], f"spec.nodes = [3] is not a count; {COUNT_FIX}"),
        ("three", f"spec.nodes = 'three' is not a count; {COUNT_FIX}"),
        ("NaN", f"spec.nodes = 'NaN' is not a finite count; {COUNT_FIX}"),
        (float("inf"), f"spec.nodes = inf is not a finite count; {COUNT_FIX}"),
    ],
)
def test_an_unusable_count_says_why_and_the_fix(value: Any, expected: str) -> None:
    assert reason(count, value) == expected


def test_a_count_written_with_too_many_characters_is_too_long_and_shown_cut() -> None:
    forty_one = "1" * 41
    assert reason(count, forty_one) == f"spec.nodes = '{'1' * 38}… is too long to be a count; {COUNT_FIX}"
    forty = "1" * 40
    assert reason(count, forty) == (
        f"spec.nodes = '{'1' * 38}… is above 100,000, the most this estimate accepts; {COUNT_FIX}"
    ), "40 characters are read as a number (shown cut to 40 characters)"


def test_a_huge_integer_is_far_too_large_and_shown_by_its_bits() -> None:
    assert (
        reason(count, 2**160)
        == f"spec.nodes = (an integer of 161 bits) is far too large for a count; {COUNT_FIX}"
    )
    digits = str(2**159)
    assert reason(count, 2**159) == (
        f"spec.nodes = {digits[:39]}… is above 100,000, the most this estimate accepts; {COUNT_FIX}"
    )


# -- sizes ---------------------------------------------------------------------------------------------------


def test_a_size_reads_numbers_up_to_ten_pib() -> None:
    ten_pib = 10 * 1024 * 1024
    assert size("0.5", "spec.size") == D("0.5")
    assert size(ten_pib, "spec.size") == ten_pib
    assert size(None, "spec.size") is None
    assert size("", "spec.size") is None
    assert reason(size, ten_pib + 1) == (
        f"spec.nodes = {ten_pib + 1} is above 10 PiB, the most this estimate accepts; {SIZE_FIX}"
    )
    assert reason(size, "big") == f"spec.nodes = 'big' is not a size in GiB; {SIZE_FIX}"


def test_a_size_in_larger_units_has_a_smaller_limit() -> None:
    assert size(10 * 1024, "spec.size", unit="TiB", per_gib=D(1024)) == 10 * 1024
    assert reason(size, 10 * 1024 + 1, unit="TiB", per_gib=D(1024)) == (
        "spec.nodes = 10241 is above 10 PiB, the most this estimate accepts; "
        "give a size in TiB from 0 to 10,240 (10 PiB)"
    )


# -- unreadable values ----------------------------------------------------------------------------------------


def test_a_secret_or_unknown_count_is_unreadable_with_its_own_reason() -> None:
    with pytest.raises(Unreadable) as secret:
        count(SECRET, "spec.nodes")
    assert secret.value.reason == "spec.nodes: the value is a secret in this document, so it is not read"
    assert str(secret.value) == secret.value.reason
    with pytest.raises(Unreadable) as unknown:
        size(UNKNOWN_SENTINEL, "spec.size")
    assert unknown.value.reason == (
        "spec.size: the value is unknown until apply; give it in the program or its config, or estimate the "
        "deployed stack (`pulumi stack export`) with --from"
    )
    assert Unreadable("spec.x", {"a": 1}).reason == "spec.x: the value cannot be read"


def test_an_unusable_input_becomes_an_unpriced_line() -> None:
    with pytest.raises(BadNumber) as e:
        count(-2, "spec.nodes")
    line = e.value.charge("NodeGroup gpu: unusable input")
    assert line == Charge(
        description="NodeGroup gpu: unusable input",
        quantity=D(0),
        unit="",
        unit_price_usd=None,
        source="",
        reason=f"spec.nodes = -2 is negative, not a count; {COUNT_FIX}",
    )
    assert unpriced("d", "GiB-months", "why") == Charge("d", D(0), "GiB-months", None, "", "why")


# -- small helpers the rules use ------------------------------------------------------------------------------


def test_a_one_item_list_block_reads_as_its_object() -> None:
    assert as_dict([{"a": 1}]) == {"a": 1}
    assert as_dict([]) == {}
    assert as_dict({"b": 2}) == {"b": 2}
    assert as_dict("x") == {}


def test_notes_are_added_after_each_charges_own_assumptions() -> None:
    c = Charge("d", D(1), "h", D(1), "s", assumptions=("first",))
    assert with_notes([c, c], ["n1", "n2"]) == [
        Charge("d", D(1), "h", D(1), "s", assumptions=("first", "n1", "n2")),
        Charge("d", D(1), "h", D(1), "s", assumptions=("first", "n1", "n2")),
    ]
