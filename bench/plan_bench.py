"""Benchmark: aiinfra's offline plan of a ~1,000-resource stack against the bare Pulumi SDK floor.

"ours"  = `plan_program(run_program, ...)` on a generated spec of N identical AWS clusters.
"floor" = the same resources (types, names, parents, inputs taken from our graph) registered with plain
          `pulumi.CustomResource` / `pulumi.ComponentResource` under a no-op mock, with the same runtime
          set-up `aiinfra.engine.plan._plan` uses. The ratio ours/floor is the plan's cost over bare registration
          (components, typed provider classes, invokes, recording mocks).

Run: `cd /work/main && .venv/bin/python bench/plan_bench.py [--runs 5] [--clusters 14] [--json out.json]`
"""

from __future__ import annotations

import argparse
import contextvars
import gc
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any

import pulumi
import pulumi_aws  # noqa: F401  provider SDKs imported before any timing, for both sides
import pulumi_kubernetes  # noqa: F401
from aiinfra.components.stack import run_program
from aiinfra.engine.graph import ResourceGraph
from aiinfra.engine.plan import plan_program
from pulumi.runtime import settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks, set_mocks
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

TARGET_RATIO = 1.3
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


def plan_ours(clusters: int) -> ResourceGraph:
    config = {"aws:region": "us-east-1", "aiinfra:clusters": [cluster_spec(i) for i in range(clusters)]}
    return plan_program(run_program, stack="bench", config=config)


class NoopMocks(Mocks):
    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        return args.name + "-id", args.inputs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, []


def register_all(graph: ResourceGraph) -> None:
    """The floor program: every resource of `graph`, parents first, with plain SDK classes."""
    by_urn: dict[str, pulumi.Resource] = {}
    for r in graph.resources:
        opts = pulumi.ResourceOptions(parent=by_urn[r.parent] if r.parent else None)
        if r.custom:
            by_urn[r.urn] = pulumi.CustomResource(r.type, r.name, props=dict(r.inputs), opts=opts)
        else:
            by_urn[r.urn] = pulumi.ComponentResource(r.type, r.name, None, opts)


def _floor(graph: ResourceGraph) -> int:
    # The same set-up as aiinfra.engine.plan._plan, with NoopMocks and the stock MockMonitor.
    set_all_config({})
    settings.ROOT.set(None)
    set_mocks(NoopMocks(), project="aiinfra", stack="bench", preview=False)
    settings.SETTINGS.rpc_manager.clear()
    settings.SETTINGS.outputs.clear()
    _sync_await(run_pulumi_func(lambda: register_all(graph)))
    monitor: Any = settings.get_monitor()
    return len(monitor.resources)


def plan_floor(graph: ResourceGraph) -> int:
    """Returns the number of resources the mock monitor saw (the stack excluded)."""
    return contextvars.copy_context().run(_floor, graph)


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
    p.add_argument("--json", metavar="PATH", help="also write the figures to PATH as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 when the ratio misses the target")
    a = p.parse_args(argv)
    if a.runs < 1 or not 1 <= a.clusters <= 200:
        p.error("--runs must be >= 1 and --clusters within 1..200 (one private 10.N.0.0/16 each)")

    # Warm-up, untimed: first-use imports (spec, catalog, components) and caches on both sides.
    graph = plan_ours(a.clusters)
    count = len(graph.resources)
    floor_count = plan_floor(graph)
    if floor_count != count:
        raise SystemExit(f"floor registered {floor_count} resources, ours {count}")

    ours_s: list[float] = []
    floor_s: list[float] = []
    ours_cpu: list[float] = []
    floor_cpu: list[float] = []
    for _ in range(a.runs):  # interleaved, so drift on the machine hits both sides alike
        t, c, g = timed(lambda: plan_ours(a.clusters))
        assert len(g.resources) == count
        ours_s.append(t)
        ours_cpu.append(c)
        t, c, _n = timed(lambda: plan_floor(graph))
        floor_s.append(t)
        floor_cpu.append(c)

    ours, floor = statistics.median(ours_s), statistics.median(floor_s)
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(floor_cpu)
    ratio = ours / floor
    ok = ratio <= TARGET_RATIO
    figures = {
        "resources": count,
        "custom": sum(r.custom for r in graph.resources),
        "clusters": a.clusters,
        "runs": a.runs,
        "ours_s": round(ours, 4),
        "floor_s": round(floor, 4),
        "ours_ms_per_resource": round(1000 * ours / count, 4),
        "floor_ms_per_resource": round(1000 * floor / count, 4),
        "ratio": round(ratio, 3),
        "ours_cpu_s": round(statistics.median(ours_cpu), 4),
        "floor_cpu_s": round(statistics.median(floor_cpu), 4),
        "cpu_ratio": round(cpu_ratio, 3),
        "target_ratio": TARGET_RATIO,
        "pass": ok,
        "ours_runs_s": [round(t, 4) for t in ours_s],
        "floor_runs_s": [round(t, 4) for t in floor_s],
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python": sys.version.split()[0],
        "pulumi": metadata.version("pulumi"),
        "pulumi_aws": metadata.version("pulumi-aws"),
    }

    print(f"resources     {count} ({figures['custom']} custom) in {a.clusters} clusters, median of {a.runs}")
    print(f"ours          {ours * 1000:8.1f} ms  {figures['ours_ms_per_resource']:.3f} ms/resource")
    print(f"floor         {floor * 1000:8.1f} ms  {figures['floor_ms_per_resource']:.3f} ms/resource")
    print(f"ratio         {ratio:8.2f} x  (target <= {TARGET_RATIO}) {'PASS' if ok else 'FAIL'}")
    print(f"cpu ratio     {cpu_ratio:8.2f} x  (process CPU time, for a busy machine; not the target)")
    print(f"peak RSS      {figures['peak_rss_mib']:8.1f} MiB")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=2)
            f.write("\n")
    return 1 if a.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
