"""Reading provider inputs the way the provider would (policy/values.py): Pulumi's unknowns of every kind,
paths through lists of one and negative indexes, list and boolean inputs, CIDRs that admit the whole
internet, IAM policy documents and which of their statements make a bucket public. The cases
bench/mutation.py found untested."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aiinfra.engine.inputs import UNKNOWN, UNKNOWN_SENTINEL
from aiinfra.policy.values import (
    dig,
    flag,
    is_everywhere,
    is_unknown,
    items,
    number,
    policy_document,
    public_allow_statements,
)

WIRE_UNKNOWNS = [
    UNKNOWN_SENTINEL,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
]
"""Pulumi's wire values for unknowns (string, boolean, number, array, object, asset, archive), as in
pulumi_policy/proxy.py."""


@pytest.mark.parametrize("value", [UNKNOWN, *WIRE_UNKNOWNS])
def test_every_kind_of_unknown_is_unknown(value: str) -> None:
    assert is_unknown(value) is True
    assert items(value) == [] and is_everywhere(value) is False and policy_document(value) is None


@pytest.mark.parametrize("value", ["", "0.0.0.0/0", "unknown", 5, None, ["x"], {"a": 1}, [UNKNOWN]])
def test_known_values_are_not_unknown(value: Any) -> None:
    assert is_unknown(value) is False


@pytest.mark.parametrize(
    ("value", "path", "expected"),
    [
        ({"vpcConfig": [{"endpointPublicAccess": False}]}, ("vpcConfig", "endpointPublicAccess"), False),
        ([{"a": 1}], ("a",), 1),
        ([{"a": 1}, {"a": 2}], ("a",), None),
        ([10, 20], (0,), 10),
        ([10, 20], (1,), 20),
        ([10, 20], (-1,), 20),
        ([10, 20], (-2,), 10),
        ([10, 20], (2,), None),
        ([10, 20], (-3,), None),
        ({"a": [1]}, ("a", 0), 1),
        ("abc", ("a",), None),
        ("abc", (0,), None),
        (5, (0,), None),
        ({"a": 1}, ("b",), None),
        ({"a": {"b": 2}}, (), {"a": {"b": 2}}),
    ],
)
def test_dig_follows_a_path_and_gives_none_where_it_breaks(
    value: Any, path: tuple[Any, ...], expected: Any
) -> None:
    assert dig(value, *path) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ({"a": 1}, [{"a": 1}]),
        ([1, 2], [1, 2]),
        ((1, 2), [1, 2]),
        ("abc", ["abc"]),
        (5, [5]),
        ([], []),
    ],
)
def test_items_reads_a_list_input(value: Any, expected: list[Any]) -> None:
    assert items(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("yes", None),
        ("", None),
        (1, None),
        (0, None),
        (None, None),
    ],
)
def test_flag_reads_booleans_and_their_strings(value: Any, expected: bool | None) -> None:
    assert flag(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (3.7, 3), ("12", 12), (" 7 ", 7), ("x", None), ("1.5", None), (True, None), (None, None)],
)
def test_number_reads_integers_and_their_strings(value: Any, expected: int | None) -> None:
    assert number(value) == expected


@pytest.mark.parametrize(
    ("cidr", "expected"),
    [
        ("0.0.0.0/0", True),
        (" 0.0.0.0/0 ", True),
        ("::/0", True),
        ("10.1.2.3/0", True),
        ("0.0.0.0/1", False),
        ("10.0.0.0/8", False),
        ("not a cidr", False),
        ("", False),
        (5, False),
        (None, False),
        (["0.0.0.0/0"], False),
    ],
)
def test_is_everywhere_is_any_slash_zero(cidr: Any, expected: bool) -> None:
    assert is_everywhere(cidr) is expected


def test_policy_document_reads_a_mapping_or_json_text() -> None:
    doc = {"Version": "2012-10-17", "Statement": []}
    assert policy_document(doc) is doc
    assert policy_document(json.dumps(doc)) == doc
    assert policy_document("not json") is None
    assert policy_document("[1, 2]") is None
    assert policy_document(5) is None


ALLOW_ANYONE = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}


@pytest.mark.parametrize(
    ("statements", "public"),
    [
        ([ALLOW_ANYONE], [0]),
        ([{**ALLOW_ANYONE, "Principal": {"AWS": "*"}}], [0]),
        ([{**ALLOW_ANYONE, "Principal": ["arn:aws:iam::1:root", "*"]}], [0]),
        ([{**ALLOW_ANYONE, "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}}], [0]),
        ([{**ALLOW_ANYONE, "Principal": "arn:aws:iam::1:root"}], []),
        ([{**ALLOW_ANYONE, "Principal": ["arn:aws:iam::1:root"]}], []),
        ([{**ALLOW_ANYONE, "Principal": {"Service": "*"}}], []),
        ([{**ALLOW_ANYONE, "Effect": "Deny"}], []),
        ([{**ALLOW_ANYONE, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], []),
        (["not a statement", {**ALLOW_ANYONE, "Effect": "Deny"}, ALLOW_ANYONE], [2]),
        ([ALLOW_ANYONE, {**ALLOW_ANYONE, "Sid": "again"}], [0, 1]),
    ],
)
def test_a_policy_is_public_by_its_unconditional_allow_anyone_statements(
    statements: list[Any], public: list[int]
) -> None:
    assert public_allow_statements({"Statement": statements}) == [statements[i] for i in public]


def test_a_single_statement_given_as_a_mapping_counts() -> None:
    assert public_allow_statements({"Statement": ALLOW_ANYONE}) == [ALLOW_ANYONE]
    assert public_allow_statements({"Statements": [ALLOW_ANYONE]}) == []
