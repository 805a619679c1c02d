"""`infra estimate`: what a stack will cost, draw and emit a month, before anything is created — from the
offline plan of a stack, from any Pulumi Python program, or from `pulumi preview --json` / `pulumi stack
export` output; compared with another estimate; checked against budgets."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args

import typer
from rich.console import Console
from rich.text import Text

from aiinfra.cli.errors import FAILED, fail, stderr, warn
from aiinfra.cli.options import ConfigOpt, NoBudgetOpt, PriceOpt
from aiinfra.spec.models import NamedUsageProfile

if TYPE_CHECKING:
    from aiinfra.estimate.budget import Verdict
    from aiinfra.estimate.model import Estimate
    from aiinfra.spec.models import Budget


class EstimateFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


PROFILES = get_args(NamedUsageProfile)


def estimate(
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack",
            "-s",
            help="A stack name (stacks/Pulumi.NAME.yaml) or a path to a stack file; with --program, the "
            "program's stack whose Pulumi.<stack>.yaml config to use (default dev). Not with --from.",
            show_default=False,
        ),
    ] = None,
    program: Annotated[
        Path | None,
        typer.Option(
            "--program",
            help="Estimate any Pulumi Python program in this directory, planned offline.",
            show_default=False,
        ),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Estimate a `pulumi preview --json` output (with the change per resource), a `pulumi "
            "stack export` file (a deployed stack, its outputs where inputs are silent) or an `infra plan "
            "--format json` file; `-` reads standard input. Not with -s.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        EstimateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = EstimateFormat.table,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help=f"Usage profile: {', '.join(PROFILES)} (default: the stack's aiinfra:usage, else training-steady).",
            show_default=False,
        ),
    ] = None,
    usage: Annotated[
        Path | None,
        typer.Option(
            "--usage",
            help="Usage file (default stacks/usage.<stack>.yaml when it exists): stored GiB, NAT traffic, nodes, "
            "hours and utilisation per resource or pool.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    compare_to: Annotated[
        str | None,
        typer.Option(
            "--compare-to",
            help="Show what changes against another stack, a graph file, or a saved estimate JSON.",
            show_default=False,
        ),
    ] = None,
    max_monthly_usd: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-usd",
            help="Exit 1 when the monthly cost is above this; overrides the stack's aiinfra:budget "
            "maxMonthlyUsd.",
            show_default=False,
        ),
    ] = None,
    max_monthly_co2e_kg: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-co2e-kg",
            help="Exit 1 when the monthly emissions are above this; overrides the stack's aiinfra:budget "
            "maxMonthlyCo2eKg.",
            show_default=False,
        ),
    ] = None,
    price: PriceOpt = None,
    config: ConfigOpt = None,
    fail_on_incomplete: Annotated[
        bool | None,
        typer.Option(
            "--fail-on-incomplete/--no-fail-on-incomplete",
            help="Exit 1 when a gated total has unknown parts (unpriced lines, resources not estimated, "
            "regions with no grid figure), even below its limit: an unknown cost is not $0. Gates the cost "
            "when no limit is set. Overrides the stack's aiinfra:budget failOnIncomplete (a declared "
            "budget fails closed unless it says false).",
            show_default=False,
        ),
    ] = None,
    budget_from: Annotated[
        str | None,
        typer.Option(
            "--budget-from",
            help="Gate on this stack's aiinfra:budget (a name or a stack file): for --from or --program "
            "estimates of that stack, such as its `pulumi preview --json`; its usage file and named usage "
            "profile apply too unless --usage / --profile are given. With -s, that stack's budget applies "
            "by default.",
            show_default=False,
        ),
    ] = None,
    no_budget: NoBudgetOpt = False,
    no_alternatives: Annotated[
        bool,
        typer.Option(
            "--no-alternatives",
            help="Table output: leave out the cheaper / greener alternatives of each GPU pool.",
        ),
    ] = False,
) -> None:
    """Estimate what a stack will cost ($/month), draw (kWh/month) and emit (kgCO2e/month), per resource and
    per pool, before anything is created. Energy is machine power at the usage profile's utilisation × hours ×
    PUE; carbon is energy × the region's grid intensity. Unknown prices are listed as unpriced, never $0.
    With -s, the stack's aiinfra:budget gates the estimate (exit 1 over budget or, failing closed, with
    unknown parts); flags override it key by key."""
    sources = [s for s in (program, from_file) if s is not None]
    if len(sources) > 1 or (not sources and stack is None):
        fail("give one of -s STACK, --program DIR or --from FILE.")
    if from_file is not None and stack is not None:
        fail(
            "-s STACK and --from FILE are exclusive: the file already is the stack. Give one of them "
            "(with --program, -s names the program's stack config)."
        )
    from aiinfra.estimate.budget import gate, user_prices
    from aiinfra.services.stack import compare_to as other
    from aiinfra.services.stack import estimate_file, estimate_source, program_config

    prices = user_prices(price)
    settings = program_config(config)
    if settings and program is None:
        fail("--config sets a program's config and needs --program DIR.")
    if no_budget and budget_from is not None:
        fail("--no-budget and --budget-from are exclusive: give one of them.")
    if budget_from is None and not sources:
        budget_from = stack  # -s STACK: its own budget
    budget, budget_file = (
        stack_budget(budget_from) if budget_from is not None and not no_budget else (None, None)
    )
    if budget_from is not None and sources:  # an estimate *of* that stack: its usage settings apply too
        profile, usage = stack_usage(budget_from, profile, usage)
    limits = gate(budget, budget_file, max_monthly_usd, max_monthly_co2e_kg, fail_on_incomplete)
    change = None
    if from_file is not None and compare_to is None:  # a preview also says what the update changes
        result, change = estimate_file(from_file, profile, usage, prices)
    else:
        result = estimate_source(stack, program, from_file, profile, usage, prices, settings)
    if format is not EstimateFormat.table:  # the table prints them itself, under the totals
        for message in result.warnings:
            warn(message)

    doc = result.to_json()
    verdict = None
    if limits.active:
        from aiinfra.estimate.budget import judge

        verdict = judge(result, limits)
        doc["budget"] = verdict.to_json()
    if compare_to is not None:
        from aiinfra.estimate.diff import diff

        change = diff(other(compare_to, profile), doc)
    _render(doc, change, format)
    if format is EstimateFormat.table and not no_alternatives:
        from aiinfra.cli.advise import print_alternatives

        print_alternatives(result)
    if verdict is not None:
        _budgets(result, verdict)


# -- output ----------------------------------------------------------------------------------------------


def _render(doc: dict[str, Any], change: dict[str, Any] | None, format: EstimateFormat) -> None:
    if format is EstimateFormat.json:
        out = dict(doc)
        if change is not None:
            out["diff"] = change
        typer.echo(json.dumps(out, indent=2))
        return
    from aiinfra.estimate import render

    if format is EstimateFormat.markdown:
        typer.echo(render.render_markdown(doc, change))
    elif format is EstimateFormat.html:
        typer.echo(render.render_html(doc, change))
    else:
        console = Console(soft_wrap=False)
        for part in render.render_table(doc, change):
            console.print(part)


def stack_budget(stack: str) -> tuple[Budget | None, str]:
    """A stack's `aiinfra:budget` and its file as shown to the user; a bad budget is bad input (exit 2)."""
    from aiinfra.engine.errors import BadInput
    from aiinfra.spec import SpecError
    from aiinfra.spec.loader import stack_budget as read

    try:
        budget, path = read(stack)
    except SpecError as e:
        raise BadInput(e.render()) from None
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return budget, shown


