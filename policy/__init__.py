"""Guardrail checks over a resource graph: security (encryption, open ingress, IMDSv2, private endpoints,
public buckets), data safety (deletion protection), carbon (GPU pools on dirty grids) and budgets.

Rules are plain functions (`aiinfra.policy.rules`, `aiinfra.policy.graph_rules`) listed in
`aiinfra.policy.registry.RULES`; `check_graph` runs them for `infra check`, and `aiinfra.policy.pack`
adapts the same functions to a Pulumi CrossGuard policy pack (`pulumi up --policy-pack policy/`).
Nothing here imports pulumi except `pack` and `__main__`."""

from __future__ import annotations

from aiinfra.policy.check import CheckReport, check_graph
from aiinfra.policy.model import DEFAULT_CARBON_THRESHOLD_G_PER_KWH, SEVERITIES, Rule, Violation
from aiinfra.policy.registry import RULES, RULES_BY_ID

__all__ = [
    "DEFAULT_CARBON_THRESHOLD_G_PER_KWH",
    "RULES",
    "RULES_BY_ID",
    "SEVERITIES",
    "CheckReport",
    "Rule",
    "Violation",
    "check_graph",
]
