"""`infra advise`: where a GPU workload is cheapest, greenest or best at a carbon price — cloud, region,
zone, machine, nodes and purchase option — priced by the estimator's own code (`estimate/advise.py`)."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiinfra.cli.errors import fail, stderr
from aiinfra.cli.options import Format, FormatOpt

if TYPE_CHECKING:
    from aiinfra.estimate.advise import Advice
    from aiinfra.estimate.model import Estimate


class Objective(StrEnum):
    cost = "cost"
    carbon = "carbon"
    balanced = "balanced"


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _finite(value: float | None, flag: str) -> Decimal | None:
    if value is None:
        return None
    if not math.isfinite(value):
        fail(f"{flag} {value} is not a number. Give a finite number.")
    return Decimal(str(value))


def advise(
    gpus: Annotated[int, typer.Option("--gpus", help="Accelerators the job needs.", show_default=False)],
    accelerator: Annotated[
        str | None,
        typer.Option("--accelerator", "-a", help="Catalog accelerator name, e.g. H100.", show_default=False),
    ] = None,
    min_gpu_memory: Annotated[
        int | None,
        typer.Option(
            "--min-gpu-memory",
            help="Instead of (or with) --accelerator: at least this much memory per accelerator, in GB "
            "(as the catalog records it, e.g. H100 80).",
            show_default=False,
        ),
    ] = None,
    hours: Annotated[
        float | None,
        typer.Option(
            "--hours",
            help="How long the job runs, wall-clock hours (accelerators 90 % busy, or the --profile's mean).",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="A usage profile (training-steady, inference-diurnal, batch-weekday, idle-reserved): "
            "alone, one month of it; with --hours, its mean utilisation.",
            show_default=False,
        ),
    ] = None,
    interconnect: Annotated[
        bool,
        typer.Option(
            "--interconnect",
            help="Only machines with a low-latency fabric (EFA, GPUDirect, InfiniBand), all nodes in one zone.",
        ),
    ] = False,
    cloud: Annotated[
        str | None, typer.Option("--cloud", help="Clouds to consider, e.g. aws,gcp.", show_default=False)
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Regions to consider (repeat or comma-separate).", show_default=False),
    ] = None,
    capacity: Annotated[
        str,
        typer.Option("--capacity", help="Purchase options to consider."),
    ] = "on-demand,spot,reservation,capacity-block",
    objective: Annotated[
        Objective,
        typer.Option(
            "--objective",
            help="cost: total USD; carbon: operational kg CO2e; balanced: cost + carbon × --carbon-price.",
        ),
    ] = Objective.cost,
    carbon_price: Annotated[
        float,
        typer.Option(
            "--carbon-price",
            help="USD per tonne CO2e for --objective balanced (default 100: between the EU ETS allowance price "
            "and the US EPA's 2023 social cost of carbon).",
        ),
    ] = 100.0,
    max_usd: Annotated[
        float | None,
        typer.Option(
            "--max-usd", help="Leave out options whose total cost is above this.", show_default=False
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Options to show.", min=1)] = 10,
    format: FormatOpt = Format.table,
    write_stack: Annotated[
        Path | None,
        typer.Option(
            "--write-stack",
            help="Write the chosen option (the first, or --pick N) as a stack file for `infra plan` / "
            "`infra estimate` (AWS options; GCP and Azure clusters are not built yet).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    pick: Annotated[int, typer.Option("--pick", help="Which shown option --write-stack writes.", min=1)] = 1,
) -> None:
    """Advise where a GPU job is cheapest, greenest, or best at a carbon price: every machine, region and
    purchase option in the catalog that can run it, with total cost, energy, carbon (operational; embodied
    apart), per-GPU-hour figures and notes, priced exactly as `infra estimate` prices a node pool.
    Unpriced options come last with the reason, never as $0."""
    from aiinfra.catalog import default_catalog
    from aiinfra.estimate.advise import AdviseError, stack_yaml, workload
    from aiinfra.estimate.advise import advise as run

    catalog = default_catalog()
    regions = [r for value in region or [] for r in _list(value)]
    try:
        work = workload(
            catalog,
            gpus=gpus,
            accelerator=accelerator,
            min_gpu_memory_gb=min_gpu_memory,
            hours=_finite(hours, "--hours"),
            profile=profile,
            interconnect=interconnect,
        )
        result = run(
            catalog,
            work,
            objective=objective.value,
            carbon_price=_finite(carbon_price, "--carbon-price") or Decimal(0),
            clouds=_list(cloud),
            regions=regions,
            capacities=_list(capacity),
            max_usd=_finite(max_usd, "--max-usd"),
        )
        text = None
        if write_stack is not None:
            if not result.options:
                fail("no option to write: nothing matched. Widen --cloud, --region, --capacity or --max-usd.")
            if pick > min(top, len(result.options)):
                fail(
                    f"--pick {pick}: only {min(top, len(result.options))} options are shown. Give 1 to {min(top, len(result.options))}."
                )
            if write_stack.exists():
                fail(f"{write_stack} exists. Remove it or write to another path.")
            text = stack_yaml(result.options[pick - 1], work)
    except AdviseError as e:
        fail(f"{e.message} {e.fix}")
    if format is Format.json:
        typer.echo(json.dumps(result.to_json(top), indent=2))
    else:
        _table(result, top)
    if write_stack is not None and text is not None:
        try:
            write_stack.write_text(text, encoding="utf-8")
        except OSError as e:
            fail(f"cannot write {write_stack}: {e.strerror}. Choose a writable path.")
        stderr.print(
            f"wrote option {pick} to {write_stack}: `infra plan -s {write_stack}` and "
            f"`infra estimate -s {write_stack}` take it"
            + (
                " (replace the placeholder reservation ID before `infra up`)"
                if "reservation:" in text
                else ""
            )
        )


def _table(result: Advice, top: int) -> None:
    from rich.console import Console
    from rich.markup import escape

    from aiinfra.estimate.render.layout import Column, Row, fitted

    w = result.workload
    what = w.accelerator or f"≥ {w.min_gpu_memory_gb} GB accelerators"
    when = (
        f"{w.hours:,.0f} h at {w.utilization * 100:.0f} % busy"
        if w.profile == "custom"
        else f"one month of {w.profile}"
    )
    console = Console(soft_wrap=False)
    console.print(
        f"[bold]{w.gpus} × {what}[/] for {when}{', interconnect' if w.interconnect else ''} — "
        f"ranked {_ranking(result)}"
    )
    shown = result.options[:top]
    # Essential columns first; the per-GPU-hour and embodied figures go first when the console is narrow,
    # and below the essentials' width each option becomes a short list entry (nothing is cut mid-word).
    columns = [
        Column("#", justify="right"),
        Column("cloud"),
        Column("region / zone"),
        Column("machine"),
        Column("nodes", justify="right"),
        Column("capacity"),
        Column("cost USD", justify="right"),
        Column("USD/GPU-h", justify="right", drop=2),
        Column("energy kWh", justify="right", drop=3),
        Column("CO2e kg", justify="right"),
        Column("kg/GPU-h", justify="right", drop=4),
        Column("embodied kg", justify="right", drop=5),
    ]
    rows: list[Row] = [
        [
            str(i),
            o.cloud,
            o.region + (f" / {o.zone}" if o.zone else ""),
            o.instance_type,
            str(o.nodes),
            o.capacity,
            _money(o.cost_usd, 0),
            _money(o.usd_per_gpu_hour, 2),
            _n(o.energy_kwh, 0),
            _n(o.co2e_kg, 0),
            _n(o.kg_co2e_per_gpu_hour, 3),
            _n(o.embodied_co2e_kg, 0),
        ]
        for i, o in enumerate(shown, 1)
    ]
    if shown:
        console.print(fitted(columns, rows, head=2, show_edge=False, pad_edge=False))
    else:
        console.print("no option matches.")
    if len(result.options) > len(shown):
        console.print(f"… {len(result.options) - len(shown)} more (--top {len(result.options)} shows all)")
    notes: dict[str, list[int]] = {}
    for i, o in enumerate(shown, 1):
        for n in o.notes:
            notes.setdefault(n, []).append(i)
    if notes:
        console.print("[bold]notes[/] (by option #)")
        for n, which in notes.items():
            console.print(f"  {', '.join(map(str, which))}: {escape(n)}")
    if result.excluded:
        console.print("[bold]left out[/]")
        for e in result.excluded:
            console.print(escape(f"  {e.count} × {e.reason}, e.g. {'; '.join(e.examples)}"))


def _ranking(result: Advice) -> str:
    from aiinfra.estimate.advise import ranking_text

    return ranking_text(result.objective, result.carbon_price)


def _money(d: Decimal | None, places: int) -> str:
    return "unpriced" if d is None else f"${d:,.{places}f}"


def _n(d: Decimal | None, places: int) -> str:
    return "unknown" if d is None else f"{d:,.{places}f}"


def print_alternatives(result: Estimate) -> None:
    """`infra estimate`'s table output: cheaper / greener alternatives for each GPU pool (stdout)."""
    from rich.console import Console

    from aiinfra.catalog import default_catalog
    from aiinfra.estimate.advise import alternatives
    from aiinfra.estimate.render.alternatives import render_alternatives

    console = Console(soft_wrap=False)
    for part in render_alternatives(alternatives(result, default_catalog())):
        console.print(part)
