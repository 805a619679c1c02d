"""`infra check`: guardrail rules over the resources a stack would create — security, data safety, carbon,
budgets — with exit 1 when one at or above `--fail-on` is violated."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from aiinfra.cli.errors import FAILED, stderr, warn
from aiinfra.cli.options import PriceOpt, StackOpt
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
            "--max-monthly-usd", help="A violation when the monthly cost is above this.", show_default=False
        ),
    ] = None,
    max_monthly_co2e_kg: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-co2e-kg",
            help="A violation when the monthly emissions are above this.",
            show_default=False,
        ),
    ] = None,
    price: PriceOpt = None,
    fail_on_incomplete: Annotated[
        bool,
        typer.Option(
            "--fail-on-incomplete",
            help="Exit 1 when the estimate behind the budgets has unknown parts (unpriced lines, resources "
            "not estimated, regions with no grid figure), even below the limits: an unknown cost is not $0. "
            "Gates the cost when no --max-monthly-* is given.",
        ),
    ] = False,
) -> None:
    """Check the resources STACK would create against guardrail rules: encryption at rest, no 0.0.0.0/0
    ingress, IMDSv2, private cluster endpoints, KMS rotation, no public buckets, deletion protection on data,
    GPU pools on high-carbon grids, and monthly cost and carbon budgets. Exit 1 when a violation at or above
    --fail-on exists. The same rules run in `pulumi up --policy-pack policy/`."""
    from aiinfra.estimate.budget import limit, user_prices

    limit(carbon_threshold, "--carbon-threshold", "gCO2e/kWh")  # bad input before anything is planned
    limit(max_monthly_usd, "--max-monthly-usd", "US dollars a month")
    limit(max_monthly_co2e_kg, "--max-monthly-co2e-kg", "kg CO2e a month")
    prices = user_prices(price)

    from aiinfra.policy import check_graph
    from aiinfra.services.stack import estimate_stack, plan_stack

    estimate = None
    if max_monthly_usd is not None or max_monthly_co2e_kg is not None or fail_on_incomplete or prices:
        # the budgets compare against what `infra estimate -s STACK` shows: the stack's profile and usage file
        graph, estimate = estimate_stack(stack, prices=prices)  # exit 2 on a bad spec, 1 if the program fails
    else:
        graph = plan_stack(stack)
    for message in graph.warnings:
        warn(message)
    report = check_graph(
        graph,
        carbon_threshold=carbon_threshold,
        max_monthly_usd=max_monthly_usd,
        max_monthly_co2e_kg=max_monthly_co2e_kg,
        estimate=estimate,
    )
    _render(report, format, fail_on)
    unknown = []
    if fail_on_incomplete and estimate is not None:
        from aiinfra.estimate.budget import incomplete_gates

        unknown = incomplete_gates(estimate, max_monthly_usd, max_monthly_co2e_kg)
    for message in unknown:
        stderr.print(f"[bold red]incomplete estimate (--fail-on-incomplete):[/] {message}")
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
