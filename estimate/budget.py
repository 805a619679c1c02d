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
    from aiinfra.spec.models import Budget

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
        are = "line is" if self.unpriced == 1 else "lines are"
        lower = f" (a lower bound: {self.unpriced} {are} {what})" if self.unpriced else ""
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


# -- the gate: limits from flags or the stack's aiinfra:budget, and its verdict ------------------------------

WITHIN = "within budget"
OVER = "over budget"
UNKNOWN = "unknown parts: cannot pass"
VERDICT_PREFIX = "budget verdict: "
"""`infra estimate` and `infra check` end their stderr with `budget verdict: <verdict>` when a budget
applies; the PR workflow reads the verdict from that line."""


@dataclass(frozen=True)
class Gate:
    """The budget one run gates on: each limit and the fail-closed switch, with where it came from (a flag,
    or the stack's `aiinfra:budget`), so a failure names what to change."""

    max_usd: Decimal | None = None
    max_co2e_kg: Decimal | None = None
    fail_on_incomplete: bool = False
    usd_from: str = "--max-monthly-usd"
    co2e_from: str = "--max-monthly-co2e-kg"
    incomplete_from: str = "--fail-on-incomplete"
    stack_file: str | None = None
    """The stack file whose budget applies (None: flags only)."""
    where: str = ""
    """Said after a setting of the stack's budget: ` (aiinfra:budget in stacks/Pulumi.NAME.yaml)`."""

    @property
    def active(self) -> bool:
        return self.max_usd is not None or self.max_co2e_kg is not None or self.fail_on_incomplete

    def setting(self, metric: Metric) -> str:
        """Where the limit on `metric` is set, as a fix names it: the flag, or the stack budget's key and file."""
        name = self.usd_from if metric == "cost" else self.co2e_from
        return name if name.startswith("--") else f"{name}{self.where}"


def gate(
    budget: Budget | None,
    source: str | None,
    max_usd: float | None,
    max_co2e_kg: float | None,
    fail_on_incomplete: bool | None,
) -> Gate:
    """The gate of a run: a flag given wins over the stack's budget (`budget`, read from `source`), key by
    key; a declared budget fails closed unless it says `failOnIncomplete: false`; no budget and no flag
    gates nothing. Bad flag values are bad input (exit 2)."""
    usd = limit(max_usd, "--max-monthly-usd", "US dollars a month")
    co2e = limit(max_co2e_kg, "--max-monthly-co2e-kg", "kg CO2e a month")
    where = f" (aiinfra:budget in {source})" if source else " (aiinfra:budget)"
    from_stack = {"usd_from": "", "co2e_from": "", "incomplete_from": ""}
    if budget is not None:
        if usd is None and budget.max_monthly_usd is not None:
            usd = Decimal(str(budget.max_monthly_usd))
            from_stack["usd_from"] = "maxMonthlyUsd"
        if co2e is None and budget.max_monthly_co2e_kg is not None:
            co2e = Decimal(str(budget.max_monthly_co2e_kg))
            from_stack["co2e_from"] = "maxMonthlyCo2eKg"
        if fail_on_incomplete is None:
            fail_on_incomplete = budget.fail_on_incomplete
            said = "fail_on_incomplete" in budget.model_fields_set
            from_stack["incomplete_from"] = "failOnIncomplete: true" if said else "failing closed by default"
    given = {k: v for k, v in from_stack.items() if v}
    return Gate(
        usd,
        co2e,
        bool(fail_on_incomplete),
        stack_file=source if budget is not None else None,
        where=where,
        **given,
    )


@dataclass(frozen=True)
class Verdict:
    """What a gate says of an estimate: `verdict` is WITHIN, OVER or UNKNOWN; `over` the limits the total
    is above (a lower bound above a limit is above it); `unknown` why a gated total cannot be known."""

    gate: Gate
    verdict: str
    over: list[Breach]
    unknown: list[str]
    lower_bound: bool
    """The totals have unknown parts (the verdict holds for the known part only)."""

    @property
    def failed(self) -> bool:
        return self.verdict != WITHIN

    def messages(self) -> list[str]:
        """One line per failure, naming the limit or switch and where it was set, with the fix."""
        out = []
        g = self.gate
        for b in self.over:
            name = g.usd_from if b.metric == "cost" else g.co2e_from
            where = "" if name.startswith("--") else g.where
            out.append(f"budget exceeded: {b.describe()} above {name} {b.limit_text()}{where}")
        fix = "price what is missing where you can (--price TYPE=USD_PER_HOUR for a machine type the catalog lacks)"
        if g.incomplete_from.startswith("--"):
            switch = g.incomplete_from
        else:
            switch = f"aiinfra:budget in {g.stack_file}, {g.incomplete_from}"
            fix += "; or, if the team accepts a lower bound, set failOnIncomplete: false in aiinfra:budget, saying why"
        out += [f"incomplete estimate ({switch}): {m}. Fix: {fix}." for m in self.unknown]
        return out

    def to_json(self) -> dict[str, object]:
        """The gate and its verdict, for `infra estimate --format json` (`budget`)."""
        from aiinfra.estimate.model import num

        g = self.gate
        return {
            "verdict": self.verdict,
            "max_monthly_usd": num(g.max_usd, 2),
            "max_monthly_co2e_kg": num(g.max_co2e_kg, 1),
            "fail_on_incomplete": g.fail_on_incomplete,
            "stack_file": g.stack_file,
            "over": [
                {
                    "metric": b.metric,
                    "total": num(b.total, 2),
                    "limit": num(b.limit, 2),
                    "unknown_lines": b.unpriced,
                }
                for b in self.over
            ],
            "unknown": list(self.unknown),
            "lower_bound": self.lower_bound,
        }


def judge(result: Estimate, g: Gate) -> Verdict:
    """The verdict of `g` on `result`: over when a total (even a lower bound) is above its limit; else
    unknown when the gate fails closed and a gated total has unknown parts; else within."""
    over = breaches(result, g.max_usd, g.max_co2e_kg)
    unknown = incomplete_gates(result, g.max_usd, g.max_co2e_kg) if g.fail_on_incomplete else []
    lower = bool(unpriced_lines(result) or result.unsupported) or (
        g.max_co2e_kg is not None and bool(unpriced_lines(result, "co2e"))
    )
    verdict = OVER if over else UNKNOWN if unknown else WITHIN
    return Verdict(g, verdict, over, unknown, lower)
