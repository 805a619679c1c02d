"""Benchmark: estimating large graphs.

1. A 10,000-resource graph as JSON (the `infra plan --format json` shape; what `infra estimate --from` reads):
   parse it, build the ResourceGraph, estimate every resource, render the estimate JSON. Target < 1 s.
   The graph is the 14-cluster plan of plan_bench.py (1,008 resources) repeated with renamed resources until
   it holds 10,000 or more: real rules, real catalog look-ups, real power models on every node group.
2. The same 1,008-resource plan: plan alone vs plan + estimate end to end (reported side by side).

The catalog is loaded before timing (it is loaded once per process; catalog_bench.py measures that).

Run: `cd /work/main && .venv/bin/python bench/estimate_bench.py [--runs 5] [--resources 10000]`
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_bench import plan_ours

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import ResourceGraph
from aiinfra.estimate import estimate

TARGET_S = 1.0


def big_graph_json(base: ResourceGraph, resources: int) -> str:
    """`base` repeated (URNs, names and parents renamed per copy) until it holds `resources` or more."""
    doc = base.to_json()
    copies = -(-resources // len(doc["resources"]))
    out: list[dict[str, Any]] = []
    for i in range(copies):
        suffix = f"-c{i}"
        for r in doc["resources"]:
            clone = dict(r)
            clone["name"] = r["name"] + suffix
            clone["urn"] = r["urn"] + suffix
            clone["parent"] = r["parent"] + suffix if r["parent"] else None
            clone["provider"] = (
                r["provider"].replace("::", f"{suffix}::", r["provider"].count("::") - 1)
                if r["provider"]
                else None
            )
            out.append(clone)
    return json.dumps({"stack": "bench", "resources": out})


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--resources", type=int, default=10_000)
    args = parser.parse_args()

    catalog = default_catalog()
    base = plan_ours(14)
    text = big_graph_json(base, args.resources)
    config = {"aws:region": "us-east-1"}

    def estimate_json() -> dict[str, Any]:
        graph = ResourceGraph.from_json(json.loads(text))
        graph.config = config
        return estimate(graph, catalog).to_json()

    big_times = []
    for _ in range(args.runs):
        seconds, doc = timed(estimate_json)
        big_times.append(seconds)
    count = len(json.loads(text)["resources"])
    lines = len(doc["lines"])
    assert not doc["unsupported"], doc["unsupported"][:3]

    plan_times, both_times = [], []
    for _ in range(args.runs):
        seconds, _ = timed(lambda: plan_ours(14))
        plan_times.append(seconds)
        start = time.perf_counter()
        estimate(plan_ours(14), catalog).to_json()
        both_times.append(time.perf_counter() - start)

    big = statistics.median(big_times)
    plan_alone = statistics.median(plan_times)
    both = statistics.median(both_times)
    print(
        f"graph JSON: {count:,} resources → {lines:,} lines, ${doc['totals']['monthly_cost_usd']:,.0f}/month"
    )
    print(
        f"  estimate from JSON (parse + graph + estimate + JSON out), median of {args.runs}: "
        f"{big:.3f} s   target < {TARGET_S:.1f} s   {'PASS' if big < TARGET_S else 'FAIL'}"
    )
    print(
        f"1,008-resource stack: plan {plan_alone:.2f} s, plan + estimate {both:.2f} s "
        f"(estimate adds {both - plan_alone:+.2f} s, {100 * (both - plan_alone) / plan_alone:+.0f} %)"
    )
    return 0 if big < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
