"""Benchmark: load the full shipped catalog and answer queries.

Targets (issue 3): the first query in a fresh process under 100 ms (import of `aiinfra.catalog`, reading and
checking every data file, completing the offers, and the query itself); under 1 ms per query after that.

Each run starts a fresh `python` process that times, with `time.perf_counter`:
  first   = import aiinfra.catalog + default_catalog() + the first query (no warm-up of any kind)
  repeat  = mean of 1,000 repetitions of each query after that
The interpreter's own start-up is outside `first` (it is the same for every Python program) and is reported
separately as the process's wall time. `first` is also reported as the process's CPU time, which holds steadier
than wall time when other processes share the machine.

One untimed process runs first with bytecode writing allowed, so the timed ones import our modules from their
`__pycache__` as an installed package does (with PYTHONDONTWRITEBYTECODE=1 and no cache, every run would
compile the sources: ~30 ms more). `--against DIR` also times another checkout of the repository (a `git
worktree` or `git archive` of main, say), alternating run by run with this one, both imported through their
`.typecheck/aiinfra` link trees: a before/after comparison under the same load.

Queries: `resolve` (what a node pool gets: H100 with the fabric in us-east-1), `offer` (one price lookup),
`gpus H100` (the `infra catalog gpus -a H100` rows: every H100 offer with power and carbon, sorted), and
`where H200`.

Run: `cd /work/main && .venv/bin/python bench/catalog_bench.py [--runs 5] [--json out.json] [--against DIR]`
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_TARGET_MS = 100.0
REPEAT_TARGET_MS = 1.0
REPEATS = 1000

CHILD = r"""
import json, time
t0, c0 = time.perf_counter(), time.process_time()
from aiinfra.catalog import default_catalog
from aiinfra.catalog.listing import gpu_offers, where
catalog = default_catalog()
loaded = time.perf_counter()
first = catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True)
t1, c1 = time.perf_counter(), time.process_time()
assert first.name == "p5.48xlarge", first.name

queries = {
    "resolve": lambda: catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True),
    "offer": lambda: catalog.offer("p5.48xlarge", "us-east-1"),
    "gpus H100": lambda: gpu_offers(catalog, accelerator="H100"),
    "where H200": lambda: where(catalog, "H200"),
}
repeat = {}
for name, q in queries.items():
    start = time.perf_counter()
    for _ in range(REPEATS):
        q()
    repeat[name] = (time.perf_counter() - start) / REPEATS * 1000
counts = {
    "instance_types": len(catalog.instance_types()),
    "offers": len(catalog.offers()),
    "gpus H100 rows": len(gpu_offers(catalog, accelerator="H100")),
}
print(json.dumps({
    "load_ms": (loaded - t0) * 1000,
    "first_ms": (t1 - t0) * 1000,
    "first_cpu_ms": (c1 - c0) * 1000,
    "repeat_ms": repeat,
    "counts": counts,
}))
""".replace("REPEATS", str(REPEATS))


def child_env(tree: Path | None, *, write_bytecode: bool = False) -> dict[str, str]:
    """The environment of a run: this one's, importing `tree`'s code when given."""
    env = dict(os.environ)
    if write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / ".typecheck")
    return env


def one_run(tree: Path | None = None, *, write_bytecode: bool = False) -> dict[str, object]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        cwd=tree or ROOT,
        env=child_env(tree, write_bytecode=write_bytecode),
        check=True,
    )
    wall = (time.perf_counter() - start) * 1000
    result: dict[str, object] = json.loads(out.stdout)
    result["process_wall_ms"] = wall
    return result


def median(runs: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--against", type=Path, help="another checkout to time alternately with this one")
    args = parser.parse_args()

    trees: list[Path | None] = [ROOT, args.against.resolve()] if args.against else [None]
    for tree in trees:
        one_run(tree, write_bytecode=True)  # untimed: fills __pycache__
    load_before = os.getloadavg()[0]
    by_tree: dict[Path | None, list[dict[str, object]]] = {tree: [] for tree in trees}
    for _ in range(args.runs):
        for tree in trees:
            by_tree[tree].append(one_run(tree))
    load_after = os.getloadavg()[0]

    runs = by_tree[trees[0]]
    first = median(runs, "first_ms")
    load = median(runs, "load_ms")
    wall = median(runs, "process_wall_ms")
    names = list(runs[0]["repeat_ms"])  # type: ignore[call-overload]
    repeat = {n: statistics.median(float(r["repeat_ms"][n]) for r in runs) for n in names}  # type: ignore[index]

    print(f"catalog: {runs[0]['counts']}")
    print(f"1-minute load average: {load_before:.2f} before, {load_after:.2f} after")
    print(f"median of {args.runs} fresh processes:")
    print(f"  import + load                 {load:8.1f} ms")
    print(f"  first query (incl. load)      {first:8.1f} ms   target < {FIRST_TARGET_MS:.0f} ms")
    print(f"  first query, CPU time         {median(runs, 'first_cpu_ms'):8.1f} ms")
    print(f"  whole process (python start)  {wall:8.1f} ms   (for reference)")
    for n, ms in repeat.items():
        print(f"  repeat {n:<22} {ms:8.4f} ms   target < {REPEAT_TARGET_MS:.0f} ms")
    if args.against:
        other = by_tree[trees[1]]
        print(f"against {args.against} (alternating, same minutes; this checkout first):")
        for label, key in (("first query", "first_ms"), ("first query, CPU time", "first_cpu_ms")):
            mine, theirs = median(runs, key), median(other, key)
            print(f"  {label:<28}{theirs:8.1f} ms -> {mine:6.1f} ms   ({mine - theirs:+.1f} ms)")
    ok = first < FIRST_TARGET_MS and all(ms < REPEAT_TARGET_MS for ms in repeat.values())
    print("PASS" if ok else "FAIL")
    if args.json:
        doc = {
            "runs": runs,
            "first_ms": first,
            "repeat_ms": repeat,
            "pass": ok,
            "load": [load_before, load_after],
        }
        if args.against:
            doc["against"] = {"tree": str(args.against), "runs": by_tree[trees[1]]}
        args.json.write_text(json.dumps(doc, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
