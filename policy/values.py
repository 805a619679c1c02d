"""Reading provider inputs the way the provider would: booleans that arrive as strings (`"true"` in a launch
template's block device), values not known before create, CIDR blocks, port ranges, IAM policy documents.
A rule that cannot tell (an unknown value) does not report: a check is no place for guesses."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from typing import Any

from aiinfra.engine.inputs import UNKNOWN, UNKNOWN_SENTINEL

PULUMI_UNKNOWNS = frozenset(
    {
        UNKNOWN_SENTINEL,
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    }
)
"""Pulumi's wire values for an unknown of each kind (pulumi_policy/proxy.py), as a preview carries them."""


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and (value == UNKNOWN or value in PULUMI_UNKNOWNS)


def dig(value: Any, *path: str | int) -> Any:
    """`value[path[0]][path[1]]…`, or None where a step is missing. A one-element list on the way is read
    through (older provider versions give nested blocks such as `vpcConfig` as lists of one)."""
    for step in path:
        if isinstance(step, str) and isinstance(value, Sequence) and not isinstance(value, str):
            value = value[0] if len(value) == 1 else None
        if isinstance(value, Mapping):
            value = value.get(step)
        elif isinstance(value, Sequence) and not isinstance(value, str) and isinstance(step, int):
            value = value[step] if -len(value) <= step < len(value) else None
        else:
            return None
    return value


def items(value: Any) -> list[Any]:
    """A list input as a list (a single block given as a mapping counts as a list of one; None as empty)."""
    if value is None or is_unknown(value):
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return [value]


def flag(value: Any) -> bool | None:
    """A boolean input: True / False, also from "true"/"false" strings; None when absent or unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def is_everywhere(cidr: Any) -> bool:
    """True for a CIDR that admits the whole internet: 0.0.0.0/0 or ::/0 (any /0)."""
    if not isinstance(cidr, str) or is_unknown(cidr):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def policy_document(value: Any) -> Mapping[str, Any] | None:
    """An IAM policy given as a JSON string or as a mapping; None when unknown or not a policy."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str) and not is_unknown(value):
        try:
            doc = json.loads(value)
        except ValueError:
            return None
        return doc if isinstance(doc, Mapping) else None
    return None


def public_allow_statements(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Statements that Allow anyone (`Principal: "*"` or `{"AWS": "*"}`) with no Condition to narrow them:
    what makes a bucket policy public (a Deny with `*`, such as a TLS-only policy, is not)."""
    out = []
    for st in items(doc.get("Statement")):
        if not isinstance(st, Mapping) or st.get("Effect") != "Allow" or st.get("Condition"):
            continue
        principal = st.get("Principal")
        if isinstance(principal, Mapping):
            principal = principal.get("AWS")
        if principal == "*" or (isinstance(principal, list) and "*" in principal):
            out.append(st)
    return out
