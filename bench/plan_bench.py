"""Benchmark: aiinfra's offline plan of a ~1,000-resource stack against two bare Pulumi SDK floors.

"ours"        = `plan_program(run_program, ...)` on a generated spec of N identical AWS clusters.
"typed floor" = the same resources (types, names, parents, inputs taken from our graph) registered through the
                typed provider SDK classes (`pulumi_aws.ec2.LaunchTemplate`, `pulumi_aws.Provider`, ...) under
                a no-op mock; no aiinfra components, no spec. The target ratio ours/typed is measured on this one.
"plain floor" = the same resources registered with plain `pulumi.CustomResource`, without the typed classes'
                cost (which our components and `pulumi up` cannot avoid); shown for transparency.
Both floors use the runtime set-up of `aiinfra.engine.plan._plan` (including its skip of source positions), with
a no-op mock and the stock MockMonitor, and are checked to register exactly our resources with our inputs.

Run: `cd /work/main && .venv/bin/python bench/plan_bench.py [--runs 5] [--clusters 14] [--json out.json]`
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import functools
import gc
import importlib
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from types import ModuleType
from typing import Any, NamedTuple

import pulumi
import pulumi_aws  # noqa: F401 - provider SDKs imported before any timing, for every side
import pulumi_kubernetes
from pulumi import _types
from pulumi.runtime import settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks, set_mocks
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from aiinfra import clouds
from aiinfra.components.stack import run_program
from aiinfra.engine import plan as engine_plan
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program

TARGET_RATIO = 1.3
# `_plan` skips the SDK's source positions (a call-stack walk per typed resource); the floors mirror its set-up,
# so they skip them too unless --sdk-source-positions. Private to engine/plan.py: absent, nothing is skipped.
SKIP_SOURCE_POSITIONS: Callable[[], contextlib.AbstractContextManager[None]] | None = getattr(
    engine_plan, "_without_source_positions", None
)
# One cluster of `cluster_spec` plans to 72 resources (65 custom), so 14 clusters give 1,008.
DEFAULT_CLUSTERS = 14


def cluster_spec(i: int) -> dict[str, Any]:
    return {
        "name": f"c{i:02d}",
        "cloud": "aws",
        "region": "us-east-1",
        "zone": "us-east-1a",
        "network": {"cidr": f"10.{i}.0.0/16"},
        "nodePools": [
            {"name": "h100", "instanceType": "p5.48xlarge", "nodes": 2, "interconnect": True},
            {"name": "l40s", "instanceType": "g6e.12xlarge", "nodes": 1, "interconnect": False},
        ],
        "storage": [
            {"name": "data", "kind": "object"},
            {
                "name": "scratch",
                "kind": "lustre",
                "capacityGiB": 2400,
                "throughputMBpsPerTiB": 250,
                "dataRepository": "data",
            },
        ],
    }


def gcp_cluster_spec(i: int) -> dict[str, Any]:
    """A GCP training cluster: A3 Mega with its 8 GPUDirect-TCPXO networks, an L4 pool, Parallelstore and a
    bucket."""
    return {
        "name": f"g{i:02d}",
        "cloud": "gcp",
        "region": "us-east4",
        "zone": "us-east4-a",
        "network": {"cidr": f"10.{i}.0.0/16"},
        "nodePools": [
            {"name": "h100", "instanceType": "a3-megagpu-8g", "nodes": 2, "interconnect": True},
            {"name": "l4", "instanceType": "g2-standard-24", "nodes": 1, "interconnect": False},
        ],
        "storage": [
            {"name": "data", "kind": "object"},
            {"name": "scratch", "kind": "parallel", "capacityGiB": 12000},
        ],
    }


def azure_cluster_spec(i: int) -> dict[str, Any]:
    """An Azure training cluster: ND H100 v5 on InfiniBand, Managed Lustre linked to a Blob store."""
    return {
        "name": f"z{i:02d}",
        "cloud": "azure",
        "region": "eastus",
        "network": {"cidr": f"10.{i}.0.0/16"},
        "nodePools": [
            {"name": "h100", "instanceType": "Standard_ND96isr_H100_v5", "nodes": 2, "interconnect": True},
        ],
        "storage": [
            {"name": "data", "kind": "object"},
            {"name": "scratch", "kind": "lustre", "capacityGiB": 16384, "dataRepository": "data"},
        ],
    }


CLOUDS: dict[str, tuple[Callable[[int], dict[str, Any]], dict[str, Any]]] = {
    "aws": (cluster_spec, {"aws:region": "us-east-1"}),
    "gcp": (gcp_cluster_spec, {"gcp:project": "bench-project", "gcp:region": "us-east4"}),
    "azure": (azure_cluster_spec, {"azure-native:location": "eastus"}),
}
"""`--cloud`: each cloud's generated cluster and the stack config it needs."""


