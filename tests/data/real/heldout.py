"""Held-out check (a script, not a test): `infra estimate --from` on every real engine document given.

    uv run python tests/data/real/heldout.py DIR_OR_FILE ...

For each document: it is read (exit 0); every compute resource (EKS/GKE/AKS node groups and pools, AKS
clusters with inline pools, Auto Scaling groups, EC2/GCE/Azure VMs of either Azure provider, CloudFormation
stacks whose template holds an Auto Scaling group) has a priced line; and a total with unpriced lines,
unsupported resources or unknown grids reads as a lower bound ("≥") in the table. Prints one row per document and a failure list; exit 1 when anything fails."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from aiinfra import clouds
from aiinfra.cli.main import app

COMPUTE = (
    "aws:eks/nodeGroup:NodeGroup",
    "aws:autoscaling/group:Group",
    "aws:ec2/instance:Instance",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    "gcp:container/nodePool:NodePool",
    "gcp:compute/instance:Instance",
    "azure-native:containerservice:AgentPool",
    "azure-native:compute:VirtualMachine",
    "azure-native:compute:VirtualMachineScaleSet",
    "azure:compute/virtualMachine:VirtualMachine",
    "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
    "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
    "azure:containerservice/kubernetesCluster:KubernetesCluster",
    "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool",
)
CFN = "aws:cloudformation/stack:Stack"
INLINE_POOLS = {"azure-native:containerservice:ManagedCluster": "agentPoolProfiles"}
"""Clusters whose inline pools are compute: the input that lists them."""


def canonical(type_token: str) -> str:
    """The token the estimate reads a type as (an azure-native API version's is its type's)."""
    profile = clouds.for_type(type_token)
    return profile.canonical_type(type_token) if profile is not None else type_token


def documents(args: list[str]) -> list[Path]:
    found: list[Path] = []
    for a in args:
        p = Path(a)
        found.extend(sorted(p.rglob("*.json")) if p.is_dir() else [p])
    return found


def resources(doc: Any) -> list[dict[str, Any]]:
    if "steps" in doc:
        out = []
        for s in doc["steps"]:
            state = s.get("newState") or s.get("oldState")
            if state and s.get("op") != "delete":
                out.append(state)
        return out
    dep = doc.get("deployment") or doc.get("checkpoint", {}).get("latest") or {}
    return list(dep.get("resources") or [])


def compute_names(doc: Any) -> set[str]:
    names = set()
    for r in resources(doc):
        t, name = canonical(r.get("type", "")), r.get("urn", "").rsplit("::", 1)[-1]
        if r.get("custom", True) is False:
            continue
        inputs = r.get("inputs", {})
        body = str(inputs.get("templateBody"))
        in_template = t == CFN and "AWS::AutoScaling::AutoScalingGroup" in body
        if t in COMPUTE or in_template or (t in INLINE_POOLS and inputs.get(INLINE_POOLS[t])):
            names.add(name)
    return names


def main(argv: list[str]) -> int:
    runner = CliRunner(env={"COLUMNS": "200", "AIINFRA_TODAY": os.environ.get("AIINFRA_TODAY", "2026-12-05")})
    failures: list[str] = []
    for path in documents(argv or ["/work/try/exports"]):
        start = time.perf_counter()
        res = runner.invoke(app, ["estimate", "--from", str(path), "--format", "json"])
        took = time.perf_counter() - start
        if res.exit_code != 0:
            failures.append(f"{path.name}: exit {res.exit_code}: {res.output.strip()[:300]}")
            continue
        out = json.loads(res.stdout)
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
        priced = {ln["resource"] for ln in out["lines"] if ln["monthly_cost_usd"] is not None}
        unpriced_compute = sorted(compute_names(doc) - priced)
        for name in unpriced_compute:
            failures.append(f"{path.name}: compute resource {name} has no priced line")
        t = out["totals"]
        unknown = t["unpriced_lines"] + t["unsupported_resources"] + t["unknown_grid_lines"]
        table = runner.invoke(app, ["estimate", "--from", str(path)]).stdout
        total_row = next((ln for ln in table.splitlines() if ln.startswith("│ total")), "")
        lower_bound = "≥" in total_row
        if unknown and not lower_bound:
            failures.append(f"{path.name}: {unknown} unknown part(s) but the total is not a lower bound")
        if not unknown and lower_bound:
            failures.append(f"{path.name}: nothing unknown yet the total reads ≥")
        print(
            f"{path.name[:90]:90} ${t['monthly_cost_usd']:>9} unpriced={t['unpriced_lines']}"
            f" unsupported={t['unsupported_resources']} compute={len(compute_names(doc))} {took:.2f}s"
        )
    print(f"\n{len(failures)} failure(s)")
    for f in failures:
        print(" -", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
