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
    from aiinfra.estimate.model import Estimate, Line
    from aiinfra.estimate.usage import UserPrice

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


def user_prices(values: list[str] | None) -> dict[str, UserPrice]:
    """`--price TYPE=USD_PER_HOUR` flags as prices; a bad one is bad input (exit 2) with the fix."""
    from aiinfra.estimate.usage import parse_prices

    try:
        return parse_prices(values or [])
    except ValueError as e:
        raise BadInput(str(e)) from None


def unknown_lines(result: Estimate, metric: Metric = "cost") -> list[str]:
    """The resources of the lines that add nothing to `metric`'s total although they should, which is
    therefore a lower bound: unpriced lines; for carbon, unpriced lines with no carbon figure and lines that
    draw energy in a region with no grid figure (unknown, not 0 kg). (A priced line with no carbon figure
    and no energy, a KMS key or a bucket, draws no power of its own: it lowers nothing.)"""
    return [ln.resource for ln in result.lines if _unknown(ln, metric)]


def unpriced_lines(result: Estimate, metric: Metric = "cost") -> int:
    """How many lines `unknown_lines` finds for `metric`."""
    return sum(1 for ln in result.lines if _unknown(ln, metric))


def _unknown(ln: Line, metric: Metric) -> bool:
    if metric == "cost":
        return ln.monthly_cost_usd is None
    return ln.monthly_co2e_kg is None and (ln.monthly_cost_usd is None or ln.monthly_energy_kwh is not None)


def incomplete(result: Estimate, metric: Metric) -> str | None:
    """For `--fail-on-incomplete`: why `metric`'s total cannot pass a gate (lines without a figure and
    resources no rule estimates, how many and the first few), or None when every part is known. An unknown
    cost is not $0, and an unknown gate result is a failure."""
    lines = unknown_lines(result, metric)
    unsupported = [s.resource for s in result.unsupported]
    if not lines and not unsupported:
        return None
    parts = []
    if lines:
        what = "unpriced" if metric == "cost" else "without a carbon figure"
        parts.append(f"{len(lines)} {'line is' if len(lines) == 1 else 'lines are'} {what}")
    if unsupported:
        parts.append(
            f"{len(unsupported)} {'resource is' if len(unsupported) == 1 else 'resources are'} not estimated"
        )
    names = list(dict.fromkeys(lines + unsupported))
    shown = ", ".join(names[:FIRST]) + (f", … ({len(names) - FIRST} more)" if len(names) > FIRST else "")
    total = "monthly cost is" if metric == "cost" else "monthly emissions are"
    return f"{' and '.join(parts)} ({shown}): the {total} unknown, not 0, so the gate fails"


FIRST = 5
"""How many resources an incomplete-gate message names."""


def incomplete_gates(result: Estimate, max_usd: object, max_co2e: object) -> list[str]:
    """`--fail-on-incomplete`: why each gated total is unknown — the cost (gated when it has a limit, or
    when neither has one) and the emissions (when they have a limit); empty when all are known."""
    gates: list[Metric] = ["cost"] if max_usd is not None or max_co2e is None else []
    if max_co2e is not None:
        gates.append("co2e")
    return [m for metric in gates if (m := incomplete(result, metric)) is not None]


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
        what = "unpriced" if self.metric == "cost" else "without a carbon figure"
        lower = f" (a lower bound: {self.unpriced} lines are {what})" if self.unpriced else ""
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
