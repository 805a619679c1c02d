"""The CrossGuard adapters: the guardrail rules of `aiinfra.policy` as Pulumi policies, so `pulumi preview
--policy-pack policy/` and `pulumi up --policy-pack policy/` enforce exactly what `infra check` reports.

- a resource rule becomes a `ResourceValidationPolicy`: `ResourceValidationArgs` (resource_type, props,
  urn, name, opts.protect) → a `PlannedResource` → the rule → one `report_violation` per violation;
- a graph rule becomes a `StackValidationPolicy`: `StackValidationArgs.resources` → a `ResourceGraph`
  (parents, providers and their regions kept) → the rule → `report_violation(message, urn)`.

Props reach policies wrapped in pulumi_policy's unknown-checking proxies, which raise on a value not
known during preview; `plain` copies them into plain data with such values as the graph's UNKNOWN marker,
and the rules do not report on what they cannot know. pulumi-policy 1.21 passes `protect` but not
`retainOnDelete` to policies, so under the pack a resource is protected only by `protect` (aiinfra's
storage sets both). Severity maps to enforcement: high and medium are mandatory, low advisory.

This module imports pulumi_policy but never starts a pack: `policy/__main__.py` does, so tests can build
and call every policy without a Pulumi engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from aiinfra.engine.graph import STACK_TYPE, PlannedResource, ResourceGraph, is_component_type, urn_parts
from aiinfra.engine.inputs import UNKNOWN
from aiinfra.policy.model import (
    DEFAULT_CARBON_THRESHOLD_G_PER_KWH,
    CheckOptions,
    GraphCheck,
    ResourceCheck,
    Rule,
)
from aiinfra.policy.registry import RULES
from aiinfra.policy.values import is_unknown

PACK_NAME = "aiinfra"

ENFORCEMENT = {
    "high": EnforcementLevel.MANDATORY,
    "medium": EnforcementLevel.MANDATORY,
    "low": EnforcementLevel.ADVISORY,
}
SEVERITY = {"high": Severity.HIGH, "medium": Severity.MEDIUM, "low": Severity.LOW}

ReportViolation = Callable[..., None]

CONFIG_SCHEMAS: dict[str, PolicyConfigSchema] = {
    "gpu-carbon-intensity": PolicyConfigSchema(
        {
            "carbonThresholdGPerKwh": {
                "type": "number",
                "minimum": 0,
                "default": DEFAULT_CARBON_THRESHOLD_G_PER_KWH,
            }
        }
    ),
    "budget-monthly-cost": PolicyConfigSchema({"maxMonthlyUsd": {"type": "number", "minimum": 0}}),
    "budget-monthly-co2e": PolicyConfigSchema({"maxMonthlyCo2eKg": {"type": "number", "minimum": 0}}),
}
"""Per-policy config (`pulumi policy enable ... --config`, or a policy group): the carbon threshold and the
budgets. A budget policy without its figure checks nothing."""


def plain(value: Any) -> Any:
    """`value` as plain dicts and lists, each unknown (a raising proxy read or a raw sentinel) as UNKNOWN."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in value:
            try:
                out[str(key)] = plain(value[key])
            except UnknownValueError:
                out[str(key)] = UNKNOWN
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items = []
        for i in range(len(value)):
            try:
                items.append(plain(value[i]))
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return UNKNOWN if is_unknown(value) else value


def _provider_ref(provider: Any) -> str | None:
    """The graph's provider reference `<urn>::<id>` of a PolicyProviderResource (its ID is not passed to
    policies; only the URN part is read back)."""
    urn = getattr(provider, "urn", None)
    return f"{urn}::policy" if urn else None


def resource_from_args(args: Any) -> PlannedResource:
    """A `ResourceValidationArgs` as the `PlannedResource` the rules read."""
    opts = getattr(args, "opts", None)
    parent = getattr(opts, "parent", None) or None
    if parent is not None and urn_parts(parent)[2].endswith(STACK_TYPE):
        parent = None  # directly under the stack, as graphs say it
    return PlannedResource(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        parent=parent,
        inputs=plain(args.props),
        custom=not is_component_type(args.resource_type),
        protect=bool(getattr(opts, "protect", False)),
        retain_on_delete=bool(getattr(opts, "retain_on_delete", False)),  # not passed by pulumi-policy 1.21
        provider=_provider_ref(getattr(args, "provider", None)),
    )


