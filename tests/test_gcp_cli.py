"""GCP stacks through the real CLI: the bad-input cases of this cloud exit 2 with one error naming the field
path and the fix; the example GCP stacks plan, estimate and check offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli_bad_input import assert_bad_input, invoke, write_stack


def gcp_doc() -> dict[str, Any]:
    return {
        "config": {
            "gcp:project": "ml-project-1",
            "aiinfra:clusters": [
                {
                    "name": "train",
                    "cloud": "gcp",
                    "region": "us-central1",
                    "zone": "us-central1-a",
                    "nodePools": [{"name": "h100", "instanceType": "a3-megagpu-8g", "nodes": 2}],
                }
            ],
        }
    }


def pool(doc: dict[str, Any]) -> dict[str, Any]:
    pools: list[dict[str, Any]] = doc["config"]["aiinfra:clusters"][0]["nodePools"]
    return pools[0]


def _tpu(topology: str, **extra: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        doc["config"]["aiinfra:clusters"][0]["nodePools"] = [
            {"name": "tpu", "accelerator": "TPU-v5p", "topology": topology, **extra}
        ]

    return mutate


def _tpu_with_gpu_accelerator(doc: dict[str, Any]) -> None:
    pool(doc).update(instanceType="ct5p-hightpu-4t", accelerator="H100")


def _zone_without_the_machine(doc: dict[str, Any]) -> None:
    doc["config"]["aiinfra:clusters"][0]["zone"] = "us-central1-f"


def _interconnect_on_l4(doc: dict[str, Any]) -> None:
    pool(doc).update(instanceType="g2-standard-48", interconnect=True)


def _topology_on_a_gpu(doc: dict[str, Any]) -> None:
    pool(doc)["topology"] = "2x4"


def _bad_project(doc: dict[str, Any]) -> None:
    doc["config"]["gcp:project"] = "My_Project"


def _project_on_aws(doc: dict[str, Any]) -> None:
    doc["config"]["aiinfra:clusters"][0].update(
        cloud="aws", region="us-east-1", zone="us-east-1a", project="ml-project-1"
    )
    pool(doc)["instanceType"] = "p5.48xlarge"


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[dict[str, Any]], None]
    path: str
    says: tuple[str, ...]
    fix: tuple[str, ...]


CASES = [
    Case(
        "topology-invalid-for-the-generation",
        _tpu("2x4"),
        "clusters[0].nodePools[0].topology",
        ("'2x4' is not a TPU-v5p slice topology",),
        ("2x2x1", "2x2x4", "4x4x4"),
    ),
    Case(
        "multi-host-slice-with-the-wrong-node-count",
        _tpu("2x2x4", nodes=2),
        "clusters[0].nodePools[0].nodes",
        ("4 hosts of ct5p-hightpu-4t",),
        ("nodes: 4",),
    ),
    Case(
        "tpu-type-with-a-gpu-accelerator",
        _tpu_with_gpu_accelerator,
        "clusters[0].nodePools[0].instanceType",
        ("ct5p-hightpu-4t carries TPU-v5p, not H100",),
        ("Drop one of the two",),
    ),
    Case(
        "zone-that-does-not-sell-the-machine",
        _zone_without_the_machine,
        "clusters[0].nodePools[0].instanceType",
        ("a3-megagpu-8g is not offered in zone us-central1-f",),
        ("us-central1-a",),
    ),
    Case(
        "interconnect-on-a-type-without-a-fabric",
        _interconnect_on_l4,
        "clusters[0].nodePools[0].instanceType",
        ("g2-standard-48 is not offered with GPUDirect",),
        ("Set interconnect: false", "a3-megagpu-8g"),
    ),
    Case(
        "topology-on-a-gpu-pool",
        _topology_on_a_gpu,
        "clusters[0].nodePools[0].topology",
        ("topology describes a TPU slice",),
        ("Remove topology",),
    ),
    Case(
        "project-id-malformed",
        _bad_project,
        "config.gcp:project",
        ("'My_Project' is not a GCP project ID",),
        ("6-30 lower-case letters",),
    ),
    Case(
        "project-on-an-aws-cluster",
        _project_on_aws,
        "clusters[0].project",
        ("project does not apply to AWS clusters",),
        ("Remove project",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_gcp_stack_exits_2_with_the_field_path_and_the_fix(tmp_path: Path, case: Case) -> None:
    doc = gcp_doc()
    case.mutate(doc)
    stderr = assert_bad_input(invoke("plan", "-s", str(write_stack(tmp_path, doc))))
    assert f"{case.path}:" in stderr, f"names the field path {case.path}; stderr:\n{stderr}"
    for fragment in (*case.says, *case.fix):
        assert fragment in stderr, f"says {fragment!r}; stderr:\n{stderr}"


def test_the_project_key_on_the_cluster_stands_in_for_gcp_project(tmp_path: Path) -> None:
    doc = gcp_doc()
    del doc["config"]["gcp:project"]
    doc["config"]["aiinfra:clusters"][0]["project"] = "other-project-2"
    result = invoke("plan", "-s", str(write_stack(tmp_path, doc)), "--format", "json")
    assert result.exit_code == 0, result.output
    gke = next(
        r for r in json.loads(result.stdout)["resources"] if r["type"] == "gcp:container/cluster:Cluster"
    )
    assert gke["inputs"]["project"] == "other-project-2"
    assert gke["inputs"]["workloadIdentityConfig"] == {"workloadPool": "other-project-2.svc.id.goog"}


@pytest.mark.parametrize(
    ("stack", "pool_type", "machine", "nodes"),
    [
        ("gcp-a3mega", "aiinfra:gcp:GpuNodePool", "a3-megagpu-8g", 2),
        ("gcp-tpu", "aiinfra:gcp:TpuNodePool", "ct5p-hightpu-4t", 4),
    ],
)
def test_the_example_gcp_stacks_plan_estimate_and_check_offline(
    stack: str, pool_type: str, machine: str, nodes: int
) -> None:
    planned = invoke("plan", "-s", stack, "--format", "json")
    assert planned.exit_code == 0, planned.output
    resources = json.loads(planned.stdout)["resources"]
    assert any(r["type"] == pool_type for r in resources)
    estimated = invoke("estimate", "-s", stack, "--format", "json")
    assert estimated.exit_code == 0, estimated.output
    lines = json.loads(estimated.stdout)["lines"]
    compute = [ln for ln in lines if machine in ln["description"] and "boot disks" not in ln["description"]]
    assert len(compute) == 1 and compute[0]["monthly_cost_usd"] > 0, "the accelerator pool is priced"
    assert compute[0]["description"].startswith(f"{nodes} × {machine}")
    checked = invoke("check", "-s", stack, "--format", "json")
    assert checked.exit_code == 0, checked.output