def plan_ours(clusters: int, cloud: str = "aws") -> ResourceGraph:
    spec, config = CLOUDS[cloud]
    return plan_program(
        run_program, stack="bench", config={**config, "aiinfra:clusters": [spec(i) for i in range(clusters)]}
    )


class NoopMocks(Mocks):
    """Echoes inputs as outputs, with the outputs a cloud computes on create where the typed classes need
    them to read the answer back (an AKS cluster's identities come back as a map, not the list sent); records
    what it received for `check_floor`."""

    def __init__(self) -> None:
        self.received: dict[tuple[str, str], dict[str, Any]] = {}

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.received[(args.typ, args.name)] = dict(args.inputs)
        profile = clouds.for_type(args.typ)
        computed = profile.created_outputs(args.typ, args.name, "", args.inputs) if profile else {}
        return args.name + "-id", {**args.inputs, **computed}

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, []


def register_plain(graph: ResourceGraph) -> None:
    """The plain floor program: every resource of `graph`, parents first, with plain SDK classes."""
    by_urn: dict[str, pulumi.Resource] = {}
    for r in graph.resources:
        opts = pulumi.ResourceOptions(parent=by_urn[r.parent] if r.parent else None)
        if r.custom:
            by_urn[r.urn] = pulumi.CustomResource(r.type, r.name, props=dict(r.inputs), opts=opts)
        else:
            by_urn[r.urn] = pulumi.ComponentResource(r.type, r.name, None, opts)


class Typed(NamedTuple):
    cls: type[pulumi.CustomResource]
    kwarg: dict[str, str]
    """Pulumi (camelCase) input name -> the class's Python keyword."""
    decode: frozenset[str]
    """Provider inputs to decode from JSON: the graph holds them as the JSON strings the class sends."""


SDKS = {
    "aws": "pulumi_aws",
    "gcp": "pulumi_gcp",
    "azure-native": "pulumi_azure_native",
    "azuread": "pulumi_azuread",
}


def _sdk_module(package: str, module: str) -> ModuleType | None:
    sdk = SDKS.get(package)
    if sdk is not None:  # "ec2/launchTemplate" -> pulumi_aws.ec2; "network" -> pulumi_azure_native.network
        top = module.split("/")[0]
        return importlib.import_module(sdk if top == "index" else f"{sdk}.{top}")
    if package == "kubernetes" and module == "helm.sh/v3":
        return pulumi_kubernetes.helm.v3
    if package == "kubernetes" and module == "core/v1":
        return pulumi_kubernetes.core.v1
    return None


CUSTOM_RESOURCE = Typed(
    pulumi_kubernetes.apiextensions.CustomResource,  # type: ignore[arg-type]
    {"apiVersion": "api_version", "kind": "kind", "metadata": "metadata", "spec": "spec"},
    frozenset(),
)
"""A Kubernetes object of a CRD (`kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue`): one untyped class."""


@functools.cache
def typed_class(token: str) -> Typed:
    """The typed SDK class for a resource token: "aws:ec2/launchTemplate:LaunchTemplate" ->
    `pulumi_aws.ec2.LaunchTemplate`, "pulumi:providers:aws" -> `pulumi_aws.Provider`. Fails on any other."""
    package, module, name = token.split(":")
    if package == "kubernetes" and module.split("/")[0] not in ("core", "helm.sh"):
        return CUSTOM_RESOURCE
    if package == "pulumi" and module == "providers":
        sdk = {"kubernetes": pulumi_kubernetes}.get(name) or (
            importlib.import_module(SDKS[name]) if name in SDKS else None
        )
        name = "Provider"
    else:
        sdk = _sdk_module(package, module)
    cls = getattr(sdk, name, None)
    if not (isinstance(cls, type) and issubclass(cls, pulumi.CustomResource)):
        raise SystemExit(f"typed floor: no SDK class mapped for {token}")
    # The class's own module defines its Args class: `<Name>Args`, or `<Name>InitArgs` when that name is
    # taken by a nested type (aws.s3.BucketVersioning).
    module_ = sys.modules[cls.__module__]
    args_cls = getattr(module_, f"{name}InitArgs", None) or getattr(module_, f"{name}Args", None)
    if getattr(args_cls, "__module__", None) != cls.__module__:
        raise SystemExit(f"typed floor: no Args class found for {token}")
    kwarg = {pulumi_name: py for py, pulumi_name in _types.input_type_py_to_pulumi_names(args_cls).items()}
    # An input named like the resource's own name argument takes a trailing underscore in the resource's
    # signature (azure-native's `resourceName` is `resource_name_`).
    kwarg = {k: "resource_name_" if py == "resource_name" else py for k, py in kwarg.items()}
    decode: frozenset[str] = frozenset()
    if issubclass(cls, pulumi.ProviderResource):  # the class JSON-encodes every input not typed `str`
        decode = frozenset(k for k, t in _types.input_type_types(args_cls).items() if t is not str)
    return Typed(cls, kwarg, decode)


