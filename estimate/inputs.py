"""Reading a resource's inputs in estimate rules: nested objects, the region, unpriced charges, and the
numbers (counts and sizes) guarded in this one place.

A graph can come from any program or file, so a number may be hostile: NaN, Infinity, 1e300, a
5,000-digit integer, a negative node count, a word where a size goes. Decided: such an input is never a
crash and never a negative or infinite total. `count` and `size` raise `BadNumber`; the estimator
(estimator.py) turns it into an *unpriced* line of that resource whose reason names the input's path, its
value (cut to ~40 characters) and the fix. A missing value (None, "") is not bad: the rule's default
applies, as before."""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from aiinfra.estimate.model import Charge

if TYPE_CHECKING:
    from aiinfra.engine.graph import PlannedResource
    from aiinfra.estimate.context import Context

MAX_COUNT = 100_000
"""Nodes (or instances, zones, key bits) one resource may ask for: above GKE's 65,000-node cluster limit,
the largest any cloud documents; more is a typo or an attack, not a plan."""

MAX_GIB = Decimal(10 * 1024 * 1024)
"""10 PiB in GiB: above the largest single volume, file system or share any of the three clouds sells
(FSx for Lustre and Azure Managed Lustre top out in the low PiB)."""

MAX_TEXT = 40
"""Characters of a bad value shown in a reason; and a number written with more digits than this is
absurd for a count or size (int() of 5,000 digits is slow, and Python refuses more)."""


class BadNumber(ValueError):
    """An input that should be a count or size but cannot be used as one."""

    def __init__(self, path: str, value: Any, why: str, fix: str) -> None:
        if isinstance(value, int) and value.bit_length() > 4 * MAX_TEXT:  # str() refuses 4,300+ digits
            shown = f"(an integer of {value.bit_length()} bits)"
        else:
            shown = repr(value) if isinstance(value, str) else str(value)
        if len(shown) > MAX_TEXT:
            shown = shown[: MAX_TEXT - 1] + "…"
        self.path, self.value, self.why, self.fix = path, shown, why, fix
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        return f"{self.path} = {self.value} {self.why}; {self.fix}"

    def charge(self, description: str) -> Charge:
        """The unpriced line a resource with this input becomes."""
        return unpriced(description, "", self.reason)


class Unreadable(BadNumber):
    """A value the document hides (a secret) or cannot know yet (unknown until apply): the line is
    unpriced with that reason, never a crash and never a guess."""

    def __init__(self, path: str, value: Any) -> None:
        from aiinfra.engine.inputs import value_kind

        self.kind = value_kind(value) or "unreadable"
        super().__init__(path, "", self.kind, "")

    @property
    def reason(self) -> str:
        if self.kind == "a secret":
            return f"{self.path}: the value is a secret in this document, so it is not read"
        if self.kind == "unknown until apply":
            return (
                f"{self.path}: the value is unknown until apply; give it in the program or its config, or "
                "estimate the deployed stack (`pulumi stack export`) with --from"
            )
        return f"{self.path}: the value cannot be read"


def _number(value: Any, path: str, what: str, fix: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    from aiinfra.engine.inputs import value_kind

    if value_kind(value) in ("a secret", "unknown until apply"):
        raise Unreadable(path, value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise BadNumber(path, value, f"is not a {what}", fix)
    if isinstance(value, str) and len(value.strip()) > MAX_TEXT:
        raise BadNumber(path, value, f"is too long to be a {what}", fix)
    if isinstance(value, int) and value.bit_length() > 4 * MAX_TEXT:  # far above any bound, before str()
        raise BadNumber(path, value, f"is far too large for a {what}", fix)
    if isinstance(value, float) and not math.isfinite(value):
        raise BadNumber(path, value, f"is not a finite {what}", fix)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise BadNumber(path, value, f"is not a {what}", fix) from None
    if not number.is_finite():
        raise BadNumber(path, value, f"is not a finite {what}", fix)
    if number < 0:
        raise BadNumber(path, value, f"is negative, not a {what}", fix)
    return number


def count(value: Any, path: str, default: int | None = None) -> int | None:
    """A whole number of nodes, instances or the like, 0 to MAX_COUNT; `default` when it is missing."""
    fix = f"give a whole number from 0 to {MAX_COUNT:,}"
    number = _number(value, path, "count", fix)
    if number is None:
        return default
    if number > MAX_COUNT:
        raise BadNumber(path, value, f"is above {MAX_COUNT:,}, the most this estimate accepts", fix)
    if number != number.to_integral_value():
        raise BadNumber(path, value, "is not a whole number", fix)
    return int(number)


def size(value: Any, path: str, *, unit: str = "GiB", per_gib: Decimal = Decimal(1)) -> Decimal | None:
    """A size in `unit` (`per_gib` GiB each), 0 to MAX_GIB in total; None when it is missing."""
    most = MAX_GIB / per_gib
    fix = f"give a size in {unit} from 0 to {most:,.0f} (10 PiB)"
    number = _number(value, path, f"size in {unit}", fix)
    if number is None:
        return None
    if number > most:
        raise BadNumber(path, value, "is above 10 PiB, the most this estimate accepts", fix)
    return number


def as_dict(value: Any) -> dict[str, Any]:
    """A nested input object; pulumi-gcp max-1 blocks sometimes arrive as a one-item list."""
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """A list input as a list; anything else (absent, or a whole list unknown until apply, which must not be
    iterated as text) as none."""
    return value if isinstance(value, list) else []


def region(r: PlannedResource, ctx: Context, cloud: str) -> str | None:
    return ctx.region(r, cloud)


def unpriced(description: str, unit: str, reason: str) -> Charge:
    return Charge(
        description=description, quantity=Decimal(0), unit=unit, unit_price_usd=None, source="", reason=reason
    )


def with_notes(charges: list[Charge], assumptions: list[str]) -> list[Charge]:
    """The charges with `assumptions` added to each."""
    return [dataclasses.replace(c, assumptions=(*c.assumptions, *assumptions)) for c in charges]
