"""`infra check`: guardrail rules over the resources a stack would create — security, data safety, carbon,
budgets — with exit 1 when one at or above `--fail-on` is violated."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from aiinfra.cli.errors import FAILED, stderr, warn
from aiinfra.cli.options import NoBudgetOpt, PriceOpt, StackOpt
from aiinfra.policy.model import DEFAULT_CARBON_THRESHOLD_G_PER_KWH

if TYPE_CHECKING:
    from aiinfra.policy.check import CheckReport


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class FailOn(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


def check(
    stack: StackOpt,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="Exit 1 when a violation of this severity or above exists."),
    ] = FailOn.low,
    carbon_threshold: Annotated[
        float,
        typer.Option(
            "--carbon-threshold",
            help="Report GPU pools in regions whose grid emits more than this (gCO2e/kWh).",
        ),
    ] = DEFAULT_CARBON_THRESHOLD_G_PER_KWH,
    max_monthly_usd: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-usd",
            help="A violation when the monthly cost is above this; overrides the stack's aiinfra:budget "
            "maxMonthlyUsd.",
            show_default=False,
        ),
    ] = None,
    max_monthly_co2e_kg: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-co2e-kg",
            help="A violation when the monthly emissions are above this; overrides the stack's "
            "aiinfra:budget maxMonthlyCo2eKg.",
            show_default=False,
        ),
    ] = None,
    price: PriceOpt = None,
    fail_on_incomplete: Annotated[
        bool | None,
        typer.Option(
            "--fail-on-incomplete/--no-fail-on-incomplete",
            help="Exit 1 when the estimate behind the budgets has unknown parts (unpriced lines, resources "
            "not estimated, regions with no grid figure), even below the limits: an unknown cost is not $0. "
            "Gates the cost when no limit is set. Overrides the stack's aiinfra:budget failOnIncomplete (a "
            "declared budget fails closed unless it says false).",
            show_default=False,
        ),
    ] = None,
    no_budget: NoBudgetOpt = False,
) -> None:
    """Check the resources STACK would create against guardrail rules: encryption at rest, no 0.0.0.0/0
    ingress, IMDSv2, private cluster endpoints, KMS rotation, no public buckets, deletion protection on data,
    GPU pools on high-carbon grids, and monthly cost and carbon budgets (the stack's aiinfra:budget, or
    the flags, which override it). Exit 1 when a violation at or above --fail-on exists, or when a budget
    failing closed meets unknown parts. The same rules run in `pulumi up --policy-pack policy/`."""
    from aiinfra.cli.estimate import stack_budget
    from aiinfra.estimate.budget import gate, limit, user_prices

    limit(carbon_threshold, "--carbon-threshold", "gCO2e/kWh")  # bad input before anything is planned
    budget, budget_file = (None, None) if no_budget else stack_budget(stack)
    limits = gate(budget, budget_file, max_monthly_usd, max_monthly_co2e_kg, fail_on_incomplete)
    prices = user_prices(price)

    from aiinfra.policy import check_graph
    from aiinfra.services.stack import estimate_stack, plan_stack

    estimate = None
    if limits.active or prices:
        # the budgets compare against what `infra estimate -s STACK` shows: the stack's profile and usage file
        graph, estimate = estimate_stack(stack, prices=prices)  # exit 2 on a bad spec, 1 if the program fails
    else:
        graph = plan_stack(stack)
    for message in graph.warnings:
        warn(message)
    report = check_graph(
        graph,
        carbon_threshold=carbon_threshold,
        max_monthly_usd=None if limits.max_usd is None else float(limits.max_usd),
        max_monthly_co2e_kg=None if limits.max_co2e_kg is None else float(limits.max_co2e_kg),
        estimate=estimate,
        limits_from=(limits.setting("cost"), limits.setting("co2e")),
    )
    _render(report, format, fail_on)
    unknown = False
    if limits.active and estimate is not None:
        from aiinfra.estimate.budget import VERDICT_PREFIX, judge

        verdict = judge(estimate, limits)
        # a breach is a violation in the report above; what no rule can report is an unknown total
        for message in verdict.messages():
            if message.startswith("incomplete estimate"):
                stderr.print(Text(message, style="bold red"))
        stderr.print(Text(VERDICT_PREFIX + verdict.verdict, style="bold"))
        unknown = bool(verdict.unknown)
    if report.failing(fail_on.value) or unknown:
        raise typer.Exit(FAILED)


def _render(report: CheckReport, format: CheckFormat, fail_on: FailOn) -> None:
    from aiinfra.policy.render import render_markdown, render_table

    if format is CheckFormat.json:
        typer.echo(json.dumps(report.to_json(fail_on.value), indent=2))
    elif format is CheckFormat.markdown:
        typer.echo(render_markdown(report, fail_on.value), nl=False)
    else:
        console = Console(soft_wrap=False)
        for part in render_table(report, fail_on.value):
            console.print(part)