def register_typed(graph: ResourceGraph) -> None:
    """The typed floor program: every resource of `graph`, parents first, through the typed SDK classes.
    Top-level inputs become the class's keyword arguments; nested values go in as the graph's plain dicts."""
    by_urn: dict[str, pulumi.Resource] = {}
    for r in graph.resources:
        opts = pulumi.ResourceOptions(parent=by_urn[r.parent] if r.parent else None)
        if not r.custom:
            by_urn[r.urn] = pulumi.ComponentResource(r.type, r.name, None, opts)
            continue
        t = typed_class(r.type)
        try:
            kwargs = {t.kwarg[k]: json.loads(v) if k in t.decode else v for k, v in r.inputs.items()}
        except KeyError as e:
            raise SystemExit(
                f"typed floor: {t.cls.__name__} takes no input {e} ({r.type} {r.name})"
            ) from None
        by_urn[r.urn] = t.cls(r.name, opts=opts, **kwargs)


def _floor(program: Callable[[ResourceGraph], None], graph: ResourceGraph) -> dict[str, Any]:
    # The same set-up as aiinfra.engine.plan._plan, with NoopMocks and the stock MockMonitor.
    set_all_config({})
    settings.ROOT.set(None)
    mocks = NoopMocks()
    set_mocks(mocks, project="aiinfra", stack="bench", preview=False)
    settings.SETTINGS.rpc_manager.clear()
    settings.SETTINGS.outputs.clear()
    _sync_await(run_pulumi_func(lambda: program(graph)))
    monitor: Any = settings.get_monitor()
    return {"registered": monitor.resources, "received": mocks.received}


def plan_floor(
    program: Callable[[ResourceGraph], None], graph: ResourceGraph, source_positions: bool = False
) -> dict[str, Any]:
    """Runs a floor program; returns what the mock monitor saw (URN -> registration, the stack excluded)."""
    skip = SKIP_SOURCE_POSITIONS if SKIP_SOURCE_POSITIONS and not source_positions else contextlib.nullcontext
    with skip():
        return contextvars.copy_context().run(_floor, program, graph)


