"""Benchmark: `infra estimate --from` on a 10,000-resource `pulumi stack export`.

The export is the 14-cluster plan of plan_bench.py (1,008 resources: GPU and CPU node groups with launch
templates, EKS, VPCs, subnets, NAT, IAM, FSx for Lustre, S3, providers, Helm releases) repeated with renamed
resources until it holds 10,000 or more, as estimate_bench.py does, then written as `pulumi stack export`
writes a deployment (DeploymentV3, indented by 4): a stack root, each resource with `outputs` (its inputs
plus an id and an arn), and a secret (`{"4dabf1…": "1b4706…", "ciphertext"}`) on every IAM role's policy.
The node groups keep `instanceTypes` and `scalingConfig` only in their outputs, so every pool is priced
through the deployed-outputs path (`Context.value`).

It times what `infra estimate --from FILE` does after start-up (`services.stack.estimate_file`: guarded read,
JSON, graph, estimate) plus rendering the estimate JSON. Target: median ≤ 1 s. It also reports CPU time
(steadier on a shared machine), the load average, and one whole CLI process (`python -m aiinfra.cli.main`,
start-up and catalog load included) for transparency.

The catalog is loaded before timing (once per process; catalog_bench.py measures that).

Run: `cd /work/main && .venv/bin/python bench/from_bench.py [--runs 5] [--resources 10000]`
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from estimate_bench import big_graph_json
from plan_bench import plan_ours

from aiinfra.catalog import default_catalog
from aiinfra.services.stack import estimate_file

TARGET_S = 1.0
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:AAAA"}
DEPLOYED_ONLY = {"aws:eks/nodeGroup:NodeGroup": ("instanceTypes", "scalingConfig")}


def _provider_ref(r: dict[str, Any], providers: dict[tuple[str, str], str]) -> str:
    """`<provider urn>::<id>` of the provider `r` names, in `r`'s copy (estimate_bench.big_graph_json renames
    resources per copy with a `-cN` suffix but leaves provider references half renamed)."""
    suffix = re.search(r"-c\d+$", r["name"])
    kind = re.search(r"pulumi:providers:([\w.]+?)(?:-c\d+)?::", r["provider"])
    name = r["provider"].split("::")[-2]
    if suffix and kind:
        urn = providers.get((f"pulumi:providers:{kind[1]}", name + suffix[0]))
        if urn is not None:
            return f"{urn}::{urn.rsplit('::', 1)[-1]}-id"
    return r["provider"]


def export_doc(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan document (`infra plan --format json`) as the deployment `pulumi stack export` writes."""
    stack_urn = f"urn:pulumi:{plan['stack']}::aiinfra::pulumi:pulumi:Stack::aiinfra-{plan['stack']}"
    default = f"urn:pulumi:{plan['stack']}::aiinfra::pulumi:providers:aws::default_7_7_0"
    out: list[dict[str, Any]] = [
        {"urn": stack_urn, "custom": False, "type": "pulumi:pulumi:Stack"},
        # A program's resources without an explicit provider use the default one, which an export lists.
        {
            "urn": default,
            "custom": True,
            "id": "d",
            "type": "pulumi:providers:aws",
            "inputs": {"region": "us-east-1"},
        },
    ]
    providers = {
        (r["type"], r["name"]): r["urn"]
        for r in plan["resources"]
        if r["type"].startswith("pulumi:providers:")
    }
    for r in plan["resources"]:
        inputs = dict(r["inputs"])
        if r["type"] == "aws:iam/role:Role" and "assumeRolePolicy" in inputs:
            inputs["assumeRolePolicy"] = SECRET
        outputs = {**inputs, "id": f"{r['name']}-id", "arn": f"arn:aws:::{r['name']}"}
        for key in DEPLOYED_ONLY.get(r["type"], ()):
            inputs.pop(key, None)
        state: dict[str, Any] = {"urn": r["urn"], "custom": r["custom"], "type": r["type"]}
        if r["custom"]:
            state.update(id=outputs["id"], inputs=inputs, outputs=outputs)
        state["parent"] = r["parent"] or stack_urn
        if r["provider"]:
            state["provider"] = _provider_ref(r, providers)
        elif r["custom"] and r["type"].startswith("aws:"):
            state["provider"] = f"{default}::d"
        out.append(state)
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-12-04T00:00:00Z", "magic": "", "version": "v3.200.0"},
            "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:x"}},
            "resources": out,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--resources", type=int, default=10_000)
    args = parser.parse_args()

    default_catalog()
    doc = export_doc(json.loads(big_graph_json(plan_ours(14), args.resources)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.json"
        path.write_text(json.dumps(doc, indent=4))  # `pulumi stack export` indents by 4
        size_mib = path.stat().st_size / 2**20

        times, cpu, lines = [], [], 0
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            result, _ = estimate_file(path, None, None)
            out = result.to_json()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            lines = len(out["lines"])
        median = statistics.median(times)

        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "aiinfra.cli.main", "estimate", "--from", str(path), "--format", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "COLUMNS": "200"},
        )
        process = time.perf_counter() - start

    n = len(doc["deployment"]["resources"])
    print(f"export: {n:,} resources, {size_mib:.1f} MiB → {lines:,} estimate lines")
    print(
        f"estimate_file + JSON: median {median:.3f} s of {args.runs} ({', '.join(f'{t:.3f}' for t in times)})"
    )
    print(f"  CPU time: median {statistics.median(cpu):.3f} s (steadier on a busy machine)")
    print(f"  1-minute load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"one CLI process, start-up included: {process:.2f} s")
    verdict = "PASS" if median <= TARGET_S else "FAIL"
    print(f"target ≤ {TARGET_S:.1f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
