"""Benchmark: load the full shipped catalog and answer queries.

Targets (issue 3): the first query in a fresh process under 100 ms (import of `aiinfra.catalog`, reading and
checking every data file, completing the offers, and the query itself); under 1 ms per query after that.

Each run starts a fresh `python` process that times, with `time.perf_counter`:
  first   = import aiinfra.catalog + default_catalog() + the first query (no warm-up of any kind)
  repeat  = mean of 1,000 repetitions of each query after that
The interpreter's own start-up is outside `first` (it is the same for every Python program) and is reported
separately as the process's wall time.

Queries: `resolve` (what a node pool gets: H100 with the fabric in us-east-1), `offer` (one price lookup),
`gpus H100` (the `infra catalog gpus -a H100` rows: every H100 offer with power and carbon, sorted), and
`where H200`.

Run: `cd /work/main && .venv/bin/python bench/catalog_bench.py [--runs 5] [--json out.json]`
"""

from __future__ import annotations

import argparse
import json
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
t0 = time.perf_counter()
from aiinfra.catalog import default_catalog
from aiinfra.catalog.listing import gpu_offers, where
catalog = default_catalog()
loaded = time.perf_counter()
first = catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True)
t1 = time.perf_counter()
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
print(json.dumps({"load_ms": (loaded - t0) * 1000, "first_ms": (t1 - t0) * 1000, "repeat_ms": repeat, "counts": counts}))
""".replace("REPEATS", str(REPEATS))


def one_run() -> dict[str, object]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, cwd=ROOT, check=True)
    wall = (time.perf_counter() - start) * 1000
    result: dict[str, object] = json.loads(out.stdout)
    result["process_wall_ms"] = wall
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    runs = [one_run() for _ in range(args.runs)]
    first = statistics.median(float(r["first_ms"]) for r in runs)  # type: ignore[arg-type]
    load = statistics.median(float(r["load_ms"]) for r in runs)  # type: ignore[arg-type]
    wall = statistics.median(float(r["process_wall_ms"]) for r in runs)  # type: ignore[arg-type]
    names = list(runs[0]["repeat_ms"])  # type: ignore[call-overload]
    repeat = {n: statistics.median(float(r["repeat_ms"][n]) for r in runs) for n in names}  # type: ignore[index]

    print(f"catalog: {runs[0]['counts']}")
    print(f"median of {args.runs} fresh processes:")
    print(f"  import + load                 {load:8.1f} ms")
    print(f"  first query (incl. load)      {first:8.1f} ms   target < {FIRST_TARGET_MS:.0f} ms")
    print(f"  whole process (python start)  {wall:8.1f} ms   (for reference)")
    for n, ms in repeat.items():
        print(f"  repeat {n:<22} {ms:8.4f} ms   target < {REPEAT_TARGET_MS:.0f} ms")
    ok = first < FIRST_TARGET_MS and all(ms < REPEAT_TARGET_MS for ms in repeat.values())
    print("PASS" if ok else "FAIL")
    if args.json:
        args.json.write_text(
            json.dumps({"runs": runs, "first_ms": first, "repeat_ms": repeat, "pass": ok}, indent=2)
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
