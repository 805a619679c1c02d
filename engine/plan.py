"""The offline plan: run a Pulumi program in-process under recording mocks and return its resource graph.

Nothing leaves the machine: no Pulumi CLI, no provider plugins, no credentials. The program is the same
one `pulumi up` runs; only the engine underneath is replaced. Each plan runs in its own context, so plans
in one process do not see each other's config or resources.

The program runs in the SDK's preview mode, as under `pulumi preview`: an output the mocks do not answer
is unknown, not None, so an `.apply` callback on it (or on an `Output.all` that holds it) does not run, and
a resource input computed from it is unknown (the graph shows it as UNKNOWN, engine.mocks). Outputs the
mocks answer (inputs, ids, and what `CloudProfile.created_outputs` fills) are known, as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import inspect
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aiinfra.engine.graph import PlannedResource, ResourceGraph, canonical_type, read_as_warnings

ORGANIZATION = "organization"
"""What `pulumi.get_organization()` returns in a plan: the name a self-managed (DIY) backend gives every
stack's organization. The Pulumi Cloud organization a program is deployed under is not known offline; a
program that passes it on (a pulumiservice StackTag) gets this placeholder instead of None."""


def plan_program(
    program: Callable[[], None],
    *,
    stack: str,
    project: str = "aiinfra",
    config: Mapping[str, Any] | None = None,
) -> ResourceGraph:
    """Run `program` under recording mocks. `config` maps full keys (`aiinfra:clusters`, `aws:region`) to
    values as in a stack file; structured values are passed to the program as JSON, as Pulumi does."""
    return contextvars.copy_context().run(_plan, program, stack, project, dict(config or {}))


def _plan(program: Callable[[], None], stack: str, project: str, config: dict[str, Any]) -> ResourceGraph:
    from pulumi.runtime import settings
    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.mocks import set_mocks
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from aiinfra.engine.mocks import CapturingLogger, OfflineMocks, RecordingMonitor

    mocks = OfflineMocks(config)
    monitor = RecordingMonitor(mocks)
    logger = CapturingLogger()
    set_all_config({k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()})
    settings.ROOT.set(None)
    named: dict[str, Any] = {}
    if "organization" in inspect.signature(set_mocks).parameters:  # an SDK before 3.6x has no organization
        named["organization"] = ORGANIZATION
    set_mocks(mocks, project=project, stack=stack, preview=True, logger=logger, monitor=monitor, **named)
    for pending in ("rpc_manager", "outputs"):  # per-run state; an SDK before 3.10x keeps it elsewhere
        held = getattr(settings.SETTINGS, pending, None)
        if held is not None:
            held.clear()

    with _without_source_positions(), _objects_for_strings():
        _sync_await(run_pulumi_func(program))
    resources: list[PlannedResource] = []
    read_as: dict[str, str] = {}
    for r in monitor.recorded:  # an explicit azure-native API version is estimated as its default version
        canonical = canonical_type(r.type)
        if canonical != r.type:
            read_as.setdefault(r.type, canonical)
            r = dataclasses.replace(r, type=canonical)
        resources.append(r)
    graph = ResourceGraph(
        stack=stack,
        project=project,
        resources=resources,
        warnings=[
            *read_as_warnings(read_as),
            *logger.warnings,
            *(
                f"the data source {token} was answered offline with placeholder values of its result "
                "type: what the program derives from it is not what the cloud would say"
                for token in mocks.placeholders
            ),
            *(
                f"the program reads outputs of the stack {r.state.get('name') or r.urn.rsplit('::', 1)[-1]} "
                f"(a StackReference), which an offline plan cannot open: they are unknown, and so is what it "
                "derives from them; give such values through config where the estimate depends on them"
                for r in monitor.resources.values()  # read, not registered: not in `recorded`
                if r.urn.split("::")[2].endswith("pulumi:pulumi:StackReference")
            ),
            *(
                f"{name}: the manifests at {source} cannot be read by an offline plan (a URL is not "
                "fetched; a path matches no file): a LoadBalancer Service or a PersistentVolumeClaim in "
                "them is not in the estimate"
                for name, source in monitor.unread_manifests
            ),
        ],
        config=dict(config),
    )
    return graph.ordered()


@contextlib.contextmanager
def _without_source_positions() -> Iterator[None]:
    """Skip the SDK's source positions for the length of a plan. The engine shows them next to resources;
    a plan never reads them, and computing them walks the call stack of every typed resource (about
    0.7 s per 1,000 resources, bench/README.md). The hook is private to the SDK: where a version lacks
    it, nothing is patched and plans are only slower."""
    from pulumi.runtime import resource as runtime_resource

    original = getattr(runtime_resource, "_get_stack_trace", None)
    if original is None:
        yield
        return
    from pulumi.runtime.proto import source_pb2

    empty = source_pb2.StackTrace()
    runtime_resource._get_stack_trace = lambda: empty
    try:
        yield
    finally:
        runtime_resource._get_stack_trace = original


@contextlib.contextmanager
def _objects_for_strings() -> Iterator[None]:
    """For the length of a plan, an object or list that a resource gives back for an output its SDK types as
    a string (an IAM policy given as a dict: `policy=Output.from_input({...})`) reads as its JSON text. The
    mocks give inputs back as outputs, and the SDK's output typing refuses a dict where it expects a string;
    a real provider takes such an object for a string field as its JSON encoding (the Terraform bridge
    marshals it), so the program works under `pulumi preview`. The hook is the SDK's; where a version lacks
    it, nothing is patched."""
    import typing

    from pulumi.runtime import rpc

    original = getattr(rpc, "translate_output_properties", None)
    if original is None:
        yield
        return

    def wants_str(typ: object) -> bool:
        if typ is str:
            return True
        args = typing.get_args(typ)
        return (
            typing.get_origin(typ) is typing.Union and len(args) == 2 and str in args and type(None) in args
        )

    def translate(output: Any, transformer: Any, *args: Any, **kwargs: Any) -> Any:
        typ = kwargs["typ"] if "typ" in kwargs else (args[0] if args else None)
        if isinstance(output, (dict, list)) and wants_str(typ) and not _special(output):
            try:
                return json.dumps(output)
            except TypeError:  # it holds an unknown (a preview's): so is its text, and the SDK sees that
                return output
        return original(output, transformer, *args, **kwargs)

    rpc.translate_output_properties = translate  # type: ignore[assignment]
    try:
        yield
    finally:
        rpc.translate_output_properties = original


SPECIAL_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
"""The key the SDK's wire format marks a special value with (a secret, an asset, a resource reference):
such a dict is one value, not an object to encode (pulumi/sdk/python/lib/pulumi/runtime/rpc.py). The same
value as engine.inputs.SIG_KEY, which cannot be imported here: a program's own environment gets only
aiinfra.engine's and aiinfra.clouds' modules that need no dependency of this tool (engine.inputs needs guard)."""


def _special(output: object) -> bool:
    return isinstance(output, dict) and SPECIAL_SIGNATURE_KEY in output
