"""`infra estimate`: what a stack will cost, draw and emit a month, before anything is created — from the
offline plan of a stack, from any Pulumi Python program, or from `pulumi preview --json` / `pulumi stack
export` output; compared with another estimate; checked against budgets."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from aiinfra.cli.errors import FAILED, fail, stderr, warn
from rich.console import Console

if TYPE_CHECKING:
    from aiinfra.engine.graph import ResourceGraph
    from aiinfra.estimate.model import Estimate


class EstimateFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


PROFILES = ("training-steady", "inference-diurnal", "batch-weekday", "idle-reserved")


def estimate(
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack",
            "-s",
            help="A stack name (stacks/Pulumi.NAME.yaml) or a path to a stack file; with --program, the "
            "program's stack whose Pulumi.<stack>.yaml config to use (default dev).",
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
            help="Estimate a `pulumi preview --json` output, a `pulumi stack export` file or an "
            "`infra plan --format json` file (a deployed stack, too).",
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
            "--max-monthly-usd", help="Exit 1 when the monthly cost is above this.", show_default=False
        ),
    ] = None,
    max_monthly_co2e_kg: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-co2e-kg",
            help="Exit 1 when the monthly emissions are above this.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Estimate what a stack will cost ($/month), draw (kWh/month) and emit (kgCO2e/month), per resource and
    per pool, before anything is created. Energy is machine power at the usage profile's utilisation × hours ×
    PUE; carbon is energy × the region's grid intensity. Unknown prices are listed as unpriced, never $0."""
    sources = [s for s in (program, from_file) if s is not None]
    if len(sources) > 1 or (not sources and stack is None):
        fail("give one of -s STACK, --program DIR or --from FILE.")
    if program is None and from_file is None and stack is None:
        fail("give -s STACK.")
    result = _estimate_source(stack, program, from_file, profile, usage)
    for message in result.warnings:
        warn(message)

    doc = result.to_json()
    change = None
    if compare_to is not None:
        from aiinfra.estimate.diff import diff

        change = diff(_other(compare_to, profile), doc)
    _render(doc, change, format)
    _budgets(result, max_monthly_usd, max_monthly_co2e_kg)


# -- sources ---------------------------------------------------------------------------------------------


def _estimate_source(
    stack: str | None, program: Path | None, from_file: Path | None, profile: str | None, usage: Path | None
) -> Estimate:
    if program is not None:
        return _run(_program_graph(program, stack or "dev"), profile, None, usage, program / "usage.yaml")
    if from_file is not None:
        return _run(_graph_file(from_file), profile, None, usage, None)
    assert stack is not None
    return estimate_stack(stack, profile, usage)[1]


def estimate_stack(
    stack: str, profile: str | None = None, usage: Path | None = None
) -> tuple[ResourceGraph, Estimate]:
    """Plan a stack offline (exit 2 on a bad spec, 1 if the program fails) and estimate it with its own
    usage profile and usage file (`stacks/usage.<stack>.yaml`) unless others are given. `infra check` and
    `infra up` estimate through here too, so all three show the same numbers."""
    from aiinfra.cli.plan import plan_stack_spec
    from aiinfra.estimate.usage import usage_file_for

    graph, spec, path = plan_stack_spec(stack)
    return graph, _run(graph, profile, spec.usage, usage, usage_file_for(path))


def _program_graph(directory: Path, stack: str) -> ResourceGraph:
    from aiinfra.engine.program import ProgramError, ProgramFailed, plan_directory

    try:
        return plan_directory(directory, stack=stack)
    except ProgramFailed as e:  # the program ran and failed: exit 1, as `infra plan` does
        fail(str(e), code=FAILED)
    except ProgramError as e:  # not a Python Pulumi project: bad input
        fail(str(e))


def _graph_file(path: Path) -> ResourceGraph:
    from aiinfra.engine.inputs import GraphFormatError, load_graph

    if not path.exists():
        fail(f"{path} does not exist.")
    try:
        return load_graph(path)
    except GraphFormatError as e:
        fail(str(e))


def _run(
    graph: ResourceGraph,
    profile_name: str | None,
    spec_usage: Any,
    usage: Path | None,
    default_usage: Path | None,
) -> Estimate:
    from aiinfra.catalog import default_catalog
    from aiinfra.estimate import estimate as run_estimate
    from aiinfra.estimate.usage import UsageFile, UsageFileError, check_names, profile_for, read_usage_file

    if profile_name is not None and profile_name not in PROFILES:
        from aiinfra.catalog.query import did_you_mean

        fail(
            f"unknown usage profile '{profile_name}'. {did_you_mean(profile_name, list(PROFILES))} "
            "For hours and utilisation of your own, set aiinfra:usage {profile: custom, hoursPerMonth, "
            "utilization} in the stack, or per resource in the usage file."
        )
    if profile_name is not None:
        chosen = profile_for(profile_name)
    elif spec_usage is not None:
        chosen = profile_for(spec_usage.profile, spec_usage.hours_per_month, spec_usage.utilization)
    else:
        chosen = profile_for("training-steady")

    usage_path = usage if usage is not None else default_usage
    usage_doc = UsageFile()
    if usage is not None and not usage.exists():
        fail(f"usage file {usage} does not exist.")
    if usage_path is not None and usage_path.exists():
        try:
            usage_doc = read_usage_file(usage_path)
            check_names(usage_doc, {r.name for r in graph.resources}, usage_path)
        except UsageFileError as e:
            fail(str(e))
    shown = _display(usage_path) if usage_path is not None else "a usage file (--usage)"
    return run_estimate(graph, default_catalog(), profile=chosen, usage=usage_doc, usage_path=shown)


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _other(ref: str, profile: str | None) -> dict[str, Any]:
    """--compare-to: a saved estimate JSON, a graph file, or a stack."""
    path = Path(ref)
    if path.is_file() and path.suffix == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            fail(f"--compare-to {ref}: not readable JSON ({e}).")
        if isinstance(doc, dict) and "totals" in doc and "lines" in doc:
            return doc
        return _run(_graph_file(path), profile, None, None, None).to_json()
    return estimate_stack(ref, profile)[1].to_json()


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


def _budgets(result: Estimate, max_usd: float | None, max_co2e: float | None) -> None:
    over = []
    unpriced = len([ln for ln in result.lines if ln.monthly_cost_usd is None])
    lower = f" (a lower bound: {unpriced} lines are unpriced)" if unpriced else ""
    if max_usd is not None and result.monthly_cost_usd > Decimal(str(max_usd)):
        over.append(
            f"monthly cost ${result.monthly_cost_usd:,.2f}{lower} is above --max-monthly-usd {max_usd:,.2f}"
        )
    if max_co2e is not None and result.monthly_co2e_kg > Decimal(str(max_co2e)):
        over.append(
            f"monthly emissions {result.monthly_co2e_kg:,.1f} kg CO2e are above --max-monthly-co2e-kg {max_co2e:,.1f}"
        )
    if over:
        for message in over:
            stderr.print(f"[bold red]budget exceeded:[/] {message}")
        raise typer.Exit(FAILED)
    if (max_usd is not None or max_co2e is not None) and unpriced:
        warn(f"within budget, but {unpriced} lines are unpriced: the total is a lower bound")
