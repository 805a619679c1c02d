"""Budgets: an estimate against monthly limits, for `infra estimate --max-monthly-*` and the policy
budget rules (`infra check`, the CrossGuard pack). One place says what a breach is and how it reads;
a total with unpriced parts is a lower bound ("≥ $X"), and a lower bound above a limit is still above it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from aiinfra.engine.errors import BadInput

if TYPE_CHECKING:
    from aiinfra.estimate.model import Estimate

Metric = Literal["cost", "co2e"]


def limit(value: float | None, option: str, unit: str = "") -> Decimal | None:
    """A limit from the command line or policy config as a Decimal; None stays None. NaN, an infinity or a
    negative number is bad input (exit 2) naming `option` and the fix: a limit nothing can be above, or
    below, checks nothing and is a typo."""
    if value is None:
        return None
    what = f" ({unit})" if unit else ""
    fix = f"Give {option} a finite number, 0 or more{what}, e.g. {option} 1000."
    if not math.isfinite(value):
        raise BadInput(f"{option} must be a finite number, not {value}.", fix)
    if value < 0:
        raise BadInput(f"{option} must be 0 or more, not {value:g}.", fix)
    return Decimal(str(value))


def unpriced_lines(result: Estimate, metric: Metric = "cost") -> int:
    """Unpriced lines that add nothing to `metric`'s total, which is therefore a lower bound. (A priced line
    with no carbon figure, a KMS key or a bucket, draws no power of its own: it lowers nothing.)"""
    unpriced = [ln for ln in result.lines if ln.monthly_cost_usd is None]
    if metric == "cost":
        return len(unpriced)
    return sum(1 for ln in unpriced if ln.monthly_co2e_kg is None)


@dataclass(frozen=True)
class Breach:
    """A monthly total above its limit. `unpriced` lines have no figure: the total is a lower bound."""

    metric: Metric
    total: Decimal
    limit: Decimal
    unpriced: int

    def describe(self) -> str:
        """The total as the subject of a sentence, with its verb: `monthly cost ≥ $X (…) is`."""
        at_least = "≥ " if self.unpriced else ""
        lower = f" (a lower bound: {self.unpriced} lines are unpriced)" if self.unpriced else ""
        if self.metric == "cost":
            return f"monthly cost {at_least}${self.total:,.2f}{lower} is"
        return f"monthly emissions {at_least}{self.total:,.1f} kg CO2e{lower} are"

    def limit_text(self) -> str:
        return f"{self.limit:,.2f}" if self.metric == "cost" else f"{self.limit:,.1f}"


def breach(result: Estimate, metric: Metric, most: Decimal | None) -> Breach | None:
    """The breach of one limit (None when there is no limit or the total is within it)."""
    if most is None:
        return None
    total = result.monthly_cost_usd if metric == "cost" else result.monthly_co2e_kg
    if total <= most:
        return None
    return Breach(metric, total, most, unpriced_lines(result, metric))


def breaches(result: Estimate, max_usd: Decimal | None, max_co2e_kg: Decimal | None) -> list[Breach]:
    """Every limit the estimate is above, cost first."""
    found = (breach(result, "cost", max_usd), breach(result, "co2e", max_co2e_kg))
    return [b for b in found if b is not None]