def graph_from_stack_args(args: Any) -> ResourceGraph:
    """A `StackValidationArgs` as a `ResourceGraph`: the stack root left out (its children's parent becomes
    None, as in every graph), providers kept or added from the resources' provider references, so the
    rules find each resource's region as they do offline."""
    resources: list[PlannedResource] = []
    seen: set[str] = set()
    stack = project = ""
    for r in args.resources:
        if r.resource_type == STACK_TYPE:
            stack, project = urn_parts(r.urn)[:2]
            continue
        parent = getattr(r, "parent", None)
        parent_urn = parent.urn if parent is not None and parent.resource_type != STACK_TYPE else None
        opts = getattr(r, "opts", None)
        resources.append(
            PlannedResource(
                type=r.resource_type,
                name=r.name,
                urn=r.urn,
                parent=parent_urn,
                inputs=plain(r.props),
                custom=not is_component_type(r.resource_type),
                protect=bool(getattr(opts, "protect", False)),
                retain_on_delete=bool(getattr(opts, "retain_on_delete", False)),
                provider=_provider_ref(getattr(r, "provider", None)),
            )
        )
        seen.add(r.urn)
    for r in args.resources:
        p = getattr(r, "provider", None)
        if p is not None and p.urn not in seen:
            seen.add(p.urn)
            resources.append(PlannedResource(p.resource_type, p.name, p.urn, None, plain(p.props), True))
    if not stack and resources:
        stack, project = urn_parts(resources[0].urn)[:2]
    return ResourceGraph(stack=stack or "stack", project=project or "project", resources=resources)


def _message(v: Any) -> str:
    checkov = f" [{v.checkov}]" if v.checkov else ""
    return f"{v.message} Fix: {v.fix}{checkov}"


def resource_validation(rule: Rule) -> Callable[[Any, ReportViolation], None]:
    """The `validate` callback of a resource rule's policy."""
    check = cast(ResourceCheck, rule.check)
    types = frozenset(rule.types)

    def validate(args: Any, report_violation: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        for v in check(resource_from_args(args)):
            report_violation(_message(v))

    return validate


def _number(config: Mapping[str, Any], key: str) -> float | None:
    value = config.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _options(args: Any) -> CheckOptions:
    """The graph rules' options from the policy's config (see CONFIG_SCHEMAS); defaults where unset."""
    get = getattr(args, "get_config", None)
    config: Mapping[str, Any] = (get() if callable(get) else None) or {}
    threshold = _number(config, "carbonThresholdGPerKwh")
    return CheckOptions(
        carbon_threshold_g_per_kwh=threshold if threshold is not None else DEFAULT_CARBON_THRESHOLD_G_PER_KWH,
        max_monthly_usd=_number(config, "maxMonthlyUsd"),
        max_monthly_co2e_kg=_number(config, "maxMonthlyCo2eKg"),
        usd_limit_from="maxMonthlyUsd in the policy's config",
        co2e_limit_from="maxMonthlyCo2eKg in the policy's config",
    )


def stack_validation(rule: Rule) -> Callable[[Any, ReportViolation], None]:
    """The `validate` callback of a graph rule's policy: a violation on a resource carries its URN; a
    stack-wide one (a budget) none."""
    check = cast(GraphCheck, rule.check)

    def validate(args: Any, report_violation: ReportViolation) -> None:
        for v in check(graph_from_stack_args(args), _options(args)):
            if v.urn:
                report_violation(_message(v), v.urn)
            else:
                report_violation(_message(v))

    return validate


def build_policies(rules: Sequence[Rule] = RULES) -> list[Policy]:
    """One policy per rule, named by the rule id, in registry order."""
    policies: list[Policy] = []
    for rule in rules:
        common: dict[str, Any] = {
            "name": rule.id,
            "description": rule.title + (f" (Checkov {rule.checkov})" if rule.checkov else ""),
            "enforcement_level": ENFORCEMENT[rule.severity],
            "severity": SEVERITY[rule.severity],
            "config_schema": CONFIG_SCHEMAS.get(rule.id),
            "remediation_steps": (rule.check.__doc__ or "").strip() or None,
            "tags": ["aiinfra", rule.kind],
        }
        if rule.kind == "resource":
            policies.append(ResourceValidationPolicy(validate=resource_validation(rule), **common))
        else:
            policies.append(StackValidationPolicy(validate=stack_validation(rule), **common))
    return policies
