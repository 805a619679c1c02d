"""What a guardrail check produces and what a rule is: plain data, no pulumi objects.

A rule is a plain function. A *resource rule* looks at one resource (its type, name, inputs and its
`protect` / `retain_on_delete` flags, i.e. a `PlannedResource`); a *graph rule* looks at the whole
`ResourceGraph` (a bucket and its separate encryption resource, a pool and the grid of its region, the
monthly estimate). `infra check` and the CrossGuard pack call the same functions, so a violation reads the
same in a pull request and in `pulumi up`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from aiinfra.catalog import Catalog
    from aiinfra.engine.graph import PlannedResource, ResourceGraph
    from aiinfra.estimate.model import Estimate

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
"""Most severe first: the order of a report, and of `--fail-on`."""

RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}

DEFAULT_CARBON_THRESHOLD_G_PER_KWH = 450.0
"""Grid intensity above which a GPU pool is reported (low severity). 450 gCO2e/kWh sits above the US and EU
averages and below coal-heavy grids (ap-south-1 708, af-south-1 901 in the catalog), so only the regions
where moving a pool cuts its emissions by a third or more are named."""


def at_least(severity: str, threshold: str) -> bool:
    """True when `severity` is `threshold` or more severe (`high` is at least `low`)."""
    return RANK[severity] <= RANK[threshold]


@dataclass(frozen=True, slots=True)
class Violation:
    rule_id: str
    severity: Severity
    resource: str
    """The resource's name (the stack's name for a stack-wide finding such as a budget)."""
    type: str
    message: str
    """What is wrong, with the values that make it wrong."""
    fix: str
    """What to change, in the terms of the input or option to set."""
    checkov: str | None = None
    """The Checkov check that finds the same problem in Terraform/CloudFormation, where one exists."""
    urn: str | None = None
    """The resource's URN, so the CrossGuard pack can attach a stack-level finding to its resource."""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "resource": self.resource,
            "type": self.type,
            "message": self.message,
            "fix": self.fix,
            "checkov": self.checkov,
        }


@dataclass
class CheckOptions:
    """What graph rules may need beyond the graph: the catalog (GPU types, grid intensity), the carbon
    threshold, the budgets and an estimate already computed (the CLI's, with the stack's usage profile)."""

    catalog: Catalog | None = None
    carbon_threshold_g_per_kwh: float = DEFAULT_CARBON_THRESHOLD_G_PER_KWH
    max_monthly_usd: float | None = None
    max_monthly_co2e_kg: float | None = None
    estimate: Estimate | None = None
    usd_limit_from: str = "--max-monthly-usd"
    """Where the cost limit is set, for a violation's fix: a flag, the stack's budget, or the pack's config."""
    co2e_limit_from: str = "--max-monthly-co2e-kg"

    def get_catalog(self) -> Catalog:
        """The catalog given, else the shipped one (loaded once, on first use: most rules never need it)."""
        if self.catalog is None:
            from aiinfra.catalog import default_catalog

            self.catalog = default_catalog()
        return self.catalog


ResourceCheck = Callable[["PlannedResource"], list[Violation]]
GraphCheck = Callable[["ResourceGraph", CheckOptions], list[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    checkov: str | None
    """The main Checkov ID; a violation may name a more specific one (port 22 vs 3389)."""
    kind: Literal["resource", "graph"]
    check: ResourceCheck | GraphCheck
    types: tuple[str, ...] = field(default=())
    """Resource rules: the type tokens the rule reads (others are skipped without calling it)."""