def _wire(value: Any) -> Any:
    """Inputs as the mock received them, in the graph's terms (the wire carries every number as a double)."""
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def check_floor(name: str, seen: dict[str, Any], graph: ResourceGraph) -> None:
    """The floor registered exactly our resources (count, type and name), and the mock received every custom
    resource's inputs exactly as our graph holds them (nested camelCase keys included)."""
    registered, received = seen["registered"], seen["received"]
    got = {(reg.urn.split("::")[2].split("$")[-1], reg.urn.split("::")[3]) for reg in registered.values()}
    want = {(r.type, r.name): r for r in graph.resources}
    if len(registered) != len(graph.resources) or got != want.keys():
        raise SystemExit(f"{name} registered {len(registered)} resources, ours {len(graph.resources)}")
    for key, r in want.items():
        if r.custom and _wire(received[key]) != r.inputs:
            raise SystemExit(f"{name}: inputs of {r.type} {r.name} differ from ours:\n{received[key]}")


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of the whole process, result). The mock monitor runs in executor threads,
    so CPU counts every thread; it is the steadier figure on a busy machine."""
    gc.collect()
    cpu, start = time.process_time(), time.perf_counter()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="timed runs of each side (median reported)")
    p.add_argument("--clusters", type=int, default=DEFAULT_CLUSTERS, help="clusters in the generated spec")
    p.add_argument(
        "--cloud", choices=sorted(CLOUDS), default="aws", help="the cloud of the generated clusters"
    )
    p.add_argument("--json", metavar="PATH", help="also write the figures to PATH as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 when ours / typed floor misses the target")
    p.add_argument(
        "--sdk-source-positions",
        action="store_true",
        help="let the floors compute source positions, as a stock SDK program does (ours still skips them)",
    )
    a = p.parse_args(argv)
    if a.runs < 1 or not 1 <= a.clusters <= 200:
        p.error("--runs must be >= 1 and --clusters within 1..200 (one private 10.N.0.0/16 each)")

    # Warm-up, untimed: first-use imports (spec, catalog, components, SDK modules) and caches on every side;
    # then the floors are checked against our graph, so they are known to register the same resources.
    graph = plan_ours(a.clusters, a.cloud)
    count = len(graph.resources)
    floors = {"typed": register_typed, "plain": register_plain}
    for side, program in floors.items():
        check_floor(f"{side} floor", plan_floor(program, graph, a.sdk_source_positions), graph)

    wall: dict[str, list[float]] = {side: [] for side in ("ours", *floors)}
    cpu: dict[str, list[float]] = {side: [] for side in wall}
    for _ in range(a.runs):  # interleaved, so drift on the machine hits every side alike
        t, c, g = timed(lambda: plan_ours(a.clusters, a.cloud))
        assert len(g.resources) == count
        wall["ours"].append(t)
        cpu["ours"].append(c)
        for side, program in floors.items():
            t, c, seen = timed(lambda program=program: plan_floor(program, graph, a.sdk_source_positions))
            assert len(seen["registered"]) == count
            wall[side].append(t)
            cpu[side].append(c)

    med = {side: statistics.median(ts) for side, ts in wall.items()}
    med_cpu = {side: statistics.median(ts) for side, ts in cpu.items()}
    ratio, plain_ratio = med["ours"] / med["typed"], med["ours"] / med["plain"]
    skipped = bool(SKIP_SOURCE_POSITIONS) and not a.sdk_source_positions
    ok = ratio <= TARGET_RATIO
    figures: dict[str, Any] = {
        "resources": count,
        "custom": sum(r.custom for r in graph.resources),
        "clusters": a.clusters,
        "cloud": a.cloud,
        "runs": a.runs,
        **{f"{side}_s": round(med[side], 4) for side in wall},
        **{f"{side}_ms_per_resource": round(1000 * med[side] / count, 4) for side in wall},
        "ratio": round(ratio, 3),
        "plain_ratio": round(plain_ratio, 3),
        **{f"{side}_cpu_s": round(med_cpu[side], 4) for side in wall},
        "cpu_ratio": round(med_cpu["ours"] / med_cpu["typed"], 3),
        "plain_cpu_ratio": round(med_cpu["ours"] / med_cpu["plain"], 3),
        "target_ratio": TARGET_RATIO,
        "source_positions": {"ours": not SKIP_SOURCE_POSITIONS, "floors": not skipped},
        "pass": ok,
        **{f"{side}_runs_s": [round(t, 4) for t in ts] for side, ts in wall.items()},
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": sys.version.split()[0],
        "pulumi": metadata.version("pulumi"),
        "pulumi_aws": metadata.version("pulumi-aws"),
        "pulumi_kubernetes": metadata.version("pulumi-kubernetes"),
    }

    print(
        f"resources     {count} ({figures['custom']} custom) in {a.clusters} {a.cloud} clusters, median of {a.runs}"
    )
    for side, label in (("ours", "ours"), ("typed", "typed floor"), ("plain", "plain floor")):
        print(f"{label:<13} {med[side] * 1000:8.1f} ms  {figures[f'{side}_ms_per_resource']:.3f} ms/resource")
    print(f"ours / typed  {ratio:8.2f} x  (target <= {TARGET_RATIO}) {'PASS' if ok else 'FAIL'}")
    print(f"ours / plain  {plain_ratio:8.2f} x  (plain CustomResource floor, for transparency; no target)")
    print(
        f"cpu ratios    {figures['cpu_ratio']:8.2f} x typed, {figures['plain_cpu_ratio']:.2f} x plain"
        "  (process CPU time, steadier on a busy machine; not the target)"
    )
    print(
        f"source pos.   ours {'skips' if SKIP_SOURCE_POSITIONS else 'computes'} them,"
        f" the floors {'skip' if skipped else 'compute'} them"
    )
    print(f"load average  {figures['load_avg_1m']:8.2f}    (1 min, at the end; {os.cpu_count()} CPUs)")
    print(f"peak RSS      {figures['peak_rss_mib']:8.1f} MiB")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")
    return 1 if a.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
