"""Run every guardrail rule over a resource graph: `check_graph(graph) -> CheckReport`. No pulumi import:
the graph may come from an offline plan, a preview or a deployed stack's export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from aiinfra.engine.graph import PROVIDER_TYPE_PREFIX, ResourceGraph
from aiinfra.policy.model import (
    DEFAULT_CARBON_THRESHOLD_G_PER_KWH,
    RANK,
    SEVERITIES,
    CheckOptions,
    GraphCheck,
    ResourceCheck,
    Rule,
    Violation,
    at_least,
)
from aiinfra.policy.registry import RULES

if TYPE_CHECKING:
    from aiinfra.catalog import Catalog
    from aiinfra.estimate.model import Estimate


@dataclass
class CheckReport:
    stack: str
    violations: list[Violation]
    """Most severe first, then by resource and rule."""
    rules_run: list[str]
    resources_checked: int
    carbon_threshold_g_per_kwh: float
    max_monthly_usd: float | None = None
    max_monthly_co2e_kg: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {s: 0 for s in SEVERITIES}
        for v in self.violations:
            out[v.severity] += 1
        return {**out, "total": len(self.violations)}

    def failing(self, fail_on: str = "low") -> list[Violation]:
        """The violations at or above `fail_on` severity: what makes `infra check` exit 1."""
        return [v for v in self.violations if at_least(v.severity, fail_on)]

    def to_json(self, fail_on: str = "low") -> dict[str, Any]:
        """The `infra check --format json` document."""
        return {
            "stack": self.stack,
            "passed": not self.failing(fail_on),
            "fail_on": fail_on,
            "counts": self.counts,
            "violations": [v.to_json() for v in self.violations],
            "rules_run": list(self.rules_run),
            "resources_checked": self.resources_checked,
            "carbon_threshold_g_per_kwh": self.carbon_threshold_g_per_kwh,
            "budgets": {
                "max_monthly_usd": self.max_monthly_usd,
                "max_monthly_co2e_kg": self.max_monthly_co2e_kg,
            },
            "warnings": list(self.warnings),
        }


def sort_key(v: Violation) -> tuple[int, str, str, str]:
    return (RANK[v.severity], v.resource, v.rule_id, v.message)


def check_graph(
    graph: ResourceGraph,
    *,
    catalog: Catalog | None = None,
    carbon_threshold: float = DEFAULT_CARBON_THRESHOLD_G_PER_KWH,
    max_monthly_usd: float | None = None,
    max_monthly_co2e_kg: float | None = None,
    estimate: Estimate | None = None,
    rules: Iterable[Rule] = RULES,
    limits_from: tuple[str, str] = ("--max-monthly-usd", "--max-monthly-co2e-kg"),
) -> CheckReport:
    """Every rule over `graph`. Resource rules see each cloud resource of their types (components and
    providers create nothing and are skipped); graph rules see the whole graph. `estimate` is the one the
    budgets compare against (the CLI passes the stack's, with its usage profile); without it, one is made
    with the default profile when a budget is given. `limits_from` names where the cost and carbon limits are
    set (a flag, the stack's budget), for the fix of a budget violation."""
    options = CheckOptions(
        catalog=catalog,
        carbon_threshold_g_per_kwh=carbon_threshold,
        max_monthly_usd=max_monthly_usd,
        max_monthly_co2e_kg=max_monthly_co2e_kg,
        estimate=estimate,
        usd_limit_from=limits_from[0],
        co2e_limit_from=limits_from[1],
    )
    resources = [r for r in graph.resources if r.custom and not r.type.startswith(PROVIDER_TYPE_PREFIX)]
    found: list[Violation] = []
    run: list[str] = []
    for rule in rules:
        run.append(rule.id)
        if rule.kind == "resource":
            check = cast(ResourceCheck, rule.check)
            for r in resources:
                if r.type in rule.types:
                    found.extend(check(r))
        else:
            found.extend(cast(GraphCheck, rule.check)(graph, options))
    warnings = list(options.estimate.warnings) if options.estimate is not None and estimate is None else []
    return CheckReport(
        stack=graph.stack,
        violations=sorted(found, key=sort_key),
        rules_run=run,
        resources_checked=len(resources),
        carbon_threshold_g_per_kwh=carbon_threshold,
        max_monthly_usd=max_monthly_usd,
        max_monthly_co2e_kg=max_monthly_co2e_kg,
        warnings=warnings,
    )
