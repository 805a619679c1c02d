"""`infra preview | up | destroy | refresh | outputs | stacks`: the deploy lifecycle through the Pulumi
Automation API over this project (the same program `pulumi up` runs). Engine events stream into a progress
display on stderr; results and summaries go to stdout. Needs the Pulumi CLI (exit 2 with how to install it
when it is missing); `infra plan` and `infra estimate` do not."""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from aiinfra.cli.errors import FAILED, fail, stderr, warn
from aiinfra.cli.options import Format, FormatOpt, StackOpt

if TYPE_CHECKING:
    from aiinfra.engine.deploy import Result
    from aiinfra.engine.graph import ResourceGraph

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

VERB = {
    "create": "creating",
    "update": "updating",
    "delete": "deleting",
    "replace": "replacing",
    "create-replacement": "replacing",
    "delete-replaced": "deleting the replaced",
    "refresh": "refreshing",
    "read": "reading",
    "same": "checking",
}


class EngineProgress:
    """Turns engine events into a rich progress line: resources done / total, the current operation and
    the elapsed time. Events arrive on the Automation API's watcher thread."""

    def __init__(self, console: Console, total: int, title: str) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.fields[title]}[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("starting", total=total or None, title=title)
        self.lock = threading.Lock()
        self.changes: dict[str, int] = {}
        self.errors: list[str] = []
        self.started = time.monotonic()

    def __enter__(self) -> EngineProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.update(self.task, description="done" if not self.errors else "failed")
        self.progress.stop()

    def on_event(self, event: Any) -> None:
        with self.lock:
            if event.resource_pre_event is not None:
                meta = event.resource_pre_event.metadata
                if not meta.type.startswith("pulumi:pulumi:Stack"):
                    name = meta.urn.rsplit("::", 1)[-1]
                    self.progress.update(
                        self.task, description=f"{VERB.get(meta.op.value, meta.op.value)} {meta.type} {name}"
                    )
            elif event.res_outputs_event is not None:
                meta = event.res_outputs_event.metadata
                custom = (
                    meta.new.custom
                    if meta.new is not None
                    else meta.old.custom
                    if meta.old is not None
                    else True
                )
                if custom:
                    self.progress.advance(self.task)
            elif event.summary_event is not None:
                self.changes = dict(event.summary_event.resource_changes or {})
            elif event.diagnostic_event is not None and event.diagnostic_event.severity == "error":
                self.errors.append(event.diagnostic_event.message.strip())


def _guard(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a deploy operation: a missing CLI, backend or stack is bad input (exit 2); an engine failure is a
    failed operation (exit 1) with the engine's own message."""
    from pulumi.automation import CommandError

    from aiinfra.engine.deploy import DeployError

    try:
        return call(*args, **kwargs)
    except DeployError as e:
        fail(f"{e.message} {e.fix}")
    except CommandError as e:
        lines = [ln for ln in str(e).splitlines() if ln.strip() and not ln.startswith(("code:", "stdout:"))]
        fail("the Pulumi engine reported an error:\n  " + "\n  ".join(lines[-12:]), code=FAILED)


def _preflight() -> None:
    """Fail fast, before any planning: no CLI, or a backend without its passphrase."""
    from aiinfra.engine.deploy import backend, pulumi_cli

    _guard(pulumi_cli)
    _guard(backend)


def _custom_count(graph: ResourceGraph) -> int:
    """Resources the engine creates and counts in its summary (providers included, components not)."""
    return sum(1 for r in graph.resources if r.custom)


def _summary(result: Result, seconds: float) -> str:
    words = {
        "create": "created",
        "update": "updated",
        "delete": "deleted",
        "replace": "replaced",
        "same": "unchanged",
    }
    parts = [f"{n} {words.get(op, op)}" for op, n in sorted(result.changes.items()) if n]
    return f"{result.operation} {result.stack}: {', '.join(parts) or 'no changes'} in {seconds:.0f} s"


def _run_with_progress(operation: str, stack: str, total: int, call: Any) -> Result:
    console = Console(stderr=True)
    started = time.monotonic()
    with EngineProgress(console, total, f"{operation} {stack}") as progress:
        result = _guard(call, stack, progress.on_event)
    for message in progress.errors:
        warn(message)
    typer.echo(_summary(result, time.monotonic() - started))
    return result


def _plan(stack: str) -> ResourceGraph:
    from aiinfra.services.stack import plan_stack

    return plan_stack(stack)


def preview(stack: StackOpt) -> None:
    """Preview STACK against its deployed state with the Pulumi engine (needs the Pulumi CLI and cloud
    credentials); `infra plan` shows the same program offline."""
    _preflight()
    graph = _plan(stack)
    from aiinfra.engine import deploy
    from aiinfra.spec.loader import stack_name

    _run_with_progress("preview", stack_name(_path(stack)), _custom_count(graph), deploy.preview)


def up(stack: StackOpt, yes: YesOpt = False) -> None:
    """Deploy STACK with the Pulumi engine, after showing what it will cost, draw and emit a month and asking
    for confirmation (unless --yes). Needs the Pulumi CLI and cloud credentials."""
    _preflight()
    from aiinfra.engine import deploy
    from aiinfra.services.stack import estimate_stack
    from aiinfra.spec.loader import stack_name

    graph, result = estimate_stack(stack)
    name = stack_name(_path(stack))
    unpriced = sum(1 for ln in result.lines if ln.monthly_cost_usd is None)
    stderr.print(
        f"[bold]{escape(name)}[/]: {_custom_count(graph)} resources, about [bold]${result.monthly_cost_usd:,.2f}/month[/]"
        f"{' (lower bound: ' + str(unpriced) + ' unpriced)' if unpriced else ''}, "
        f"{result.monthly_energy_kwh:,.0f} kWh/month, {result.monthly_co2e_kg:,.0f} kg CO2e/month "
        f"(profile {result.profile}; `infra estimate -s {escape(name)}` for the lines)"
    )
    if not yes and not typer.confirm(f"Deploy {name}?", default=False, err=True):
        stderr.print("Nothing was deployed.")
        raise typer.Exit(FAILED)
    outcome = _run_with_progress("up", name, _custom_count(graph), deploy.up)
    if outcome.outputs:
        typer.echo(json.dumps(outcome.outputs, indent=2, default=str))


def refresh(stack: StackOpt) -> None:
    """Refresh STACK's state from the cloud (needs the Pulumi CLI and credentials)."""
    _preflight()
    from aiinfra.engine import deploy
    from aiinfra.spec.loader import stack_name

    name = stack_name(_path(stack))
    graph = _state_graph(name)
    _run_with_progress("refresh", name, _custom_count(graph), deploy.refresh)


def destroy(stack: StackOpt, yes: YesOpt = False) -> None:
    """Destroy STACK's resources except protected data (buckets, file systems, their keys), after listing
    what goes, what stays and what spend destroy cannot remove; asks you to type the stack name unless
    --yes."""
    _preflight()
    from aiinfra.engine import deploy
    from aiinfra.spec.loader import stack_name

    name = stack_name(_path(stack))
    graph = _state_graph(name)
    doomed = [r for r in graph.resources if r.custom and not r.protect]
    kept = [r for r in graph.resources if r.custom and r.protect]
    retained = [r for r in doomed if r.retain_on_delete]
    console = Console(stderr=True)
    console.print(f"[bold]destroy {escape(name)}[/]: {len(doomed)} resources will be deleted.")
    if kept:
        console.print(f"[yellow]kept[/] (protected, they stay in the account and keep costing): {len(kept)}")
        for r in kept:
            console.print(f"  {escape(r.type)} {escape(r.name)}")
    if retained:
        console.print("[yellow]retained[/] (removed from the stack, left in the account):")
        for r in retained:
            console.print(f"  {escape(r.type)} {escape(r.name)}")
    for line in _spend_destroy_cannot_remove(graph):
        console.print(f"[red]not refunded[/]: {escape(line)}")
    if not doomed:
        typer.echo(f"destroy {name}: nothing to delete.")
        return
    if not yes:
        typed = typer.prompt(
            f"Type the stack name ({name}) to destroy it", default="", show_default=False, err=True
        )
        if typed.strip() != name:
            stderr.print("The name did not match; nothing was destroyed.")
            raise typer.Exit(FAILED)
    _run_with_progress("destroy", name, len(doomed), deploy.destroy)


def outputs(stack: StackOpt, format: FormatOpt = Format.table) -> None:
    """STACK's outputs (secrets shown as [secret])."""
    _preflight()
    from aiinfra.engine import deploy
    from aiinfra.spec.loader import stack_name

    values = _guard(deploy.outputs, stack_name(_path(stack)))
    if format is Format.json:
        typer.echo(json.dumps(values, indent=2, default=str))
        return
    table = Table("output", "value")
    for key, value in values.items():
        table.add_row(key, value if isinstance(value, str) else json.dumps(value, default=str))
    Console().print(table)


def stacks(format: FormatOpt = Format.table) -> None:
    """The stacks in the current backend, with their last update and resource count."""
    _preflight()
    from aiinfra.engine import deploy

    found = _guard(deploy.stacks)
    if format is Format.json:
        typer.echo(json.dumps(found, indent=2))
        return
    table = Table("stack", "last update", "resources")
    for s in found:
        table.add_row(s["name"], s["last_update"] or "never", str(s["resource_count"] or 0))
    Console().print(table)


# -- helpers ---------------------------------------------------------------------------------------------


def _path(stack: str) -> Any:
    from aiinfra.spec.loader import stack_file

    return stack_file(stack)


def _state_graph(name: str) -> ResourceGraph:
    from aiinfra.engine import deploy
    from aiinfra.engine.inputs import graph_from_state

    return graph_from_state(_guard(deploy.state, name))


def _spend_destroy_cannot_remove(graph: ResourceGraph) -> list[str]:
    """Money already committed that deleting resources does not give back, as each cloud's profile says."""
    from aiinfra import clouds

    return [
        line for profile in clouds.profiles().values() for line in profile.committed_spend(graph.resources)
    ]