def stack_usage(stack: str, profile: str | None, usage: Path | None) -> tuple[str | None, Path | None]:
    """For --from/--program with --budget-from STACK: that stack's usage file (`usage.<stack>.yaml` beside
    it, when it exists) and its named aiinfra:usage profile, unless --usage / --profile say otherwise, so
    the gate judges the same numbers `infra estimate -s STACK` shows."""
    from aiinfra.estimate.usage import usage_file_for
    from aiinfra.spec.loader import read_stack_config, stack_file

    path = stack_file(stack)
    if usage is None and (own := usage_file_for(path)).exists():
        usage = own
    if profile is None:
        declared = read_stack_config(path).get("aiinfra:usage")
        if isinstance(declared, dict) and isinstance(declared.get("profile"), str):
            profile = declared["profile"] if declared["profile"] != "custom" else None
    return profile, usage


def _budgets(result: Estimate, verdict: Verdict) -> None:
    """The gate's failures and its verdict on stderr (`budget verdict: ...`, read by the PR workflow);
    exit 1 unless within budget."""
    from aiinfra.estimate.budget import VERDICT_PREFIX, unpriced_lines

    for message in verdict.messages():
        stderr.print(Text(message, style="bold red"))
    if not verdict.failed:
        unpriced = unpriced_lines(result)
        if (verdict.gate.max_usd is not None or verdict.gate.max_co2e_kg is not None) and unpriced:
            lines = "1 line is" if unpriced == 1 else f"{unpriced} lines are"
            warn(f"within budget, but {lines} unpriced: the total is a lower bound")
    stderr.print(Text(VERDICT_PREFIX + verdict.verdict, style="bold"))
    if verdict.failed:
        raise typer.Exit(FAILED)
